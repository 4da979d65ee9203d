"""Data-quality checks: the suites in ``expectations/`` run by Great Expectations on every table.

Each table has one JSON suite, ``expectations/<table>.json``, loaded here (never rebuilt inline).
Checks GX has no expectation for are expressed over derived columns whose names start with ``_``:
before validation the table gets, for instance, ``_slice`` (the article text between ``start_char``
and ``end_char``) so that "``text`` equals its slice" is GX's own ``expect_column_pair_values_to_be_equal``.
Row-count bounds that depend on the run (articles = accepted documents, ...) are suite parameters
(``{"$PARAMETER": "n_accepted"}``) supplied by the step.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import pyarrow as pa

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

EXPECTATIONS_DIR = Path(
    os.environ.get("DOSSIER_EXPECTATIONS_DIR", Path(__file__).resolve().parents[1] / "expectations")
)
SAMPLE_SIZE = 5

logging.getLogger("great_expectations").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold."""

    expectation: str
    column: str | None
    observed: Any
    sample: list[Any] = field(default_factory=list)

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        detail = f"; e.g. {self.sample}" if self.sample else ""
        observed = f" (observed {self.observed})" if self.observed is not None else ""
        return f"{self.expectation}{where}{observed}{detail}"


class DataQualityError(Exception):
    """A table failed its suite. Names the table, the failed expectations and offending values."""

    def __init__(self, table: str, failures: list[Failure], result_path: str | None = None):
        self.table = table
        self.failures = failures
        self.result_path = result_path
        lines = [f"table '{table}' failed {len(failures)} expectation(s) and was not published:"]
        lines += [f"  - {f.describe()}" for f in failures]
        if result_path:
            lines.append(f"  full result: {result_path}")
        super().__init__("\n".join(lines))

    def __reduce__(self):  # keeps the table and failures when Prefect pickles the exception
        return (type(self), (self.table, self.failures, self.result_path), self.__dict__)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one validation."""

    table: str
    success: bool
    evaluated: int
    failed: int
    failures: list[Failure]
    result: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "success": self.success,
            "evaluated": self.evaluated,
            "failed": self.failed,
            "failures": [f.describe() for f in self.failures],
        }


def _quiet_gx() -> None:
    """GX logs its set-up at INFO on loggers of its own; a run's output is not the place for it."""
    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


@functools.lru_cache(maxsize=1)
def _context():
    """One ephemeral GX context per process, with one pandas batch definition."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _quiet_gx()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("dossier")
    return context, source.add_dataframe_asset("table").add_batch_definition_whole_dataframe("all")


@functools.lru_cache(maxsize=None)
def _suite_json(name: str, directory: str) -> str:
    path = Path(directory) / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"no expectation suite for table '{name}': expected {path}")
    return path.read_text("utf-8")


def load_suite(name: str, directory: Path | None = None):
    """Load ``expectations/<name>.json`` as a GX ExpectationSuite."""
    import great_expectations as gx

    _context()  # expectations can only be attached once a context exists
    payload = json.loads(_suite_json(name, str(directory or EXPECTATIONS_DIR)))
    payload.pop("id", None)
    if payload.get("name") != name:
        raise ValueError(f"suite file {name}.json names suite {payload.get('name')!r}")
    return gx.ExpectationSuite(**payload)


def derive_columns(table: pa.Table, texts: Mapping[str, str] | None) -> pd.DataFrame:
    """The frame that is validated: the table plus the derived ``_`` columns its suite checks."""
    df = table.to_pandas()
    if texts is None or "doc_id" not in df.columns:
        return df
    doc_ids = df["doc_id"].tolist()
    df["_doc_known"] = [d in texts for d in doc_ids]
    if "start_char" in df.columns and "end_char" in df.columns:
        starts, ends = df["start_char"].tolist(), df["end_char"].tolist()
        df["_text_len"] = [len(texts.get(d, "")) for d in doc_ids]
        df["_slice"] = [texts.get(d, "")[s:e] for d, s, e in zip(doc_ids, starts, ends)]
    return df


def _failure(result: Any) -> Failure:
    config = result.expectation_config
    kwargs = dict(config.kwargs)
    column = kwargs.get("column") or (
        f"{kwargs['column_A']} vs {kwargs['column_B']}" if "column_A" in kwargs else None
    )
    details = result.result or {}
    sample = list(details.get("partial_unexpected_list") or [])[:SAMPLE_SIZE]
    if result.exception_info and result.exception_info.get("raised_exception"):
        return Failure(config.type, column, result.exception_info.get("exception_message"), sample)
    return Failure(config.type, column, details.get("observed_value"), sample)


def validate_table(
    name: str,
    table: pa.Table,
    parameters: Mapping[str, Any] | None = None,
    texts: Mapping[str, str] | None = None,
) -> Verdict:
    """Validate one table with its suite; never raises on a failed expectation (see ``require``)."""
    _, batch_definition = _context()
    suite = load_suite(name)
    frame = derive_columns(table, texts)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(
        suite, result_format="SUMMARY", expectation_parameters=dict(parameters or {})
    )
    payload = result.to_json_dict()
    failures = [_failure(r) for r in result.results if not r.success]
    stats = payload.get("statistics", {})
    return Verdict(
        table=name,
        success=bool(result.success),
        evaluated=int(stats.get("evaluated_expectations", 0)),
        failed=int(stats.get("unsuccessful_expectations", 0)),
        failures=failures,
        result=payload,
    )


def require(verdict: Verdict, result_path: str | None = None) -> None:
    """Raise ``DataQualityError`` when the verdict is a failure."""
    if not verdict.success:
        raise DataQualityError(verdict.table, verdict.failures, result_path)
