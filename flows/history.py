"""Run history for people: list runs, show one, and say what changed between two.

Everything here reads what runs left on disk (``manifest.json``, tables, quality results); nothing
needs the Prefect server.
"""

from __future__ import annotations

import math
from typing import Any

import pyarrow.parquet as pq

from tasks.store import LATEST, MANIFEST, RUNS_DIR, Location, latest_run_id

# Run folders are Path objects on a local disk and PurePosixPath objects on an object store; the
# Location of the output root reads both.
_LOCATIONS: dict[str, Location] = {}


def _location(output_dir) -> Location:
    key = str(output_dir)
    if key not in _LOCATIONS:
        _LOCATIONS[key] = Location(key)
    return _LOCATIONS[key]


def _location_of(run_dir) -> Location:
    """The Location a run folder was found in (object-store paths carry no scheme)."""
    root = str(run_dir.parent.parent).rstrip("/")
    for location in _LOCATIONS.values():
        if location.path.rstrip("/") == root:
            return location
    return _location(root)


def run_dirs(output_dir) -> list:
    location = _location(output_dir)
    runs = location.join(RUNS_DIR)
    return [location.as_path(runs) / name for name in location.list_dirs(runs) if not name.startswith(".")]


def load_manifest(run_dir) -> dict[str, Any]:
    location = _location_of(run_dir)
    try:
        return location.read_json(str(run_dir / MANIFEST))
    except (OSError, ValueError):
        # A run killed before it wrote its first manifest.
        return {"run_id": run_dir.name, "status": "unknown", "steps": []}


def resolve_run(output_dir, ref: str):
    """A run folder from an id, a unique prefix of one, ``latest`` or ``previous``."""
    dirs = run_dirs(output_dir)
    if ref == LATEST:
        latest = latest_run_id(output_dir)
        if latest is None:
            raise LookupError(f"{output_dir} has no successful run yet")
        location = _location(output_dir)
        return location.as_path(location.join(RUNS_DIR, latest))
    if ref == "previous":
        done = [d for d in dirs if load_manifest(d).get("status") == "succeeded"]
        if len(done) < 2:
            raise LookupError("fewer than two successful runs")
        return done[-2]
    matches = [d for d in dirs if d.name == ref] or [d for d in dirs if d.name.startswith(ref)]
    if len(matches) != 1:
        known = ", ".join(d.name for d in dirs[-5:]) or "none"
        raise LookupError(f"no single run matches {ref!r} (latest runs: {known})")
    return matches[0]


def list_runs(output_dir) -> list[dict[str, Any]]:
    latest = latest_run_id(output_dir)
    rows = []
    for run_dir in run_dirs(output_dir):
        m = load_manifest(run_dir)
        steps = m.get("steps", [])
        ingest = next((s for s in steps if s["name"] == "ingest"), None)
        rows.append(
            {
                "run_id": m.get("run_id", run_dir.name),
                "status": m.get("status"),
                "latest": run_dir.name == latest,
                "started_at": m.get("started_at"),
                "finished_at": m.get("finished_at"),
                "documents": ingest["rows_in"] if ingest else None,
                "accepted": ingest["rows_out"] if ingest else None,
                "cached_steps": sum(bool(s.get("cached")) for s in steps),
                "failed_step": m.get("failed_step"),
            }
        )
    return rows


def format_runs(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'run_id':<27} {'status':<10} {'docs':>6} {'ok':>6} {'cached':>6}  started"]
    for r in rows:
        mark = " <- latest" if r["latest"] else ""
        failed = f" (failed in {r['failed_step']})" if r["failed_step"] else ""
        lines.append(
            f"{r['run_id']:<27} {r['status'] or '?':<10} {r['documents'] if r['documents'] is not None else '-':>6} "
            f"{r['accepted'] if r['accepted'] is not None else '-':>6} {r['cached_steps']:>6}  "
            f"{r['started_at'] or '-'}{failed}{mark}"
        )
    return "\n".join(lines)


def _read(run_dir, table: str, columns: list[str]) -> list[dict[str, Any]]:
    location = _location_of(run_dir)
    path = str(run_dir / f"{table}.parquet")
    if not location.exists(path):
        return []
    with location.fs.open(path, "rb") as handle:
        return pq.read_table(handle, columns=columns).to_pylist()


def _verdicts(manifest: dict[str, Any]) -> dict[str, bool]:
    return {t: q["success"] for s in manifest.get("steps", []) for t, q in s.get("quality", {}).items()}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def diff_runs(run_a: Path, run_b: Path) -> dict[str, Any]:
    """What changed from run A to run B: documents, claims, figures, sources and check verdicts."""
    docs_a = {d["doc_id"]: d["source_path"] for d in _read(run_a, "documents", ["doc_id", "source_path"])}
    docs_b = {d["doc_id"]: d["source_path"] for d in _read(run_b, "documents", ["doc_id", "source_path"])}
    cols = ["claim_key", "values", "attributed_to", "n_docs", "n_independent_sources", "conflict"]
    claims_a = {c["claim_key"]: c for c in _read(run_a, "claim_summary", cols)}
    claims_b = {c["claim_key"]: c for c in _read(run_b, "claim_summary", cols)}
    changed = []
    for key in sorted(claims_a.keys() & claims_b.keys()):
        a, b = claims_a[key], claims_b[key]
        what = {
            field: {"from": a[field], "to": b[field]}
            for field in cols[1:]
            if not _same(a[field], b[field])
        }
        if what:
            entry: dict[str, Any] = {"claim_key": key, "changes": what}
            new_sources = sorted(set(b["attributed_to"]) - set(a["attributed_to"]))
            if new_sources:
                entry["new_sources"] = new_sources
            changed.append(entry)
    verdicts_a = _verdicts(load_manifest(run_a))
    verdicts_b = _verdicts(load_manifest(run_b))
    checks = [
        {"table": t, "from": verdicts_a.get(t), "to": verdicts_b.get(t)}
        for t in sorted(verdicts_a.keys() | verdicts_b.keys())
        if verdicts_a.get(t) != verdicts_b.get(t)
    ]
    return {
        "run_a": run_a.name,
        "run_b": run_b.name,
        "documents_added": sorted(docs_b[d] for d in docs_b.keys() - docs_a.keys()),
        "documents_removed": sorted(docs_a[d] for d in docs_a.keys() - docs_b.keys()),
        "claims_new": sorted(claims_b.keys() - claims_a.keys()),
        "claims_gone": sorted(claims_a.keys() - claims_b.keys()),
        "claims_changed": changed,
        "checks_changed": checks,
    }


def format_diff(diff: dict[str, Any]) -> str:
    lines = [f"{diff['run_a']} -> {diff['run_b']}"]
    for label, key in (
        ("documents added", "documents_added"),
        ("documents removed", "documents_removed"),
        ("claims new", "claims_new"),
        ("claims gone", "claims_gone"),
    ):
        lines.append(f"{label}: {len(diff[key])}")
        lines += [f"  + {v}" if "added" in key or "new" in key else f"  - {v}" for v in diff[key]]
    lines.append(f"claims changed: {len(diff['claims_changed'])}")
    for c in diff["claims_changed"]:
        lines.append(f"  ~ {c['claim_key']}")
        for field, change in c["changes"].items():
            lines.append(f"      {field}: {change['from']} -> {change['to']}")
    lines.append(f"checks changed: {len(diff['checks_changed'])}")
    for c in diff["checks_changed"]:
        lines.append(f"  ! {c['table']}: {c['from']} -> {c['to']}")
    return "\n".join(lines)


def format_run(run_dir: Path) -> str:
    """``runs show``: the manifest in a few readable lines."""
    m = load_manifest(run_dir)
    lines = [
        f"run {m.get('run_id')}: {m.get('status')}",
        f"started {m.get('started_at')}  finished {m.get('finished_at')}",
        f"code {m.get('code_version')}",
        f"input {m.get('parameters', {}).get('input_dir')}: {len(m.get('inputs', []))} files",
    ]
    for s in m.get("steps", []):
        cached = f" (reused from {s.get('reused_from')})" if s.get("cached") else ""
        rejects = ", ".join(f"{k}={v}" for k, v in s.get("rejects", {}).items())
        lines.append(
            f"{s['name']:<10} {s.get('verdict', '?'):<8} rows {s['rows_in']} -> {s['rows_out']}"
            f"{'  rejects ' + rejects if rejects else ''}{cached}"
        )
        for t, info in s.get("tables", {}).items():
            q = s.get("quality", {}).get(t, {})
            lines.append(f"    {t:<14} {info['rows']:>8} rows  checks {q.get('evaluated', 0) - q.get('failed', 0)}/{q.get('evaluated', 0)}  sha256 {info['sha256'][:12]}")
    if m.get("error"):
        lines.append(f"failed in {m.get('failed_step')}: {m['error']}")
    return "\n".join(lines)
