"""Score the extraction against the hand-written gold articles, field by field, in two groups.

    python bench/eval_extraction.py [--gold DIR] [--nlp-model M] [--json] [--errors] [--speed 50] [--profile]

The groups: real articles nobody here wrote (``tests/gold/real/``: their gold names a file of
``../shared/corpora/real/``, read through the real ingest and cleaning; skipped, with a note, when
that corpus is absent) and the articles we wrote ourselves (``tests/gold/``: seeds and ``own_*``).
Each is scored apart: precision, recall and F1 per field against ``<name>.gold.json`` (format and
annotation guide: tests/gold/README.md); ``--errors`` lists every miss and extra. ``--gold DIR``
scores one folder only. The scoring lives in tasks/nlp/evaluation.py.
``--speed N`` also times ``extract_articles`` over the cleaned seeds repeated N times (tokens/s,
after a warm-up run), and ``--profile`` prints the top of a cProfile of that run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.nlp.evaluation import evaluate, format_table, load_gold  # noqa: E402

SEEDS = ROOT / "seeds"
GROUPS = {"real": ROOT / "tests" / "gold" / "real", "own": ROOT / "tests" / "gold"}


def measure_speed(repeat: int, profile: bool = False) -> dict:
    """Tokens per second of extract_articles over the cleaned seeds x ``repeat`` (one process)."""
    import cProfile
    import datetime as dt
    import pstats
    import time

    from tasks.clean import clean_text
    from tasks.extract import extract_articles
    from tasks.nlp import build_nlp
    from tasks.params import CleanParams, ExtractParams

    texts = [clean_text(p.read_text(encoding="utf-8"), CleanParams())["text"] for p in sorted(SEEDS.glob("*.txt"))]
    articles = [
        {"doc_id": f"{i}-{j}", "text": t, "published": dt.date(2024, 12, 2), "language": "en"}
        for i in range(repeat) for j, t in enumerate(texts)
    ]
    tokenizer = build_nlp("blank").tokenizer
    n_tokens = sum(len(tokenizer(t)) for t in texts) * repeat
    extract_articles(articles[: len(texts)], ExtractParams())  # warm-up: lexicons, lazy tables
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    extract_articles(articles, ExtractParams())
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return {"documents": len(articles), "tokens": n_tokens, "seconds": round(seconds, 3), "tokens_per_second": round(n_tokens / seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", default=None, help="score this folder only (default: the real and the own group)")
    parser.add_argument("--nlp-model", default=None, help="the spaCy pipeline to extract with (default: ExtractParams')")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", action="store_true", help="also list every missed and spurious item")
    parser.add_argument("--speed", type=int, default=0, metavar="N", help="also time extraction over the seeds x N")
    parser.add_argument("--profile", action="store_true", help="with --speed: print a cProfile of the timed run")
    args = parser.parse_args(argv)
    if args.speed:
        speed = measure_speed(args.speed, args.profile)
        print(json.dumps(speed) if args.json else
              f"speed: {speed['tokens_per_second']:,} tokens/s ({speed['tokens']:,} tokens, {speed['documents']} documents, {speed['seconds']} s)")
    from tasks.params import ExtractParams

    params = ExtractParams(**({"nlp_model": args.nlp_model} if args.nlp_model else {}))
    groups = {"gold": Path(args.gold)} if args.gold else GROUPS
    results = {}
    for group, folder in groups.items():
        if not load_gold(folder):
            print(f"{group}: skipped, the real corpus is not here (set DOSSIER_REAL_CORPUS or add ../shared/corpora/real/)")
            continue
        results[group] = evaluate(folder, params=params, details=True)
    if args.json:
        if not args.errors:
            for result in results.values():
                result.pop("_errors", None)
        print(json.dumps(results, indent=1, ensure_ascii=False, default=str))
        return 0
    print(f"nlp model: {params.nlp_model}")
    for group, result in results.items():
        title = {"real": "real articles, nobody here wrote them", "own": "articles we wrote (seeds, own_*)"}.get(group, group)
        print(f"\n== {group}: {title} ({len(result['_articles'])} articles)")
        print(format_table(result))
        if args.errors:
            for e in result["_errors"]:
                print(f"{e['doc']:<28}{e['field']:<16}{e['kind']:<9}{e['item']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
