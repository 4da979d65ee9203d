"""What every reader shares: the ``documents`` row, the record checks, metadata and notes.

A reader turns one file into rows. It builds each row with ``new_row``, then either rejects it
(``reject``: a reason code and a detail) or accepts it (``accept``: the text is checked, the
metadata is checked where it is read, and anything repaired or dropped leaves a note in
``ingest_notes``). A bad value never rejects a good article: the value is dropped with a note.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from tasks.dates import check_published, parse_published
from tasks.params import IngestParams
from tasks.text import control_ratio, longest_unpunctuated_run, one_line, prose_text, shorten, visible_chars

METADATA = ("title", "published", "author", "outlet", "url", "language_hint")
_MISSING = object()
# How deep metadata and text values are followed into nested objects and lists: far enough for any
# export, and never near the interpreter's recursion limit.
MAX_VALUE_DEPTH = 10


class RecordProblem(Exception):
    """A record (or a whole file) cannot be accepted: carries the reason code and a detail."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class InputFile:
    """One file found under the input root, before it is read."""

    source_path: str  # relative to the input root, with forward slashes
    path: Path
    n_bytes: int
    problem: str | None = None  # a reject reason found without reading the file
    detail: str | None = None  # what exactly the problem is, for reject_detail


def make_doc_id(source_path: str, sha256: str, record_index: int | None = None) -> str:
    """Stable id: where the record came from plus what it holds."""
    key = f"{source_path}\0{record_index if record_index is not None else ''}\0{sha256}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_row(
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
        **{name: None for name in METADATA},
        "retrieved": None,
        "ingest_notes": [],
    }


def reject(row: dict, reason: str, detail: str) -> dict:
    return {**row, "status": "rejected", "reject_reason": reason, "reject_detail": shorten(detail, 500), "raw_text": None}


def add_note(row: dict, note: str) -> None:
    if note not in row["ingest_notes"]:
        row["ingest_notes"] = sorted([*row["ingest_notes"], note])


def check_text(text: str, params: IngestParams) -> str:
    """Normalised text of one record, or ``RecordProblem`` saying why it is not an article."""
    ratio = control_ratio(text)
    if ratio > params.max_control_ratio:
        raise RecordProblem("ingest_not_text", f"{ratio:.1%} control characters")
    text = prose_text(text)
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


def check_metadata(row: dict, params: IngestParams) -> dict:
    """Metadata checked where it is read: an impossible date, an overlong or non-text title,
    author, outlet or URL is dropped from the row, and the row says so in ``ingest_notes``."""
    row = {**row, "ingest_notes": list(row["ingest_notes"])}
    published, note = check_published(row.get("published"), params.latest_published_date())
    if note:
        row["published"] = published
        add_note(row, note)
    for name, limit in (
        ("title", params.max_title_chars),
        ("author", params.max_author_chars),
        ("outlet", params.max_author_chars),
        ("url", params.max_url_chars),
        ("language_hint", 35),
    ):
        value = row.get(name)
        if value is not None and len(value) > limit:
            row[name] = None
            add_note(row, f"{name}_too_long")
    return row


def accept(row: dict, text: str, meta: dict, params: IngestParams) -> dict:
    """The row with its checked text and metadata, or rejected with the first failed check."""
    notes = meta.pop("_notes", ()) if "_notes" in meta else ()
    row = {**row, **meta}
    for note in notes:
        add_note(row, note)
    row = check_metadata(row, params)
    try:
        checked = check_text(text, params)
    except RecordProblem as problem:
        return reject(row, problem.reason, problem.detail)
    return {**row, "raw_text": checked}


# ------------------------------------------------------------------------------------ metadata


def as_text(value: Any, depth: int = 0) -> str | None:
    """A metadata value as one string: lists are joined with '; ', objects give their name."""
    if value is None or isinstance(value, bool) or depth > MAX_VALUE_DEPTH:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN or Infinity in a JSON export says there is no value
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value", "rendered", "#text"):
            if key in value:
                return as_text(value[key], depth + 1)
        return None
    if isinstance(value, (list, tuple)):
        parts = (as_text(v, depth + 1) for v in value[:50] if not isinstance(v, (list, tuple)))
        return "; ".join(p for p in parts if p) or None
    return one_line(str(value)) or None


def text_value(value: Any, name: str, notes: list[str]) -> str | None:
    """``as_text`` for a field that must hold text: a boolean there, or a number where a name
    belongs (``author: 12``, ``url: 3``), is a misplaced value, dropped with the note
    ``<name>_not_text``; a number as a title (``title: 1984``) is kept as written, with a note."""
    if isinstance(value, bool) or (isinstance(value, (int, float, date)) and name != "title"):
        notes.append(f"{name}_not_text")
        return None
    if isinstance(value, (int, float, date)):
        # "title: 1984" in YAML is a number to the parser and a title to its writer
        notes.append("title_number_as_text")
    return as_text(value)


def lookup(record: dict, name: str) -> Any:
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


def first_value(record: dict, names: tuple[str, ...]) -> Any:
    """The first of ``names`` that the record holds a non-empty value for (case-insensitive)."""
    lowered: dict | None = None  # lower-case key -> key, built once per call when needed
    for name in names:
        if "." in name:
            value = lookup(record, name)
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


def record_metadata(record: dict, params: IngestParams) -> dict:
    """Title, date, author, outlet, URL and language a record (front matter, a JSON object, a CSV
    row) states, by the field names in ``params``; misplaced values leave notes in ``_notes``."""
    notes: list[str] = []
    published_value = first_value(record, params.published_fields)
    published = parse_published(published_value)
    if published_value is not None and published is None and str(published_value).strip():
        notes.append("published_unreadable")
    meta = {
        "title": text_value(first_value(record, params.title_fields), "title", notes),
        "published": published,
        "author": clean_author(text_value(first_value(record, params.author_fields), "author", notes), notes),
        "outlet": text_value(first_value(record, params.outlet_fields), "outlet", notes),
        "url": text_value(first_value(record, params.url_fields), "url", notes),
        "language_hint": as_text(first_value(record, params.language_fields)),
        "retrieved": parse_published(first_value(record, params.retrieved_fields)),
    }
    if notes:
        meta["_notes"] = notes
    return meta


# ------------------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    """One file to read: where it is, how big, and how to open it (a path, or bytes in memory)."""

    source_path: str
    fmt: str
    n_bytes: int
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_bytes(cls, source_path: str, data: bytes, fmt: str) -> "Source":
        return cls(source_path, fmt, len(data), data=data)

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")

    def read(self, limit: int) -> bytes:
        """The whole file, or ``RecordProblem`` when it holds more than ``limit`` bytes (it may
        have grown since it was listed)."""
        if self.data is not None:
            data = self.data
        else:
            with self.open() as handle:
                data = handle.read(limit + 1)
        if len(data) > limit:
            raise RecordProblem("ingest_too_large", f"more than {limit} bytes")
        return data

    def sha256(self) -> str:
        if self.data is not None:
            return sha256_of(self.data)
        digest = hashlib.sha256()
        with self.open() as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def file_row(self, encoding: str | None = None, fmt: str | None = None) -> dict:
        """The row that stands for the whole file (when it cannot be split into records)."""
        return new_row(self.source_path, self.sha256(), self.n_bytes, fmt or self.fmt, encoding=encoding)


def clean_author(value: str | None, notes: list[str]) -> str | None:
    """An author as a name: e-mail addresses (with their brackets) and a leading "By" removed."""
    if not value:
        return value
    cleaned = _EMAIL.sub("", value)
    if cleaned != value:
        notes.append("author_email_removed")
    cleaned = _BY.sub("", _EMPTY_BRACKETS.sub("", cleaned))
    cleaned = re.sub(r"\s{2,}", " ", cleaned).strip(" ,;")
    return cleaned or None


_EMAIL = re.compile(r"[\(\[<]?\s*[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\s*[\)\]>]?")
_EMPTY_BRACKETS = re.compile(r"[\(\[<]\s*[\)\]>]")
_BY = re.compile(r"^\s*by\s+", re.I)
