"""What each step shows in the Prefect UI: Prefect artifacts built from its ``StepReport``.

Every step publishes a table artifact (rows in and out, rejects by reason, tables written, and the
verdict of each Great Expectations suite with the path of its full result). After aggregation a
markdown artifact summarises the best-corroborated claims and the conflicts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from prefect.artifacts import create_markdown_artifact, create_table_artifact

if TYPE_CHECKING:
    from tasks.step import StepReport
    from tasks.store import RunStore


def artifact_key(*parts: str) -> str:
    """Prefect artifact keys: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")


def step_rows(report: "StepReport", store: "RunStore") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"what": f"{report.name} read", "value": report.rows_in},
        {"what": f"{report.name} kept", "value": report.rows_out},
        {"what": "cached", "value": f"yes (from {report.reused_from})" if report.cached else "no"},
    ]
    rows += [{"what": f"rejected: {reason}", "value": n} for reason, n in report.rejects.items()]
    rows += [{"what": f"kept, value repaired or dropped: {note}", "value": n} for note, n in report.details.get("notes", {}).items()]
    for record in report.details.get("rejected_records", []):
        rows.append({"what": f"rejected record {record['file']}", "value": f"{record['reason']}: {record['detail']}"})
    for record in report.details.get("repaired_records", []):
        rows.append({"what": f"kept record {record['file']}", "value": f"notes: {record['notes']}"})
    for table, info in report.tables.items():
        rows.append({"what": f"table {table}", "value": f"{_rows(info['rows'])}, sha256 {info['sha256'][:12]}"})
    for table, q in report.quality.items():
        if q["success"]:
            verdict = f"passed: all {q['evaluated']} checks"
        else:
            verdict = f"FAILED: {q['failed']} of {q['evaluated']} checks failed ({'; '.join(q['failures'])})"
        rows.append({"what": f"check {table}", "value": f"{verdict}; full result {store.run_dir / q['result_path']}"})
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


def _figures(figures: Sequence[tuple[str | None, float]]) -> str:
    """Each distinct stated figure once, with its qualifier and how many statements give it."""
    from tasks.report import format_figure

    counts: dict[tuple[str | None, float], int] = {}
    for qualifier, value in figures:
        counts[(qualifier, value)] = counts.get((qualifier, value), 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0] or ""))
    return "; ".join(format_figure(v, q) + (f" (x{n})" if n > 1 else "") for (q, v), n in ordered) or "-"


def claims_markdown(
    summary: Sequence[Mapping[str, Any]],
    run_id: str,
    report_path: str | None,
    names: Callable[[str | None], str] | None = None,
    figures: Mapping[str, Sequence[tuple[str | None, float]]] | None = None,
    top: int = 15,
) -> str:
    """The claims a person looks at first: those with two or more independent sources, then the
    conflicts. ``names`` turns ids into names; ``figures`` gives each claim id's (qualifier, value)."""
    names = names or (lambda entity_id: entity_id or "")
    figures = figures or {}

    def who(entity_id: str | None) -> str:
        if not entity_id:
            return "-"
        name = names(entity_id)
        return f"{name} ({entity_id})" if name and name != entity_id and ":" not in entity_id else name or entity_id

    def stated(r: Mapping[str, Any]) -> str:
        pairs = [f for claim_id in r.get("claim_ids") or [] for f in figures.get(claim_id, [])]
        return _figures(pairs) if pairs else _figures([(None, v) for v in r["values"]])

    ranked = sorted(summary, key=lambda r: (-r["n_independent_sources"], -r["n_mentions"], r["claim_key"]))
    corroborated = [r for r in ranked if r["n_independent_sources"] >= 2]
    lines = [f"# dossier run {run_id}", ""]
    if report_path:
        lines += [f"Full report (every claim with its evidence): `{report_path}`", ""]
    lines += [
        f"## Corroborated claims: two or more independent sources ({len(corroborated)} of {len(ranked)} "
        f"distinct claims{f'; the first {top}' if len(corroborated) > top else ''})",
        "",
    ]
    if corroborated:
        lines += [
            "| independent sources | upstream sources | only speculate | deny | subject | predicate | object | item "
            "| conflict | figures stated | credited to |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in corroborated[:top]:
            lines.append(
                f"| {r['n_independent_sources']} | {r.get('n_upstream_sources', '-')} | {r.get('n_hypothetical_sources', 0)} "
                f"| {r.get('n_denying_sources', 0)} | {who(r['subject_id'])} | {r['predicate']} | {who(r['object_id'])} "
                f"| {r['item'] or '-'} | {'**yes**' if r['conflict'] else 'no'} | {stated(r)} "
                f"| {'; '.join(r['attributed_to']) or '-'} |"
            )
    else:
        lines.append("No claim is stated by two independent sources yet.")
    single = sum(1 for r in ranked if r["n_independent_sources"] == 1)
    unsaid = sum(1 for r in ranked if r["n_independent_sources"] == 0)
    lines += ["", f"{single} further claim{'s have' if single != 1 else ' has'} a single source, and {unsaid} "
              f"{'are' if unsaid != 1 else 'is'} only speculated or denied, stated by no source (see the report).", ""]
    conflicts = [r for r in ranked if r["conflict"]]
    lines += [f"## Conflicting figures ({len(conflicts)})", ""]
    lines += [f"- `{r['claim_key']}`: {r['conflict_reason']} (stated: {stated(r)})" for r in conflicts]
    if not conflicts:
        lines.append("No figures disagree.")
    return "\n".join(lines) + "\n"


def publish_summary_artifact(summary: Sequence[Mapping[str, Any]], store: "RunStore", report_path: str | None = None) -> None:
    if not _in_prefect_run():
        return
    from tasks.report import Names

    names = Names(store.read_columns("entities", ["entity_id", "name"]).to_pylist()) if store.has("entities") else None
    figures: dict[str, list[tuple[str | None, float]]] = {}
    if store.has("claims"):
        for c in store.read_columns("claims", ["claim_id", "value", "qualifier"]).to_pylist():
            if c["value"] is not None:
                figures.setdefault(c["claim_id"], []).append((c["qualifier"], c["value"]))
    create_markdown_artifact(
        claims_markdown(summary, store.run_id, report_path, names, figures),
        key=artifact_key("dossier", "claims"),
        description=f"corroborated claims and conflicts of run {store.run_id}",
    )
