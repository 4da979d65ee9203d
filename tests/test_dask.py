"""The flow on a local two-worker Dask cluster gives the same tables as the local run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cli(out: Path, *extra: str, env=None) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(ROOT / "seeds"), "--output", str(out), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads((out / "latest" / "manifest.json").read_text())


def _hashes(manifest: dict) -> dict[str, str]:
    return {t: i["sha256"] for s in manifest["steps"] for t, i in s["tables"].items()}


def test_dask_runner_matches_the_local_run(prefect_server, tmp_path):
    env = prefect_server["env"]
    local = _cli(tmp_path / "local", env=env)
    # Small Dask batches so that the five seeds really are spread over several Dask tasks.
    code = (
        "import sys; from flows.environment import apply_defaults; apply_defaults();"
        "from flows.pipeline import with_runner; from flows.params import PipelineParameters;"
        "from tasks.params import ExtractParams;"
        f"with_runner('dask', n_workers=2)(PipelineParameters(input_dir={str(ROOT / 'seeds')!r},"
        f" output_dir={str(tmp_path / 'dask')!r}, extract=ExtractParams(dask_batch_docs=2)))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    dask = json.loads((tmp_path / "dask" / "latest" / "manifest.json").read_text())
    assert _hashes(dask) == _hashes(local)
    extract = next(s for s in dask["steps"] if s["name"] == "extract")
    assert extract["dask_tasks"] == 3 and extract["documents_processed"] == 5


def test_cli_dask_option_starts_its_own_api(ephemeral_env, tmp_path):
    manifest = _cli(tmp_path / "out", "--runner", "dask", "--dask-workers", "2", env=ephemeral_env)
    assert manifest["status"] == "succeeded"
