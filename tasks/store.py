"""The only code that reads and writes tables, run folders, quality results and the manifest.

Layout (see CONTRACT.md)::

    OUT/runs/<run_id>/<table>.parquet        published tables
    OUT/runs/<run_id>/.staging/              tables written but not yet checked
    OUT/runs/<run_id>/quality/<table>.json   Great Expectations results
    OUT/runs/<run_id>/manifest.json          the run's record
    OUT/latest -> runs/<run_id>              the last run whose every check passed

A table is first written into ``.staging/`` and renamed into the run folder only after it passed its
suite, so a reader never sees a table that failed or was half written.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.schemas import TABLES, TableSpec

RUNS_DIR = "runs"
LATEST = "latest"
STAGING = ".staging"
QUALITY = "quality"
MANIFEST = "manifest.json"

# Fixed writer settings: the same table always gives the same bytes.
_PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "row_group_size": 65_536,
    "write_statistics": True,
}


def new_run_id(now: datetime | None = None) -> str:
    """A run id that sorts by start time: ``20261122T013000Z-<8 hex>``."""
    now = now or datetime.now(timezone.utc)
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(4)}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def link_or_copy(source: Path, target: Path) -> None:
    """Place ``source`` at ``target`` atomically: a hard link where possible, else a copy."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def _write_json_atomic(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n", "utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class TableFile:
    """What was written for one table: where, how many rows, its checksum."""

    name: str
    path: str
    rows: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "rows": self.rows, "sha256": self.sha256}


class RunStore:
    """One run's folder under an output root."""

    def __init__(self, output_dir: str | os.PathLike, run_id: str):
        self.root = Path(output_dir)
        self.run_id = run_id
        self.run_dir = self.root / RUNS_DIR / run_id
        self.staging_dir = self.run_dir / STAGING
        self.quality_dir = self.run_dir / QUALITY

    @classmethod
    def create(cls, output_dir: str | os.PathLike, run_id: str | None = None) -> "RunStore":
        store = cls(output_dir, run_id or new_run_id())
        store.staging_dir.mkdir(parents=True, exist_ok=False)
        store.quality_dir.mkdir(parents=True, exist_ok=True)
        return store

    # -- tables -----------------------------------------------------------------------------------

    def table_path(self, name: str) -> Path:
        return self.run_dir / f"{name}.parquet"

    def staged_path(self, name: str) -> Path:
        return self.staging_dir / f"{name}.parquet"

    def stage(self, spec: TableSpec, table: pa.Table) -> Path:
        """Write a table into staging, checking it carries exactly the declared schema."""
        if not table.schema.equals(spec.schema):
            raise TypeError(
                f"table {spec.name}: schema differs from tasks/schemas.py\n"
                f"expected:\n{spec.schema}\ngot:\n{table.schema}"
            )
        path = self.staged_path(spec.name)
        tmp = path.with_name(f".{path.name}.tmp")
        pq.write_table(table, tmp, **_PARQUET_OPTIONS)
        os.replace(tmp, path)
        return path

    def publish(self, name: str) -> TableFile:
        """Move a checked table from staging into the run folder."""
        staged = self.staged_path(name)
        final = self.table_path(name)
        os.replace(staged, final)
        rows = pq.ParquetFile(final).metadata.num_rows
        return TableFile(name, final.name, rows, file_sha256(final))

    def discard(self, name: str) -> None:
        self.staged_path(name).unlink(missing_ok=True)

    def read(self, name: str) -> pa.Table:
        """Read a published table of this run."""
        path = self.table_path(name)
        if not path.exists():
            raise FileNotFoundError(f"table {name} has not been published in run {self.run_id}")
        return pq.read_table(path, schema=TABLES[name].schema)

    # -- quality, manifest, latest ----------------------------------------------------------------

    def write_quality(self, name: str, result: dict[str, Any]) -> Path:
        path = self.quality_dir / f"{name}.json"
        _write_json_atomic(path, result)
        return path

    def write_manifest(self, manifest: dict[str, Any]) -> Path:
        path = self.run_dir / MANIFEST
        _write_json_atomic(path, manifest)
        return path

    def finalise(self) -> None:
        """Remove the staging folder once the run is over (succeeded or failed)."""
        if self.staging_dir.exists():
            for leftover in self.staging_dir.iterdir():
                leftover.unlink()
            self.staging_dir.rmdir()

    def mark_latest(self) -> Path:
        """Point ``OUT/latest`` at this run, atomically (a symlink swapped with rename)."""
        link = self.root / LATEST
        tmp = self.root / f".{LATEST}.{self.run_id}.tmp"
        tmp.unlink(missing_ok=True)
        os.symlink(Path(RUNS_DIR) / self.run_id, tmp, target_is_directory=True)
        os.replace(tmp, link)
        return link


def read_manifest(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / MANIFEST).read_text("utf-8"))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_interrupted(output_dir: str | os.PathLike) -> list[str]:
    """Mark runs whose process died mid-run (kill -9, power loss) as ``interrupted``.

    Their published tables stay (they passed their checks and the step cache may reuse them); their
    staging folders, which no reader ever sees, are removed. Returns the run ids recovered.
    """
    runs = Path(output_dir) / RUNS_DIR
    recovered = []
    if not runs.is_dir():
        return recovered
    host = socket.gethostname()
    for run_dir in sorted(runs.iterdir()):
        try:
            manifest = read_manifest(run_dir)
        except (OSError, ValueError):
            continue
        if manifest.get("status") != "running" or manifest.get("host") != host:
            continue
        pid = manifest.get("pid")
        if isinstance(pid, int) and _process_alive(pid):
            continue
        manifest.update(status="interrupted", error="the run's process ended before the run finished")
        store = RunStore(output_dir, run_dir.name)
        store.write_manifest(manifest)
        store.finalise()
        recovered.append(run_dir.name)
    return recovered
