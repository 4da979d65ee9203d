"""Output (and input) on an S3-compatible object store: moto's server on 127.0.0.1, started here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "dossier-test"


@pytest.fixture(scope="module")
def s3(prefect_server, tmp_path_factory):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        **prefect_server["env"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
        "DOSSIER_CACHE_DIR": str(tmp_path_factory.mktemp("s3-cache")),
    }
    import s3fs

    fs = s3fs.S3FileSystem(key="testing", secret="testing", client_kwargs={"endpoint_url": endpoint})
    fs.mkdir(BUCKET)
    fs.put(str(ROOT / "seeds") + "/", f"{BUCKET}/in/", recursive=True)
    try:
        yield env, fs
    finally:
        server.stop()


def _cli(env, *args) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def _manifest(fs, prefix: str) -> dict:
    latest = json.loads(fs.cat_file(f"{BUCKET}/{prefix}/latest.json"))
    return json.loads(fs.cat_file(f"{BUCKET}/{prefix}/{latest['path']}/manifest.json"))


def _hashes(manifest: dict) -> dict[str, str]:
    return {t: i["sha256"] for s in manifest["steps"] for t, i in s["tables"].items()}


def test_runs_on_s3_match_the_local_run_and_are_cached(s3, tmp_path):
    env, fs = s3
    _cli(env, "run", "--input", str(ROOT / "seeds"), "--output", str(tmp_path / "local"))
    local = json.loads((tmp_path / "local" / "latest" / "manifest.json").read_text())

    done = _cli(env, "run", "--input", f"s3://{BUCKET}/in", "--output", f"s3://{BUCKET}/out")
    assert f"s3://{BUCKET}/out/runs/" in done.stdout
    first = _manifest(fs, "out")
    assert first["status"] == "succeeded"
    assert _hashes(first) == _hashes(local)
    run = f"{BUCKET}/out/runs/{first['run_id']}"
    assert not fs.exists(f"{run}/.staging")
    assert fs.exists(f"{run}/quality/claim_summary.json") and fs.exists(f"{run}/report.html")

    _cli(env, "run", "--input", f"s3://{BUCKET}/in", "--output", f"s3://{BUCKET}/out")
    second = _manifest(fs, "out")
    assert second["run_id"] != first["run_id"]
    assert all(s["cached"] for s in second["steps"]) and _hashes(second) == _hashes(first)

    listing = _cli(env, "runs", "--output", f"s3://{BUCKET}/out", "list").stdout
    assert listing.count("succeeded") == 2 and "<- latest" in listing
    diff = _cli(env, "runs", "--output", f"s3://{BUCKET}/out", "diff", first["run_id"], "latest", "--json").stdout
    assert json.loads(diff)["claims_changed"] == []


def test_dask_workers_write_to_s3(s3, tmp_path):
    env, fs = s3
    _cli(env, "run", "--input", str(ROOT / "seeds"), "--output", str(tmp_path / "local"))
    local = json.loads((tmp_path / "local" / "latest" / "manifest.json").read_text())
    _cli(env, "run", "--runner", "dask", "--dask-workers", "2", "--input", f"s3://{BUCKET}/in",
         "--output", f"s3://{BUCKET}/dask")
    assert _hashes(_manifest(fs, "dask")) == _hashes(local)
