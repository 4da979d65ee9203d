"""Claims found in news that has nothing to do with the story: precision on unrelated articles.

    python bench/unrelated_claims.py [--bbc ../shared/corpora/bbc] [--sample 20] [--json]

Runs the real cleaning and extraction (``tasks.extract.extract_articles``, default parameters) over
the 2,225 BBC news articles of 2004-2005 (business, entertainment, politics, sport, tech) and prints
how many claims it finds, per category and per predicate. None of these articles is about North
Korea's support for Russia, so every claim is a candidate error; the claims found in the sport and
entertainment articles are plainly wrong (a football club does not supply or attack a state), and
their share is the figure that must not grow. ``--sample N`` prints N claims at random (seeded) with
their sentence, to be read by hand.

Measured here: see the README ("Precision on unrelated news").
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.clean import clean_text  # noqa: E402
from tasks.extract import extract_articles  # noqa: E402
from tasks.params import CleanParams, ExtractParams  # noqa: E402

DEFAULT_BBC = ROOT.parent / "shared" / "corpora" / "bbc"
PLAINLY_WRONG = ("sport", "entertainment")  # categories in which no claim of the story can be right


def load(bbc: Path) -> list[dict]:
    out = []
    for path in sorted(bbc.glob("*/*.txt")):
        cleaned = clean_text(path.read_text(encoding="utf-8", errors="replace"), CleanParams())
        out.append({"doc_id": f"{path.parent.name}/{path.stem}", "text": cleaned["text"],
                    "published": cleaned["published"], "language": "en", "category": path.parent.name})
    return out


def measure(bbc: Path, params: ExtractParams | None = None, sample: int = 0) -> dict:
    articles = load(bbc)
    category = {a["doc_id"]: a["category"] for a in articles}
    start = time.perf_counter()
    rows = extract_articles([{k: v for k, v in a.items() if k != "category"} for a in articles], params or ExtractParams())
    seconds = time.perf_counter() - start
    claims = rows["claims"]
    by_category = Counter(category[c["doc_id"]] for c in claims)
    wrong = sum(by_category[c] for c in PLAINLY_WRONG)
    result = {
        "articles": len(articles),
        "claims": len(claims),
        "claims_per_1000_articles": round(1000 * len(claims) / max(1, len(articles)), 1),
        "by_category": dict(sorted(by_category.items())),
        "articles_by_category": dict(sorted(Counter(category.values()).items())),
        "by_predicate": dict(Counter(c["predicate"] for c in claims).most_common()),
        "plainly_wrong": wrong,
        "plainly_wrong_share": round(wrong / max(1, len(claims)), 3),
        "seconds": round(seconds, 1),
    }
    if sample:
        rng = random.Random(7)
        picked = rng.sample(claims, min(sample, len(claims)))
        result["sample"] = [{"doc": c["doc_id"], "claim": f"{c['subject_id']} {c['predicate']} {c['object_id']} {c['item']}",
                             "modality": c["modality"], "text": c["text"][:240]} for c in picked]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", type=Path, default=DEFAULT_BBC)
    parser.add_argument("--sample", type=int, default=0, help="print this many claims at random, to read by hand")
    parser.add_argument("--nlp-model", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.bbc.is_dir():
        sys.exit(f"bench/unrelated_claims.py: no BBC corpus at {args.bbc}")
    params = ExtractParams(nlp_model=args.nlp_model) if args.nlp_model else ExtractParams()
    r = measure(args.bbc, params, args.sample)
    if args.json:
        print(json.dumps(r, indent=2))
        return
    print(f"{r['articles']:,} unrelated BBC articles ({r['seconds']} s): {r['claims']} claims "
          f"({r['claims_per_1000_articles']} per 1,000 articles)")
    print("  by category: " + ", ".join(f"{k} {v} (of {r['articles_by_category'][k]} articles)" for k, v in r["by_category"].items()))
    print("  by predicate: " + ", ".join(f"{k} {v}" for k, v in r["by_predicate"].items()))
    print(f"  plainly wrong (claims in {' and '.join(PLAINLY_WRONG)} articles): {r['plainly_wrong']} "
          f"= {r['plainly_wrong_share']:.1%} of the claims")
    for s in r.get("sample", []):
        print(f"  - {s['doc']}: {s['claim']} ({s['modality']})\n      {s['text']}")


if __name__ == "__main__":
    main()
