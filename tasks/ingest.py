"""Ingest: every input record becomes one ``documents`` row, accepted (``ok``) or ``rejected`` with a
reason code. Nothing is skipped silently.

This module lists the files, applies the limits that need no reading, hands each file to its
reader (``tasks/formats/``, one module per format) and writes the rows. A file holds one record
(``.txt``, ``.html``/``.htm``, ``.md``, a ``.json`` object) or many (``.jsonl``, a ``.json`` list,
``.csv``, an RSS or Atom feed). A record of a many-record file has its own ``doc_id``, a
``source_path`` of ``<file>#<index>`` and its ``record_index`` (0-based, in file order; for JSONL
the index counts non-blank lines). So: rows = single-record files + records of the others.

Limits: ``max_bytes`` bounds one record (a single-record file is one record); ``max_file_bytes``
bounds a file of many records, which is read record by record (JSON lines and CSV stream; a JSON
document or a feed is parsed whole, up to ``max_parsed_file_bytes``).

Every record goes through the same checks (``tasks.formats.base``), each with its
``ingest_<reason>`` code: ``not_text``, ``empty``, ``too_large``, ``no_sentences``; parsing failures
have their own (``bad_json``, ``bad_csv``, ``bad_feed``, ``bad_front_matter``, ``no_text_field``,
``no_main_text``). ``list_inputs`` adds ``outside_input``, ``unsupported_format``, ``not_a_file``,
``unreadable`` and ``too_large`` from ``stat`` and an open alone, before anything is read. A value
that cannot be right (a date in the future, a 50,000-character title) is dropped from its record
with a note in ``ingest_notes``; the record is kept.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from tasks.formats import EXTENSIONS, format_of, is_many_records, read_source
from tasks.formats.base import InputFile, RecordProblem, Source, make_doc_id, new_row, reject, sha256_of
from tasks.params import IngestParams
from tasks.text import shorten

__all__ = ["InputFile", "RecordProblem", "format_of", "ingest_files", "list_inputs", "make_doc_id"]


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
            elif path.suffix.lower() not in (params.extensions or EXTENSIONS):
                problem = "ingest_unsupported_format"
                detail = f"extension {path.suffix.lower() or '(none)'!r} is not read (IngestParams.extensions)"
            elif size_problem(size, format_of(path), params):
                problem, detail = "ingest_too_large", size_problem(size, format_of(path), params)
            else:
                # Permission bits are checked by opening (access() says yes to root for anything);
                # non-blocking, though a regular file never blocks.
                try:
                    os.close(os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
                except OSError as exc:
                    problem, detail = "ingest_unreadable", f"cannot be opened: {exc.strerror or exc}"
            found.append(InputFile(rel, path, size, problem, detail))
    return found




# ------------------------------------------------------------------------------------ the files


def ingest_files(files: Iterable[InputFile], params: IngestParams) -> Iterator[dict]:
    """Rows for every input file, streamed: one per single-record file, one per record of the
    others. Unreadable, oversize or unsupported files become rejections."""
    for item in files:
        fmt = format_of(item.path)
        if item.problem:
            yield _problem_row(item, fmt, item.problem, item.detail)
            continue
        source = Source(item.source_path, fmt, item.n_bytes, path=item.path)
        try:
            yield from read_source(source, params)
        except OSError as exc:
            yield _problem_row(item, fmt, "ingest_unreadable", str(exc))


def _problem_row(item: InputFile, fmt: str, reason: str, detail: str | None = None) -> dict:
    row = new_row(item.source_path, sha256_of(b""), item.n_bytes, fmt or "unknown")
    row["doc_id"] = make_doc_id(item.source_path, f"{reason}:{item.n_bytes}")
    return reject(row, reason, detail or reason.removeprefix("ingest_").replace("_", " "))


def size_problem(size: int, fmt: str, params: IngestParams) -> str | None:
    """Why a file of ``size`` bytes is too large to read, or None: a single-record file is one
    record (``max_bytes``); a file of many records is bounded by ``max_file_bytes``."""
    if is_many_records(fmt):
        if size > params.max_file_bytes:
            return f"{size} bytes > max_file_bytes={params.max_file_bytes} (a file of many records)"
        return None
    if size > params.max_bytes:
        return f"{size} bytes > max_bytes={params.max_bytes}"
    return None


class IngestTally:
    """What the step counts while rows stream past: reasons, notes, and the first rejected and
    repaired records by name (for the Prefect UI), without holding the rows."""

    def __init__(self, max_listed: int):
        self.reasons: Counter = Counter()
        self.notes: Counter = Counter()
        self.rejected: list[dict] = []
        self.repaired: list[dict] = []
        self.max_listed = max_listed
        self.records = 0

    def add(self, row: dict) -> None:
        self.records += 1
        self.reasons[row["reject_reason"]] += 1
        self.notes.update(row["ingest_notes"])
        if row["reject_reason"] and len(self.rejected) < self.max_listed:
            self.rejected.append(
                {"file": row["source_path"], "reason": row["reject_reason"], "detail": shorten(row["reject_detail"] or "", 200)}
            )
        elif row["ingest_notes"] and len(self.repaired) < self.max_listed:
            self.repaired.append({"file": row["source_path"], "notes": ", ".join(row["ingest_notes"])})


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402  (wiring below the pure code)
from prefect.cache_policies import NO_CACHE  # noqa: E402

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
        tally = IngestTally(params.max_listed_records)
        # the documents of every batch are written as they are read: memory holds one batch of
        # texts; the writer sorts the ids (hashes) with an external merge
        with local_input(input_dir) as folder:  # a remote input is fetched where this task runs
            files = list_inputs(folder, params)
            output = StepOutput(store, report, ["documents"])
            try:
                batch: list[dict] = []
                for row in ingest_files(files, params):
                    batch.append(row)
                    tally.add(row)
                    if len(batch) == DOCUMENTS.chunk_rows:
                        output.write("documents", batch)
                        batch = []
                output.write("documents", batch)
            except BaseException:
                output.abort()
                raise
        report.rows_in = len(files)
        report.rows_out = tally.reasons.pop(None, 0)
        report.rejects = count_reasons(tally.reasons.elements())
        report.details.update(
            files=len(files),
            records=tally.records,
            notes=dict(sorted(tally.notes.items())),
            rejected_records=tally.rejected,
            repaired_records=tally.repaired,
        )
        output.parameters["documents"] = {"n_inputs": tally.records}
        return output.publish()

    report = run_step(store, "ingest", params, inputs, compute)
    logger.info("ingest: %d files, %d records, %d accepted, rejects %s, notes %s%s", report.rows_in,
                report.details.get("records", report.rows_out), report.rows_out, report.rejects,
                report.details.get("notes", {}), " (reused)" if report.cached else "")
    if report.rejects:
        listed = report.details.get("rejected_records", [])
        logger.warning(
            "ingest rejected %d records (%s)%s", sum(report.rejects.values()),
            ", ".join(f"{k} {v}" for k, v in report.rejects.items()),
            "".join(f"\n  {r['file']}: {r['reason']}: {r['detail']}" for r in listed[:20]),
        )
    if report.details.get("notes"):
        logger.warning("ingest kept records with repaired or dropped values: %s", report.details["notes"])
    return report
