"""The ``dossier`` command line.

    dossier run [--input DIR] [--output DIR] [--nlp-model NAME]   one run, then a short summary
    dossier runs list|show RUN|diff RUN_A RUN_B [--output DIR]    the run history
    dossier report [RUN] [--output DIR]                            (re)write a run's report.html
    dossier server [--host H] [--port P]                          Prefect server + UI on 127.0.0.1
    dossier serve [--inbox DIR] [--output DIR] [--cron EXPR]      scheduled runs over an inbox
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from flows.environment import apply_defaults


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dossier", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the pipeline once over a folder of articles")
    run.add_argument("--input", default="seeds", help="folder of articles (default: seeds)")
    run.add_argument("--output", default="data", help="output root (default: data)")
    run.add_argument("--nlp-model", default=None, help="'dossier' (default: our rules with our trained parser on the sentences that need it), "
                     "'blank' (rules only, no parse) or an installed spaCy pipeline's name or path")
    run.add_argument("--batch-size", type=int, default=None, help="documents per nlp.pipe batch")
    run.add_argument("--n-process", type=int, default=None,
                     help="NLP worker processes (default: the cores available; one for small inputs)")
    run.add_argument("--verbose", action="store_true", help="show Prefect's run logs")
    run.add_argument("--runner", choices=["local", "dask"], default="local",
                     help="where steps run: this process (default) or a Dask cluster")
    run.add_argument("--dask-address", default=None,
                     help="scheduler of an existing Dask cluster (tcp://host:8786); default: a local cluster")
    run.add_argument("--dask-workers", type=int, default=2, help="workers of the local Dask cluster")

    runs = commands.add_parser("runs", help="list, show and compare runs")
    runs.add_argument("--output", default="data", help="output root (default: data)")
    runs_cmd = runs.add_subparsers(dest="runs_command", required=True)
    runs_cmd.add_parser("list", help="every run, newest last")
    show = runs_cmd.add_parser("show", help="one run's manifest, readable")
    show.add_argument("run", help="a run id (or unique prefix), 'latest' or 'previous'")
    diff = runs_cmd.add_parser("diff", help="documents, claims and checks that changed")
    diff.add_argument("run_a")
    diff.add_argument("run_b")
    diff.add_argument("--json", action="store_true", help="print the diff as JSON")

    report = commands.add_parser("report", help="(re)write a run's self-contained report.html")
    report.add_argument("run", nargs="?", default="latest", help="run id, prefix, 'latest' (default) or 'previous'")
    report.add_argument("--output", default="data", help="output root (default: data)")

    server = commands.add_parser("server", help="start the Prefect server and UI on this machine")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=4200)

    serve = commands.add_parser("serve", help="serve the flow on a schedule over an inbox folder")
    serve.add_argument("--inbox", default="inbox", help="folder watched by scheduled runs (default: inbox)")
    serve.add_argument("--output", default="data", help="output root (default: data)")
    serve.add_argument("--cron", default="*/15 * * * *", help="schedule (default: every 15 minutes)")
    serve.add_argument("--name", default="inbox", help="deployment name (default: inbox)")
    return parser


def _parameters(args: argparse.Namespace):
    from flows.params import PipelineParameters
    from tasks.params import ExtractParams
    from tasks.store import new_run_id

    extract = {
        key: value
        for key, value in (
            ("nlp_model", args.nlp_model),
            ("batch_size", args.batch_size),
            ("n_process", args.n_process),
        )
        if value is not None
    }
    return PipelineParameters(
        input_dir=args.input,
        output_dir=args.output,
        run_id=new_run_id(),
        extract=ExtractParams(**extract),
    )


def format_summary(manifest: dict[str, Any]) -> str:
    """The few lines a person wants after a run."""
    lines = [f"run {manifest['run_id']}: {manifest['status']}"]
    steps = {s["name"]: s for s in manifest.get("steps", [])}
    if "ingest" in steps:
        ing = steps["ingest"]
        rejected = sum(ing["rejects"].values())
        reasons = ", ".join(f"{k}={v}" for k, v in ing["rejects"].items())
        lines.append(
            f"documents: {ing['rows_in']} read, {ing['rows_out']} accepted, {rejected} rejected"
            + (f" ({reasons})" if reasons else "")
        )
    for step in manifest.get("steps", []):
        rejects = ", ".join(f"{k}={v}" for k, v in step["rejects"].items())
        lines.append(f"{step['name']}: {step['verdict']}" + (f" (dropped: {rejects})" if rejects and step["name"] != "ingest" else ""))
        for table, info in step["tables"].items():
            quality = step["quality"].get(table, {})
            lines.append(
                f"  {table:<14} {info['rows']:>8} rows   checks {quality.get('evaluated', 0) - quality.get('failed', 0)}"
                f"/{quality.get('evaluated', 0)} passed"
            )
        for table, quality in step["quality"].items():
            if not quality["success"]:
                lines.append(f"  {table:<14} FAILED {quality['failed']}/{quality['evaluated']} checks:")
                lines += [f"      {f}" for f in quality["failures"]]
    if manifest.get("error"):
        lines.append(f"failed in step {manifest.get('failed_step')}: {manifest['error']}")
    lines.append(f"run folder: {manifest['run_dir']}")
    if manifest.get("report"):
        lines.append(f"report:     {manifest['run_dir'].rstrip('/')}/{manifest['report']}")
    if manifest["status"] == "succeeded":
        root = manifest["run_dir"].rstrip("/").rsplit("/", 2)[0]
        lines.append(f"latest:     {root}/latest" + (".json" if "://" in root else ""))
    return "\n".join(lines)


def run_command(args: argparse.Namespace) -> int:
    if not args.verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    apply_defaults()
    input_dir = Path(args.input)
    if "://" not in args.input and not input_dir.is_dir():
        print(f"dossier: input folder {input_dir} does not exist or is not a folder", file=sys.stderr)
        return 2
    if "://" not in args.input and not os.access(input_dir, os.R_OK | os.X_OK):
        print(f"dossier: input folder {input_dir} cannot be read (permissions)", file=sys.stderr)
        return 2
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        # Prefect would start its temporary API on first use and wait for it: start it now, in its
        # own process, so that it comes up while this one imports and loads what the run needs.
        # Dask workers of a local cluster inherit the address.
        from flows.serve import TemporaryServer

        server = TemporaryServer()
        os.environ["PREFECT_API_URL"] = server.start()
    params = _parameters(args)
    from flows.pipeline import with_runner
    from tasks.store import RunStore, read_manifest

    pipeline = with_runner(args.runner, args.dask_address, args.dask_workers)
    if server is not None and args.runner == "local":
        from tasks import quality
        from tasks.nlp import build_nlp

        server.use_the_wait(quality.prepare, lambda: build_nlp(params.extract.nlp_model))
    try:
        if server is not None:
            server.wait()
        pipeline(params)
        code, error = 0, None
    except Exception as exc:  # the manifest holds the reason; the summary prints it
        code, error = 1, exc
    store = RunStore(params.output_dir, params.run_id)
    try:
        manifest = read_manifest(store.run_path, store.location)
    except FileNotFoundError:
        print(f"dossier: the run failed before writing {store.run_url}/manifest.json"
              + (f": {type(error).__name__}: {error}" if error else ""), file=sys.stderr)
        return code or 1
    print(format_summary(manifest))
    return code


def runs_command(args: argparse.Namespace) -> int:
    from flows import history

    output = args.output
    try:
        if args.runs_command == "list":
            print(history.format_runs(history.list_runs(output)))
        elif args.runs_command == "show":
            print(history.format_run(history.resolve_run(output, args.run)))
        else:
            diff = history.diff_runs(
                history.resolve_run(output, args.run_a), history.resolve_run(output, args.run_b)
            )
            print(json.dumps(diff, indent=2, default=str) if args.json else history.format_diff(diff))
    except LookupError as exc:
        print(f"dossier: {exc}", file=sys.stderr)
        return 2
    return 0


def report_command(args: argparse.Namespace) -> int:
    from flows import history
    try:
        run_dir = history.resolve_run(args.output, args.run)
    except LookupError as exc:
        print(f"dossier: {exc}", file=sys.stderr)
        return 2
    from tasks.report import write_report_anywhere
    from tasks.store import RunStore

    print(write_report_anywhere(RunStore(args.output, run_dir.name)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    if args.command == "run":
        return run_command(args)
    if args.command in ("runs", "report"):
        code = runs_command(args) if args.command == "runs" else report_command(args)
        # read-only commands end here, without the interpreter's teardown: pyarrow's parquet reader
        # threads can abort it ('terminate called without an active exception', apache/arrow#34314),
        # which turned a finished command's exit status into -6 now and then (called as a function,
        # with argv, it returns as usual)
        if argv is not None:
            return code
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    from flows import serve

    if args.command == "server":
        return serve.start_server(args.host, args.port)
    try:
        serve.serve(args.inbox, args.output, args.cron, args.name)
    except ConnectionError as exc:
        print(f"dossier: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
