"""The one text normaliser: every reader (txt, md, html, json, csv, feeds), cleaning and dedup use it.

- ``normalise_text``: one form for every input (NFC, ``\\n`` line ends, no control characters,
  terminal escapes or invisible format characters);
- ``decode_entities``: HTML character references decoded, twice-encoded ones (``&amp;quot;``) too;
- ``unglue_sentences``: a paragraph break where two sentences (or a caption's credit and the next
  sentence) were saved with nothing between them ("...in Russia.Earlier on Saturday...");
- ``prose_text``: the three above plus ``tidy_lines``: what every reader returns as a record's text;
- ``comparison_form``: the case- and accent-folded form that dedup compares.

Nothing here knows about files or formats; the readers in ``tasks/formats/`` call it.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Control characters other than tab and newline; C1 controls included. Terminal escape sequences
# are removed whole so their parameters do not leak into the text: CSI (ESC [ ... final byte), OSC
# (ESC ] ... BEL or ESC \, bounded so a missing terminator cannot make the scan quadratic) and
# two-byte escapes.
ANSI_ESCAPE = re.compile(
    r"\x1b\[[0-9;?]{0,64}[ -/]{0,8}[@-~]|\x9b[0-9;?]{0,64}[@-~]"
    r"|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)|\x1b[@-_]"
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Invisible format characters that carry nothing a reader sees and split words for the tokenizer:
# soft hyphen, zero-width space, word joiners, left-to-right/right-to-left marks, bidirectional
# embeddings, overrides and isolates (which can also make text display in another order than it is
# stored), byte order marks, interlinear annotation marks. Zero-width (non-)joiners stay: Persian and
# Indic scripts and emoji need them.
INVISIBLE = re.compile(r"[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
_LINE_BREAKS = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What is not a visible character: whitespace, the invisible characters above and the joiners.
_NOT_VISIBLE = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+")
# What ends a sentence (Latin, CJK, Devanagari, Arabic) or a paragraph; runs between them are
# measured to recognise token soup. A split, not a `{n,}` search, so the scan stays linear.
_SENTENCE_BREAK = re.compile(r"[.!?\n\u3002\uff01\uff1f\u0964\u061f\u2026]")
_WHITESPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# An entity or character reference, named (&quot;) or numeric (&#x27; &#39;).
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_ENTITY_ROUNDS = 3  # "&amp;amp;quot;" is a quotation mark escaped three times

# Two sentences saved without a space: a sentence end after a lower-case word (or a figure) and a
# capital or an opening quotation mark right after it; or a parenthesised credit or note that ends
# a caption, then the next sentence's capital. "U.S.The" (capitals before the stop) is left alone:
# abbreviations cannot be told from sentence ends there.
_GLUED = re.compile(
    r"(?<=[a-z0-9%])(?P<stop>[.!?]+)(?P<quote>[\"”’]?)(?=[A-Z“‘]|\"\w)"
    r"|(?<=[A-Za-z0-9])(?P<paren>\))(?=[A-Z“])"
)
_MAX_LINE_SCAN = 200_000  # a line longer than this is token soup and is left as it is


def normalise_text(text: str) -> str:
    """One form for every input: NFC, ``\\n`` line ends, no control characters or escapes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ANSI_ESCAPE.sub("", text)
    # Page breaks (pdftotext puts a form feed between pages), vertical tabs and the Unicode line
    # breaks end a line; removed as controls they would glue two paragraphs together.
    text = _LINE_BREAKS.sub("\n", text)
    text = CONTROL.sub("", text)
    text = INVISIBLE.sub("", text)
    # A lone surrogate (from a JSON "\\ud800" escape) is no character and cannot be stored as UTF-8.
    text = _SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


def decode_entities(text: str) -> str:
    """Text with HTML entities decoded, as often as they were encoded (at most three times)."""
    for _ in range(_ENTITY_ROUNDS):
        if "&" not in text or not ENTITY.search(text):
            break
        text = html.unescape(text)
    return text


def _split_glued(line: str) -> str:
    if len(line) > _MAX_LINE_SCAN:
        return line
    pieces: list[str] = []
    last = 0
    marks_before, counted_to = 0, 0  # straight quotation marks before the match, counted once
    for match in _GLUED.finditer(line):
        if match.group("paren"):
            cut = match.end()
        elif match.group("quote") == '"':
            # A straight mark after a stop closes a quotation when an odd number of marks came
            # before it, else it opens the next sentence: 'ready." He left' vs 'Paris."What we see'.
            marks_before += line.count('"', counted_to, match.start("quote"))
            counted_to = match.start("quote")
            cut = match.end() if marks_before % 2 else match.start("quote")
        else:
            cut = match.end()
        pieces.append(line[last:cut])
        last = cut
    if not pieces:
        return line
    pieces.append(line[last:])
    return "\n".join(p.strip() for p in pieces if p.strip())


def unglue_sentences(text: str) -> str:
    """A line break between sentences that were saved with nothing between them."""
    if "\n" in text:
        return "\n".join(_split_glued(line) for line in text.split("\n"))
    return _split_glued(text)


def tidy_lines(text: str) -> str:
    """Collapse runs of spaces, strip every line and drop blank ones: one paragraph per line."""
    lines = (_WHITESPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def prose_text(text: str) -> str:
    """A record's text as every reader returns it: entities decoded, normalised, sentences that
    were glued together split, one paragraph per line."""
    return tidy_lines(unglue_sentences(normalise_text(decode_entities(text))))


def one_line(text: str) -> str:
    """A metadata value (title, author, outlet) as one clean line."""
    return tidy_lines(normalise_text(decode_entities(text))).replace("\n", " ")


def visible_chars(text: str) -> int:
    """How many characters a reader would see: not whitespace, not zero-width or format marks."""
    return len(_NOT_VISIBLE.sub("", text))


def control_ratio(text: str) -> float:
    """Share of characters that no article contains: controls and U+FFFD replacement marks."""
    if not text:
        return 0.0
    # Line ends and terminal escapes are removed by normalise_text and say nothing about binary.
    text = ANSI_ESCAPE.sub("", text.replace("\r", "\n"))
    if not text:
        return 0.0
    bad = len(CONTROL.findall(text)) + text.count("\ufffd")
    return bad / len(text)


def longest_unpunctuated_run(text: str) -> int:
    """Characters in the longest stretch without a line break or sentence-final punctuation."""
    return max((len(part) for part in _SENTENCE_BREAK.split(text)), default=0)


def shorten(value: object, limit: int = 120) -> str:
    """A value as it may appear in a message, log line or artifact: one line, at most ``limit``
    characters, saying how long it was when cut ("'AAAA…' (50,000 characters)")."""
    text = str(value).replace("\n", " ")
    if len(text) <= limit:
        return text
    return f"{text[: max(1, limit - 1)]}… ({len(text):,} characters)"


_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
# Accents (combining marks after NFKD) are dropped for comparison, with the invisible characters.
_COMBINING = re.compile("[\u0300-\u036f]")


def comparison_form(text: str) -> str:
    """What two texts are compared in (dedup): the normalised text with entities decoded, tags
    removed, accents dropped and case folded, so a re-post that differs only in those is equal."""
    text = _TAG.sub(" ", decode_entities(text))
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", normalise_text(text)))
    return text.casefold()
