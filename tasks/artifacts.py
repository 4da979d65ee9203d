"""What each step shows in the Prefect UI: Prefect artifacts built from its ``StepReport``.

Every step publishes a table artifact (rows in and out, rejects by reason, tables written, and the
verdict of each Great Expectations suite with the path of its full result). After aggregation a
markdown artifact summarises the best-corroborated claims and the conflicts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from prefect.artifacts import create_markdown_artifact, create_table_artifact

if TYPE_CHECKING:
    from tasks.step import StepReport
    from tasks.store import RunStore


def artifact_key(*parts: str) -> str:
    """Prefect artifact keys: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


def step_rows(report: "StepReport", store: "RunStore") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"what": "rows in", "value": report.rows_in},
        {"what": "rows out", "value": report.rows_out},
        {"what": "cached", "value": f"yes (from {report.reused_from})" if report.cached else "no"},
    ]
    rows += [{"what": f"rejected: {reason}", "value": n} for reason, n in report.rejects.items()]
    for table, info in report.tables.items():
        rows.append({"what": f"table {table}", "value": f"{info['rows']} rows, sha256 {info['sha256'][:12]}"})
    for table, q in report.quality.items():
        verdict = "passed" if q["success"] else "FAILED"
        rows.append(
            {
                "what": f"check {table}",
                "value": f"{verdict}: {q['evaluated'] - q['failed']}/{q['evaluated']} expectations; "
                f"full result {store.run_dir / q['result_path']}",
            }
        )
    return rows


def _in_prefect_run() -> bool:
    """Artifacts belong to a flow or task run; plain calls (``.fn()`` in tests) publish none."""
    from prefect.context import FlowRunContext, TaskRunContext

    return FlowRunContext.get() is not None or TaskRunContext.get() is not None


def publish_step_artifacts(report: "StepReport", store: "RunStore") -> None:
    if not _in_prefect_run():
        return
    create_table_artifact(
        step_rows(report, store),
        key=artifact_key("dossier", report.name),
        description=f"{report.name} of run {store.run_id}: rows, rejects and quality verdicts",
    )


def claims_markdown(summary: Sequence[Mapping[str, Any]], run_id: str, report_path: str | None, top: int = 15) -> str:
    ranked = sorted(summary, key=lambda r: (-r["n_independent_sources"], -r["n_mentions"], r["claim_key"]))
    lines = [f"# dossier run {run_id}", ""]
    if report_path:
        lines += [f"Full report: `{report_path}`", ""]
    lines += [
        f"## Top corroborated claims ({min(top, len(ranked))} of {len(ranked)})",
        "",
        "| subject | predicate | object | item | figures | independent sources | credited to | conflict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in ranked[:top]:
        figures = ", ".join(f"{v:,.0f}" for v in r["values"]) or "-"
        lines.append(
            f"| {r['subject_id']} | {r['predicate']} | {r['object_id'] or '-'} | {r['item'] or '-'} | {figures} "
            f"| {r['n_independent_sources']} | {'; '.join(r['attributed_to']) or '-'} | {'**yes**' if r['conflict'] else 'no'} |"
        )
    conflicts = [r for r in ranked if r["conflict"]]
    lines += ["", f"## Conflicts ({len(conflicts)})", ""]
    lines += [f"- `{r['claim_key']}`: {r['conflict_reason']} (figures: {', '.join(f'{v:,.0f}' for v in r['values'])})" for r in conflicts]
    if not conflicts:
        lines.append("No figures disagree.")
    return "\n".join(lines) + "\n"


def publish_summary_artifact(summary: Sequence[Mapping[str, Any]], store: "RunStore", report_path: str | None = None) -> None:
    if not _in_prefect_run():
        return
    create_markdown_artifact(
        claims_markdown(summary, store.run_id, report_path),
        key=artifact_key("dossier", "claims"),
        description=f"corroborated claims and conflicts of run {store.run_id}",
    )
