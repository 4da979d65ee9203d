"""Throughput of the whole pipeline against its NLP core, at several corpus sizes.

    python bench/throughput.py [--sizes 2000 10000 20000] [--n-process 1]

For each size N a fresh process builds a corpus of N articles (real BBC articles from
../shared/corpora/bbc when present, repeated with variations to reach N; generated text otherwise),
then measures:

- spaCy alone: the same pipeline (``build_nlp``) streamed with ``nlp.pipe`` over the same texts;
- the whole flow (ingest, clean, extract, dedup, aggregate, every Great Expectations check, Parquet),
  into an empty output folder, with Prefect's temporary server started before the clock starts.

It prints wall time, documents and words per second, peak memory (max RSS of the process), each
step's time, and the figure of merit: whole pipeline / spaCy alone.
"""

from __future__ import annotations

import argparse
import os
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _seconds(a: str, b: str) -> float:
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


def measure(n: int, n_process: int, workdir: Path) -> dict:
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    from flows.environment import apply_defaults

    apply_defaults()
    from bench.corpus import SEEDS, build_corpus
    from flows.params import PipelineParameters
    from flows.pipeline import dossier_pipeline
    from tasks.nlp import build_nlp
    from tasks.params import ExtractParams

    corpus = build_corpus(workdir / "in", n)
    texts = [p.read_text("utf-8") for p in sorted((workdir / "in").iterdir())]
    params = ExtractParams(n_process=n_process)

    warm = workdir / "warm"
    shutil.copytree(SEEDS, warm / "in")
    dossier_pipeline(PipelineParameters(input_dir=str(warm / "in"), output_dir=str(warm / "out")))

    nlp = build_nlp(params.nlp_model)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=params.batch_size, n_process=params.n_process):
        pass
    spacy_alone = time.perf_counter() - start
    del texts

    start = time.perf_counter()
    manifest = dossier_pipeline(
        PipelineParameters(input_dir=str(workdir / "in"), output_dir=str(workdir / "out"), extract=params)
    )
    whole = time.perf_counter() - start
    steps = {s["name"]: _seconds(s["started_at"], s["finished_at"]) for s in manifest["steps"]}
    rows = {t: i["rows"] for s in manifest["steps"] for t, i in s["tables"].items()}
    return {
        "n": n,
        "source": corpus["source"],
        "words": corpus["n_words"],
        "spacy_s": spacy_alone,
        "whole_s": whole,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "steps": steps,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 20000])
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(measure(args.one, args.n_process, Path(tmp))))
        return

    results = []
    for n in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--n-process", str(args.n_process)],
            capture_output=True, text=True, cwd=ROOT,
        )
        if done.returncode != 0:
            print(done.stderr[-4000:], file=sys.stderr)
            raise SystemExit(f"size {n} failed")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        r = results[-1]
        steps = "  ".join(f"{k} {v:.1f}s" for k, v in r["steps"].items())
        print(
            f"N={r['n']:>6} ({r['source']}, {r['words']:,} words): whole {r['whole_s']:.1f}s "
            f"({r['n'] / r['whole_s']:.0f} docs/s, {r['words'] / r['whole_s']:,.0f} words/s), "
            f"spaCy alone {r['spacy_s']:.1f}s, ratio {r['whole_s'] / r['spacy_s']:.2f}, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB\n          steps: {steps}",
            flush=True,
        )
    by_n = {r["n"]: r for r in results}
    if 10000 in by_n and 20000 in by_n:
        growth = by_n[20000]["whole_s"] / by_n[10000]["whole_s"]
        print(f"growth 10k -> 20k: x{growth:.2f} (target <= 2.2)")
    biggest = results[-1]
    print(
        f"figure of merit at N={biggest['n']}: whole / spaCy alone = {biggest['whole_s'] / biggest['spacy_s']:.2f} "
        f"(target <= 1.5); peak RSS {biggest['peak_rss_mb']:.0f} MB (target < 2048)"
    )


if __name__ == "__main__":
    main()
