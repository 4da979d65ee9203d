"""CSV exports: one article per row, read a line at a time (a quoted field may span lines).

The delimiter is the candidate found most often in the header (or what an Excel ``sep=`` line
says). ``max_bytes`` bounds each field, so each record; a bad row is one rejected record.
"""

from __future__ import annotations

import csv
import re
from typing import Iterator

from tasks.formats.base import RecordProblem, Source, first_value, new_row, reject, sha256_of
from tasks.formats.decoding import iter_text_lines
from tasks.formats.jsonfile import _canonical_json, _object_record
from tasks.params import IngestParams

_CSV_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$")


class _LineTooLong(Exception):
    def __init__(self, lineno: int, n_bytes: int):
        self.lineno, self.n_bytes = lineno, n_bytes


def _physical_lines(lines) -> Iterator[str]:
    for lineno, line, n_bytes in lines:
        if line is None:
            raise _LineTooLong(lineno, n_bytes)
        yield line + "\n"


def read_csv(source: Source, params: IngestParams) -> Iterator[dict]:
    source_path = source.source_path
    try:
        lines = _physical_lines(iter_text_lines(source, params))
        header_line = next(lines, "").rstrip("\n")
    except (RecordProblem, _LineTooLong) as problem:
        detail = problem.detail if isinstance(problem, RecordProblem) else "the header line is longer than max_bytes"
        yield reject(source.file_row(), getattr(problem, "reason", "ingest_too_large"), detail)
        return
    excel_hint = _CSV_SEP_LINE.match(header_line)
    if excel_hint:  # Excel's "sep=;" first line names the delimiter; the header follows it
        delimiter = excel_hint.group(1)
        rest = lines
    else:
        delimiter = max(params.csv_delimiters, key=header_line.count)
        rest = iter([header_line + "\n"] if header_line else [])
        rest = _chain(rest, lines)
    # No field may be longer than one record may be; the module-wide limit only grows.
    csv.field_size_limit(max(csv.field_size_limit(), params.max_bytes))
    reader = csv.reader(rest, delimiter=delimiter, strict=True)
    file_row = None
    encoding = "utf-8"

    def whole_file() -> dict:
        nonlocal file_row
        if file_row is None:
            file_row = source.file_row(encoding)
        return file_row

    try:
        header = next(reader)
    except StopIteration:
        yield reject(whole_file(), "ingest_empty", "no header row")
        return
    except csv.Error as exc:
        yield reject(whole_file(), "ingest_bad_csv", f"header: {exc}")
        return
    except (RecordProblem, _LineTooLong):
        yield reject(whole_file(), "ingest_too_large", "the header is longer than max_bytes")
        return
    header = [h.strip() for h in header]
    if not any(first_value({h: "x"}, params.text_fields) for h in header):
        yield reject(
            whole_file(),
            "ingest_no_text_field",
            f"no column named like {list(params.text_fields)} in header {header[:20]}",
        )
        return
    base = {"format": "csv", "encoding": encoding}
    index = 0
    while True:
        line_before = reader.line_num
        try:
            fields = next(reader)
        except StopIteration:
            break
        except _LineTooLong as exc:
            raw = f"{source_path}:{exc.lineno}".encode("utf-8")
            row = new_row(source_path, sha256_of(raw), exc.n_bytes, "csv", index, encoding)
            yield reject(
                row, "ingest_too_large",
                f"line {exc.lineno}: {exc.n_bytes} bytes > max_bytes={params.max_bytes}; the rest of the "
                "file cannot be split into records",
            )
            break
        except csv.Error as exc:
            raw = f"{source_path}:{line_before}".encode("utf-8")
            row = new_row(source_path, sha256_of(raw), 0, "csv", index, encoding)
            yield reject(row, "ingest_bad_csv", f"line {line_before + 1}: {exc}")
            index += 1
            if reader.line_num == line_before:
                break  # the reader cannot move on: the rest of the file is one bad record
            continue
        if not any(f.strip() for f in fields):
            continue  # a blank line is not a record
        if len(fields) != len(header):
            raw = _canonical_json(fields)
            row = new_row(source_path, sha256_of(raw), len(raw), "csv", index, encoding)
            yield reject(
                row,
                "ingest_bad_csv",
                f"line {reader.line_num}: {len(fields)} fields, the header has {len(header)}",
            )
        else:
            yield _object_record(source_path, dict(zip(header, fields)), index, base, params)
        index += 1
    if index == 0:
        yield reject(whole_file(), "ingest_empty", "the CSV file has a header but no rows")


def _chain(first, second):
    yield from first
    yield from second
