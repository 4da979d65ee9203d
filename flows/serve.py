"""Scheduled runs and the local Prefect server.

``dossier server`` starts Prefect's server (API and UI) on 127.0.0.1; ``dossier serve`` registers the
flow as a deployment with a cron schedule over an inbox folder and keeps serving it: every scheduled
run reads the whole inbox, and the caches (``tasks/cache.py``) make it process only new or changed
articles before recomputing the aggregates into the same output store.
"""

from __future__ import annotations

import os
import sys
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
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


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
