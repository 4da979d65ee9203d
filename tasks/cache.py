"""Content-addressed caches that make reruns cheap and incremental.

Two layers, both under ``OUT/cache/``:

- **Step cache** (``steps/<key>.json``): a step's key hashes the step's code (its module, the shared
  table code, its suites, and for extraction the NLP code and data), its parameters and the SHA-256
  of everything it reads. When a finished run already published that step's tables under the same
  key, the new run links those files instead of recomputing them. Changing a parameter, a suite, the
  code or an input changes the key of that step and of every step downstream of it (their inputs
  change), and nothing else.
- **Document cache** (``documents.sqlite``): extraction results per article, keyed on what the
  result depends on (the article text, its publication date and language, the NLP code and the
  extraction parameters). A run that adds a few articles runs spaCy on those only. Two copies of the
  same text share one entry.

Both caches are written atomically (rename, SQLite transactions), so a run killed at any point leaves
them usable, and concurrent runs may share them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

TASKS_DIR = Path(__file__).resolve().parent
CACHE_DIR = "cache"

# What each step's output depends on, beyond its parameters and input tables.
_SHARED_CODE = ("schemas.py", "step.py", "store.py", "quality.py", "params.py", "cache.py")
_STEP_CODE = {
    "ingest": ("ingest.py", "formats", "text.py", "dates.py"),
    "clean": ("clean.py", "text.py", "dates.py", "data"),
    "extract": ("extract.py", "nlp", "dates.py"),
    "dedup": ("dedup.py", "text.py"),
    "aggregate": ("aggregate.py",),
}
_STEP_TABLES = {
    "ingest": ("documents",),
    "clean": ("articles",),
    "extract": ("mentions", "quantities", "claims", "quotes"),
    "dedup": ("doc_clusters",),
    "aggregate": ("claim_summary", "entities", "cooccurrence", "timeline"),
}


def _hash_paths(paths: Iterable[Path]) -> str:
    """SHA-256 over files (folders recursively), named relative to the folder given."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        else:
            files = [path]
        for file in files:
            digest.update(file.relative_to(path.parent).as_posix().encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def _source_fingerprint(step: str) -> str:
    return _hash_paths(TASKS_DIR / name for name in _SHARED_CODE + _STEP_CODE[step])


def code_fingerprint(step: str) -> str:
    """SHA-256 of the code, data and suites a step's output depends on."""
    from tasks import quality

    suites = [Path(quality.EXPECTATIONS_DIR) / f"{table}.json" for table in _STEP_TABLES[step]]
    return make_key(_source_fingerprint(step), _hash_paths(p for p in suites if p.exists()))


@functools.lru_cache(maxsize=1)
def nlp_fingerprint() -> str:
    """SHA-256 of the extraction code and its data files (not the suites)."""
    model = TASKS_DIR.parent / "models"
    return _hash_paths([TASKS_DIR / "extract.py", TASKS_DIR / "nlp", TASKS_DIR / "schemas.py"]
                       + ([model] if model.is_dir() else []))


def make_key(*parts: Any) -> str:
    """A SHA-256 over JSON-encoded parts (dicts with sorted keys)."""
    payload = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class StepCache:
    """Index of finished steps: key -> the run folder and table files that hold their output."""

    def __init__(self, location):
        self.location = location
        self.dir = location.join(CACHE_DIR, "steps")

    def _path(self, key: str) -> str:
        return str(self.location.as_path(self.dir) / f"{key}.json")

    def lookup(self, key: str) -> dict[str, Any] | None:
        try:
            entry = self.location.read_json(self._path(key))
        except (OSError, ValueError):
            return None
        run_dir = self.location.as_path(entry["run_dir"])
        for info in entry["tables"].values():
            if not self.location.exists(str(run_dir / info["path"])):
                return None
        return entry

    def record(self, key: str, run_path: str, report: Mapping[str, Any]) -> None:
        entry = {"run_dir": str(Path(run_path).resolve()) if self.location.is_local else run_path,
                 "tables": report["tables"], "quality": report["quality"],
                 "rows_in": report["rows_in"], "rows_out": report["rows_out"], "rejects": report["rejects"],
                 **{k: report[k] for k in REUSED_DETAILS if k in report}}
        self.location.write_json(self._path(key), entry)


# what a reused step reports of its records, as the run that made them saw it (the UI lists them)
REUSED_DETAILS = ("files", "records", "notes", "rejected_records", "repaired_records")


class DocumentCache:
    """Per-article extraction results in SQLite: key -> JSON payload."""

    def __init__(self, cache_dir: str | os.PathLike):
        self.path = Path(cache_dir) / "documents.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, payload TEXT NOT NULL)")

    def _select(self, column: str, keys: Iterable[str]) -> Iterator[tuple]:
        keys = list(dict.fromkeys(keys))
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self._conn.execute(f"SELECT {column} FROM results WHERE key IN ({marks})", chunk)

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        return {key: json.loads(payload) for key, payload in self._select("key, payload", keys)}

    def known(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` have a result (without reading the results)."""
        return {key for (key,) in self._select("key", keys)}

    def put_many(self, items: Mapping[str, Any]) -> None:
        self.put_raw({k: json.dumps(v, sort_keys=True, default=str) for k, v in items.items()})

    def put_raw(self, items: Mapping[str, str]) -> None:
        """Store entries already serialised as JSON (by a worker process)."""
        if not items:
            return
        rows = list(items.items())
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO results (key, payload) VALUES (?, ?)", rows)

    def close(self) -> None:
        self._conn.close()
