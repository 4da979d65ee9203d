"""The dossier flow: ingest -> clean -> extract -> dedup -> aggregate.

Each step is a Prefect task that writes its tables into the run folder after they pass their Great
Expectations suites. The flow only wires the steps and keeps the run's record (``manifest.json``):
``latest`` moves to this run only when every step finished and every check passed.

Run it with ``dossier run`` or ``python -m flows.pipeline``.
"""



from flows.environment import apply_defaults

apply_defaults()

import os  # noqa: E402
import platform  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
from datetime import datetime, timedelta, timezone  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from prefect import flow, get_run_logger  # noqa: E402

from flows.environment import PROJECT_ROOT  # noqa: E402
from flows.params import PipelineParameters  # noqa: E402
from tasks.aggregate import aggregate  # noqa: E402
from tasks.clean import clean  # noqa: E402
from tasks.dedup import dedup  # noqa: E402
from tasks.extract import extract  # noqa: E402
from tasks.ingest import ingest, list_inputs  # noqa: E402
from tasks.report import report  # noqa: E402
from tasks.step import StepReport, utc_now  # noqa: E402
from tasks.store import RunStore, file_sha256, local_input, recover_interrupted  # noqa: E402

STEPS = ("ingest", "clean", "extract", "dedup", "aggregate")


def code_version() -> str:
    """The git commit of the code (with ``+dirty`` for local changes), else the package version."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        return commit + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        try:
            return metadata.version("dossier")
        except metadata.PackageNotFoundError:
            return "unknown"


def describe_inputs(input_dir: Path, params: PipelineParameters) -> list[dict[str, Any]]:
    inputs = []
    for item in list_inputs(input_dir, params.ingest):
        entry: dict[str, Any] = {"path": item.source_path, "n_bytes": item.n_bytes}
        if item.problem is None:
            entry["sha256"] = file_sha256(item.path)
        else:
            entry["sha256"] = None
            entry["problem"] = item.problem
        inputs.append(entry)
    return inputs


def flow_run_id() -> str:
    """The dossier run id of the current flow run: the one given, else made from the Prefect run.

    Both the flow run's name and its run folder use it, so the UI and the disk agree.
    """
    from prefect.runtime import flow_run

    params = flow_run.parameters.get("params")
    given = params.get("run_id") if isinstance(params, dict) else getattr(params, "run_id", None)
    if given:
        return given
    started = flow_run.scheduled_start_time or datetime.now(timezone.utc)
    # Prefect's run ids are time-ordered UUIDs: their first digits are shared by runs created close
    # together (a schedule's runs), their last ones are random.
    return f"{started.astimezone(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{str(flow_run.id).replace('-', '')[-8:]}"


def _input_keys(manifest: dict[str, Any]) -> dict[str, str]:
    return {i["path"]: i["sha256"] or f"{i.get('problem')}:{i['n_bytes']}" for i in manifest["inputs"]}


def _dated(step_params, run_id: str):
    """Step parameters with ``latest_published`` fixed to the run's day plus ``max_days_ahead``
    (unless set): a publication date after it is dropped where it is read. The date is part of
    the step's key, so a day's runs share their cached steps."""
    if step_params.latest_published is not None:
        return step_params
    day = datetime.strptime(run_id[:8], "%Y%m%d").date() if run_id[:8].isdigit() else datetime.now(timezone.utc).date()
    return step_params.model_copy(update={"latest_published": day + timedelta(days=step_params.max_days_ahead)})


def _flow_run_name() -> str:
    return f"dossier-{flow_run_id()}"


@flow(name="dossier", flow_run_name=_flow_run_name, log_prints=False)
def dossier_pipeline(params: PipelineParameters = PipelineParameters()) -> dict[str, Any]:
    """Turn a folder of articles into the checked evidence tables of one run."""
    logger = get_run_logger()
    with local_input(params.input_dir) as input_dir:
        return _run_pipeline(params, input_dir, logger)


def _run_pipeline(params: PipelineParameters, input_dir: Path, logger) -> dict[str, Any]:
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist or is not a folder")
    for run_id in recover_interrupted(params.output_dir):
        logger.warning("run %s was interrupted before it finished; marked as such", run_id)
    store = RunStore.create(params.output_dir, flow_run_id())
    manifest: dict[str, Any] = {
        "run_id": store.run_id,
        "status": "running",
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": utc_now(),
        "finished_at": None,
        "code_version": code_version(),
        "python": platform.python_version(),
        "parameters": params.model_dump(mode="json"),
        "inputs": describe_inputs(input_dir, params),
        "steps": [],
        "run_dir": store.run_url,
    }
    store.write_manifest(manifest)
    logger.info("run %s: %s -> %s", store.run_id, params.input_dir, store.run_url)
    step = STEPS[0]
    ingest_params, clean_params = _dated(params.ingest, store.run_id), _dated(params.clean, store.run_id)
    try:
        for step, call in (
            ("ingest", lambda: ingest.submit(store, params.input_dir, ingest_params, _input_keys(manifest))),
            ("clean", lambda: clean.submit(store, clean_params)),
            ("extract", lambda: extract.submit(store, params.extract)),
            ("dedup", lambda: dedup.submit(store, params.dedup)),
            ("aggregate", lambda: aggregate.submit(store, params.aggregate)),
        ):
            # Submitted, so that a Dask task runner runs the step on the cluster.
            report: StepReport = call().result()
            manifest["steps"].append(report.as_dict())
            store.write_manifest(manifest)
    except Exception as exc:
        manifest.update(
            status="failed",
            finished_at=utc_now(),
            failed_step=step,
            error=f"{type(exc).__name__}: {exc}",
        )
        failed_report = getattr(exc, "step_report", None)
        if failed_report:
            manifest["steps"].append(failed_report)
        store.write_manifest(manifest)
        store.finalise()
        _write_report(store, manifest, logger)  # a failed run's report says where and why
        raise
    manifest.update(status="succeeded", finished_at=utc_now())
    store.write_manifest(manifest)
    store.finalise()
    _write_report(store, manifest, logger)
    store.mark_latest()
    return manifest


def _write_report(store: RunStore, manifest: dict[str, Any], logger) -> None:
    """The report is the last step; if it cannot be written the tables still stand."""
    try:
        manifest["report"] = report.submit(store).result()
    except Exception as exc:  # noqa: BLE001 - the run's outcome does not depend on its report
        logger.error("the report could not be written: %s", exc)
        manifest["report_error"] = f"{type(exc).__name__}: {exc}"
    store.write_manifest(manifest)


def with_runner(runner: str = "local", address: str | None = None, n_workers: int = 2):
    """The flow with its task runner: Prefect's default (threads in this process) or Dask.

    ``dask`` with an ``address`` uses an existing cluster (``tcp://scheduler:8786``); without one it
    starts a local cluster of ``n_workers`` processes. Workers must share the output location.
    """
    if runner == "local":
        return dossier_pipeline
    if runner != "dask":
        raise ValueError(f"runner must be 'local' or 'dask', not {runner!r}")
    from prefect_dask import DaskTaskRunner

    if address:
        task_runner = DaskTaskRunner(address=address)
    else:
        task_runner = DaskTaskRunner(
            cluster_kwargs={"n_workers": n_workers, "threads_per_worker": 1, "processes": True,
                            "dashboard_address": None}
        )
    return dossier_pipeline.with_options(task_runner=task_runner)


def main() -> None:  # pragma: no cover - the CLI module has the argument handling
    from flows.cli import main as cli_main

    raise SystemExit(cli_main(["run", *__import__("sys").argv[1:]]))


if __name__ == "__main__":
    main()
