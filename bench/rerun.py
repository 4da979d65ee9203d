"""How cheap is a rerun? First run, unchanged rerun, and a rerun after adding a few articles.

    python bench/rerun.py [--sizes 5 300] [--add 5]

Each size gets a fresh output folder. Times are of the flow inside one process (Prefect's temporary
server is started once, before timing) and of the whole command line, start-up included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
from flows.environment import apply_defaults  # noqa: E402

apply_defaults()

from bench.corpus import SEEDS, build_corpus  # noqa: E402


def _flow(input_dir: Path, output_dir: Path) -> tuple[float, dict]:
    from flows.params import PipelineParameters
    from flows.pipeline import dossier_pipeline

    start = time.perf_counter()
    manifest = dossier_pipeline(PipelineParameters(input_dir=str(input_dir), output_dir=str(output_dir)))
    return time.perf_counter() - start, manifest


def _cli(input_dir: Path, output_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows.cli", "run", "--input", str(input_dir), "--output", str(output_dir)],
                   check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 300])
    parser.add_argument("--add", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm"
        shutil.copytree(SEEDS, warm / "in")
        _flow(warm / "in", warm / "out")  # start Prefect's server and load spaCy outside the timings
        print(f"{'docs':>6} {'first s':>8} {'rerun s':>8} {'ratio':>6} {'+add s':>7} {'processed':>9} "
              f"{'cli first':>9} {'cli rerun':>9}")
        for n in args.sizes:
            root = Path(tmp) / f"n{n}"
            if n == 5:
                shutil.copytree(SEEDS, root / "in")
            else:
                build_corpus(root / "in", n)
            first, _ = _flow(root / "in", root / "out")
            rerun, manifest = _flow(root / "in", root / "out")
            cached = sum(s["cached"] for s in manifest["steps"])
            extra = Path(tmp) / f"extra{n}"
            build_corpus(extra, n + args.add, seed=99)
            for p in sorted(extra.iterdir())[-args.add:]:
                shutil.copy(p, root / "in" / f"added-{p.name}")
            added, manifest = _flow(root / "in", root / "out")
            processed = next(s for s in manifest["steps"] if s["name"] == "extract").get("documents_processed")
            cli_out = Path(tmp) / f"cli{n}"
            cli_first = _cli(root / "in", cli_out)
            cli_rerun = _cli(root / "in", cli_out)
            print(f"{n:>6} {first:>8.2f} {rerun:>8.2f} {rerun / first:>6.2f} {added:>7.2f} {processed!s:>9} "
                  f"{cli_first:>9.2f} {cli_rerun:>9.2f}   ({cached}/5 steps reused on rerun)")


if __name__ == "__main__":
    main()
