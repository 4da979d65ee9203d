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

import contextlib
import hashlib
import json
import os
import posixpath
import secrets
import shutil
import socket
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

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
    "write_statistics": True,
}
MERGE_FAN_IN = 16  # sorted runs merged at once by the external sort (each holds a row group in memory)
MERGE_READ_ROWS = 256  # rows read at a time from each run while merging


def _sort_key(values) -> tuple:
    """Python order matching Arrow's ascending sort: values compared as Arrow does (strings by code
    point, which is their UTF-8 byte order), nulls last."""
    return tuple((1, 0) if v is None else (0, v) for v in values)


def _key_of(table: pa.Table, key: tuple[str, ...], row: int) -> tuple:
    return _sort_key(table.column(k)[row].as_py() for k in key)


class TableWriter:
    """Writes one table batch by batch into a Parquet file sorted by the table's key, in memory
    bounded by the batch and ``spec.chunk_rows``, never by the table.

    Each batch is sorted when it arrives. While batches continue the key order (steps that read
    their input in key order and keep it) rows go straight to the file. A batch that starts below
    the last key written opens a new sorted run in a spill file, and ``close`` merges the runs
    (an external merge sort). Row groups always hold ``spec.chunk_rows`` rows, cut from the sorted
    rows, so the bytes depend on the rows alone, never on how they were batched.
    """

    def __init__(self, spec: TableSpec, path: Path, spill_dir: Path):
        self.spec = spec
        self.path = path
        self.spill_dir = spill_dir
        self.rows = 0
        self._runs: list[Path] = []
        self._writer: pq.ParquetWriter | None = None
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._last_key: tuple | None = None
        self._sort = [(k, "ascending") for k in spec.key]

    def write(self, table: pa.Table) -> None:
        if not table.schema.equals(self.spec.schema):
            raise TypeError(
                f"table {self.spec.name}: schema differs from tasks/schemas.py\n"
                f"expected:\n{self.spec.schema}\ngot:\n{table.schema}"
            )
        if table.num_rows == 0:
            return
        table = table.sort_by(self._sort)
        first = _key_of(table, self.spec.key, 0)
        if self._last_key is not None and first <= self._last_key:
            self._end_run()
        self._last_key = _key_of(table, self.spec.key, table.num_rows - 1)
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        while self._pending_rows >= self.spec.chunk_rows:
            self._flush(self.spec.chunk_rows)

    def _flush(self, n_rows: int) -> None:
        pending = pa.concat_tables(self._pending)
        if self._writer is None:
            target = self.spill_dir / f".{self.spec.name}.run{len(self._runs)}.{os.getpid()}.parquet"
            self._runs.append(target)
            self._writer = pq.ParquetWriter(target, self.spec.schema, **_PARQUET_OPTIONS)
        self._writer.write_table(pending.slice(0, n_rows), row_group_size=self.spec.chunk_rows)
        rest = pending.slice(n_rows)
        self._pending, self._pending_rows = ([rest] if rest.num_rows else []), rest.num_rows

    def _end_run(self) -> None:
        if self._pending_rows:
            self._flush(self._pending_rows)
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def close(self) -> int:
        """Finish the file at ``path``; returns its number of rows."""
        self._end_run()
        runs, self._runs = self._runs, []
        if not runs:
            pq.write_table(self.spec.schema.empty_table(), self.path, **_PARQUET_OPTIONS)
        elif len(runs) == 1 and self._one_group_per_chunk(runs[0]):
            os.replace(runs[0], self.path)
        else:
            while len(runs) > MERGE_FAN_IN:
                runs = [self._merge(runs[i : i + MERGE_FAN_IN], None) for i in range(0, len(runs), MERGE_FAN_IN)]
            self._merge(runs, self.path)
        return self.rows

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        for run in self._runs:
            run.unlink(missing_ok=True)
        self._runs = []

    def _one_group_per_chunk(self, run: Path) -> bool:
        """A single run is final only when its row groups are cut as a merged file's would be."""
        meta = pq.ParquetFile(run).metadata
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        return all(n == self.spec.chunk_rows for n in sizes[:-1])

    def _merge(self, runs: list[Path], target: Path | None) -> Path:
        """k-way merge of sorted runs into ``target`` (or a new spill file), removing the runs."""
        import heapq

        if target is None:
            target = self.spill_dir / f".{self.spec.name}.run-m{secrets.token_hex(4)}.{os.getpid()}.parquet"
        key = self.spec.key

        def rows_of(i: int, run: Path):
            n = 0
            for batch in pq.ParquetFile(run).iter_batches(batch_size=MERGE_READ_ROWS):
                for row in batch.to_pylist():
                    n += 1  # ties (a duplicate key, which the checks will report) keep their order
                    yield _sort_key(row[k] for k in key), i, n, row

        buffer: list[dict] = []
        with pq.ParquetWriter(target, self.spec.schema, **_PARQUET_OPTIONS) as writer:
            for _, _, _, row in heapq.merge(*(rows_of(i, run) for i, run in enumerate(runs))):
                buffer.append(row)
                if len(buffer) == self.spec.chunk_rows:
                    writer.write_table(pa.Table.from_pylist(buffer, schema=self.spec.schema))
                    buffer = []
            if buffer:
                writer.write_table(pa.Table.from_pylist(buffer, schema=self.spec.schema))
        for run in runs:
            run.unlink(missing_ok=True)
        return target


def new_run_id(now: datetime | None = None) -> str:
    """A run id that sorts by start time: ``20261122T013000Z-<8 hex>``."""
    now = now or datetime.now(timezone.utc)
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(4)}"


class Location:
    """A folder on any filesystem fsspec knows: a local path, ``s3://bucket/prefix``, ``gs://``, ...

    Local folders keep the guarantees of a POSIX filesystem (rename, symlinks, hard links). Object
    stores have no rename: a checked table is copied from staging to its final key, and a single
    object PUT is atomic, so a reader still sees a table whole or not at all; ``latest`` is a small
    object ``latest.json`` naming the run instead of a symlink.
    """

    def __init__(self, url: str | os.PathLike):
        from fsspec.core import url_to_fs
        from fsspec.implementations.local import LocalFileSystem

        self.url = str(url)
        self.fs, self.path = url_to_fs(self.url)
        self.is_local = isinstance(self.fs, LocalFileSystem)
        if self.is_local:
            self.path = str(Path(self.url))

    def join(self, *parts: str) -> str:
        return posixpath.join(self.path, *parts) if not self.is_local else str(Path(self.path, *parts))

    def as_path(self, path: str) -> Path | PurePosixPath:
        return Path(path) if self.is_local else PurePosixPath(path)

    def display(self, path: str) -> str:
        """How to name a path to a person: with its scheme for remote stores."""
        if self.is_local:
            return path
        protocol = self.fs.protocol[0] if isinstance(self.fs.protocol, (tuple, list)) else self.fs.protocol
        return f"{protocol}://{path}"

    def exists(self, path: str) -> bool:
        return self.fs.exists(path)

    def read_bytes(self, path: str) -> bytes:
        return self.fs.cat_file(path)

    def read_json(self, path: str) -> Any:
        return json.loads(self.read_bytes(path).decode("utf-8"))

    def write_bytes_atomic(self, path: str, data: bytes) -> None:
        if self.is_local:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        else:
            self.fs.pipe_file(path, data)  # one PUT: the object appears whole or not at all

    def write_json(self, path: str, payload: Any) -> None:
        text = json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n"
        self.write_bytes_atomic(path, text.encode("utf-8"))

    def sha256(self, path: str) -> str:
        digest = hashlib.sha256()
        with self.fs.open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def move(self, source: str, target: str) -> None:
        if self.is_local:
            os.replace(source, target)
        else:
            self.fs.copy(source, target)
            self.fs.rm_file(source)

    def link_or_copy(self, source: str, target: str) -> None:
        """Place ``source`` at ``target``: a hard link where possible, else a copy (atomically)."""
        if not self.is_local:
            self.fs.copy(source, target)
            return
        tmp = Path(target).with_name(f".{Path(target).name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)

    def remove(self, path: str) -> None:
        if self.fs.exists(path):
            self.fs.rm(path, recursive=True)

    def list_dirs(self, path: str) -> list[str]:
        if not self.fs.exists(path):
            return []
        return sorted(
            posixpath.basename(entry["name"].rstrip("/"))
            for entry in self.fs.ls(path, detail=True)
            if entry["type"] == "directory"
        )

    def local_cache_dir(self) -> Path:
        """Where caches that need a local disk (SQLite) live: under the output folder when it is
        local, else ``DOSSIER_CACHE_DIR`` or ``~/.cache/dossier/<hash of the output URL>``."""
        if self.is_local:
            return Path(self.path) / CACHE_DIR
        base = Path(os.environ.get("DOSSIER_CACHE_DIR", Path.home() / ".cache" / "dossier"))
        return base / hashlib.sha256(self.url.encode()).hexdigest()[:16]


CACHE_DIR = "cache"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
    """One run's folder under an output root (a local folder or an fsspec URL)."""

    def __init__(self, output_dir: str | os.PathLike, run_id: str):
        self.location = Location(output_dir)
        self.root = self.location.url
        self.run_id = run_id
        self.run_path = self.location.join(RUNS_DIR, run_id)
        self.run_dir = self.location.as_path(self.run_path)
        self.staging_dir = self.run_dir / STAGING
        self.quality_dir = self.run_dir / QUALITY

    @classmethod
    def create(cls, output_dir: str | os.PathLike, run_id: str | None = None) -> "RunStore":
        store = cls(output_dir, run_id or new_run_id())
        if store.location.is_local:
            store.staging_dir.mkdir(parents=True, exist_ok=False)
            store.quality_dir.mkdir(parents=True, exist_ok=True)
        elif store.location.exists(store.run_path):
            raise FileExistsError(f"run folder {store.run_url} exists already")
        return store

    @property
    def run_url(self) -> str:
        return self.location.display(self.run_path)

    # -- tables -----------------------------------------------------------------------------------

    def table_path(self, name: str) -> str:
        return str(self.run_dir / f"{name}.parquet")

    def staged_path(self, name: str) -> str:
        return str(self.staging_dir / f"{name}.parquet")

    def writer(self, name: str) -> TableWriter:
        """A writer that streams table ``name`` into staging (see ``stage_written``)."""
        spec = TABLES[name]
        if self.location.is_local:
            work = self.staging_dir
        else:  # sorted runs and the file are built on local disk, then uploaded in one PUT
            work = Path(tempfile.mkdtemp(prefix=f"dossier-{name}-"))
        return TableWriter(spec, work / f".{name}.{os.getpid()}.{secrets.token_hex(3)}.writing", work)

    def stage_written(self, writer: TableWriter) -> str:
        """Finish a writer's file and place it in staging, whole or not at all."""
        writer.close()
        path = self.staged_path(writer.spec.name)
        if self.location.is_local:
            os.replace(writer.path, path)
        else:
            self.location.fs.put_file(str(writer.path), path)
            shutil.rmtree(writer.spill_dir, ignore_errors=True)
        return path

    def stage(self, spec: TableSpec, table: pa.Table) -> str:
        """Write a whole table into staging, checking it carries exactly the declared schema."""
        writer = self.writer(spec.name)
        writer.write(table)
        return self.stage_written(writer)

    def _open_parquet(self, path: str) -> pq.ParquetFile:
        if self.location.is_local:
            return pq.ParquetFile(path)
        return pq.ParquetFile(self.location.fs.open(path, "rb"))

    def iter_table(
        self, name: str, columns: list[str] | None = None, rows: int | None = None, staged: bool = False
    ) -> Iterator[pa.Table]:
        """A published (or staged) table of this run in key order, ``rows`` at a time (default: the
        table's ``chunk_rows``)."""
        spec = TABLES[name]
        path = self.staged_path(name) if staged else self.table_path(name)
        if not staged and not self.location.exists(path):
            raise FileNotFoundError(f"table {name} has not been published in run {self.run_id}")
        schema = pa.schema([spec.schema.field(c) for c in columns]) if columns else spec.schema
        for batch in self._open_parquet(path).iter_batches(batch_size=rows or spec.chunk_rows, columns=columns):
            yield pa.Table.from_batches([batch], schema=schema)

    def iter_chunks(self, name: str, staged: bool = False, max_bytes: int = 16 << 20,
                    max_rows: int = 100_000) -> Iterator[pa.Table]:
        """A table in runs of whole row groups of up to about ``max_bytes`` (uncompressed) or
        ``max_rows`` rows: what a check reads at once."""
        path = self.staged_path(name) if staged else self.table_path(name)
        parquet = self._open_parquet(path)
        meta = parquet.metadata
        group: list[int] = []
        size = rows = 0
        for i in range(meta.num_row_groups):
            group.append(i)
            size += meta.row_group(i).total_byte_size
            rows += meta.row_group(i).num_rows
            if size >= max_bytes or rows >= max_rows:
                yield parquet.read_row_groups(group)
                group, size, rows = [], 0, 0
        if group:
            yield parquet.read_row_groups(group)

    def read_columns(self, name: str, columns: list[str], staged: bool = False) -> pa.Table:
        """Some columns of a table, every row (for keys and joins, never the texts)."""
        path = self.staged_path(name) if staged else self.table_path(name)
        return self._open_parquet(path).read(columns=columns)

    def read_between(self, name: str, columns: list[str], column: str, low: Any, high: Any) -> pa.Table:
        """Rows of a published table whose sorted ``column`` lies in [low, high]; only the row groups
        that can hold them are read."""
        import pyarrow.dataset as ds

        fs = None if self.location.is_local else self.location.fs
        dataset = ds.dataset(self.table_path(name), format="parquet", filesystem=fs)
        return dataset.to_table(columns=columns, filter=(ds.field(column) >= low) & (ds.field(column) <= high))

    def publish(self, name: str) -> TableFile:
        """Move a checked table from staging into the run folder."""
        final = self.table_path(name)
        self.location.move(self.staged_path(name), final)
        with self.location.fs.open(final, "rb") as handle:
            rows = pq.ParquetFile(handle).metadata.num_rows
        return TableFile(name, posixpath.basename(final), rows, self.location.sha256(final))

    def discard(self, name: str) -> None:
        path = self.staged_path(name)
        if self.location.exists(path):
            self.location.fs.rm_file(path)

    def has(self, name: str) -> bool:
        return self.location.exists(self.table_path(name))

    def sha256(self, name: str) -> str:
        return self.location.sha256(self.table_path(name))

    def read(self, name: str) -> pa.Table:
        """Read a published table of this run."""
        path = self.table_path(name)
        if not self.location.exists(path):
            raise FileNotFoundError(f"table {name} has not been published in run {self.run_id}")
        with self.location.fs.open(path, "rb") as handle:
            return pq.read_table(handle, schema=TABLES[name].schema)

    def reuse(self, source_run_path: str, file_name: str, target_name: str | None = None) -> None:
        """Place a published file of another run of this store into this run (link or copy)."""
        target = str(self.run_dir / (target_name or file_name))
        self.location.link_or_copy(posixpath.join(source_run_path, file_name) if not self.location.is_local
                                   else str(Path(source_run_path) / file_name), target)

    # -- quality, manifest, latest ----------------------------------------------------------------

    def write_quality(self, name: str, result: dict[str, Any]) -> str:
        path = str(self.quality_dir / f"{name}.json")
        self.location.write_json(path, result)
        return path

    def write_manifest(self, manifest: dict[str, Any]) -> str:
        path = str(self.run_dir / MANIFEST)
        self.location.write_json(path, manifest)
        return path

    def finalise(self) -> None:
        """Remove the staging folder once the run is over (succeeded or failed)."""
        self.location.remove(str(self.staging_dir))

    def mark_latest(self) -> str:
        """Point ``OUT/latest`` at this run atomically: a symlink swapped with rename on a local
        disk, the object ``OUT/latest.json`` on an object store."""
        if not self.location.is_local:
            path = self.location.join(LATEST_POINTER)
            self.location.write_json(path, {"run_id": self.run_id, "path": f"{RUNS_DIR}/{self.run_id}"})
            return path
        root = Path(self.location.path)
        link = root / LATEST
        tmp = root / f".{LATEST}.{self.run_id}.tmp"
        tmp.unlink(missing_ok=True)
        os.symlink(Path(RUNS_DIR) / self.run_id, tmp, target_is_directory=True)
        os.replace(tmp, link)
        return str(link)


LATEST_POINTER = "latest.json"


def latest_run_id(output_dir: str | os.PathLike) -> str | None:
    """The run ``latest`` points at, on a local disk or an object store; None before any success."""
    location = Location(output_dir)
    if location.is_local:
        link = Path(location.path) / LATEST
        return Path(os.readlink(link)).name if link.is_symlink() else None
    pointer = location.join(LATEST_POINTER)
    return location.read_json(pointer)["run_id"] if location.exists(pointer) else None


def read_manifest(run_dir: str | os.PathLike, location: Location | None = None) -> dict[str, Any]:
    if location is None:
        return json.loads((Path(run_dir) / MANIFEST).read_text("utf-8"))
    return location.read_json(posixpath.join(str(run_dir), MANIFEST))


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
    location = Location(output_dir)
    runs = location.join(RUNS_DIR)
    recovered = []
    host = socket.gethostname()
    for run_id in location.list_dirs(runs):
        store = RunStore(output_dir, run_id)
        try:
            manifest = read_manifest(store.run_path, location)
        except (OSError, ValueError):
            continue
        if manifest.get("status") != "running" or manifest.get("host") != host:
            continue
        pid = manifest.get("pid")
        if isinstance(pid, int) and _process_alive(pid):
            continue
        manifest.update(status="interrupted", error="the run's process ended before the run finished")
        store.write_manifest(manifest)
        store.finalise()
        recovered.append(run_id)
    return recovered


@contextlib.contextmanager
def local_input(url: str | os.PathLike) -> Iterator[Path]:
    """The input folder as a local path: itself when local, else a temporary download of it.

    Relative paths (and so ``doc_id``s) are the same either way.
    """
    location = Location(url)
    if location.is_local:
        yield Path(location.path)
        return
    if not location.fs.isdir(location.path):
        raise FileNotFoundError(f"input folder {url} does not exist or is not a folder")
    with tempfile.TemporaryDirectory(prefix="dossier-input-") as tmp:
        location.fs.get(location.path.rstrip("/") + "/", tmp + "/", recursive=True)
        yield Path(tmp)
