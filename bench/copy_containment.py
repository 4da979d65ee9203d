"""How alike sentences of different articles are: the evidence behind ``copy_containment``.

    python bench/copy_containment.py                # the BBC corpus, bins of 0.1 from 0.4
    python bench/copy_containment.py --show 0.6     # and 25 sampled pairs of the 0.6-0.7 bin

Every sentence of at least ``copy_min_words`` words of the 2,225 BBC articles (natural copies set
aside, as bench/dedup_scaling.py does) is compared with the sentences of every other article: the
share of its word 3-grams found in the other sentence (tasks/provenance.py's containment). Printed:
the number of sentence pairs per bin, and with ``--show`` a sample of one bin to read, so that the
threshold is set where the pairs stop being one passage reworded and start being different
statements that share a phrase.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dedup_scaling import DEFAULT_CORPUS, label_natural_copies, load_bbc  # noqa: E402
from bench.variants import split_article, split_sentences  # noqa: E402
from tasks.params import AggregateParams  # noqa: E402
from tasks.provenance import shingles, words  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", type=float, help="print sampled pairs of the bin starting here")
    parser.add_argument("--samples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    params = AggregateParams()
    articles = load_bbc(args.corpus)
    if not articles:
        print(f"no BBC corpus at {args.corpus}")
        return 1
    _, set_aside = label_natural_copies(articles)
    sentences: list[tuple[str, str, frozenset]] = []
    for doc_id, text in articles:
        if doc_id in set_aside:
            continue
        for paragraph in split_article(text)[1]:
            for sentence in split_sentences(paragraph):
                tokens = words(sentence)
                if len(tokens) >= params.copy_min_words:
                    sentences.append((doc_id, sentence, frozenset(shingles(tokens, params.copy_shingle_words))))
    index: dict[tuple, list[int]] = defaultdict(list)
    for i, (_, _, grams) in enumerate(sentences):
        for gram in grams:
            index[gram].append(i)
    bins: Counter = Counter()
    pairs: dict[float, list[tuple[str, str]]] = defaultdict(list)
    for doc_id, sentence, grams in sentences:
        shared = Counter(j for gram in grams for j in index[gram] if sentences[j][0] != doc_id)
        for j, n in shared.items():
            share = n / len(grams)
            if share >= 0.4:
                low = min(10, int(share * 10 + 1e-9)) / 10
                bins[low] += 1
                pairs[low].append((sentence, sentences[j][1]))
    print(f"{len(sentences)} sentences of >= {params.copy_min_words} words; sentence pairs of different "
          f"articles by containment (default copy_containment {params.copy_containment}):")
    for low in sorted(bins):
        label = "1.0" if low == 1.0 else f"{low:.1f}-{low + 0.1:.1f}"
        print(f"  {label:>8} {bins[low]:>7}")
    if args.show is not None:
        chosen = pairs.get(round(args.show, 1), [])
        rng = random.Random(args.seed)
        for a, b in rng.sample(chosen, min(args.samples, len(chosen))):
            print(f"\n  A: {a}\n  B: {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
