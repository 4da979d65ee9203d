"""A large export is records, not one file: ingest of a JSON lines (and a CSV) export of many
articles, with the default limits, its time and peak memory.

    .venv/bin/python bench/large_export.py                 # 10,000 articles (about 23 MB)
    .venv/bin/python bench/large_export.py --records 50000

Articles come from ../shared/corpora/bbc/ when it is there (cycled), else generated text.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BBC = ROOT.parent / "shared" / "corpora" / "bbc"


def _texts(n: int) -> list[str]:
    files = sorted(p for p in BBC.rglob("*.txt")) if BBC.is_dir() else []
    if files:
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in files[:2000]]
    else:
        texts = [f"Article {i}. North Korea sent troops to Russia, officials said on Monday. " * 40 for i in range(50)]
    return [texts[i % len(texts)] + f"\nRecord {i}." for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    from tasks.ingest import ingest_files, list_inputs
    from tasks.params import IngestParams

    params = IngestParams()
    texts = _texts(args.records)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with open(folder / "export.jsonl", "w", encoding="utf-8") as out:
            for i, text in enumerate(texts):
                out.write(json.dumps({"title": f"Article {i}", "text": text, "date": "2025-12-28"}) + "\n")
        with open(folder / "export.csv", "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["title", "text", "date"])
            writer.writerows([f"Article {i}", text, "2025-12-28"] for i, text in enumerate(texts))
        for name in ("export.jsonl", "export.csv"):
            size = (folder / name).stat().st_size
            files = [f for f in list_inputs(folder, params) if f.source_path == name]
            started = time.perf_counter()
            ok = rejected = 0
            for row in ingest_files(files, params):
                ok += row["status"] == "ok"
                rejected += row["status"] != "ok"
            elapsed = time.perf_counter() - started
            print(f"{name}: {size / 1e6:.1f} MB, {args.records} records -> {ok} accepted, {rejected} rejected, "
                  f"{elapsed:.1f} s ({args.records / elapsed:,.0f} records/s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB (the texts generated for the files included)")


if __name__ == "__main__":
    main()
