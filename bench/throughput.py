"""Throughput of the whole pipeline against its NLP core, at several corpus sizes.

    python bench/throughput.py [--sizes 2000 10000 20000] [--n-process N] [--nlp-model M] [--varied]

For each size N a fresh process builds a corpus of N unique articles (the 2,225 real BBC articles
from ../shared/corpora/bbc when present, then mosaics of paragraphs from four different ones, so no
two articles are copies that dedup or the per-article NLP cache could share; ``--varied`` builds the
older corpus of shuffled copies instead; generated text without the BBC corpus), then measures:

- the whole flow (ingest, clean, extract, dedup, aggregate, every Great Expectations check, Parquet),
  into an empty output folder, with Prefect's temporary server started before the clock starts;
- spaCy alone: the same pipeline (``build_nlp``: with the default ``dossier`` model, the trained
  tagger and parser on the sentences our components pick) streamed with ``nlp.pipe`` over the same
  texts, with as many processes as the flow used (``n_process``, by default the cores available);
- the parse: the share of sentences parsed and words per second of the trained parser alone (one
  process, on the sentences it parsed in a sample of 300 articles).

It prints wall time, documents and words per second, peak memory (resident memory of the flow's
process and its NLP worker processes, sampled together; Prefect's temporary API server is shown
apart), each step's time, and the figure of merit: whole pipeline / spaCy alone.
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
import threading
import time
from datetime import datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _seconds(a: str, b: str) -> float:
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


class TreeMemory:
    """Samples, ten times a second, the resident memory of this process plus its child processes
    (NLP workers), apart from Prefect's temporary API server, which is counted on its own."""

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.peak_mb = 0.0
        self.server_peak_mb = 0.0
        self._stop = threading.Event()

    @staticmethod
    def _is_server(proc) -> bool:
        try:
            line = " ".join(proc.cmdline())
        except Exception:  # noqa: BLE001 - the process may be gone
            return False
        return "uvicorn" in line or "prefect.server" in line or "server start" in line

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            flow, server = me.memory_info().rss, 0
            for child in me.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                if self._is_server(child):
                    server += rss
                else:
                    flow += rss
            self.peak_mb = max(self.peak_mb, flow / 2**20)
            self.server_peak_mb = max(self.server_peak_mb, server / 2**20)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def parse_figures(texts: list[str], model: str) -> dict:
    """Share of sentences the selective parse picks and the parser's own speed, on a sample."""
    from tasks.nlp import build_nlp

    nlp = build_nlp(model)
    if "dossier_parse" not in nlp.pipe_names:
        return {}
    component = nlp.get_pipe("dossier_parse")
    sample = texts[:300]
    before = dict(component.counts)
    chosen = []
    for doc in nlp.pipe(sample, batch_size=64):
        chosen += [s.text for s in doc.sents if s.root.dep_ == "ROOT"]
    counts = {k: component.counts[k] - before[k] for k in before}
    start = time.perf_counter()
    words = sum(len(d) for d in component.parser.pipe(chosen, batch_size=256))
    seconds = time.perf_counter() - start
    return {"sentences": counts["sentences"], "parsed": counts["parsed"],
            "parsed_share": counts["parsed"] / max(1, counts["sentences"]),
            "parser_words_per_s": words / seconds if seconds else 0.0}


def measure(n: int, n_process: int, workdir: Path, model: str | None = None, unique: bool = True) -> dict:
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    from flows.environment import apply_defaults

    apply_defaults()
    from bench.corpus import SEEDS, build_corpus
    from flows.params import PipelineParameters
    from flows.pipeline import dossier_pipeline
    from tasks.extract import auto_processes
    from tasks.nlp import build_nlp
    from tasks.params import ExtractParams

    corpus = build_corpus(workdir / "in", n, unique=unique)
    params = ExtractParams(n_process=n_process, **({"nlp_model": model} if model else {}))
    processes = auto_processes(params, n)  # what the flow will use for this corpus

    warm = workdir / "warm"
    shutil.copytree(SEEDS, warm / "in")
    dossier_pipeline(PipelineParameters(input_dir=str(warm / "in"), output_dir=str(warm / "out")))

    sampler = TreeMemory()
    start = time.perf_counter()
    with sampler:
        manifest = dossier_pipeline(
            PipelineParameters(input_dir=str(workdir / "in"), output_dir=str(workdir / "out"), extract=params)
        )
    whole = time.perf_counter() - start
    flow_process_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    texts = [p.read_text("utf-8") for p in sorted((workdir / "in").iterdir())]
    nlp = build_nlp(params.nlp_model)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=params.batch_size, n_process=processes):
        pass
    spacy_alone = time.perf_counter() - start
    parse = parse_figures(texts, params.nlp_model)
    steps = {s["name"]: _seconds(s["started_at"], s["finished_at"]) for s in manifest["steps"]}
    rows = {t: i["rows"] for s in manifest["steps"] for t, i in s["tables"].items()}
    return {
        "n": n,
        "model": params.nlp_model,
        "parse": parse,
        "source": corpus["source"],
        "words": corpus["n_words"],
        "spacy_s": spacy_alone,
        "whole_s": whole,
        "n_process": processes,
        "peak_rss_mb": sampler.peak_mb,  # the flow's process and its NLP workers, together
        "flow_process_peak_mb": flow_process_peak,
        "server_peak_mb": sampler.server_peak_mb,
        "steps": steps,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 20000])
    parser.add_argument("--n-process", type=int, default=None,
                        help="processes for nlp.pipe (default: the flow's own choice, the cores available)")
    parser.add_argument("--nlp-model", default=None, help="the nlp_model setting (default: ExtractParams')")
    parser.add_argument("--varied", action="store_true", help="shuffled copies of the BBC articles, not unique ones")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(measure(args.one, args.n_process, Path(tmp), args.nlp_model, not args.varied)))
        return
    extra = (["--n-process", str(args.n_process)] if args.n_process else []) + \
        (["--nlp-model", args.nlp_model] if args.nlp_model else []) + (["--varied"] if args.varied else [])

    results = []
    for n in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(n)] + extra,
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
            f"peak RSS {r['peak_rss_mb']:.0f} MB (flow process {r['flow_process_peak_mb']:.0f} MB + NLP workers; "
            f"n_process {r['n_process']}; Prefect's temporary server {r['server_peak_mb']:.0f} MB apart)"
            f"\n          steps: {steps}"
            + (f"\n          model {r['model']}: {r['parse']['parsed_share']:.1%} of sentences parsed "
               f"({r['parse']['parsed']:,} of {r['parse']['sentences']:,} in a 300-article sample), parser alone "
               f"{r['parse']['parser_words_per_s']:,.0f} words/s (one process)" if r["parse"] else f"\n          model {r['model']}: no parse"),
            flush=True,
        )
    by_n = {r["n"]: r for r in results}
    if 10000 in by_n and 20000 in by_n:
        growth = by_n[20000]["whole_s"] / by_n[10000]["whole_s"]
        print(f"growth 10k -> 20k: x{growth:.2f} (target <= 2.1)")
    biggest = results[-1]
    print(
        f"figure of merit at N={biggest['n']}: whole / spaCy alone = {biggest['whole_s'] / biggest['spacy_s']:.2f}; "
        f"whole flow {biggest['whole_s']:.0f} s (target at 20,000: <= 240 s, twice the 120 s of the rules-only "
        f"pipeline); peak RSS {biggest['peak_rss_mb']:.0f} MB (target < 2048)"
    )


if __name__ == "__main__":
    main()
