"""Scheduled runs and the local Prefect server.

``dossier server`` starts Prefect's server (API and UI) on 127.0.0.1; ``dossier serve`` registers the
flow as a deployment with a cron schedule over an inbox folder and keeps serving it: every scheduled
run reads the whole inbox, and the caches (``tasks/cache.py``) make it process only new or changed
articles before recomputing the aggregates into the same output store.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from flows.environment import apply_defaults

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4200
DEFAULT_CRON = "*/15 * * * *"
DEPLOYMENT_NAME = "inbox"


def api_url(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    return f"http://{host}:{port}/api"


def wait_for_api(url: str, timeout: float = 120.0) -> bool:
    """Poll ``<url>/health`` until the server answers or the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)


class TemporaryServer:
    """Prefect's API (without the UI) for the runs of this process: the server Prefect itself starts
    when no ``PREFECT_API_URL`` is set (the same app and settings), but started by us, in a child
    process, so that a one-shot run does not wait for it before doing anything else.

    ``start()`` returns the API URL at once; ``wait()`` blocks until the server answers. It stops
    when this process exits (registered before Prefect's own exit handlers, so it outlives them and
    the run's last logs still reach it).
    """

    def __init__(self, host: str = DEFAULT_HOST) -> None:
        self.host = host
        self.process: subprocess.Popen | None = None
        self.url: str | None = None
        self._log = tempfile.TemporaryFile()

    def start(self) -> str:
        port = free_port(self.host)
        # what Prefect's own temporary server sets: no UI, ephemeral-mode settings
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1"}
        env.pop("PREFECT_API_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
             "--host", self.host, "--port", str(port), "--log-level", "error", "--lifespan", "on"],
            env=env, stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
        )
        atexit.register(self.stop)
        self.url = api_url(self.host, port)
        return self.url

    def is_ready(self) -> bool:
        return wait_for_api(self.url, timeout=0) if self.url else False

    def use_the_wait(self, *preparations) -> None:
        """Do work the run needs anyway (imports, loading the NLP) while the server starts; a
        preparation that fails is left for the run itself to meet and report."""
        for prepare in preparations:
            if self.is_ready():
                return
            try:
                prepare()
            except Exception:  # noqa: BLE001 - the run reports it where it belongs
                pass

    def wait(self, timeout: float | None = None) -> None:
        timeout = timeout or float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 120))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.is_ready():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self._log.seek(0)
        output = self._log.read().decode("utf-8", "replace")[-2000:]
        state = f"exited with code {self.process.returncode}" if self.process.poll() is not None \
            else f"did not answer in {timeout:.0f} s"
        self.stop()
        raise RuntimeError(f"Prefect's temporary server at {self.url} {state}: {output}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _die_with_parent() -> None:
    """In the child, on Linux: be stopped when the parent dies, even by SIGKILL (no orphan server)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port nobody listens on now (the OS's choice)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def start_server(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Replace this process with ``prefect server start`` in the foreground (Ctrl-C stops it)."""
    apply_defaults()
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)]
    print(f"Prefect UI: http://{host}:{port}  (API {api_url(host, port)})", flush=True)
    print(f"In another shell: export PREFECT_API_URL={api_url(host, port)}", flush=True)
    # The UI's pages call the API at PREFECT_UI_API_URL, which otherwise stays on port 4200.
    env = {**os.environ, "PREFECT_UI_API_URL": api_url(host, port)}
    # Become the server (exec): a signal sent to `dossier server` by a supervisor or `kill` then
    # stops the server itself rather than leaving it running behind a wrapper that exited.
    os.execve(sys.executable, command, env)
    return 0  # not reached


def serve(inbox: str, output: str, cron: str = DEFAULT_CRON, name: str = DEPLOYMENT_NAME) -> None:
    """Serve the flow on a cron schedule over ``inbox``; blocks until interrupted."""
    apply_defaults()
    os.environ.setdefault("PREFECT_API_URL", api_url())
    if not wait_for_api(os.environ["PREFECT_API_URL"], timeout=10):
        raise ConnectionError(
            f"no Prefect server answers at {os.environ['PREFECT_API_URL']}: start one with "
            "`dossier server` (or set PREFECT_API_URL to your server or Prefect Cloud)"
        )
    Path(inbox).mkdir(parents=True, exist_ok=True)
    from flows.pipeline import dossier_pipeline

    dossier_pipeline.serve(
        name=name,
        cron=cron,
        parameters={"params": {"input_dir": str(Path(inbox).resolve()), "output_dir": str(Path(output).resolve())}},
        description=f"dossier over the inbox {inbox}, every run into {output}",
        tags=["dossier"],
    )
