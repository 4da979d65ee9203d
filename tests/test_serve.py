"""Scheduled deployments and the UI's view of a run, against a real Prefect server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import stop_process_group

ROOT = Path(__file__).resolve().parents[1]
DEPLOYMENT = "dossier/test-inbox"
CRON = "0 3 * * 1"


@pytest.fixture(scope="module")
def served(prefect_server, tmp_path_factory):
    """`dossier serve` registered against the test session's Prefect server."""
    inbox = tmp_path_factory.mktemp("inbox")
    out = tmp_path_factory.mktemp("out")
    shutil.copytree(ROOT / "seeds", inbox, dirs_exist_ok=True)
    home = prefect_server["home"]
    serving = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--inbox", str(inbox), "--output", str(out),
         "--cron", CRON, "--name", "test-inbox"],
        cwd=ROOT, env=prefect_server["env"], stdout=open(home / "serve.log", "w"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        client = httpx.Client(base_url=prefect_server["url"], timeout=30)
        deadline = time.monotonic() + 120
        deployment = None
        while time.monotonic() < deadline and deployment is None:
            response = client.get(f"/deployments/name/{DEPLOYMENT}")
            if response.status_code == 200:
                deployment = response.json()
            else:
                time.sleep(1)
        assert deployment, (home / "serve.log").read_text()[-3000:]
        yield client, deployment, inbox, out
    finally:
        stop_process_group(serving)


def _wait_for(client: httpx.Client, flow_run_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/flow_runs/{flow_run_id}").json()
        if run["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(1)
    raise AssertionError(f"flow run {flow_run_id} did not finish in {timeout} s")


def _create_run(client, deployment, body: dict | None = None) -> dict:
    """Create a flow run through the API; a busy server's transient 5xx is retried, anything else
    fails with the server's answer."""
    for attempt in range(3):
        response = client.post(f"/deployments/{deployment['id']}/create_flow_run", json=body or {})
        if response.status_code < 500:
            break
        time.sleep(2)
    assert response.is_success, (response.status_code, response.text[:2000])
    return response.json()


def test_schedule_is_registered_with_the_cron(served):
    client, deployment, _, _ = served
    crons = [s["schedule"].get("cron") for s in deployment["schedules"]]
    assert crons == [CRON]
    assert all(s["active"] for s in deployment["schedules"])


def test_the_custom_run_form_has_typed_parameters_with_descriptions(served):
    _, deployment, _, _ = served
    schema = deployment["parameter_openapi_schema"]
    definitions = schema.get("definitions") or schema.get("$defs")
    pipeline = definitions["PipelineParameters"]["properties"]
    assert pipeline["input_dir"]["description"] and pipeline["input_dir"]["default"] == "seeds"
    dedup = definitions["DedupParams"]["properties"]
    assert all(field.get("description") for field in dedup.values())
    assert {"nlp_model", "batch_size", "n_process"} <= set(definitions["ExtractParams"]["properties"])


def test_a_triggered_run_succeeds_and_shows_its_steps_and_artifacts(served):
    client, deployment, inbox, out = served
    created = _create_run(client, deployment)
    run = _wait_for(client, created["id"])
    assert run["state_type"] == "COMPLETED", run["state"]
    assert run["name"].startswith("dossier-")
    tasks = client.post("/task_runs/filter", json={"flow_runs": {"id": {"any_": [run["id"]]}}}).json()
    names = sorted(t["name"].split("-")[0] for t in tasks)
    assert names == ["aggregate", "clean", "dedup", "extract", "ingest", "report"]
    assert all(t["state_type"] == "COMPLETED" for t in tasks)
    artifacts = client.post("/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}).json()
    keys = {a["key"] for a in artifacts}
    assert {"dossier-ingest", "dossier-clean", "dossier-extract", "dossier-dedup", "dossier-aggregate", "dossier-claims"} <= keys
    claims = next(a for a in artifacts if a["key"] == "dossier-claims")
    # the seeds' shells claim: two independent sources (seeds 003 and 004) crediting three upstream
    # sources, one more (seed 002) that only speculates; names not ids, figures with qualifiers
    assert "two or more independent sources" in claims["data"]
    shells = next(line for line in claims["data"].splitlines() if "artillery shell" in line)
    assert shells.startswith("| 2 | 3 | 1 | 0 | North Korea (PRK) | supply | Russia (RUS) |")
    assert "≥ 5 million" in shells and "HUR" in shells
    ingest = next(a for a in artifacts if a["key"] == "dossier-ingest")
    assert "check documents" in str(ingest["data"]) and "passed: all" in str(ingest["data"])
    assert (out / "latest" / "claim_summary.parquet").exists()


def test_a_new_inbox_article_is_picked_up_incrementally(served):
    client, deployment, inbox, out = served
    (inbox / "new.txt").write_text(
        "North Korea sent 2,000 more troops to Russia's Kursk region, officials in Seoul said on Friday. "
        "The deployment follows earlier shipments of artillery shells and missiles to Moscow."
    )
    created = _create_run(client, deployment)
    run = _wait_for(client, created["id"])
    assert run["state_type"] == "COMPLETED", run["state"]
    manifest = json.loads((out / "latest" / "manifest.json").read_text())
    assert any(i["path"] == "new.txt" for i in manifest["inputs"])
    extract = next(s for s in manifest["steps"] if s["name"] == "extract")
    assert extract.get("documents_processed") == 1  # only the new article went through spaCy


def test_a_future_dated_article_in_the_inbox_never_fails_a_scheduled_run(served):
    """One bad value in one record (a date in 2150) is dropped where it is read, with a note the UI
    shows; every run after it goes on succeeding."""
    client, deployment, inbox, out = served
    (inbox / "future.md").write_text(
        "---\ntitle: From the future\ndate: 2150-01-01\n---\nNorth Korea sent 3,000 more troops to Russia, "
        "officials in Kyiv said. The soldiers were seen near the border with Ukraine on Sunday.\n"
    )
    for _ in range(2):
        run = _wait_for(client, _create_run(client, deployment)["id"])
        assert run["state_type"] == "COMPLETED", run["state"]
    manifest = json.loads((out / "latest" / "manifest.json").read_text())
    ingest = next(s for s in manifest["steps"] if s["name"] == "ingest")
    assert ingest["cached"]  # the second run reused the first one's ingest, and still names the record
    assert ingest["notes"]["published_in_future"] == 1
    assert {"file": "future.md", "notes": "published_in_future"} in ingest["repaired_records"]
    artifacts = client.post("/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}).json()
    shown = str(next(a for a in artifacts if a["key"] == "dossier-ingest")["data"])
    assert "published_in_future" in shown and "future.md" in shown


def test_a_broken_input_fails_visibly(served):
    client, deployment, inbox, out = served
    params = {"params": {"input_dir": str(inbox / "missing"), "output_dir": str(out)}}
    created = _create_run(client, deployment, {"parameters": params})
    run = _wait_for(client, created["id"])
    assert run["state_type"] == "FAILED"
    assert "does not exist" in run["state"]["message"]


def test_prefect_yaml_deploys_the_flow_on_the_default_schedule():
    """What `prefect deploy --all` reads: the entrypoint is the flow, the schedule the documented one,
    and its name does not clash with the deployment `dossier serve` registers."""
    import importlib

    import yaml

    from flows.serve import DEFAULT_CRON, DEPLOYMENT_NAME

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    module, _, name = deployment["entrypoint"].partition(":")
    flow = getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")), name)
    assert flow.name == "dossier"
    assert [s["cron"] for s in deployment["schedules"]] == [DEFAULT_CRON]
    assert deployment["name"] != DEPLOYMENT_NAME
    assert "DOSSIER_HOME" in str(config["pull"])
