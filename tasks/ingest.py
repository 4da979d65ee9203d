"""Ingest: every input file becomes one ``documents`` row, accepted (``ok``) or ``rejected`` with a
reason code. Nothing is skipped silently: input files = accepted + rejected.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from tasks.params import IngestParams

# Control characters other than tab and newline; C1 controls included. Terminal escape sequences
# (ESC [ ... letter) are removed whole so their parameters do not leak into the text.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMAT_EXTENSIONS = {".txt": "txt", ".text": "txt"}


@dataclass(frozen=True)
class InputFile:
    """One file found under the input root, before it is read."""

    source_path: str  # relative to the input root, with forward slashes
    path: Path
    n_bytes: int
    problem: str | None = None  # a reject reason found without reading the file


def make_doc_id(source_path: str, sha256: str, record_index: int | None = None) -> str:
    """Stable id: where the record came from plus what it holds."""
    key = f"{source_path}\0{record_index if record_index is not None else ''}\0{sha256}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def list_inputs(input_dir: Path, params: IngestParams) -> list[InputFile]:
    """Every regular file under ``input_dir`` (recursively, sorted), with problems found by stat."""
    root = Path(input_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder {root} does not exist or is not a folder")
    resolved_root = root.resolve()
    found: list[InputFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            problem = None
            try:
                target = path.resolve(strict=True)
                size = target.stat().st_size
            except (OSError, RuntimeError):
                found.append(InputFile(rel, path, 0, "ingest_unreadable"))
                continue
            if path.is_symlink() and not target.is_relative_to(resolved_root):
                problem = "ingest_outside_input"
            elif not target.is_file():
                problem = "ingest_not_a_file"
            elif path.suffix.lower() not in params.extensions:
                problem = "ingest_unsupported_format"
            elif size > params.max_bytes:
                problem = "ingest_too_large"
            found.append(InputFile(rel, path, size, problem))
    return found


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode bytes to text: BOMs first, then UTF-16 without BOM, UTF-8, then Windows-1252/Latin-1.

    Returns ``(text, encoding)``; ``(None, None)`` when the bytes are not text.
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
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def control_ratio(text: str) -> float:
    """Share of characters that no article contains: controls and U+FFFD replacement marks."""
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


def ingest_record(source_path: str, data: bytes, fmt: str, params: IngestParams) -> dict:
    """Turn one file's bytes into a ``documents`` row."""
    sha = hashlib.sha256(data).hexdigest()
    row = {
        "doc_id": make_doc_id(source_path, sha),
        "source_path": source_path,
        "sha256": sha,
        "n_bytes": len(data),
        "format": fmt,
        "status": "ok",
        "reject_reason": None,
        "raw_text": None,
        "encoding": None,
        "record_index": None,
        "reject_detail": None,
    }
    text, encoding = decode_bytes(data)
    if text is None:
        return _reject(row, "ingest_not_text", "bytes are not text in any supported encoding")
    ratio = control_ratio(text)
    if ratio > params.max_control_ratio:
        return _reject(row, "ingest_not_text", f"{ratio:.1%} control characters")
    text = normalise_text(text)
    if len("".join(text.split())) < params.min_chars:
        return _reject(row, "ingest_empty", "no text after removing whitespace")
    row.update(raw_text=text, encoding=encoding)
    return row


def _reject(row: dict, reason: str, detail: str) -> dict:
    return {**row, "status": "rejected", "reject_reason": reason, "reject_detail": detail}


def ingest_files(files: Iterable[InputFile], params: IngestParams) -> Iterator[dict]:
    """Rows for every input file; unreadable, oversize or unsupported files become rejections."""
    for item in files:
        fmt = _FORMAT_EXTENSIONS.get(item.path.suffix.lower(), item.path.suffix.lower().lstrip("."))
        if item.problem:
            yield _problem_row(item, fmt, item.problem)
            continue
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            yield _problem_row(item, fmt, "ingest_unreadable", str(exc))
            continue
        yield ingest_record(item.source_path, data, fmt, params)


def _problem_row(item: InputFile, fmt: str, reason: str, detail: str | None = None) -> dict:
    sha = hashlib.sha256(b"").hexdigest()
    return {
        "doc_id": make_doc_id(item.source_path, f"{reason}:{item.n_bytes}"),
        "source_path": item.source_path,
        "sha256": sha,
        "n_bytes": item.n_bytes,
        "format": fmt or "unknown",
        "status": "rejected",
        "reject_reason": reason,
        "raw_text": None,
        "encoding": None,
        "record_index": None,
        "reject_detail": detail or reason.removeprefix("ingest_").replace("_", " "),
    }


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402  (wiring below the pure code)
from prefect.cache_policies import NO_CACHE  # noqa: E402

from tasks.schemas import DOCUMENTS, to_arrow  # noqa: E402
from tasks.step import StepReport, count_reasons, publish_checked  # noqa: E402
from tasks.store import RunStore  # noqa: E402


@task(name="ingest", task_run_name="ingest-{store.run_id}", cache_policy=NO_CACHE)
def ingest(store: RunStore, input_dir: str, params: IngestParams) -> StepReport:
    """Read every file under ``input_dir`` into ``documents``."""
    logger = get_run_logger()
    report = StepReport("ingest")
    files = list_inputs(Path(input_dir), params)
    rows = list(ingest_files(files, params))
    report.rows_in = len(files)
    report.rows_out = sum(r["status"] == "ok" for r in rows)
    report.rejects = count_reasons(r["reject_reason"] for r in rows)
    publish_checked(store, report, {"documents": to_arrow(DOCUMENTS, rows)}, {"documents": {"n_inputs": len(rows)}})
    logger.info("ingest: %d files, %d accepted, rejects %s", len(files), report.rows_out, report.rejects)
    return report
