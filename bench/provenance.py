"""What sentence provenance (tasks/provenance.py) costs as the corpus grows, and whether reprints
find their origin.

    python bench/provenance.py                  # sizes 2000 5000 20000
    python bench/provenance.py --sizes 2225 --per-doc 5

The corpus is the dedup benchmark's (bench/dedup_scaling.py: BBC originals, mosaic articles made of
their sentences, copies and look-alikes that quote a passage). Each document gives ``--per-doc``
of its sentences as claim sentences (a real story corpus gives a few per article; the BBC corpus,
about 0.03). Clusters are the ground-truth groups, so only provenance is measured.

Printed per size: documents, claim sentences, wall seconds of ``sentence_origins`` (one pass over
every text), seconds per 1,000 documents, the peak RSS rise, and two checks: the share of the
quoting look-alikes' claim sentences that lie in their original and are traced back to it, and the
share of BBC originals' claim sentences wrongly given an origin in another group (mosaic articles,
stitched from their sentences, are the copiers there), then the number of mosaic articles.

Read the second check with the corpus's make-up in mind. The BBC corpus has 2,225 articles, and 40 %
of the dedup corpus are originals, so above about 5,500 documents it fills its originals with
mosaics; at 20,000 there are 5,819 of them, which reprint the BBC sentences many times over, one
sentence here and one there. A BBC article is then a patchwork of sentences found in other articles just as a mosaic is,
and with no publication dates nothing in the text tells the two apart: that figure is high, and it
measures the bench corpus, not a story corpus (where a round-up is a minority and where dates, when
every holder has one, decide).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dedup_scaling import DEFAULT_CORPUS, _peak_rss_mb, _reset_peak_rss, _rss_now_mb, build_corpus  # noqa: E402
from bench.variants import split_article, split_sentences  # noqa: E402
from tasks.provenance import sentence_origins, words  # noqa: E402


def claim_sentences(corpus, per_doc: int, seed: int) -> dict[tuple[str, int], str]:
    rng = random.Random(seed)
    chosen = {}
    for doc in corpus.docs:
        _, paragraphs = split_article(doc.text)
        sentences = [s for p in paragraphs for s in split_sentences(p) if len(words(s)) >= 8]
        for i in sorted(rng.sample(range(len(sentences)), min(per_doc, len(sentences)))):
            chosen[(doc.doc_id, i)] = sentences[i]
    return chosen


def measure(n_docs: int, per_doc: int, seed: int) -> dict:
    corpus = build_corpus(n_docs, seed, DEFAULT_CORPUS)
    sentences = claim_sentences(corpus, per_doc, seed)
    published = {d.doc_id: d.published for d in corpus.docs}
    texts = {d.doc_id: d.text for d in corpus.docs}
    reset = _reset_peak_rss()
    before = _rss_now_mb()
    start = time.perf_counter()
    origins = sentence_origins(sentences, texts.items(), corpus.group, published)
    seconds = time.perf_counter() - start
    rise = _peak_rss_mb() - before if reset else float("nan")
    quoted = traced = wrong = originals = 0
    mosaics = sum(1 for d in corpus.docs if corpus.kind.get(d.doc_id) == "mosaic")
    for ref, text in sentences.items():
        doc = ref[0]
        kind = corpus.kind.get(doc, "")
        origin_group = corpus.group.get(origins[ref][0])
        if kind == "quoting" and doc in corpus.target:
            original = corpus.target[doc]
            if all(w in set(words(texts[original])) for w in words(text)):
                quoted += 1
                traced += origin_group == corpus.group.get(original)
        if kind == "original":  # a mosaic is made of originals' sentences: it is the copier
            originals += 1
            wrong += origin_group != corpus.group.get(doc)
    return {
        "docs": len(corpus.docs), "sentences": len(sentences), "seconds": seconds, "rise_mb": rise,
        "quoted": quoted, "traced": traced, "originals": originals, "wrong": wrong, "source": corpus.source,
        "mosaics": mosaics,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 20000])
    parser.add_argument("--per-doc", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in this process
    args = parser.parse_args(argv)
    if args.one:
        r = measure(args.one, args.per_doc, args.seed)
        print(
            f"{r['docs']:>7} {r['sentences']:>9} {r['seconds']:>8.2f} {1000 * r['seconds'] / r['docs']:>8.3f} "
            f"{r['rise_mb']:>8.0f}   {r['traced']}/{r['quoted']} quoted sentences traced   "
            f"{r['wrong']}/{r['originals']} originals' sentences given another origin   "
            f"{r['mosaics']} mosaics   ({r['source']})",
            flush=True,
        )
        return 0
    print(f"sentence provenance, {args.per_doc} claim sentences per document")
    print(f"{'docs':>7} {'sentences':>9} {'seconds':>8} {'s/1000':>8} {'rise MB':>8}")
    for size in args.sizes:  # each size in a fresh process, so its memory is its own
        subprocess.run([sys.executable, __file__, "--one", str(size), "--per-doc", str(args.per_doc),
                        "--seed", str(args.seed)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
