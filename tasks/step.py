"""What every step's task does after its pure function: stage, check, publish, report.

write -> check -> publish (or roll back): every table a step produces is staged, validated by its
suite (result saved to ``quality/<table>.json``) and only then renamed into the run folder. If any
table of the step fails, none of the step's tables is published and ``DataQualityError`` is raised.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import PurePosixPath
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tasks.cache import REUSED_DETAILS, StepCache, code_fingerprint, make_key
from tasks.quality import DataQualityError, derive_columns, table_wide_columns, validate_chunks
from tasks.schemas import TABLES, to_arrow
from tasks.store import QUALITY, RunStore


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class StepReport:
    """A step's entry in the manifest."""

    name: str
    started_at: str = field(default_factory=utc_now)
    finished_at: str | None = None
    cached: bool = False
    rows_in: int = 0
    rows_out: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    quality: dict[str, dict[str, Any]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # table or file -> sha256 read
    code: str | None = None  # fingerprint of the code the output depends on
    key: str | None = None  # cache key: code, parameters, inputs
    reused_from: str | None = None  # the run whose tables were reused, when cached
    details: dict[str, Any] = field(default_factory=dict)  # step-specific figures

    @property
    def verdict(self) -> str:
        if not self.quality:
            return "not_checked"
        return "passed" if all(q["success"] for q in self.quality.values()) else "failed"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "cached": self.cached,
            "reused_from": self.reused_from,
            "key": self.key,
            "code": self.code,
            "inputs": dict(sorted(self.inputs.items())),
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rejects": dict(sorted(self.rejects.items())),
            "tables": self.tables,
            "quality": self.quality,
            "verdict": self.verdict,
            **self.details,
        }


def count_reasons(reasons) -> dict[str, int]:
    return dict(sorted(Counter(r for r in reasons if r).items()))


def _pause_for_fault_tests(step: str) -> None:
    """Fault injection for the crash tests: ``DOSSIER_PAUSE_STAGED=<step>:<seconds>`` holds a step
    with its tables staged but not yet checked or published, so a test can kill the process there."""
    setting = os.environ.get("DOSSIER_PAUSE_STAGED", "")
    if setting.partition(":")[0] == step:
        time.sleep(float(setting.partition(":")[2] or 60))


TextLookup = Callable[[pa.Table], Mapping[str, str]]


class StepOutput:
    """The tables one step writes: streamed into staging batch by batch, then checked chunk by chunk
    by their suites, then published together, or not at all.

    ``texts`` gives, for a chunk of rows, the article texts of its documents (the ``mentions.text``
    equals its slice check and its kin); ``article_texts(store)`` reads them from ``articles``; a
    plain mapping doc_id -> text does too.
    """

    def __init__(
        self,
        store: RunStore,
        report: StepReport,
        names: Sequence[str],
        parameters: Mapping[str, Mapping[str, Any]] | None = None,
        texts: TextLookup | Mapping[str, str] | None = None,
    ):
        self.store = store
        self.report = report
        self.parameters = dict(parameters or {})
        self.texts = (lambda chunk: texts) if isinstance(texts, Mapping) else texts
        self.writers = {name: store.writer(name) for name in names}

    def write(self, name: str, rows: list[dict] | pa.Table) -> None:
        table = rows if isinstance(rows, pa.Table) else to_arrow(TABLES[name], rows)
        self.writers[name].write(table)

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.abort()

    def publish(self) -> StepReport:
        """Stage, validate and publish every table; raise ``DataQualityError`` if any fails."""
        try:
            for writer in self.writers.values():
                self.store.stage_written(writer)
        except BaseException:
            self.abort()
            raise
        _pause_for_fault_tests(self.report.name)
        failed: list[DataQualityError] = []
        for name in self.writers:
            verdict = self._validate(name)
            self.store.write_quality(name, verdict.result)
            rel = f"{QUALITY}/{name}.json"
            self.report.quality[name] = {**verdict.summary(), "result_path": rel}
            if not verdict.success:
                failed.append(DataQualityError(name, verdict.failures, f"{self.store.run_url}/{rel}"))
        if failed:
            for name in self.writers:
                self.store.discard(name)
            self.report.finished_at = utc_now()
            error = failed[0] if len(failed) == 1 else DataQualityError(
                ", ".join(e.table for e in failed),
                [f for e in failed for f in e.failures],
                ", ".join(e.result_path or "" for e in failed),
            )
            error.step_report = self.report.as_dict()
            raise error
        for name in self.writers:
            self.report.tables[name] = self.store.publish(name).as_dict()
        self.report.finished_at = utc_now()
        return self.report

    def _validate(self, name: str):
        """Every row is checked: row-wise expectations chunk by chunk, keys and counts at once."""
        store, texts = self.store, self.texts

        def chunks():
            seen = False
            for chunk in store.iter_chunks(name, staged=True):
                seen = True
                yield derive_columns(chunk, texts(chunk) if texts and "doc_id" in chunk.column_names else None)
            if not seen:
                empty = TABLES[name].schema.empty_table()
                yield derive_columns(empty, {} if texts and "doc_id" in empty.column_names else None)

        wide_columns = table_wide_columns(name) or list(TABLES[name].key)
        # every key of the table, kept in Arrow's compact strings: the one part of a check that
        # grows with the table (a few tens of bytes a row)
        wide = store.read_columns(name, wide_columns, staged=True).to_pandas(types_mapper=pd.ArrowDtype)
        return validate_chunks(name, chunks(), wide, self.parameters.get(name))


def article_texts(store: RunStore) -> TextLookup:
    """For a chunk of rows sorted by ``doc_id``: the published article texts of its documents (only
    the ids when the chunk has no character offsets to check)."""

    def lookup(chunk: pa.Table) -> Mapping[str, str]:
        if chunk.num_rows == 0:
            return {}
        doc_ids = chunk.column("doc_id")
        with_text = "start_char" in chunk.column_names
        found = store.read_between(
            "articles", ["doc_id", "text"] if with_text else ["doc_id"], "doc_id",
            pc.min(doc_ids).as_py(), pc.max(doc_ids).as_py(),
        )
        ids = found.column("doc_id").to_pylist()
        return dict(zip(ids, found.column("text").to_pylist())) if with_text else dict.fromkeys(ids, "")

    return lookup


def publish_checked(
    store: RunStore,
    report: StepReport,
    tables: Mapping[str, pa.Table],
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    texts: TextLookup | Mapping[str, str] | None = None,
) -> StepReport:
    """Stage, validate and publish tables built whole in memory (see ``StepOutput``)."""
    output = StepOutput(store, report, list(tables), parameters, texts)
    for name, table in tables.items():
        output.write(name, table)
    return output.publish()


def input_hashes(store: RunStore, tables: Sequence[str]) -> dict[str, str]:
    """SHA-256 of the published tables of this run that a step reads (its lineage)."""
    return {name: store.sha256(name) for name in tables}


def reuse_cached(store: RunStore, report: StepReport, entry: Mapping[str, Any]) -> StepReport:
    """Publish a finished step's tables from an earlier run: hard links (or copies), checked by hash.

    The quality results are those of the same bytes under the same suites (both are in the key).
    """
    source = entry["run_dir"]
    for name, info in entry["tables"].items():
        store.reuse(source, info["path"])
        if store.sha256(name) != info["sha256"]:
            raise RuntimeError(f"cached table {name} in {source} changed since it was recorded")
        result = f"{QUALITY}/{name}.json"
        if store.location.exists(str(store.location.as_path(source) / result)):
            store.reuse(source, result)
    report.cached = True
    report.reused_from = PurePosixPath(source).name
    report.tables = {k: dict(v) for k, v in entry["tables"].items()}
    report.quality = {k: dict(v) for k, v in entry["quality"].items()}
    report.rows_in, report.rows_out = entry["rows_in"], entry["rows_out"]
    report.rejects = dict(entry["rejects"])
    for key in REUSED_DETAILS:
        if key in entry:
            report.details[key] = entry[key]
    report.finished_at = utc_now()
    return report


def run_step(
    store: RunStore,
    name: str,
    parameters: Any,
    inputs: Mapping[str, str],
    compute: Callable[[StepReport], StepReport],
) -> StepReport:
    """Run a step, or reuse its output from a finished run with the same key.

    The key is the step's code fingerprint, its parameters and the hashes of what it reads.
    """
    report = StepReport(name)
    report.inputs = dict(inputs)
    report.code = code_fingerprint(name)
    params_json = parameters.model_dump(mode="json") if hasattr(parameters, "model_dump") else parameters
    report.key = make_key(name, report.code, params_json, report.inputs)
    cache = StepCache(store.location)
    from tasks.artifacts import publish_step_artifacts

    entry = cache.lookup(report.key)
    if entry is not None:
        try:
            reuse_cached(store, report, entry)
            publish_step_artifacts(report, store)
            return report
        except (OSError, RuntimeError):
            report = StepReport(name, inputs=dict(inputs), code=report.code, key=report.key)
            report.details["cache_error"] = "cached tables missing or changed; recomputed"
    try:
        compute(report)
    finally:
        publish_step_artifacts(report, store)  # a failed check shows in the UI too
    cache.record(report.key, store.run_path, report.as_dict())
    return report
