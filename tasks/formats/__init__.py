"""The readers: one small module per input format, registered in ``FORMATS``.

``FORMATS`` maps each file extension dossier reads to its format and reader; it is also the list
of extensions (``IngestParams.extensions`` defaults to all of them). A reader takes a ``Source``
and yields ``documents`` rows: one for a single-record file (``txt``, ``html``, ``md``), one per
record for the others (``json``, ``jsonl``, ``csv``, ``rss``/``atom``), whose limits are per record
(``max_bytes``), while the file as a whole is bounded by ``max_file_bytes``.

Every reader returns its text through ``tasks.text.prose_text`` (entities decoded, invisible
characters removed, glued sentences split) and checks its metadata where it reads it
(``tasks.formats.base.accept``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from tasks.formats.base import RecordProblem, Source, reject
from tasks.formats.csvfile import read_csv
from tasks.formats.feed import read_feed
from tasks.formats.html import read_html
from tasks.formats.jsonfile import read_json, read_jsonl
from tasks.formats.markdown import read_markdown
from tasks.formats.plain import read_text
from tasks.params import IngestParams


@dataclass(frozen=True)
class Format:
    name: str
    read: Callable[[Source, IngestParams], Iterator[dict]]
    many_records: bool  # many records per file: the per-record limit is max_bytes


def _one_record(reader: Callable[..., Iterator[dict]]) -> Callable[[Source, IngestParams], Iterator[dict]]:
    """A single-record reader over bytes as a reader of sources: the file is the record, so
    ``max_bytes`` bounds the file."""

    def read(source: Source, params: IngestParams) -> Iterator[dict]:
        try:
            data = source.read(params.max_bytes)
        except RecordProblem as problem:
            yield reject(source.file_row(), problem.reason, f"{problem.detail} (max_bytes={params.max_bytes})")
            return
        yield from reader(source.source_path, data, params)

    return read


_TEXT = Format("txt", _one_record(read_text), False)
_HTML = Format("html", _one_record(read_html), False)
_MARKDOWN = Format("md", _one_record(read_markdown), False)
_JSON = Format("json", read_json, True)
_JSONL = Format("jsonl", read_jsonl, True)
_CSV = Format("csv", read_csv, True)
_FEED = Format("rss", read_feed, True)  # RSS or Atom: the root element decides

FORMATS: dict[str, Format] = {
    ".txt": _TEXT,
    ".text": _TEXT,
    ".html": _HTML,
    ".htm": _HTML,
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    ".json": _JSON,
    ".jsonl": _JSONL,
    ".ndjson": _JSONL,
    ".csv": _CSV,
    ".xml": _FEED,
    ".rss": _FEED,
    ".atom": Format("atom", read_feed, True),
}
EXTENSIONS: tuple[str, ...] = tuple(FORMATS)
_BY_NAME = {f.name: f for f in FORMATS.values()}


def format_of(path: Path | str) -> str:
    """The ``format`` a file is read as, from its extension (``.xml`` reads as a feed)."""
    suffix = Path(path).suffix.lower()
    found = FORMATS.get(suffix)
    return found.name if found else (suffix.lstrip(".") or "unknown")


def is_many_records(fmt: str) -> bool:
    found = _BY_NAME.get(fmt)
    return bool(found and found.many_records)


def read_source(source: Source, params: IngestParams) -> Iterator[dict]:
    """Every ``documents`` row of one file."""
    found = _BY_NAME.get(source.fmt)
    if found is None:
        yield reject(source.file_row(), "ingest_unsupported_format", f"no reader for format {source.fmt!r}")
        return
    yield from found.read(source, params)


def ingest_bytes(source_path: str, data: bytes, fmt: str, params: IngestParams) -> Iterator[dict]:
    """Every ``documents`` row of one file's bytes (as ``read_source``)."""
    yield from read_source(Source.from_bytes(source_path, data, fmt), params)


def ingest_record(source_path: str, data: bytes, fmt: str, params: IngestParams) -> dict:
    """The one row of a single-record file's bytes (``txt``, ``html``, ``md``)."""
    return next(iter(ingest_bytes(source_path, data, fmt, params)))
