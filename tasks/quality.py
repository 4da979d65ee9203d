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
from typing import Any, Iterable, Mapping

import pandas as pd
import pyarrow as pa

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

EXPECTATIONS_DIR = Path(
    os.environ.get("DOSSIER_EXPECTATIONS_DIR", Path(__file__).resolve().parents[1] / "expectations")
)
SAMPLE_SIZE = 5

logging.getLogger("great_expectations").setLevel(logging.WARNING)

from tasks.text import shorten

SHOWN_VALUE_CHARS = 120  # of one offending value in a message, log line or artifact


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold."""

    expectation: str
    column: str | None
    observed: Any
    sample: list[Any] = field(default_factory=list)
    why: str | None = None  # the suite's own words for what the expectation guards

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        detail = f"; e.g. {_distinct(self.sample)}" if self.sample else ""
        observed = f" (observed {shorten(self.observed, SHOWN_VALUE_CHARS)})" if self.observed is not None else ""
        what = f"{self.why}: {self.expectation}" if self.why else self.expectation
        return f"{what}{where}{observed}{detail}"


def _distinct(values: list[Any]) -> str:
    """Sample values once each, with how often they were seen: ['hedged' x4, 'x']."""
    counts: dict[str, int] = {}
    for value in values:
        # a value is cut to a readable length: a 50,000-character title must not fill the log
        shown = shorten(repr(value), SHOWN_VALUE_CHARS)
        counts[shown] = counts.get(shown, 0) + 1
    return "[" + ", ".join(f"{v} x{n}" if n > 1 else v for v, n in counts.items()) + "]"


class DataQualityError(Exception):
    """A table failed its suite. Names the table, the failed expectations and offending values."""

    def __init__(self, table: str, failures: list[Failure], result_path: str | None = None):
        self.table = table
        self.failures = failures
        self.result_path = result_path
        lines = [f"table '{table}' failed {len(failures)} check{'s' if len(failures) != 1 else ''} and was not published:"]
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


def prepare() -> None:
    """Import Great Expectations and build this process's context now (a few seconds), e.g. while
    something else is being waited for, rather than inside the first step's check."""
    _context()


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


def _failure(result: Mapping[str, Any]) -> Failure:
    """A failed expectation, from its (JSON) validation result."""
    config = result["expectation_config"]
    kwargs = dict(config.get("kwargs") or {})
    column = kwargs.get("column") or (
        f"{kwargs['column_A']} vs {kwargs['column_B']}" if "column_A" in kwargs
        else ", ".join(kwargs["column_list"]) if "column_list" in kwargs else None
    )
    details = result.get("result") or {}
    sample = list(details.get("partial_unexpected_list") or [])[:SAMPLE_SIZE]
    message = _exception_message(result.get("exception_info"))
    why = (config.get("meta") or {}).get("why")
    return Failure(config["type"], column, message or details.get("observed_value"), sample, why)


def _exception_message(info: Any) -> str | None:
    """GX reports an exception flat or keyed by the metric that raised it."""
    if not isinstance(info, Mapping):
        return None
    if info.get("raised_exception"):
        return info.get("exception_message")
    for value in info.values():
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return value.get("exception_message")
    return None


# Expectations about the whole table (unique keys, row counts): run once, over the columns they
# need. Every other expectation holds row by row and runs chunk by chunk, over every row.
TABLE_WIDE = frozenset(
    {"expect_table_row_count_to_be_between", "expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}
)
_COUNTS = ("element_count", "missing_count", "unexpected_count")
PARTIAL_LIST = 20


_INDEX = "dossier_index"  # each expectation's place in its suite file, carried through GX in meta


@functools.lru_cache(maxsize=None)
def _split_payloads(name: str, directory: str) -> tuple[str, str, tuple[str, ...]]:
    """The suite as two payloads, row-wise and table-wide, and the columns the table-wide need."""
    payload = json.loads(_suite_json(name, directory))
    payload.pop("id", None)
    if payload.get("name") != name:
        raise ValueError(f"suite file {name}.json names suite {payload.get('name')!r}")
    for i, e in enumerate(payload["expectations"]):
        e["meta"] = {**(e.get("meta") or {}), _INDEX: i}
    wide = [e for e in payload["expectations"] if e["type"] in TABLE_WIDE]
    rows = [e for e in payload["expectations"] if e["type"] not in TABLE_WIDE]
    columns: list[str] = []
    for e in wide:
        kwargs = e.get("kwargs") or {}
        for c in [kwargs.get("column"), *(kwargs.get("column_list") or [])]:
            if c and c not in columns:
                columns.append(c)
    return (
        json.dumps({**payload, "expectations": rows}),
        json.dumps({**payload, "expectations": wide}),
        tuple(columns),
    )


def table_wide_columns(name: str) -> list[str]:
    """The columns the table-wide expectations of ``name`` read (keys, unique columns)."""
    return list(_split_payloads(name, str(EXPECTATIONS_DIR))[2])


def _run_suite(payload_json: str, frame: pd.DataFrame, parameters: Mapping[str, Any]) -> dict[str, Any]:
    import great_expectations as gx

    _, batch_definition = _context()
    suite = gx.ExpectationSuite(**json.loads(payload_json))
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    return batch.validate(suite, result_format="SUMMARY", expectation_parameters=dict(parameters)).to_json_dict()


def _merge_results(results: list[dict[str, Any]]) -> dict[str, Any]:
    """One expectation's results over every chunk, as if the table had been checked at once."""
    merged = json.loads(json.dumps(results[0], default=str))
    if len(results) == 1:
        return merged
    merged["success"] = all(r["success"] for r in results)
    failed_first = next((r for r in results if not r["success"]), None)
    if failed_first is not None:
        merged["exception_info"] = failed_first.get("exception_info")
    details = [r.get("result") or {} for r in results]
    out = merged.setdefault("result", {})
    for name in _COUNTS:
        if any(name in d for d in details):
            out[name] = sum(int(d.get(name) or 0) for d in details)
    if "unexpected_count" in out:
        total, missing = out.get("element_count", 0), out.get("missing_count", 0)
        unexpected, present = out["unexpected_count"], total - out.get("missing_count", 0)
        out["unexpected_percent"] = 100.0 * unexpected / present if present else None
        out["unexpected_percent_total"] = 100.0 * unexpected / total if total else None
        out["unexpected_percent_nonmissing"] = out["unexpected_percent"]
        if "missing_percent" in out:
            out["missing_percent"] = 100.0 * missing / total if total else None
        partial = [v for d in details for v in (d.get("partial_unexpected_list") or [])]
        out["partial_unexpected_list"] = partial[:PARTIAL_LIST]
        if "partial_unexpected_counts" in out:
            counts: dict[str, list] = {}
            for d in details:
                for item in d.get("partial_unexpected_counts") or []:
                    key = json.dumps(item["value"], sort_keys=True, default=str)
                    counts.setdefault(key, [item["value"], 0])[1] += item["count"]
            ranked = sorted(counts.values(), key=lambda vc: (-vc[1], json.dumps(vc[0], default=str)))
            out["partial_unexpected_counts"] = [{"value": v, "count": c} for v, c in ranked[:PARTIAL_LIST]]
    if failed_first is not None and "observed_value" in (failed_first.get("result") or {}):
        out["observed_value"] = failed_first["result"]["observed_value"]
    return merged


def validate_chunks(
    name: str,
    chunks: Iterable[pd.DataFrame],
    table_wide: pd.DataFrame,
    parameters: Mapping[str, Any] | None = None,
) -> Verdict:
    """Validate a table given as chunks of rows plus its table-wide columns (every row).

    Row-wise expectations run on each chunk and their results are added up (counts summed, samples
    joined); unique keys and row counts run once on ``table_wide``. The result has the shape of one
    GX validation of the whole table, with ``meta.dossier`` saying how it was checked.
    """
    rows_json, wide_json, _ = _split_payloads(name, str(EXPECTATIONS_DIR))
    parameters = dict(parameters or {})
    per_chunk: list[dict[str, Any]] = []
    n_rows = 0
    for frame in chunks:
        per_chunk.append(_run_suite(rows_json, frame, parameters))
        n_rows += len(frame)
    wide = _run_suite(wide_json, table_wide, parameters)
    by_index: dict[int, list[dict[str, Any]]] = {}
    for payload in [*per_chunk, wide]:
        for result in payload["results"]:
            by_index.setdefault(result["expectation_config"]["meta"][_INDEX], []).append(result)
    results = [_merge_results(by_index[i]) for i in sorted(by_index)]
    for result in results:
        result["expectation_config"]["meta"].pop(_INDEX, None)
        result["expectation_config"]["kwargs"].pop("batch_id", None)
    n_failed = sum(not r["success"] for r in results)
    payload = {
        **{k: v for k, v in wide.items() if k not in ("results", "statistics", "success")},
        "success": n_failed == 0,
        "results": results,
        "statistics": {
            "evaluated_expectations": len(results),
            "successful_expectations": len(results) - n_failed,
            "unsuccessful_expectations": n_failed,
            "success_percent": 100.0 * (len(results) - n_failed) / len(results) if results else None,
        },
    }
    payload.setdefault("meta", {})["dossier"] = {
        "rows": n_rows, "chunks": len(per_chunk), "table_wide_rows": len(table_wide),
    }
    return Verdict(
        table=name,
        success=n_failed == 0,
        evaluated=len(results),
        failed=n_failed,
        failures=[_failure(r) for r in results if not r["success"]],
        result=json.loads(json.dumps(payload, default=str)),
    )


def validate_table(
    name: str,
    table: pa.Table,
    parameters: Mapping[str, Any] | None = None,
    texts: Mapping[str, str] | None = None,
) -> Verdict:
    """Validate one in-memory table with its suite; never raises on a failed expectation."""
    frame = derive_columns(table, texts)
    return validate_chunks(name, [frame], frame, parameters)


def require(verdict: Verdict, result_path: str | None = None) -> None:
    """Raise ``DataQualityError`` when the verdict is a failure."""
    if not verdict.success:
        raise DataQualityError(verdict.table, verdict.failures, result_path)
