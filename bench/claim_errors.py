"""Claims of the gold articles side by side with what the extractor found, for reading errors.

    python bench/claim_errors.py [--gold tests/gold/real] [--article NAME ...] [--nlp-model M]
                                 [--engine both|words|parse]

For each article: every gold claim (its key, modality, source and note) marked FOUND or MISSED, and
every extracted claim that matches no gold claim (EXTRA) with its trigger and evidence sentence.
Matching is the evaluation's (``claims_key``: subject, predicate, object, item; alternatives
allowed), one to one. The evaluation itself is ``bench/eval_extraction.py``; this script is for
finding the cause of a miss or an extra. ``--engine words`` or ``parse`` shows one of the two claim
engines alone (see tasks/nlp/claims.py: ``find_claims``), run in this process on the same cleaned
texts; the default ``both`` is what the pipeline extracts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.nlp import build_nlp  # noqa: E402
from tasks.nlp.claims import ENGINES, find_claims  # noqa: E402
from tasks.nlp.evaluation import (  # noqa: E402
    CLAIM_KEY, _cleaned, _gold_tuple, _norm_text, _same_tuple, extract_gold_articles, in_scope, load_gold, scope_ranges,
)
from tasks.nlp.state import get_state, sentences  # noqa: E402
from tasks.params import ExtractParams  # noqa: E402


def engine_claims(articles, params: ExtractParams, engine: str) -> dict[str, dict[str, list[dict]]]:
    """Claims of one engine alone, as rows with the fields this script reads."""
    nlp = build_nlp(params.nlp_model)
    out = {}
    for name, raw, gold in articles:
        cleaned = _cleaned(name, raw, gold)
        doc = nlp(cleaned["text"])
        state = get_state(doc)
        bounds = sentences(doc)
        rows = []
        for c in find_claims(doc, state["mentions"], state["quantities"], state["quotes"], engine=engine):
            a, b, _ = bounds[c["sent"]]
            rows.append({**c, "start_char": doc[a].idx, "text": doc[a:b].text})
        out[name] = in_scope({"claims": rows}, scope_ranges(name, gold, cleaned["text"]))
    return out


def _key(c: dict) -> tuple:
    src = {"subject": c["subject_id"], "object": c["object_id"], **c}
    return tuple(_norm_text(src[k]) for k in CLAIM_KEY)


def _show(value) -> str:
    if isinstance(value, (list, tuple, frozenset, set)):
        return "|".join(sorted(str(v) for v in value))
    return str(value)


def _near_miss(key: tuple, gold_keys: list[tuple]) -> str | None:
    """The one field in which an extra claim differs from some gold claim of its article (the
    object it could not find, an item named at another level), or None when it differs in more."""
    for gk in gold_keys:
        differ = [name for name, g, k in zip(CLAIM_KEY, gk, key) if not _same_tuple((g,), (k,))]
        if len(differ) == 1:
            return differ[0]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default="tests/gold/real")
    parser.add_argument("--article", nargs="*", help="only these articles (gold file names without .gold.json)")
    parser.add_argument("--nlp-model", default=None)
    parser.add_argument("--engine", choices=ENGINES, default="both", help="both claim engines merged (the pipeline's), or one alone")
    args = parser.parse_args()
    articles = load_gold(args.gold)
    if args.article:
        articles = [a for a in articles if a[0] in args.article]
    params = ExtractParams(nlp_model=args.nlp_model) if args.nlp_model else ExtractParams()
    rows = extract_gold_articles(articles, params) if args.engine == "both" else engine_claims(articles, params, args.engine)
    totals = {"found": 0, "missed": 0, "extra": 0}
    for name, _, gold in articles:
        if "claims" not in gold.get("annotated", ["claims"]):
            continue
        pred = list(rows[name]["claims"])
        keys = [_key(c) for c in pred]
        used: set[int] = set()
        print(f"== {name}")
        for g in gold.get("claims", []):
            gk = _gold_tuple(g, CLAIM_KEY)
            hit = next((i for i, k in enumerate(keys) if i not in used and _same_tuple(gk, k)), None)
            if hit is not None:
                # the extractor's repeats of a matched claim are no extras
                used.update(i for i, k in enumerate(keys) if k == keys[hit])
            status = "FOUND " if hit is not None else "MISSED"
            totals["found" if hit is not None else "missed"] += 1
            got = f"  [{pred[hit]['modality']}; {pred[hit]['attributed_to']}]" if hit is not None else ""
            print(f"  {status} {' '.join(_show(v) for v in gk)}  ({_show(g.get('modality'))}; {_show(g.get('attributed_to'))}){got}"
                  f"\n         {g.get('note', '')}")
        for i, c in enumerate(pred):
            if i in used:
                continue
            used.update(j for j, k in enumerate(keys) if k == keys[i])
            totals["extra"] += 1
            near = _near_miss(keys[i], [_gold_tuple(g, CLAIM_KEY) for g in gold.get("claims", [])])
            if near:
                totals[f"extra, only the {near} differs from gold"] = totals.get(f"extra, only the {near} differs from gold", 0) + 1
            print(f"  EXTRA  {' '.join(_show(v) for v in keys[i])}  ({c['modality']}; {c['attributed_to']}) "
                  f"trigger {c.get('trigger')!r}{f'  [only the {near} differs from a gold claim]' if near else ''}"
                  f"\n         {c['text'][:300]}")
    print("\n" + ", ".join(f"{k} {v}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
