"""Ingest: every input record becomes one ``documents`` row, accepted (``ok``) or ``rejected`` with a
reason code. Nothing is skipped silently.

A file holds one record (``.txt``, ``.html``/``.htm``, ``.md``, a ``.json`` object) or many
(``.jsonl``, a ``.json`` list, ``.csv``, an RSS or Atom feed). A record of a many-record file has its
own ``doc_id``, a ``source_path`` of ``<file>#<index>`` and its ``record_index`` (0-based, in file
order; for JSONL the index counts non-blank lines). A many-record file that cannot be parsed at all is
one rejected row with the file's own path. So: rows = single-record files + records of the others.

Every record goes through the same checks, in this order, each with its ``ingest_<reason>`` code:
``not_text`` (binary or mostly control characters), ``empty``, ``too_large`` (file bytes or record
characters), ``no_sentences`` (a long run with no line break or sentence punctuation: token soup).
Parsing failures have their own codes: ``bad_json`` (the line number is in ``reject_detail``),
``bad_csv``, ``bad_feed``, ``bad_front_matter``, ``no_text_field``, ``no_main_text`` (HTML with no
article text). ``list_inputs`` adds ``outside_input``, ``unsupported_format``, ``not_a_file``,
``unreadable`` and ``too_large`` from ``stat`` alone, before anything is read.
"""

from __future__ import annotations

import codecs
import csv
import email.utils
import hashlib
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

import charset_normalizer
import lxml.etree
import lxml.html
import trafilatura
import yaml

from tasks.clean import parse_date
from tasks.params import IngestParams

# Control characters other than tab and newline; C1 controls included. Terminal escape sequences
# are removed whole so their parameters do not leak into the text: CSI (ESC [ ... final byte), OSC
# (ESC ] ... BEL or ESC \, bounded so a missing terminator cannot make the scan quadratic) and
# two-byte escapes.
_ANSI_ESCAPE = re.compile(
    r"\x1b\[[0-9;?]{0,64}[ -/]{0,8}[@-~]|\x9b[0-9;?]{0,64}[@-~]"
    r"|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)|\x1b[@-_]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What ends a sentence (Latin, CJK, Devanagari, Arabic) or a paragraph; runs between them are
# measured to recognise token soup. A split, not a `{n,}` search, so the scan stays linear.
_SENTENCE_BREAK = re.compile(r"[.!?\n\u3002\uff01\uff1f\u0964\u061f\u2026]")
_WHITESPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,300}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,300}\?>")
_HTML_LANG = re.compile(r"""<html\b[^>]{0,1000}?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})?)""", re.I)
_LOOKS_LIKE_HTML = re.compile(
    r"</?(?:p|br|div|span|a|em|strong|b|i|u|ul|ol|li|h[1-6]|img|blockquote|figure|table|section)\b[^<>]{0,500}>",
    re.I,
)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")

# Where charsets, languages and root elements are declared: the head of a file.
_HEAD_CHARS = 5_000
# How much of a non-UTF-8 file the encoding guess looks at.
_SNIFF_BYTES = 200_000
_SNIFF_CHARS = 20_000
# Latin-script text decoded as Windows-1252 has few non-ASCII letters (é, ü, ñ ...); text of another
# script in its own code page decoded that way is mostly non-ASCII letters.
_MAX_LATIN_HIGH_LETTER_SHARE = 0.3

_FORMAT_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".xml": "rss",  # RSS or Atom: the root element decides
    ".rss": "rss",
    ".atom": "atom",
}
_SINGLE_RECORD_FORMATS = ("txt", "html", "md")
_METADATA = ("title", "published", "author", "outlet", "url", "language_hint")
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer figure "
    "figcaption pre hr dt dd dl aside main address".split()
)
_LAYOUT_MARKERS = ("p", "h1", "h2", "h3", "div", "table", "ul", "ol", "blockquote", "article")
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
_ATOM = "http://www.w3.org/2005/Atom"
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
# Entities are left unresolved and nothing is fetched: a feed cannot expand a billion laughs or read
# a local file through an external entity.
_XML_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class InputFile:
    """One file found under the input root, before it is read."""

    source_path: str  # relative to the input root, with forward slashes
    path: Path
    n_bytes: int
    problem: str | None = None  # a reject reason found without reading the file


class RecordProblem(Exception):
    """A record (or a whole file) cannot be accepted: carries the reason code and a detail."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def make_doc_id(source_path: str, sha256: str, record_index: int | None = None) -> str:
    """Stable id: where the record came from plus what it holds."""
    key = f"{source_path}\0{record_index if record_index is not None else ''}\0{sha256}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def format_of(path: Path | str) -> str:
    """The ``format`` a file is read as, from its extension (``.xml`` reads as a feed)."""
    suffix = Path(path).suffix.lower()
    return _FORMAT_EXTENSIONS.get(suffix, suffix.lstrip(".") or "unknown")


# ---------------------------------------------------------------------------------------- listing


def list_inputs(input_dir: Path, params: IngestParams) -> list[InputFile]:
    """Every file under ``input_dir`` (recursively, sorted), with problems found by ``stat``.

    Symbolic links are resolved: one leading outside the input folder is refused
    (``ingest_outside_input``); a linked folder is never followed but still listed, so that nothing
    under the root goes unaccounted for.
    """
    root = Path(input_dir)
    if not root.is_dir():
        raise FileNotFoundError(
            f"input folder {root} does not exist or is not a folder: pass the folder that holds "
            "the articles"
        )
    resolved_root = root.resolve()
    found: list[InputFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        linked_dirs = [d for d in dirnames if (here / d).is_symlink()]
        dirnames[:] = [d for d in dirnames if d not in linked_dirs]
        for name in sorted(filenames + linked_dirs):
            path = here / name
            rel = path.relative_to(root).as_posix()
            try:
                target = path.resolve(strict=True)
                size = target.stat().st_size
            except (OSError, RuntimeError):
                found.append(InputFile(rel, path, 0, "ingest_unreadable"))
                continue
            problem = None
            if path.is_symlink() and not target.is_relative_to(resolved_root):
                problem = "ingest_outside_input"
            elif not target.is_file():
                problem = "ingest_not_a_file"
            elif path.suffix.lower() not in params.extensions:
                problem = "ingest_unsupported_format"
            elif size > params.max_bytes:
                problem = "ingest_too_large"
            found.append(InputFile(rel, path, size if target.is_file() else 0, problem))
    return found


# ------------------------------------------------------------------------------- bytes and text


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str | None, str | None]:
    """Decode bytes to text: BOMs first, then UTF-16 without BOM, UTF-8, a declared charset, then
    Windows-1252 (Latin-1 for its five undefined bytes), unless the bytes read as another script.

    ``declared`` is the charset an HTML or XML file states about itself. Returns
    ``(text, encoding)``; ``(None, None)`` when the bytes are not text.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None, None
    if len(data) >= 4 and b"\x00" in data:
        # UTF-16 without a BOM: text in the Latin range leaves every other byte zero.
        even_zero = data[0::2].count(0) / max(1, len(data[0::2]))
        odd_zero = data[1::2].count(0) / max(1, len(data[1::2]))
        for ratio, encoding in ((odd_zero, "utf-16-le"), (even_zero, "utf-16-be")):
            if ratio > 0.4:
                try:
                    return data.decode(encoding), encoding
                except UnicodeDecodeError:
                    return None, None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if data.count(b"\x00") > len(data) // 100:
        return None, None
    if declared:
        try:
            name = codecs.lookup(declared).name
            if name not in ("utf-8", "utf-16", "utf-32"):
                return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    if _reads_as_other_script(text):
        # Cyrillic, Greek, ... in a legacy code page decodes as Latin-1 letter soup: ask a detector.
        guess = charset_normalizer.from_bytes(data[:_SNIFF_BYTES]).best()
        if guess is not None and guess.encoding not in ("utf_8", "cp1252", "latin_1"):
            try:
                return data.decode(guess.encoding), guess.encoding
            except (LookupError, UnicodeDecodeError):
                pass
    return text, encoding


def _reads_as_other_script(text: str) -> bool:
    """Latin-script text has few non-ASCII letters; a code page of another script has many."""
    sample = text[:_SNIFF_CHARS]
    letters = sum(c.isalpha() for c in sample)
    high = sum(c.isalpha() and ord(c) > 127 for c in sample)
    return letters > 0 and high / letters > _MAX_LATIN_HIGH_LETTER_SHARE


def control_ratio(text: str) -> float:
    """Share of characters that no article contains: controls and U+FFFD replacement marks."""
    if not text:
        return 0.0
    # Line ends and terminal escapes are removed by normalise_text and say nothing about binary.
    text = _ANSI_ESCAPE.sub("", text.replace("\r", "\n"))
    if not text:
        return 0.0
    bad = len(_CONTROL.findall(text)) + text.count("\ufffd")
    return bad / len(text)


def normalise_text(text: str) -> str:
    """One form for every input: NFC, ``\\n`` line ends, no control characters or escapes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI_ESCAPE.sub("", text)
    text = _CONTROL.sub("", text)
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\ufeff", "")
    return unicodedata.normalize("NFC", text)


def tidy_lines(text: str) -> str:
    """Collapse runs of spaces, strip every line and drop blank ones: one paragraph per line."""
    lines = (_WHITESPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def longest_unpunctuated_run(text: str) -> int:
    """Characters in the longest stretch without a line break or sentence-final punctuation."""
    return max((len(part) for part in _SENTENCE_BREAK.split(text)), default=0)


def check_text(text: str, params: IngestParams) -> str:
    """Normalised text of one record, or ``RecordProblem`` saying why it is not an article."""
    ratio = control_ratio(text)
    if ratio > params.max_control_ratio:
        raise RecordProblem("ingest_not_text", f"{ratio:.1%} control characters")
    text = normalise_text(text)
    if len("".join(text.split())) < params.min_chars:
        raise RecordProblem("ingest_empty", "no text after removing whitespace")
    if len(text) > params.max_record_chars:
        raise RecordProblem(
            "ingest_too_large", f"{len(text)} characters > max_record_chars={params.max_record_chars}"
        )
    run = longest_unpunctuated_run(text)
    if run > params.max_unpunctuated_chars:
        raise RecordProblem(
            "ingest_no_sentences",
            f"{run} characters without a sentence end or line break "
            f"> max_unpunctuated_chars={params.max_unpunctuated_chars}",
        )
    return text


def _decode_file(data: bytes, params: IngestParams, declared: str | None = None) -> tuple[str, str]:
    """The whole file as normalised text (for the parsers), or ``RecordProblem``."""
    text, encoding = decode_bytes(data, declared)
    if text is None:
        raise RecordProblem("ingest_not_text", "bytes are not text in any supported encoding")
    ratio = control_ratio(text)
    if ratio > params.max_control_ratio:
        raise RecordProblem("ingest_not_text", f"{ratio:.1%} control characters")
    text = normalise_text(text)
    if not text.strip():
        raise RecordProblem("ingest_empty", "no text after removing whitespace")
    return text, encoding


# --------------------------------------------------------------------------------- metadata


def parse_published(value: Any) -> date | None:
    """A publication date from what a record states: ISO 8601, RFC 822 (feeds), a written date,
    a YAML date, or a Unix timestamp. The calendar date as written, not converted to UTC."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()[:200]
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    parsed = email.utils.parsedate_tz(text)
    if parsed and parsed[0] > 0:
        try:
            return date(parsed[0], parsed[1], parsed[2])
        except ValueError:
            pass
    return parse_date(text)


def _as_text(value: Any) -> str | None:
    """A metadata value as one string: lists are joined with '; ', objects give their name."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value"):
            if key in value:
                return _as_text(value[key])
        return None
    if isinstance(value, (list, tuple)):
        parts = [p for p in (_as_text(v) for v in value[:50] if not isinstance(v, (list, tuple))) if p]
        return "; ".join(parts) or None
    text = tidy_lines(normalise_text(str(value))).replace("\n", " ")
    return text or None


def _lookup(record: dict, name: str) -> Any:
    """``record[name]``, case-insensitively; a dotted name reads inside nested objects."""
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        if part in value:
            value = value[part]
            continue
        lowered = {str(k).lower(): v for k, v in value.items()}
        value = lowered.get(part.lower())
    return value


def _first(record: dict, names: tuple[str, ...]) -> Any:
    for name in names:
        value = _lookup(record, name)
        if value not in (None, "", [], {}):
            return value
    return None


def _record_metadata(record: dict, params: IngestParams) -> dict:
    return {
        "title": _as_text(_first(record, params.title_fields)),
        "published": parse_published(_first(record, params.published_fields)),
        "author": _as_text(_first(record, params.author_fields)),
        "outlet": _as_text(_first(record, params.outlet_fields)),
        "url": _as_text(_first(record, params.url_fields)),
        "language_hint": _as_text(_first(record, params.language_fields)),
    }


# ------------------------------------------------------------------------------ HTML and markup


def html_fragment_to_text(fragment: str) -> str:
    """Text of a piece of HTML (a feed item's content, a body field): one block per line.

    This is tag stripping for content that is already the article, not boilerplate removal; whole
    pages go through trafilatura (``extract_html``).
    """
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return tidy_lines(fragment)
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n" + (element.text or "")
    return tidy_lines(root.text_content())


def _maybe_html(text: str) -> str:
    return html_fragment_to_text(text) if _LOOKS_LIKE_HTML.search(text) else text


def _unwrap_layout_tables(tree: Any) -> None:
    """Turn tables used for page layout (cells holding paragraphs, headings or other tables) into
    plain blocks, so that trafilatura weighs their cells as page regions instead of keeping or
    dropping the whole grid as one data table. Tables of data are left alone."""
    for table in list(tree.iter("table")):
        if next(table.iterdescendants(*_LAYOUT_MARKERS), None) is None:
            continue
        for element in [table, *table.iterdescendants("tbody", "thead", "tfoot", "tr", "td", "th")]:
            element.tag = "div"
            for attribute in ("width", "valign", "align", "colspan", "rowspan"):
                element.attrib.pop(attribute, None)


def extract_html(text: str, params: IngestParams) -> tuple[str, dict]:
    """Main text (one paragraph per line) and metadata of an HTML page, with trafilatura.

    Comments are left out. Nothing is fetched: trafilatura only reads the string it is given.
    """
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise RecordProblem("ingest_no_main_text", f"HTML does not parse: {exc}") from exc
    _unwrap_layout_tables(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            favor_precision=params.html_focus == "precision",
            favor_recall=params.html_focus == "recall",
        )
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:
        raise RecordProblem("ingest_no_main_text", f"trafilatura failed: {exc}") from exc
    if doc is None or not (doc.text or "").strip():
        raise RecordProblem("ingest_no_main_text", "trafilatura found no article text in the page")
    lang = _HTML_LANG.search(text[:_HEAD_CHARS])
    meta = {
        "title": _as_text(doc.title),
        "published": parse_published(doc.date),
        "author": _as_text(doc.author),
        "outlet": _as_text(doc.sitename),
        "url": _as_text(doc.url),
        "language_hint": lang.group(1).lower() if lang else None,
    }
    return tidy_lines(doc.text), meta


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_MD_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_REF_LINK = re.compile(r"\[([^\]\n]{0,500})\]\[[^\]\n]{0,200}\]")
_MD_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]\n]{1,200}\]:\s+\S")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(\S(?:[^\n]{0,2000}?\S)?)\1")
_MD_STAR = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]{1,2000}?)(?<!\s)\*(?![\w*])")
_MD_CODE = re.compile(r"`([^`\n]{1,2000})`")
_MD_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter (between ``---`` fences at the very top) and the body after it."""
    if not text.startswith("---"):
        return {}, text
    first_newline = text.find("\n")
    if first_newline < 0 or text[:first_newline].strip() != "---":
        return {}, text
    end = _FRONT_MATTER_END.search(text, first_newline + 1)
    if end is None:
        raise RecordProblem("ingest_bad_front_matter", "front matter opened with --- is never closed")
    try:
        meta = yaml.safe_load(text[first_newline + 1 : end.start()])
    except yaml.YAMLError as exc:
        raise RecordProblem("ingest_bad_front_matter", f"YAML: {exc}".replace("\n", " ")[:500]) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RecordProblem("ingest_bad_front_matter", f"front matter is a {type(meta).__name__}, not a mapping")
    return meta, text[end.end() :]


def markdown_to_text(markdown: str) -> str:
    """Plain text of Markdown, one paragraph, heading or list item per line (hard-wrapped
    paragraphs are joined). Markup is dropped, link and image texts are kept."""
    blocks: list[str] = []
    paragraph: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()

    for line in markdown.split("\n"):
        if _MD_FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            blocks.append(line)
            continue
        line = _MD_QUOTE.sub("", line)
        if not line.strip():
            flush()
            continue
        if _MD_SETEXT.match(line) and paragraph:
            flush()  # the paragraph above was a heading underlined with === or ---
            continue
        if _MD_RULE.match(line) or _MD_LINK_DEF.match(line):
            flush()
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            blocks.append(heading.group(1))
            continue
        if _MD_LIST.match(line):
            flush()
            paragraph.append(_MD_LIST.sub("", line).strip())
            continue
        paragraph.append(line.strip())
    flush()
    text = "\n".join(blocks)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REF_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_STAR.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_TAG.sub("", text)
    return tidy_lines(text)


# ------------------------------------------------------------------------------------- records


def _row(
    source_path: str,
    sha: str,
    n_bytes: int,
    fmt: str,
    record_index: int | None = None,
    encoding: str | None = None,
) -> dict:
    return {
        "doc_id": make_doc_id(source_path, sha, record_index),
        "source_path": source_path if record_index is None else f"{source_path}#{record_index}",
        "sha256": sha,
        "n_bytes": n_bytes,
        "format": fmt,
        "status": "ok",
        "reject_reason": None,
        "raw_text": None,
        "encoding": encoding,
        "record_index": record_index,
        "reject_detail": None,
        **{name: None for name in _METADATA},
    }


def _reject(row: dict, reason: str, detail: str) -> dict:
    return {**row, "status": "rejected", "reject_reason": reason, "reject_detail": detail, "raw_text": None}


def _accept(row: dict, text: str, meta: dict, params: IngestParams) -> dict:
    """The row with its checked text and metadata, or rejected with the first failed check."""
    try:
        checked = check_text(text, params)
    except RecordProblem as problem:
        return _reject({**row, **meta}, problem.reason, problem.detail)
    return {**row, **meta, "raw_text": checked}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ingest_record(source_path: str, data: bytes, fmt: str, params: IngestParams) -> dict:
    """One single-record file's bytes (``txt``, ``html``, ``md``) to a ``documents`` row."""
    row = _row(source_path, _sha(data), len(data), fmt)
    if fmt == "html" and len(data) > params.max_html_bytes:
        return _reject(
            row, "ingest_too_large", f"{len(data)} bytes of HTML > max_html_bytes={params.max_html_bytes}"
        )
    declared = None
    if fmt == "html":
        found = _HTML_CHARSET.search(data[:_HEAD_CHARS])
        declared = found.group(1).decode("ascii") if found else None
    try:
        text, encoding = _decode_file(data, params, declared)
        row["encoding"] = encoding
        if fmt == "html":
            text, meta = extract_html(text, params)
        elif fmt == "md":
            front, body = split_front_matter(text)
            meta = _record_metadata(front, params)
            text = markdown_to_text(body)
        else:
            meta = {}
    except RecordProblem as problem:
        return _reject(row, problem.reason, problem.detail)
    return _accept(row, text, meta, params)


def ingest_bytes(source_path: str, data: bytes, fmt: str, params: IngestParams) -> Iterator[dict]:
    """Every ``documents`` row of one file's bytes: one for a single-record format, one per record
    otherwise (one rejected row when the file cannot be parsed at all)."""
    if fmt in _SINGLE_RECORD_FORMATS:
        yield ingest_record(source_path, data, fmt, params)
        return
    readers = {"json": _read_json, "jsonl": _read_jsonl, "csv": _read_csv, "rss": _read_feed, "atom": _read_feed}
    reader = readers.get(fmt)
    file_row = _row(source_path, _sha(data), len(data), fmt)
    if reader is None:
        yield _reject(file_row, "ingest_unsupported_format", f"no reader for format {fmt!r}")
        return
    declared = None
    if fmt in ("rss", "atom"):
        found = _XML_ENCODING.search(data[:_HEAD_CHARS])
        declared = found.group(1).decode("ascii") if found else None
    try:
        text, encoding = _decode_file(data, params, declared)
    except RecordProblem as problem:
        yield _reject(file_row, problem.reason, problem.detail)
        return
    file_row["encoding"] = encoding
    yield from reader(source_path, text, file_row, params)


def _canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def _object_record(source_path: str, obj: Any, index: int | None, base: dict, params: IngestParams) -> dict:
    """A JSON object (from .json or .jsonl) or a CSV row as a row."""
    if index is None:  # the file is the record: keep the file's own hash and size
        row = dict(base)
    else:
        raw = _canonical_json(obj)
        row = _row(source_path, _sha(raw), len(raw), base["format"], index, base["encoding"])
    if not isinstance(obj, dict):
        return _reject(row, "ingest_bad_json", f"record is a {type(obj).__name__}, not an object")
    meta = _record_metadata(obj, params)
    value = _first(obj, params.text_fields)
    if value is None and any(_lookup(obj, name) is not None for name in params.text_fields):
        return _reject({**row, **meta}, "ingest_empty", "the text field is empty")
    if value is None:
        return _reject(
            {**row, **meta},
            "ingest_no_text_field",
            f"none of the text fields {list(params.text_fields)} holds text",
        )
    text = value if isinstance(value, str) else (_as_text(value) or "")
    return _accept(row, _maybe_html(text), meta, params)


def _read_json(source_path: str, text: str, file_row: dict, params: IngestParams) -> Iterator[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield _reject(file_row, "ingest_bad_json", f"line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    except RecursionError:
        yield _reject(file_row, "ingest_bad_json", "nested too deeply to parse")
        return
    if isinstance(data, dict):
        listed = next(
            (data[k] for k in params.json_list_keys if isinstance(data.get(k), list)), None
        )
        if listed is None:
            yield _object_record(source_path, data, None, file_row, params)
            return
        data = listed
    if not isinstance(data, list):
        yield _reject(file_row, "ingest_bad_json", f"top level is a {type(data).__name__}, not an object or a list")
        return
    if not data:
        yield _reject(file_row, "ingest_empty", "the JSON list holds no records")
        return
    for index, obj in enumerate(data):
        yield _object_record(source_path, obj, index, file_row, params)


def _read_jsonl(source_path: str, text: str, file_row: dict, params: IngestParams) -> Iterator[dict]:
    index = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue  # blank lines separate nothing and hold no record
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raw = line.encode("utf-8")
            row = _row(source_path, _sha(raw), len(raw), "jsonl", index, file_row["encoding"])
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            column = f" column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            yield _reject(row, "ingest_bad_json", f"line {lineno}{column}: {message}")
        else:
            yield _object_record(source_path, obj, index, file_row, params)
        index += 1


def _read_csv(source_path: str, text: str, file_row: dict, params: IngestParams) -> Iterator[dict]:
    header_line = text.split("\n", 1)[0]
    delimiter = max(params.csv_delimiters, key=header_line.count)
    # The file is at most max_bytes, so no field can be longer; the module-wide limit only grows.
    csv.field_size_limit(max(csv.field_size_limit(), params.max_bytes))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield _reject(file_row, "ingest_empty", "no header row")
        return
    except csv.Error as exc:
        yield _reject(file_row, "ingest_bad_csv", f"header: {exc}")
        return
    header = [h.strip() for h in header]
    if not any(_first({h: "x"}, params.text_fields) for h in header):
        yield _reject(
            file_row,
            "ingest_no_text_field",
            f"no column named like {list(params.text_fields)} in header {header[:20]}",
        )
        return
    index = 0
    while True:
        line_before = reader.line_num
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raw = f"{source_path}:{line_before}".encode("utf-8")
            row = _row(source_path, _sha(raw), 0, "csv", index, file_row["encoding"])
            yield _reject(row, "ingest_bad_csv", f"line {line_before + 1}: {exc}")
            index += 1
            if reader.line_num == line_before:
                break  # the reader cannot move on: the rest of the file is one bad record
            continue
        if not any(f.strip() for f in fields):
            continue  # a blank line is not a record
        if len(fields) != len(header):
            raw = _canonical_json(fields)
            row = _row(source_path, _sha(raw), len(raw), "csv", index, file_row["encoding"])
            yield _reject(
                row,
                "ingest_bad_csv",
                f"line {reader.line_num}: {len(fields)} fields, the header has {len(header)}",
            )
        else:
            yield _object_record(source_path, dict(zip(header, fields)), index, file_row, params)
        index += 1
    if index == 0:
        yield _reject(file_row, "ingest_empty", "the CSV file has a header but no rows")


def _local(element: Any) -> str:
    return lxml.etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: Any, name: str, namespace: str | None = None) -> list:
    """Child elements by local name (any namespace unless one is given)."""
    return [
        c
        for c in element
        if isinstance(c.tag, str)
        and _local(c) == name
        and (namespace is None or lxml.etree.QName(c).namespace == namespace)
    ]


def _child_text(element: Any, name: str, namespace: str | None = None) -> str | None:
    for child in _children(element, name, namespace):
        text = "".join(child.itertext()).strip()
        if text:
            return text
    return None


def _atom_content(element: Any) -> str | None:
    """Text of an Atom ``content``/``summary``: xhtml is inline markup, html is escaped markup."""
    kind = (element.get("type") or "text").lower()
    if kind == "xhtml":
        inner = "".join(lxml.etree.tostring(c, encoding="unicode") for c in element)
        inner = re.sub(r"\sxmlns(?::\w+)?=\"[^\"]{0,300}\"", "", inner)
        return html_fragment_to_text((element.text or "") + inner)
    text = "".join(element.itertext())
    return html_fragment_to_text(text) if kind in ("html", "text/html") else text


def _read_feed(source_path: str, text: str, file_row: dict, params: IngestParams) -> Iterator[dict]:
    looks_atom = "<feed" in text[:_HEAD_CHARS]
    file_row = {**file_row, "format": "atom" if looks_atom else "rss"}
    parser = lxml.etree.XMLParser(**_XML_PARSER_OPTIONS)
    try:
        root = lxml.etree.fromstring(_XML_DECLARATION.sub("", text, count=1).encode("utf-8"), parser)
    except lxml.etree.XMLSyntaxError as exc:
        yield _reject(file_row, "ingest_bad_feed", f"XML: {exc}")
        return
    if root is None:
        yield _reject(file_row, "ingest_bad_feed", "no root element")
        return
    kind = _local(root)
    if kind == "feed":
        fmt, items, outlet = "atom", _children(root, "entry"), _child_text(root, "title")
        language = root.get("{http://www.w3.org/XML/1998/namespace}lang")
    elif kind == "rss":
        channel = (_children(root, "channel") or [root])[0]
        fmt, items, outlet = "rss", _children(channel, "item"), _child_text(channel, "title")
        language = _child_text(channel, "language")
    elif kind == "RDF":  # RSS 1.0: items are siblings of the channel
        channel = (_children(root, "channel") or [root])[0]
        fmt, items, outlet = "rss", _children(root, "item"), _child_text(channel, "title")
        language = _child_text(channel, "language", _DC)
    else:
        yield _reject(file_row, "ingest_bad_feed", f"root element <{kind}> is neither <rss> nor an Atom <feed>")
        return
    file_row = {**file_row, "format": fmt}
    if not items:
        yield _reject(file_row, "ingest_empty", f"the {fmt} feed has no items")
        return
    for index, item in enumerate(items):
        raw = lxml.etree.tostring(item)
        row = _row(source_path, _sha(raw), len(raw), fmt, index, file_row["encoding"])
        try:
            body, meta = (_atom_entry if fmt == "atom" else _rss_item)(item)
        except (ValueError, lxml.etree.LxmlError) as exc:
            yield _reject(row, "ingest_bad_feed", f"item {index}: {exc}")
            continue
        meta = {**meta, "outlet": _as_text(outlet), "language_hint": _as_text(language)}
        if body is None:
            yield _reject({**row, **meta}, "ingest_no_text_field", "item has no content, description or summary")
            continue
        yield _accept(row, body, meta, params)


def _rss_item(item: Any) -> tuple[str | None, dict]:
    content = _child_text(item, "encoded", _CONTENT_NS) or _child_text(item, "description")
    meta = {
        "title": _as_text(_child_text(item, "title")),
        "published": parse_published(_child_text(item, "pubDate") or _child_text(item, "date", _DC)),
        "author": _as_text(_child_text(item, "creator", _DC) or _child_text(item, "author")),
        "url": _as_text(_child_text(item, "link")),
    }
    return (html_fragment_to_text(content) if content else None), meta


def _atom_entry(entry: Any) -> tuple[str | None, dict]:
    body = None
    for name in ("content", "summary"):
        for element in _children(entry, name):
            body = _atom_content(element)
            if body and body.strip():
                break
        if body and body.strip():
            break
    link = None
    for element in _children(entry, "link"):
        if element.get("rel", "alternate") == "alternate" and element.get("href"):
            link = element.get("href")
            break
    authors = [_child_text(a, "name") for a in _children(entry, "author")]
    meta = {
        "title": _as_text(_child_text(entry, "title")),
        "published": parse_published(_child_text(entry, "published") or _child_text(entry, "updated")),
        "author": _as_text([a for a in authors if a]),
        "url": _as_text(link),
    }
    return body or None, meta


# ------------------------------------------------------------------------------------ the files


def ingest_files(files: Iterable[InputFile], params: IngestParams) -> Iterator[dict]:
    """Rows for every input file, streamed: one per single-record file, one per record of the
    others. Unreadable, oversize or unsupported files become rejections."""
    for item in files:
        fmt = format_of(item.path)
        if item.problem:
            yield _problem_row(item, fmt, item.problem)
            continue
        try:
            with open(item.path, "rb") as handle:
                data = handle.read(params.max_bytes + 1)  # the file may have grown since stat
        except OSError as exc:
            yield _problem_row(item, fmt, "ingest_unreadable", str(exc))
            continue
        if len(data) > params.max_bytes:
            yield _problem_row(item, fmt, "ingest_too_large", f"more than max_bytes={params.max_bytes} bytes")
            continue
        yield from ingest_bytes(item.source_path, data, fmt, params)


def _problem_row(item: InputFile, fmt: str, reason: str, detail: str | None = None) -> dict:
    row = _row(item.source_path, _sha(b""), item.n_bytes, fmt or "unknown")
    row["doc_id"] = make_doc_id(item.source_path, f"{reason}:{item.n_bytes}")
    return _reject(row, reason, detail or reason.removeprefix("ingest_").replace("_", " "))


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402  (wiring below the pure code)
from prefect.cache_policies import NO_CACHE  # noqa: E402

from collections import Counter  # noqa: E402

from tasks.schemas import DOCUMENTS  # noqa: E402
from tasks.step import StepOutput, StepReport, count_reasons, run_step  # noqa: E402
from tasks.store import RunStore, local_input  # noqa: E402


@task(name="ingest", task_run_name="ingest-{store.run_id}", cache_policy=NO_CACHE)
def ingest(store: RunStore, input_dir: str, params: IngestParams, inputs: dict[str, str]) -> StepReport:
    """Read every file under ``input_dir`` into ``documents``.

    ``inputs`` maps each input file to its SHA-256 (or the problem found without reading it): the
    step is reused from an earlier run when none of them changed.
    """
    logger = get_run_logger()

    def compute(report: StepReport) -> StepReport:
        reasons: Counter = Counter()
        n_records = 0
        # the documents of every batch are written as they are read: memory holds one batch of
        # texts; the writer sorts the ids (hashes) with an external merge
        with local_input(input_dir) as folder:  # a remote input is fetched where this task runs
            files = list_inputs(folder, params)
            output = StepOutput(store, report, ["documents"])
            try:
                batch: list[dict] = []
                for row in ingest_files(files, params):
                    batch.append(row)
                    n_records += 1
                    reasons[row["reject_reason"]] += 1
                    if len(batch) == DOCUMENTS.chunk_rows:
                        output.write("documents", batch)
                        batch = []
                output.write("documents", batch)
            except BaseException:
                output.abort()
                raise
        report.rows_in = len(files)
        report.rows_out = reasons.pop(None, 0)
        report.rejects = count_reasons(reasons.elements())
        report.details["records"] = n_records
        output.parameters["documents"] = {"n_inputs": n_records}
        return output.publish()

    report = run_step(store, "ingest", params, inputs, compute)
    logger.info("ingest: %d files, %d accepted, rejects %s%s", report.rows_in, report.rows_out,
                report.rejects, " (reused)" if report.cached else "")
    return report
