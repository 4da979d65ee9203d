"""Plain text (``.txt``): the file is the article. A saved web page with a ``.txt`` name is read
as HTML, since its text is in the markup."""

from __future__ import annotations

from typing import Iterator

from tasks.formats.base import RecordProblem, accept, new_row, reject, sha256_of
from tasks.formats.decoding import HEAD_CHARS, decode_file
from tasks.formats.html import LOOKS_LIKE_PAGE, read_html
from tasks.params import IngestParams


def read_text(source_path: str, data: bytes, params: IngestParams, fmt: str = "txt") -> Iterator[dict]:
    if LOOKS_LIKE_PAGE.match(data[:HEAD_CHARS]):
        yield from read_html(source_path, data, params)
        return
    row = new_row(source_path, sha256_of(data), len(data), fmt)
    try:
        text, row["encoding"] = decode_file(data, params)
    except RecordProblem as problem:
        yield reject(row, problem.reason, problem.detail)
        return
    yield accept(row, text, {}, params)
