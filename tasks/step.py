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

import pyarrow as pa

from tasks.cache import StepCache, code_fingerprint, make_key
from tasks.quality import DataQualityError, validate_table
from tasks.schemas import TABLES
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


def publish_checked(
    store: RunStore,
    report: StepReport,
    tables: Mapping[str, pa.Table],
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    texts: Mapping[str, str] | None = None,
) -> StepReport:
    """Stage, validate and publish a step's tables; raise if any fails its suite."""
    parameters = parameters or {}
    failed: list[DataQualityError] = []
    for name, table in tables.items():
        store.stage(TABLES[name], table)
    _pause_for_fault_tests(report.name)
    for name, table in tables.items():
        verdict = validate_table(name, table, parameters.get(name), texts)
        store.write_quality(name, verdict.result)
        rel = f"{QUALITY}/{name}.json"
        report.quality[name] = {**verdict.summary(), "result_path": rel}
        if not verdict.success:
            failed.append(DataQualityError(name, verdict.failures, rel))
    if failed:
        for name in tables:
            store.discard(name)
        report.finished_at = utc_now()
        error = failed[0] if len(failed) == 1 else DataQualityError(
            ", ".join(e.table for e in failed),
            [f for e in failed for f in e.failures],
            ", ".join(e.result_path or "" for e in failed),
        )
        error.step_report = report.as_dict()
        raise error
    for name in tables:
        report.tables[name] = store.publish(name).as_dict()
    report.finished_at = utc_now()
    return report


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
