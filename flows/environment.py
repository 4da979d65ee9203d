"""Settings every run needs on this platform, applied before Prefect is imported.

Values already set by the user win. See README.md ("Environment") for why each one is here.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DEFAULTS = {
    # The local server would otherwise try to send telemetry out (no network here) and log
    # "database is locked" tracebacks.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    # A fresh PREFECT_HOME takes ~20 s to start the temporary server: above Prefect's default.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # Keep Prefect's database and settings with the project, not in the user's home.
    "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
}


def apply_defaults() -> None:
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
