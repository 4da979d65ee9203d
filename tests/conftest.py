"""Shared fixtures. Prefect runs against a temporary database of its own (prefect_test_harness),
started once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.environment import apply_defaults

apply_defaults()

from flows.serve import free_port  # noqa: E402,F401 - after apply_defaults; tests import it from here

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def ephemeral_env(tmp_path_factory):
    """The environment of a CLI process that starts Prefect's temporary server itself (no
    ``PREFECT_API_URL``). One ``PREFECT_HOME`` for the session, so its database is created once."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-ephemeral-home"))
    return env


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "input"
    shutil.copytree(SEEDS, target)
    return target




def stop_process_group(proc) -> None:
    import os
    import signal
    import subprocess

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real Prefect server (API and UI) on a free port of 127.0.0.1, for tests that run the
    pipeline in other processes. Yields the environment those processes need."""
    import os
    import subprocess
    import sys

    from flows.serve import wait_for_api

    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": url}
    log = home / "server.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "server", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        assert wait_for_api(url, timeout=180), log.read_text()[-3000:]
        yield {"url": url, "env": env, "home": home}
    finally:
        stop_process_group(server)
