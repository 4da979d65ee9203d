"""Shared fixtures. Prefect runs against a temporary database of its own (prefect_test_harness),
started once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.environment import apply_defaults

apply_defaults()

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "input"
    shutil.copytree(SEEDS, target)
    return target
