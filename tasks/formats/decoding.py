"""Bytes to text: which encoding a file is in, and whether it is text at all.

BOMs first, then UTF-32 and UTF-16 without a BOM, UTF-8 (with a few stray legacy bytes read as
Windows-1252), a charset the file declares, then Windows-1252, unless the bytes read as another
script (then a detector is asked). Binary formats are named by their magic bytes.
"""

from __future__ import annotations

import codecs
import re
from typing import Iterator

import charset_normalizer

from tasks.formats.base import RecordProblem
from tasks.params import IngestParams
from tasks.text import control_ratio, normalise_text, visible_chars

# Where charsets, languages and root elements are declared: the head of a file.
HEAD_CHARS = 5_000
# How much of a file the encoding detector and the script test look at.
_SNIFF_BYTES = 200_000
_SNIFF_CHARS = 20_000
# Latin-script text has few letters outside ASCII (accents); text in another script's code page
# decoded as Windows-1252 is mostly such letters.
_MAX_LATIN_HIGH_LETTER_SHARE = 0.3


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


def decode_file(data: bytes, params: IngestParams, declared: str | None = None) -> tuple[str, str]:
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




# Encodings in which a newline is the byte 0x0A and never part of another character: a file in one
# of them can be read a line at a time.
_LINE_SAFE = ("utf-8", "utf-8-sig", "utf-8+cp1252", "ascii", "cp1252", "latin-1", "iso8859-1")


def line_encoding(head: bytes, params: IngestParams) -> str | None:
    """The encoding to read a many-record file in line by line, judged from its first bytes (or
    ``RecordProblem`` when they are not text); None when the file must be decoded whole (UTF-16,
    UTF-32, a legacy code page of another script)."""
    kind = binary_kind(head)
    if kind:
        raise RecordProblem("ingest_not_text", f"the bytes are {kind}, not text")
    # The head may end inside a UTF-8 sequence: cut back to the last line break before judging it.
    cut = head.rfind(b"\n")
    sample = head[: cut + 1] if cut > 0 else head
    text, encoding = decode_bytes(sample)
    if text is None:
        raise RecordProblem("ingest_not_text", "bytes are not text in any supported encoding")
    if encoding not in _LINE_SAFE:
        return None
    return "utf-8" if encoding.startswith("utf-8") or encoding == "ascii" else encoding


def decode_line(data: bytes, encoding: str) -> str:
    """One line of a file read line by line (see ``line_encoding``), normalised."""
    if encoding == "utf-8":
        text = data.decode("utf-8", errors=_CP1252_FALLBACK)
    else:
        text = data.decode(encoding, errors="replace")
    return normalise_text(text)


def iter_text_lines(source, params: IngestParams) -> Iterator[tuple[int, str | None, int]]:
    """The lines of a many-record file as ``(line number, text, bytes)``, streamed: memory holds
    one line at a time. A line longer than ``max_bytes`` is skipped unread and given as
    ``(line number, None, bytes)``. A file in UTF-16 or UTF-32 is decoded whole (it is at most
    ``max_parsed_file_bytes``)."""
    with source.open() as handle:
        head = handle.read(_SNIFF_BYTES)
        encoding = line_encoding(head, params)
        if encoding is None:
            data = head + handle.read(max(0, params.max_parsed_file_bytes + 1 - len(head)))
            if len(data) > params.max_parsed_file_bytes:
                raise RecordProblem(
                    "ingest_too_large",
                    f"a file in {decode_bytes(head)[1]} is decoded whole, and this one is more than "
                    f"max_parsed_file_bytes={params.max_parsed_file_bytes} bytes",
                )
            text, _ = decode_file(data, params)
            for lineno, line in enumerate(text.split("\n"), start=1):
                yield lineno, line, len(line.encode("utf-8"))
            return
        handle.seek(0)
        limit = params.max_bytes
        lineno = 0
        while True:
            line = handle.readline(limit + 1)
            if not line:
                return
            lineno += 1
            if len(line) > limit and not line.endswith(b"\n"):
                size = len(line)
                while True:  # skip the rest of the overlong line without holding it
                    more = handle.readline(1 << 20)
                    size += len(more)
                    if not more or more.endswith(b"\n"):
                        break
                yield lineno, None, size
                continue
            yield lineno, decode_line(line.rstrip(b"\r\n"), encoding), len(line)
