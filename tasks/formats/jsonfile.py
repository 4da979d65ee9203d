"""JSON and JSON lines exports: one article per object.

A ``.json`` file is one object (one record), a list of objects, or an object that keeps its list
under a key (``{"data": {"articles": [...]}}``); it is parsed whole, so it is bounded by
``max_parsed_file_bytes``. A ``.jsonl`` file is read line by line: memory holds one record, a bad
line is one rejected record, and ``max_bytes`` bounds each record, not the file.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from tasks.formats.base import (
    MAX_VALUE_DEPTH,
    RecordProblem,
    Source,
    accept,
    first_value,
    lookup,
    new_row,
    record_metadata,
    reject,
    sha256_of,
)
from tasks.formats.decoding import decode_file, iter_text_lines
from tasks.formats.html import maybe_html
from tasks.params import IngestParams


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
            row = new_row(source_path, sha256_of(where), 0, base["format"], index, base["encoding"])
        return reject(row, "ingest_bad_json", "nested too deeply to read")


def _object_row(source_path: str, obj: Any, index: int | None, base: dict, params: IngestParams) -> dict:
    if index is None:  # the file is the record: keep the file's own hash and size
        row = dict(base)
    else:
        raw = _canonical_json(obj)
        row = new_row(source_path, sha256_of(raw), len(raw), base["format"], index, base["encoding"])
        if len(raw) > params.max_bytes:  # the limit is per record, not per file
            return reject(row, "ingest_too_large", f"record of {len(raw)} bytes > max_bytes={params.max_bytes}")
    if not isinstance(obj, dict):
        return reject(row, "ingest_bad_json", f"record is a {type(obj).__name__}, not an object")
    meta = record_metadata(obj, params)
    value = first_value(obj, params.text_fields)
    if value is None and any(lookup(obj, name) is not None for name in params.text_fields):
        return reject({**row, **meta}, "ingest_empty", "the text field is empty")
    if value is None:
        return reject(
            {**row, **meta},
            "ingest_no_text_field",
            f"none of the text fields {list(params.text_fields)} holds text",
        )
    text = _body_text(value)
    if text is None:
        return reject(
            {**row, **meta},
            "ingest_no_text_field",
            f"the text field holds {_json_kind(value)}, not text",
        )
    return accept(row, maybe_html(text), meta, params)


_BODY_KEYS = ("rendered", "html", "text", "content", "body", "value", "#text")


def _body_text(value: Any, depth: int = 0) -> str | None:
    """The article text a field holds: a string; a list of paragraphs (one per line); an object
    with the text under a key such as ``rendered`` (WordPress) or ``html``. None for a number, a
    boolean or an object with no text in it."""
    if isinstance(value, str):
        return value
    if depth > MAX_VALUE_DEPTH:
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
        value = lookup(obj, key)
        if isinstance(value, list):
            return value
    if depth >= 3 or first_value(obj, params.text_fields) is not None:
        return None
    for value in obj.values():
        if isinstance(value, dict):
            found = _record_list(value, params, depth + 1)
            if found is not None:
                return found
    for value in obj.values():
        if isinstance(value, list) and any(
            isinstance(v, dict) and first_value(v, params.text_fields) is not None for v in value[:100]
        ):
            return value
    return None


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
        yield reject(file_row, "ingest_bad_json", f"top level is a {type(data).__name__}, not an object or a list")
        return
    if not data:
        yield reject(file_row, "ingest_empty", "the JSON list holds no records")
        return
    if not any(isinstance(obj, dict) for obj in data):
        # [1, 2, 3] or ["a", "b"]: data, not a list of articles; one row, not one per value
        kinds = sorted({type(obj).__name__ for obj in data[:1000]})
        yield reject(file_row, "ingest_bad_json", f"a list of {len(data)} {'/'.join(kinds)} values, not of objects")
        return
    for index, obj in enumerate(data):
        yield _object_record(source_path, obj, index, file_row, params)




def _parse_json_text(source_path: str, text: str, file_row: dict, params: IngestParams) -> Iterator[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            # one object per line: JSON lines saved as .json
            lines = ((n, line, len(line)) for n, line in enumerate(text.split("\n"), start=1))
            yield from _jsonl_records(source_path, lines, file_row, params, whole=lambda: text)
            return
        yield reject(file_row, "ingest_bad_json", f"line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    except RecursionError:
        yield reject(file_row, "ingest_bad_json", "nested too deeply to parse")
        return
    except ValueError as exc:  # e.g. an integer longer than Python converts (sys.get_int_max_str_digits)
        yield reject(file_row, "ingest_bad_json", str(exc)[:300])
        return
    yield from _json_records(source_path, data, file_row, params)


def read_json(source: Source, params: IngestParams) -> Iterator[dict]:
    """A ``.json`` file, parsed whole."""
    try:
        data = source.read(params.max_parsed_file_bytes)
        file_row = new_row(source.source_path, sha256_of(data), len(data), source.fmt)
        text, file_row["encoding"] = decode_file(data, params)
    except RecordProblem as problem:
        yield reject(source.file_row(), problem.reason, problem.detail)
        return
    yield from _parse_json_text(source.source_path, text, file_row, params)


def read_jsonl(source: Source, params: IngestParams) -> Iterator[dict]:
    """A ``.jsonl`` file, streamed line by line."""
    try:
        lines = iter_text_lines(source, params)
        yield from _jsonl_records(source.source_path, lines, None, params, source=source)
    except RecordProblem as problem:
        yield reject(source.file_row(), problem.reason, problem.detail)


def _jsonl_records(
    source_path: str,
    lines: Iterable[tuple[int, str | None, int]],
    file_row: dict | None,
    params: IngestParams,
    whole=None,
    source: Source | None = None,
) -> Iterator[dict]:
    index = 0
    encoding = file_row["encoding"] if file_row else "utf-8"
    for lineno, line, n_bytes in lines:
        if line is None:
            where = f"{source_path}#{index}:{n_bytes}".encode("utf-8")
            row = new_row(source_path, sha256_of(where), n_bytes, "jsonl", index, encoding)
            yield reject(row, "ingest_too_large", f"line {lineno}: {n_bytes} bytes > max_bytes={params.max_bytes}")
            index += 1
            continue
        if not line.strip():
            continue  # blank lines separate nothing and hold no record
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:
            if index == 0:
                # one pretty-printed document saved as .jsonl
                if whole is None and source is not None:
                    whole_doc = _whole_json_of(source, params)
                else:
                    whole_doc = _whole_json(whole()) if whole else None
                if whole_doc is not None:
                    row = file_row or source.file_row(encoding)
                    yield from _json_records(source_path, whole_doc, row, params)
                    return
            raw = line.encode("utf-8", errors="surrogatepass")
            row = new_row(source_path, sha256_of(raw), len(raw), "jsonl", index, encoding)
            if isinstance(exc, json.JSONDecodeError):
                message = exc.msg
            elif isinstance(exc, RecursionError):
                message = "nested too deeply"
            else:  # e.g. an integer longer than Python converts
                message = str(exc)[:300]
            column = f" column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            yield reject(row, "ingest_bad_json", f"line {lineno}{column}: {message}")
        else:
            base = file_row or {"format": "jsonl", "encoding": encoding}
            yield _object_record(source_path, obj, index, base, params)
        index += 1
    if index == 0 and source is not None:
        yield reject(source.file_row(encoding), "ingest_empty", "the JSON lines file holds no records")


def _whole_json_of(source: Source, params: IngestParams) -> Any:
    try:
        text, _ = decode_file(source.read(params.max_parsed_file_bytes), params)
    except RecordProblem:
        return None
    return _whole_json(text)


def _whole_json(text: str) -> Any:
    """The text parsed as one JSON document, or None when it is not one."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
