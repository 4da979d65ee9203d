"""Ingest: every input record becomes one ``documents`` row, accepted (``ok``) or ``rejected`` with a
reason code. Nothing is skipped silently.

A file holds one record (``.txt``, ``.html``/``.htm``, ``.md``, a ``.json`` object) or many
(``.jsonl``, a ``.json`` list, ``.csv``, an RSS or Atom feed). A record of a many-record file has its
own ``doc_id``, a ``source_path`` of ``<file>#<index>`` and its ``record_index`` (0-based, in file
order; for JSONL the index counts non-blank lines). A many-record file that cannot be parsed at all is
one rejected row with the file's own path. So: rows = single-record files + records of the others.

Every record goes through the same checks, in this order, each with its ``ingest_<reason>`` code:
``not_text`` (a binary format by its magic bytes, or mostly control characters), ``empty``
(nothing visible: whitespace, zero-width and format characters do not count), ``too_large`` (file
bytes or record characters), ``no_sentences`` (a long run with no line break or sentence punctuation: token soup).
Parsing failures have their own codes: ``bad_json`` (the line number is in ``reject_detail``),
``bad_csv``, ``bad_feed``, ``bad_front_matter``, ``no_text_field``, ``no_main_text`` (HTML with no
article text). ``list_inputs`` adds ``outside_input``, ``unsupported_format``, ``not_a_file`` (a
FIFO, socket, device or linked folder: never opened), ``unreadable`` (a dangling or looping link, a
file that cannot be opened, a folder that cannot be listed) and ``too_large`` from ``stat`` and an
open alone, before anything is read.
"""

from __future__ import annotations

import codecs
import csv
import email.utils
import errno
import hashlib
import html
import io
import json
import math
import os
import re
import stat
import tomllib
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
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# A numeric character reference in markup (&#27; &#x1b;), bounded so a long digit run stays cheap.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
# Invisible format characters that carry nothing a reader sees and split words for the tokenizer:
# soft hyphen, zero-width space, word joiners, left-to-right/right-to-left marks, bidirectional
# embeddings, overrides and isolates (which can also make text display in another order than it is
# stored), byte order marks, interlinear annotation marks. Zero-width (non-)joiners stay: Persian and
# Indic scripts and emoji need them.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
_LINE_BREAKS = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What is not a visible character: whitespace, the invisible characters above and the joiners.
_NOT_VISIBLE = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+")
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
# A whole HTML document (not text that mentions a tag): a doctype or <html> first, maybe after a
# UTF-8 byte order mark, white space and comments.
# Atomic groups: a comment ends at its first "-->", so a run of comments matches one way only
# (a lazy ".*?-->" could also stretch over the next comment: exponential backtracking).
_LOOKS_LIKE_PAGE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?>(?><!--(?:(?!-->).){0,2000}-->)\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
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
    detail: str | None = None  # what exactly the problem is, for reject_detail


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


def source_name(relative: str) -> str:
    """A file's relative path as text that can be stored anywhere (Parquet, JSON, logs): bytes of
    a name that are not UTF-8 (which Python keeps as lone surrogates) are written as ``\\xNN``."""
    try:
        relative.encode("utf-8")
        return relative
    except UnicodeEncodeError:
        return os.fsencode(relative).decode("utf-8", "backslashreplace")


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder reached through a symbolic link"
    for test, kind in (
        (stat.S_ISFIFO, "named pipe (FIFO)"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return kind
    return "special file"


def _unresolvable(path: Path, exc: BaseException) -> str:
    """Why a listed entry has nothing behind it: a dangling or looping symbolic link, mostly."""
    if path.is_symlink():
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
            return "a symbolic link that loops back on itself"
        if isinstance(exc, FileNotFoundError):
            return "a symbolic link to a file that does not exist"
    return f"cannot be read: {getattr(exc, 'strerror', None) or exc}"


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

    def unlisted(error: OSError) -> None:
        # A folder that cannot be listed (no read or search permission) is one row: what it holds
        # is unknown, but it is not left out silently.
        path = Path(error.filename)
        if path == root:
            raise PermissionError(f"input folder {root} cannot be listed: {error.strerror or error}") from error
        rel = source_name(path.relative_to(root).as_posix())
        detail = f"a folder that cannot be listed: {error.strerror or error}"
        found.append(InputFile(rel, path, 0, "ingest_unreadable", detail))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        linked_dirs = [d for d in dirnames if (here / d).is_symlink()]
        dirnames[:] = [d for d in dirnames if d not in linked_dirs]
        for name in sorted(filenames + linked_dirs):
            path = here / name
            rel = source_name(path.relative_to(root).as_posix())
            try:
                target = path.resolve(strict=True)
                info = target.stat()
            except (OSError, RuntimeError) as exc:
                found.append(InputFile(rel, path, 0, "ingest_unreadable", _unresolvable(path, exc)))
                continue
            size = info.st_size if stat.S_ISREG(info.st_mode) else 0
            problem, detail = None, None
            if path.is_symlink() and not target.is_relative_to(resolved_root):
                problem, detail = "ingest_outside_input", "a symbolic link leading outside the input folder"
            elif not stat.S_ISREG(info.st_mode):
                problem, detail = "ingest_not_a_file", f"a {_file_kind(info.st_mode)}, not a regular file"
            elif path.suffix.lower() not in params.extensions:
                problem = "ingest_unsupported_format"
                detail = f"extension {path.suffix.lower() or '(none)'!r} is not read (IngestParams.extensions)"
            elif size > params.max_bytes:
                problem, detail = "ingest_too_large", f"{size} bytes > max_bytes={params.max_bytes}"
            else:
                # Permission bits are checked by opening (access() says yes to root for anything);
                # non-blocking, though a regular file never blocks.
                try:
                    os.close(os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
                except OSError as exc:
                    problem, detail = "ingest_unreadable", f"cannot be opened: {exc.strerror or exc}"
            found.append(InputFile(rel, path, size, problem, detail))
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
    if len(data) >= 8 and len(data) % 4 == 0 and not any(data[3::4]) and data[2::4].count(0) * 10 >= len(data) // 4 * 9:
        # UTF-32-LE without a BOM: the top byte of every code point is zero, the next one nearly so.
        try:
            return data.decode("utf-32-le"), "utf-32-le"
        except UnicodeDecodeError:
            pass
    if len(data) >= 8 and len(data) % 4 == 0 and not any(data[0::4]) and data[1::4].count(0) * 10 >= len(data) // 4 * 9:
        try:
            return data.decode("utf-32-be"), "utf-32-be"
        except UnicodeDecodeError:
            pass
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
    if _mostly_utf8(data):
        # UTF-8 with a few stray legacy bytes (a Latin-1 paragraph pasted into a UTF-8 file): the
        # UTF-8 stays UTF-8 and only the stray bytes are read as Windows-1252.
        return data.decode("utf-8", errors=_CP1252_FALLBACK), "utf-8+cp1252"
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


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler: the bytes that are not UTF-8 read as Windows-1252 (Latin-1 for the
    five bytes Windows-1252 leaves undefined), one byte at a time."""
    bad = error.object[error.start : error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


_CP1252_FALLBACK = "dossier.cp1252_fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)
# A well-formed UTF-8 sequence of two to four bytes (no overlongs, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII_BYTES = bytes(range(128))


def _mostly_utf8(data: bytes) -> bool:
    """Whether bytes that fail strict UTF-8 are UTF-8 with a few stray bytes: more well-formed
    multi-byte sequences than bytes outside them. Text in a legacy code page almost never forms a
    UTF-8 sequence (a letter from 0xC0-0xFF followed by a symbol from 0x80-0xBF)."""
    sequences = _UTF8_MULTIBYTE.findall(data)
    in_sequences = sum(len(s) for s in sequences)
    stray = len(data.translate(None, _ASCII_BYTES)) - in_sequences
    return len(sequences) > stray


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
    # Page breaks (pdftotext puts a form feed between pages), vertical tabs and the Unicode line
    # breaks end a line; removed as controls they would glue two paragraphs together.
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    # A lone surrogate (from a JSON "\\ud800" escape) is no character and cannot be stored as UTF-8.
    text = _SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


def visible_chars(text: str) -> int:
    """How many characters a reader would see: not whitespace, not zero-width or format marks."""
    return len(_NOT_VISIBLE.sub("", text))


def _char_ref(match: re.Match) -> str:
    hex_digits, digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(digits)
    allowed = (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )
    return match.group(0) if allowed else ""


def drop_invalid_char_refs(markup: str) -> str:
    """Markup without character references to what XML cannot hold (&#x1b;, &#0;, &#xFFFE;, a
    surrogate): an XML parser rejects the whole feed for one, and one in an HTML page makes
    trafilatura drop the page's text."""
    return _CHAR_REF.sub(_char_ref, markup) if "&#" in markup else markup


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
    if visible_chars(text) < params.min_chars:
        raise RecordProblem("ingest_empty", "no text after removing whitespace and invisible characters")
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


# Files that are not text whatever their extension says, by the magic bytes they start with. A
# compressed or packed file can decode as plausible Windows-1252 and slip under max_control_ratio.
_BINARY_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (docx, xlsx, odt, epub, jar ...)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"\x04\x22\x4d\x18", "LZ4-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (doc, xls, ppt, msg)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM media file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O binary"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"ARROW1\x00\x00", "an Arrow file"),
)


def binary_kind(data: bytes) -> str | None:
    """What a file is when its first bytes are the signature of a binary format, else None."""
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            if signature == b"BZh" and data[4:10] != b"1AY&SY":
                continue  # bzip2 is BZh, a block size digit and a block magic; text may start "BZh"
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WAVE", b"AVI ", b"WEBP"):
        return "a RIFF media file (WAV, AVI, WebP)"
    if data[:4] == b"PAR1" and data[-4:] == b"PAR1":
        return "a Parquet file"
    if data[4:8] == b"ftyp":
        return "an MP4/QuickTime/HEIF media file"
    if data[:3] == b"ID3" and data[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "an MP3 audio file"
    if data[257:262] == b"ustar":
        return "a tar archive"
    return None


def _decode_file(data: bytes, params: IngestParams, declared: str | None = None) -> tuple[str, str]:
    """The whole file as normalised text (for the parsers), or ``RecordProblem``."""
    kind = binary_kind(data)
    if kind:
        raise RecordProblem("ingest_not_text", f"the bytes are {kind}, not text")
    text, encoding = decode_bytes(data, declared)
    if text is None:
        raise RecordProblem("ingest_not_text", "bytes are not text in any supported encoding")
    ratio = control_ratio(text)
    if ratio > params.max_control_ratio:
        raise RecordProblem("ingest_not_text", f"{ratio:.1%} control characters")
    text = normalise_text(text)
    if not visible_chars(text):
        raise RecordProblem("ingest_empty", "no text after removing whitespace and invisible characters")
    return text, encoding


# --------------------------------------------------------------------------------- metadata


_DATE_KEYS = ("$date", "$numberLong", "date", "value", "iso", "datetime", "timestamp")
# How deep metadata and text values are followed into nested objects and lists: far enough for any
# export, and never near the interpreter's recursion limit.
_MAX_VALUE_DEPTH = 10


def parse_published(value: Any) -> date | None:
    """A publication date from what a record states: ISO 8601, RFC 822 (feeds), a written date,
    a YAML date, or a Unix timestamp. The calendar date as written, not converted to UTC."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, dict):  # {"$date": "..."}, {"$date": {"$numberLong": "..."}} (MongoDB)
        for _ in range(2):
            value = next((value[k] for k in _DATE_KEYS if k in value), None)
            if not isinstance(value, dict):
                return parse_published(value)
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip()[:20])  # a compact date or a Unix timestamp written as a string
    if isinstance(value, int) and 19000101 <= value <= 21001231:
        # YYYYMMDD: as a Unix timestamp it would be a day in 1970-1971, no news article's date
        try:
            return date(value // 10000, value // 100 % 100, value % 100)
        except ValueError:
            return None
    if isinstance(value, (int, float)):
        if not value > 0:
            return None  # 0 (or less, or NaN) stands for "no date" in exports
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


def _as_text(value: Any, depth: int = 0) -> str | None:
    """A metadata value as one string: lists are joined with '; ', objects give their name."""
    if value is None or isinstance(value, bool) or depth > _MAX_VALUE_DEPTH:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN or Infinity in a JSON export says there is no value
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value", "rendered", "#text"):
            if key in value:
                return _as_text(value[key], depth + 1)
        return None
    if isinstance(value, (list, tuple)):
        parts = (_as_text(v, depth + 1) for v in value[:50] if not isinstance(v, (list, tuple)))
        return "; ".join(p for p in parts if p) or None
    text = str(value)
    if "&" in text:
        text = html.unescape(text)  # "Trump &amp; Kim" in a JSON export or a feed title
    text = tidy_lines(normalise_text(text)).replace("\n", " ")
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
        wanted = part.lower()
        for key, inner in value.items():
            if str(key).lower() == wanted:
                value = inner
                break
        else:
            return None
    return value


def _first(record: dict, names: tuple[str, ...]) -> Any:
    lowered: dict | None = None  # lower-case key -> key, built once per call when needed
    for name in names:
        if "." in name:
            value = _lookup(record, name)
        elif name in record:
            value = record[name]
        else:
            if lowered is None:
                lowered = {}
                for key in record:
                    lowered.setdefault(str(key).lower(), key)
            key = lowered.get(name.lower(), _MISSING)
            value = None if key is _MISSING else record[key]
        if value not in (None, "", [], {}):
            return value
    return None


_MISSING = object()


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
    if _LOOKS_LIKE_HTML.search(text):
        return html_fragment_to_text(text)
    if "&lt;" in text:  # markup escaped once more ("&lt;p&gt;"), as some exports store it
        unescaped = html.unescape(text)
        if _LOOKS_LIKE_HTML.search(unescaped):
            return html_fragment_to_text(unescaped)
    return text


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


# libxml2 keeps at most this many levels of nested elements; deeper content is lost.
_HTML_MAX_DEPTH = 255


def _depth_reaches(tree: Any, limit: int) -> bool:
    """Whether any element of the tree is ``limit`` levels deep."""
    stack = [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in element)
    return False


def extract_html(text: str, params: IngestParams) -> tuple[str, dict]:
    """Main text (one paragraph per line) and metadata of an HTML page, with trafilatura.

    Comments are left out. Nothing is fetched: trafilatura only reads the string it is given.
    """
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", drop_invalid_char_refs(text), count=1))
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
            # the date the page states in its markup, not one guessed from its text (a footer's
            # "© 2024" would otherwise be read as 2024-01-01)
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:
        raise RecordProblem("ingest_no_main_text", f"trafilatura failed: {exc}") from exc
    if doc is None or not (doc.text or "").strip():
        detail = "trafilatura found no article text in the page"
        if _depth_reaches(tree, _HTML_MAX_DEPTH):
            detail += f" (elements nest {_HTML_MAX_DEPTH} deep: the parser drops what is deeper)"
        raise RecordProblem("ingest_no_main_text", detail)
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
_TOML_FRONT_MATTER_END = re.compile(r"^\+\+\+[ \t]*$", re.M)
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


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML whose timestamps stay strings: ``parse_published`` reads them as written (with
    their own calendar date), and an impossible date such as 2024-13-45 is no date instead of a
    ``ValueError`` from the YAML constructor."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str) -> tuple[dict, str]:
    """Front matter at the very top and the body after it: YAML between ``---`` fences (Jekyll,
    Hugo, Pandoc) or TOML between ``+++`` fences (Hugo)."""
    fence = text[:3]
    if fence not in ("---", "+++"):
        return {}, text
    first_newline = text.find("\n")
    if first_newline < 0 or text[:first_newline].strip() != fence:
        return {}, text
    closing = _FRONT_MATTER_END if fence == "---" else _TOML_FRONT_MATTER_END
    end = closing.search(text, first_newline + 1)
    if end is None:
        raise RecordProblem("ingest_bad_front_matter", f"front matter opened with {fence} is never closed")
    block = text[first_newline + 1 : end.start()]
    try:
        if fence == "---":
            meta = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader)
        else:
            meta = tomllib.loads(block)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        kind = "YAML" if fence == "---" else "TOML"
        raise RecordProblem("ingest_bad_front_matter", f"{kind}: {exc}".replace("\n", " ")[:500]) from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # a value no constructor takes
        raise RecordProblem("ingest_bad_front_matter", f"{type(exc).__name__}: {exc}"[:500]) from exc
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
    if fmt == "txt" and _LOOKS_LIKE_PAGE.match(data[:_HEAD_CHARS]):
        fmt = "html"  # a saved web page with a .txt name: its text is in the markup
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
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.encode("utf-8", errors="surrogatepass")  # lone surrogates from JSON escapes hash too


def _object_record(source_path: str, obj: Any, index: int | None, base: dict, params: IngestParams) -> dict:
    """A JSON object (from .json or .jsonl) or a CSV row as a row; one nested so deeply that
    Python cannot walk it (``json`` parsed it a few frames higher up) is a bad record."""
    try:
        return _object_row(source_path, obj, index, base, params)
    except RecursionError:
        if index is None:
            row = dict(base)
        else:
            where = f"{source_path}#{index}".encode("utf-8", errors="surrogatepass")
            row = _row(source_path, _sha(where), 0, base["format"], index, base["encoding"])
        return _reject(row, "ingest_bad_json", "nested too deeply to read")


def _object_row(source_path: str, obj: Any, index: int | None, base: dict, params: IngestParams) -> dict:
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
    text = _body_text(value)
    if text is None:
        return _reject(
            {**row, **meta},
            "ingest_no_text_field",
            f"the text field holds {_json_kind(value)}, not text",
        )
    return _accept(row, _maybe_html(text), meta, params)


_BODY_KEYS = ("rendered", "html", "text", "content", "body", "value", "#text")


def _body_text(value: Any, depth: int = 0) -> str | None:
    """The article text a field holds: a string; a list of paragraphs (one per line); an object
    with the text under a key such as ``rendered`` (WordPress) or ``html``. None for a number, a
    boolean or an object with no text in it."""
    if isinstance(value, str):
        return value
    if depth > _MAX_VALUE_DEPTH:
        return None
    if isinstance(value, dict):
        for key in _BODY_KEYS:
            if key in value:
                return _body_text(value[key], depth + 1)
        return None
    if isinstance(value, (list, tuple)):
        parts = [p for p in (_body_text(v, depth + 1) for v in value) if p is not None]
        return "\n".join(parts) if parts else None
    return None


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return f"an object without any of the keys {list(_BODY_KEYS)}"
    if isinstance(value, (list, tuple)):
        return "a list without text"
    return f"a {type(value).__name__}"


def _record_list(obj: dict, params: IngestParams, depth: int = 0) -> list | None:
    """The list of records a JSON object holds: under one of ``json_list_keys`` (a dotted key such
    as ``response.docs`` reads inside), inside a wrapping object (``{"data": {"articles": [...]}}``),
    or under any key holding objects with a text field. None when the object is itself a record."""
    for key in params.json_list_keys:
        value = _lookup(obj, key)
        if isinstance(value, list):
            return value
    if depth >= 3 or _first(obj, params.text_fields) is not None:
        return None
    for value in obj.values():
        if isinstance(value, dict):
            found = _record_list(value, params, depth + 1)
            if found is not None:
                return found
    for value in obj.values():
        if isinstance(value, list) and any(
            isinstance(v, dict) and _first(v, params.text_fields) is not None for v in value[:100]
        ):
            return value
    return None


def _read_json(source_path: str, text: str, file_row: dict, params: IngestParams) -> Iterator[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            # one object per line: JSON lines saved as .json
            yield from _read_jsonl(source_path, text, file_row, params)
            return
        yield _reject(file_row, "ingest_bad_json", f"line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    except RecursionError:
        yield _reject(file_row, "ingest_bad_json", "nested too deeply to parse")
        return
    except ValueError as exc:  # e.g. an integer longer than Python converts (sys.get_int_max_str_digits)
        yield _reject(file_row, "ingest_bad_json", str(exc)[:300])
        return
    yield from _json_records(source_path, data, file_row, params)


def _json_records(source_path: str, data: Any, file_row: dict, params: IngestParams) -> Iterator[dict]:
    """Rows of a parsed JSON document: one object, or a list of them (maybe inside an object)."""
    if isinstance(data, dict):
        try:
            listed = _record_list(data, params)
        except RecursionError:
            listed = None
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
    if not any(isinstance(obj, dict) for obj in data):
        # [1, 2, 3] or ["a", "b"]: data, not a list of articles; one row, not one per value
        kinds = sorted({type(obj).__name__ for obj in data[:1000]})
        yield _reject(file_row, "ingest_bad_json", f"a list of {len(data)} {'/'.join(kinds)} values, not of objects")
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
        except (ValueError, RecursionError) as exc:
            if index == 0:
                whole = _whole_json(text)
                if whole is not None:  # one pretty-printed document saved as .jsonl
                    yield from _json_records(source_path, whole, file_row, params)
                    return
            raw = line.encode("utf-8")
            row = _row(source_path, _sha(raw), len(raw), "jsonl", index, file_row["encoding"])
            if isinstance(exc, json.JSONDecodeError):
                message = exc.msg
            elif isinstance(exc, RecursionError):
                message = "nested too deeply"
            else:  # e.g. an integer longer than Python converts
                message = str(exc)[:300]
            column = f" column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            yield _reject(row, "ingest_bad_json", f"line {lineno}{column}: {message}")
        else:
            yield _object_record(source_path, obj, index, file_row, params)
        index += 1


def _whole_json(text: str) -> Any:
    """The text parsed as one JSON document, or None when it is not one."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


_CSV_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$")


def _read_csv(source_path: str, text: str, file_row: dict, params: IngestParams) -> Iterator[dict]:
    header_line = text.split("\n", 1)[0]
    excel_hint = _CSV_SEP_LINE.match(header_line)
    if excel_hint:  # Excel's "sep=;" first line names the delimiter; the header follows it
        delimiter = excel_hint.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
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
        root = lxml.etree.fromstring(_XML_DECLARATION.sub("", drop_invalid_char_refs(text), count=1).encode("utf-8"), parser)
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
        "title": _as_text(next((_atom_content(t) for t in _children(entry, "title")), None)),
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
            yield _problem_row(item, fmt, item.problem, item.detail)
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
