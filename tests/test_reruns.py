"""Traceable, incremental, idempotent reruns: caching, kill -9 recovery, concurrent runs, run diffs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import stop_process_group

ROOT = Path(__file__).resolve().parents[1]
STEP_TABLES = {
    "ingest": ["documents"],
    "clean": ["articles"],
    "extract": ["mentions", "quantities", "claims", "quotes"],
    "dedup": ["doc_clusters"],
    "aggregate": ["claim_summary", "entities", "cooccurrence"],
}
EXTRA = (
    "South Korean officials said on Monday that North Korea had shipped 3 million artillery shells to "
    "Russia this year, fewer than earlier estimates. HUR said the figure was more than 6 million shells."
)


def _start(env, input_dir, output_dir, **extra_env):
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(input_dir), "--output", str(output_dir)],
        cwd=ROOT, env={**env, **extra_env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )


def _run(env, input_dir, output_dir, **extra_env):
    proc = _start(env, input_dir, output_dir, **extra_env)
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-4000:]
    return json.loads((Path(output_dir) / "latest" / "manifest.json").read_text())


def _steps(manifest):
    return {s["name"]: s for s in manifest["steps"]}


def _hashes(manifest):
    return {t: i["sha256"] for s in manifest["steps"] for t, i in s["tables"].items()}


@pytest.fixture()
def corpus(tmp_path):
    target = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", target)
    return target


def test_rerun_is_cached_and_byte_identical(prefect_server, corpus, tmp_path):
    env, out = prefect_server["env"], tmp_path / "out"
    first = _run(env, corpus, out)
    second = _run(env, corpus, out)
    assert not any(s["cached"] for s in first["steps"])
    assert all(s["cached"] for s in second["steps"])
    assert _hashes(first) == _hashes(second)
    for table in _hashes(first):
        a = pq.read_table(out / "runs" / first["run_id"] / f"{table}.parquet")
        b = pq.read_table(out / "runs" / second["run_id"] / f"{table}.parquet")
        assert a.equals(b)

    # One new article: only it goes through spaCy; aggregates are recomputed.
    (corpus / "extra.txt").write_text(EXTRA)
    third = _run(env, corpus, out)
    steps = _steps(third)
    assert not steps["ingest"]["cached"] and not steps["extract"]["cached"]
    assert steps["extract"]["documents_processed"] == 1
    assert steps["extract"]["documents_from_cache"] == 5
    assert not steps["aggregate"]["cached"]

    # A dedup parameter change recomputes dedup and what follows it, nothing before it.
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys; from flows.environment import apply_defaults; apply_defaults();"
         "from flows.pipeline import dossier_pipeline; from flows.params import PipelineParameters;"
         "from tasks.params import DedupParams;"
         f"dossier_pipeline(PipelineParameters(input_dir={str(corpus)!r}, output_dir={str(out)!r},"
         "dedup=DedupParams(shingle_size=4)))"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    fourth = _steps(json.loads((out / "latest" / "manifest.json").read_text()))
    assert [n for n, s in fourth.items() if s["cached"]][:3] == ["ingest", "clean", "extract"]
    assert not fourth["dedup"]["cached"]
    # aggregate depends on dedup's output, not its parameters: it reruns only if the clusters moved
    same_clusters = fourth["dedup"]["tables"]["doc_clusters"]["sha256"] == steps["dedup"]["tables"]["doc_clusters"]["sha256"]
    assert fourth["aggregate"]["cached"] is same_clusters

    # runs diff: the new article and the figures it brought.
    diff = subprocess.run(
        [sys.executable, "-m", "flows.cli", "runs", "--output", str(out), "diff", second["run_id"], third["run_id"], "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert diff.returncode == 0, diff.stderr
    report = json.loads(diff.stdout)
    assert report["documents_added"] == ["extra.txt"] and report["documents_removed"] == []
    assert report["claims_new"] or report["claims_changed"]
    listing = subprocess.run([sys.executable, "-m", "flows.cli", "runs", "--output", str(out), "list"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert listing.stdout.count("succeeded") == 4 and "<- latest" in listing.stdout


def _wait_for_staged(run_root: Path, tables, proc, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for staging in run_root.glob("runs/*/.staging"):
            if all((staging / f"{t}.parquet").exists() for t in tables):
                return staging.parent
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        time.sleep(0.2)
    raise AssertionError("the step never staged its tables")


@pytest.fixture(scope="module")
def good_output(prefect_server, tmp_path_factory):
    """One finished run over the seeds, made once and copied by each kill test."""
    root = tmp_path_factory.mktemp("good")
    shutil.copytree(ROOT / "seeds", root / "in")
    manifest = _run(prefect_server["env"], root / "in", root / "out")
    return root / "out", manifest


@pytest.mark.parametrize("step", list(STEP_TABLES))
def test_kill_9_in_a_step_publishes_nothing_and_the_next_run_recovers(prefect_server, good_output, corpus,
                                                                        tmp_path, step):
    env, out = prefect_server["env"], tmp_path / "out"
    shutil.copytree(good_output[0], out, symlinks=True)
    good = good_output[1]
    (corpus / "extra.txt").write_text(EXTRA)  # so the killed run has real work to do
    proc = _start(env, corpus, out, DOSSIER_PAUSE_STAGED=f"{step}:120")
    killed_dir = _wait_for_staged(out, STEP_TABLES[step], proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert os.readlink(out / "latest") == f"runs/{good['run_id']}"
    for table in STEP_TABLES[step]:
        assert not (killed_dir / f"{table}.parquet").exists()

    after = _run(env, corpus, out)
    assert after["run_id"] != good["run_id"]
    assert os.readlink(out / "latest") == f"runs/{after['run_id']}"
    killed = json.loads((killed_dir / "manifest.json").read_text())
    assert killed["status"] == "interrupted" and not (killed_dir / ".staging").exists()
    finished_before_kill = [s["name"] for s in killed["steps"]]
    reused = [s["name"] for s in after["steps"] if s["cached"]]
    assert finished_before_kill == list(STEP_TABLES)[: list(STEP_TABLES).index(step)]
    assert set(finished_before_kill) <= set(reused)


def test_two_concurrent_runs_both_finish(prefect_server, corpus, tmp_path):
    env, out = prefect_server["env"], tmp_path / "out"
    procs = [_start(env, corpus, out) for _ in range(2)]
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    runs = sorted((out / "runs").iterdir())
    assert len(runs) == 2
    manifests = [json.loads((r / "manifest.json").read_text()) for r in runs]
    assert [m["status"] for m in manifests] == ["succeeded", "succeeded"]
    assert _hashes(manifests[0]) == _hashes(manifests[1])
    assert (out / "latest").resolve() in [r.resolve() for r in runs]
