"""What every step's task does after its pure function: stage, check, publish, report.

write -> check -> publish (or roll back): every table a step produces is staged, validated by its
suite (result saved to ``quality/<table>.json``) and only then renamed into the run folder. If any
table of the step fails, none of the step's tables is published and ``DataQualityError`` is raised.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

import pyarrow as pa

from tasks.quality import DataQualityError, validate_table
from tasks.schemas import TABLES
from tasks.store import RunStore


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
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rejects": dict(sorted(self.rejects.items())),
            "tables": self.tables,
            "quality": self.quality,
            "verdict": self.verdict,
        }


def count_reasons(reasons) -> dict[str, int]:
    return dict(sorted(Counter(r for r in reasons if r).items()))


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
        verdict = validate_table(name, table, parameters.get(name), texts)
        result_path = store.write_quality(name, verdict.result)
        rel = str(result_path.relative_to(store.run_dir))
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
