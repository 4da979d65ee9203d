"""How dedup's cost and quality grow with the corpus.

    python bench/dedup_scaling.py                       # sizes 2000 5000 10000 20000
    python bench/dedup_scaling.py --sizes 10000 20000
    python bench/dedup_scaling.py --sweep               # the table the DedupParams defaults came from

A corpus of N documents is 40 % originals (BBC articles from ../shared/corpora/bbc/, then "mosaic"
articles stitched from their sentences once the BBC articles run out), 45 % copies of originals
(exact, cosmetic, re-post, truncated, paragraph-shuffled, paraphrased; a fifth of them made from
another copy) and 15 % look-alikes (a short piece quoting one paragraph of an original, the same
story retold with one shared quotation). Without the BBC corpus the originals are synthetic text, and
the output says so. Ground truth: an original and its copies form one group (BBC files with the same
text are one group); every other document is alone.

Each size runs in a fresh process, so its peak memory is its own. Printed per size: documents,
wall seconds of ``cluster_documents``, seconds per 1,000 documents, peak RSS and its rise during
dedup, pairwise precision / recall / F1 of "same cluster" against the ground truth, the share of
copies found per kind, look-alikes wrongly merged, and the growth of time against the previous size.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import variants  # noqa: E402
from tasks.dedup import DedupInput, cluster_documents  # noqa: E402
from tasks.params import DedupParams  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
SHARE_ORIGINALS, SHARE_COPIES = 0.40, 0.45
SHARE_COPY_OF_COPY = 0.2
NATURAL_COPY_CONTAINMENT, NATURAL_COPY_RATIO, NATURAL_AMBIGUOUS_CONTAINMENT = 0.9, 0.6, 0.3


@dataclass
class Corpus:
    docs: list[DedupInput]
    group: dict[str, str]  # doc_id -> ground-truth group
    kind: dict[str, str]  # doc_id -> original / mosaic / copy kind / look-alike kind
    target: dict[str, str] = field(default_factory=dict)  # copy or look-alike -> its original
    source: str = "bbc"
    set_aside: int = 0


# ---------------------------------------------------------------- corpus


def load_bbc(root: Path) -> list[tuple[str, str]]:
    """(doc_id, text) of every BBC article, sorted; empty when the folder is absent."""
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        out.append((f"bbc-{path.parent.name}-{path.stem}", text))
    return out


def natural_pairs(articles: list[tuple[str, str]], size: int = 5) -> list[tuple[str, str, float, float]]:
    """(doc_a, doc_b, containment, size ratio) of article pairs sharing word ``size``-grams, found
    independently of tasks.dedup (plain lower-cased ``\\w+`` words, no other normalisation)."""
    import numpy as np
    from scipy import sparse

    rows, cols = [], []
    for i, (_, text) in enumerate(articles):
        words = re.findall(r"\w+", text.lower())
        grams = {hash(tuple(words[j : j + size])) for j in range(max(1, len(words) - size + 1))}
        rows.extend([i] * len(grams))
        cols.extend(grams)
    if not rows:
        return []
    _, col_index = np.unique(np.array(cols, dtype=np.int64), return_inverse=True)
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (np.array(rows), col_index.ravel())))
    sizes = np.asarray(m.sum(axis=1)).ravel()
    shared = sparse.triu(m @ m.T, k=1).tocoo()
    out = []
    for a, b, n in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist()):
        small, large = sorted((int(sizes[a]), int(sizes[b])))
        out.append((articles[a][0], articles[b][0], n / small, small / large))
    return out


def label_natural_copies(articles: list[tuple[str, str]]) -> tuple[dict[str, str], set[str]]:
    """Ground truth among the BBC articles themselves.

    Some BBC files are copies of each other (the same text, or the same text under a new headline
    with a word changed): pairs sharing >= 90 % of the smaller one's five-word sequences and sizes
    within 60 % are one group. Others are updates of one story that reuse part of the text
    (30-90 %): whether those are copies is a judgement, not a fact, so one of each such pair is set
    aside and the benchmark neither rewards nor punishes either answer.
    Returns (doc_id -> group, set-aside doc_ids)."""
    group = {doc_id: doc_id for doc_id, _ in articles}

    def find(d: str) -> str:
        while group[d] != d:
            group[d] = group[group[d]]
            d = group[d]
        return d

    ambiguous = []
    for a, b, containment, ratio in sorted(natural_pairs(articles)):
        if containment >= NATURAL_COPY_CONTAINMENT and ratio >= NATURAL_COPY_RATIO:
            ra, rb = find(a), find(b)
            group[max(ra, rb)] = min(ra, rb)
        elif containment >= NATURAL_AMBIGUOUS_CONTAINMENT:
            ambiguous.append((a, b))
    set_aside: set[str] = set()
    for a, b in ambiguous:
        if a not in set_aside and b not in set_aside:
            set_aside.add(max(a, b))
    return {d: find(d) for d in group}, set_aside


def build_corpus(n_docs: int, seed: int = 7, corpus_root: Path = DEFAULT_CORPUS) -> Corpus:
    rng = random.Random(seed)
    bbc = load_bbc(corpus_root)
    source = "bbc" if bbc else "synthetic"
    natural_group, set_aside = label_natural_copies(bbc)
    bbc = [(d, t) for d, t in bbc if d not in set_aside]
    rng.shuffle(bbc)
    n_originals = max(1, round(n_docs * SHARE_ORIGINALS))
    n_copies = round(n_docs * SHARE_COPIES)
    n_lookalikes = max(0, n_docs - n_originals - n_copies)

    originals: list[tuple[str, str, str]] = [(d, t, "original") for d, t in bbc[:n_originals]]
    if bbc:
        pool = [s for _, t in bbc for p in variants.split_article(t)[1] for s in variants.split_sentences(p)]
        for i in range(n_originals - len(originals)):
            originals.append((f"mosaic-{i:05d}", variants.mosaic_article(pool, rng), "mosaic"))
    else:
        for i in range(n_originals):
            originals.append((f"synth-{i:05d}", variants.synthetic_article(rng), "synthetic"))

    docs: list[DedupInput] = []
    group: dict[str, str] = {}
    kind: dict[str, str] = {}
    target: dict[str, str] = {}
    for doc_id, text, k in originals:
        group[doc_id] = natural_group.get(doc_id, doc_id)
        kind[doc_id] = k
        docs.append(DedupInput(doc_id, text))

    texts = {d.doc_id: d.text for d in docs}
    copies_of: dict[str, list[str]] = defaultdict(list)
    order = [d for d, _, _ in originals]
    rng.shuffle(order)
    for i in range(n_copies):
        original = order[i % len(order)]
        copy_kind = variants.COPY_KINDS[(i // len(order) + i) % len(variants.COPY_KINDS)]
        base = original
        if copies_of[original] and rng.random() < SHARE_COPY_OF_COPY:
            base = rng.choice(copies_of[original])
        doc_id = f"copy-{i:05d}"
        text = variants.make_copy(copy_kind, texts[base], rng)
        docs.append(DedupInput(doc_id, text))
        texts[doc_id] = text
        group[doc_id], kind[doc_id], target[doc_id] = group[original], copy_kind, original
        copies_of[original].append(doc_id)

    for i in range(n_lookalikes):
        original = rng.choice(order)
        look_kind = variants.LOOKALIKE_KINDS[i % len(variants.LOOKALIKE_KINDS)]
        doc_id = f"look-{i:05d}"
        docs.append(DedupInput(doc_id, variants.make_lookalike(look_kind, texts[original], rng)))
        group[doc_id], kind[doc_id], target[doc_id] = doc_id, look_kind, original

    rng.shuffle(docs)  # dedup must not depend on the input order
    return Corpus(docs, group, kind, target, source, len(set_aside))


# ---------------------------------------------------------------- scores


def _pairs(sizes) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise_scores(predicted: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Precision, recall and F1 of "in the same cluster" over all pairs of documents."""
    both = Counter((predicted[d], truth[d]) for d in truth)
    tp = _pairs(both.values())
    n_pred = _pairs(Counter(predicted[d] for d in truth).values())
    n_true = _pairs(Counter(truth.values()).values())
    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_true if n_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": n_true, "found_pairs": n_pred}


def kind_scores(predicted: dict[str, str], corpus: Corpus) -> dict[str, tuple[int, int]]:
    """Per copy kind: (copies in their original's cluster, copies); per look-alike kind:
    (look-alikes wrongly in their original's cluster, look-alikes)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc_id, original in corpus.target.items():
        hit = predicted[doc_id] == predicted[original]
        out[corpus.kind[doc_id]][0] += hit
        out[corpus.kind[doc_id]][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}


# ---------------------------------------------------------------- one size


def _rss_now_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss() -> bool:
    """Linux lets a process reset its own peak RSS (VmHWM) by writing 5 to clear_refs."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure_size(n_docs: int, seed: int, corpus_root: Path, params: DedupParams) -> dict:
    corpus = build_corpus(n_docs, seed, corpus_root)
    cluster_documents(corpus.docs[:200], params)  # import datasketch and scipy outside the timing
    rss_before = _rss_now_mb()
    reset = _reset_peak_rss()
    start = time.perf_counter()
    rows = cluster_documents(corpus.docs, params)
    seconds = time.perf_counter() - start
    peak = _peak_rss_mb()
    predicted = {r["doc_id"]: r["cluster_id"] for r in rows}
    return {
        "docs": len(corpus.docs),
        "words": sum(len(d.text.split()) for d in corpus.docs),
        "source": corpus.source,
        "seconds": seconds,
        "peak_rss_mb": peak,
        "dedup_rss_rise_mb": peak - rss_before if reset else float("nan"),
        "clusters": len(set(predicted.values())),
        "true_groups": len(set(corpus.group.values())),
        **pairwise_scores(predicted, corpus.group),
        "kinds": kind_scores(predicted, corpus),
    }


def run_sizes(sizes: list[int], seed: int, corpus_root: Path, params: DedupParams) -> list[dict]:
    results = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--seed", str(seed), "--corpus", str(corpus_root),
             "--params", params.model_dump_json()],
            check=True, capture_output=True, text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print_size(result, results[-2] if len(results) > 1 else None, flush=True)
    return results


def print_header(params: DedupParams, corpus_root: Path) -> None:
    source = "BBC articles from " + str(corpus_root) if load_bbc(corpus_root) else (
        f"SYNTHETIC text: no BBC corpus at {corpus_root}"
    )
    print(f"corpus: {source}; 40% originals, 45% copies, 15% look-alikes")
    print(f"params: {params.model_dump()}")
    print(
        f"{'docs':>7} {'Mwords':>6} {'seconds':>8} {'s/1k':>6} {'s/Mw':>5} {'peakMB':>7} {'riseMB':>7} {'clusters':>8} "
        f"{'precision':>9} {'recall':>7} {'F1':>6} {'growth':>22}"
    )


def print_size(r: dict, previous: dict | None, flush: bool = False) -> None:
    growth = ""
    if previous:
        size_ratio = r["docs"] / previous["docs"]
        time_ratio = r["seconds"] / previous["seconds"]
        growth = f"x{time_ratio:.2f} for x{size_ratio:.2f} docs"
    print(
        f"{r['docs']:>7} {r['words'] / 1e6:>6.2f} {r['seconds']:>8.2f} {1000 * r['seconds'] / r['docs']:>6.3f} "
        f"{r['seconds'] / (r['words'] / 1e6):>5.2f} "
        f"{r['peak_rss_mb']:>7.0f} {r['dedup_rss_rise_mb']:>7.0f} {r['clusters']:>8} "
        f"{r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>6.4f} {growth:>22}",
        flush=flush,
    )
    kinds = ", ".join(f"{k} {a}/{b}" for k, (a, b) in r["kinds"].items() if k not in variants.LOOKALIKE_KINDS)
    wrong = ", ".join(f"{k} {a}/{b}" for k, (a, b) in r["kinds"].items() if k in variants.LOOKALIKE_KINDS)
    print(f"{'':>7}   copies found: {kinds}; look-alikes wrongly merged: {wrong}", flush=flush)


def verdict(results: list[dict]) -> str:
    if len(results) < 2:
        return "verdict: need two sizes or more to judge growth"
    small, large = results[0], results[-1]
    # Exponent b of time ~ docs^b between the smallest and the largest size.
    exponent = math.log(large["seconds"] / small["seconds"]) / math.log(large["docs"] / small["docs"])
    per_doc = [r["seconds"] / r["docs"] for r in results]
    spread = max(per_doc) / min(per_doc)
    linear = exponent < 1.2
    return (
        f"verdict: time grows as docs^{exponent:.2f} from {small['docs']} to {large['docs']} docs "
        f"(seconds per 1k docs within x{spread:.2f} across sizes; the later sizes hold longer documents, "
        f"{small['words'] / small['docs']:.0f} -> {large['words'] / large['docs']:.0f} words each): "
        + ("about linear" if linear else "NOT linear")
        + f"; precision >= {min(r['precision'] for r in results):.4f}, recall >= {min(r['recall'] for r in results):.4f}"
    )


# ---------------------------------------------------------------- sweep


def sweep(n_docs: int, seed: int, corpus_root: Path, base: DedupParams) -> None:
    """1) the verification rule per shingle size on exact all-pairs overlaps (a sparse product, no
    LSH); 2) how BBC articles that share text with each other fall under it; 3) LSH settings at the
    chosen rule: candidates, verified pairs LSH missed, quality and seconds."""
    import numpy as np
    from datasketch import MinHashLSH
    from scipy import sparse

    from tasks import dedup

    corpus = build_corpus(n_docs, seed, corpus_root)
    docs = sorted(corpus.docs, key=lambda d: d.doc_id)
    ids = [d.doc_id for d in docs]
    n_true = pairwise_scores({d: d for d in ids}, corpus.group)["true_pairs"]
    print(f"sweep corpus: {len(docs)} docs ({corpus.source}; {corpus.set_aside} BBC articles set aside as "
          f"partial re-uses of another), {len(set(corpus.group.values()))} true groups, {n_true} true pairs")

    def clusters_from(pairs) -> dict[str, str]:
        parent = list(range(len(ids)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, j in pairs:
            ri, rj = find(int(i)), find(int(j))
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
        return {ids[i]: ids[find(i)] for i in range(len(ids))}

    def summary(predicted: dict[str, str]) -> str:
        scores = pairwise_scores(predicted, corpus.group)
        kinds = kind_scores(predicted, corpus)
        copy = {k: a / b for k, (a, b) in kinds.items() if k in variants.COPY_KINDS}
        worst = sorted(copy, key=copy.get)[:2]
        merged = sum(a for k, (a, _) in kinds.items() if k in variants.LOOKALIKE_KINDS)
        return (f"{scores['precision']:>9.4f} {scores['recall']:>7.4f} {scores['f1']:>6.4f}  "
                + ", ".join(f"{k} {copy[k]:.3f}" for k in worst).ljust(34) + f" {merged:>5}")

    containments = (0.5, 0.6, 0.7, 0.8, 0.9)
    ratios = (0.0, 0.3, 0.4, 0.5, 0.6)
    print("\n1) verification rule on exact all-pairs overlaps (no LSH): a pair is joined when the "
          "containment of the smaller document's shingles >= c and its size ratio >= r")
    print(f"{'k':>2} {'c':>4} {'r':>4} {'precision':>9} {'recall':>7} {'F1':>6}  "
          f"{'lowest copy recall by kind':<34} {'look-alikes merged':>5}")
    prints_by_k: dict[int, list] = {}
    wanted_by_k: dict[int, set] = {}
    for k in (3, 4, 5, 7):
        params = base.model_copy(update={"shingle_size": k})
        prints = prints_by_k[k] = dedup.fingerprint_documents(docs, params)
        rows = np.repeat(np.arange(len(prints)), [len(p.shingles) for p in prints])
        _, cols = np.unique(np.concatenate([p.shingles for p in prints]), return_inverse=True)
        m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols.ravel())))
        shared = sparse.triu(m @ m.T, k=1).tocoo()
        sizes = np.array([len(p.shingles) for p in prints])
        small = np.minimum(sizes[shared.row], sizes[shared.col])
        large = np.maximum(sizes[shared.row], sizes[shared.col])
        cont = shared.data / np.maximum(small, 1)
        ratio = small / np.maximum(large, 1)
        for c in containments:
            for r in ratios:
                sel = (cont >= c) & (ratio >= r)
                print(f"{k:>2} {c:>4.1f} {r:>4.1f} " + summary(clusters_from(zip(shared.row[sel], shared.col[sel]))),
                      flush=True)
        sel = (cont >= base.min_containment) & (ratio >= base.min_size_ratio)
        wanted_by_k[k] = set(zip(shared.row[sel].tolist(), shared.col[sel].tolist()))

    # 1b) the whole rule as tasks/dedup.py applies it (near duplicates, then excerpts, joined
    # strongest first with the parts check), still on exact all-pairs overlaps
    k = base.shingle_size
    prints = prints_by_k[k]
    ordered = sorted(docs, key=lambda d: d.doc_id)

    def every_pair(sets, _params):
        """Every pair that any rule below could join (containment >= 0.5, size ratio >= 0.2)."""
        rows = np.repeat(np.arange(len(sets)), [len(x) for x in sets])
        _, cols = np.unique(np.concatenate(sets), return_inverse=True)
        m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols.ravel())))
        shared = sparse.triu(m @ m.T, k=1).tocoo()
        sizes = np.array([len(x) for x in sets])
        small = np.minimum(sizes[shared.row], sizes[shared.col])
        large = np.maximum(sizes[shared.row], sizes[shared.col])
        keep = (shared.data >= 0.5 * small) & (small >= 0.2 * large)
        return zip(shared.row[keep].tolist(), shared.col[keep].tolist())

    def full_rule(params) -> dict[str, str]:
        rows = dedup.cluster_fingerprints(
            [DedupInput(d.doc_id, "", d.published) for d in ordered], prints, params, candidates=every_pair
        )
        return {r["doc_id"]: r["cluster_id"] for r in rows}

    print(f"\n1b) the whole rule on exact all-pairs overlaps (k={k}, c={base.min_containment}, "
          f"r={base.min_size_ratio}), with excerpts: the smaller document's containment >= ce and size "
          "ratio >= re; parts of one container must share >= p")
    print(f"{'ce':>4} {'re':>4} {'p':>4} {'precision':>9} {'recall':>7} {'F1':>6}  "
          f"{'lowest copy recall by kind':<34} {'look-alikes merged':>5}")
    grid = [(1.01, 0.0, base.min_part_overlap)]  # no excerpt layer
    grid += [(ce, re_, base.min_part_overlap) for ce in (0.8, 0.85, 0.9, 0.95) for re_ in (0.2, 0.3, 0.4)]
    grid += [(base.min_excerpt_containment, base.min_excerpt_size_ratio, p) for p in (0.0, 0.1, 0.3, 0.5)]
    for ce, re_, p in grid:
        params = base.model_copy(update={"min_excerpt_containment": min(ce, 1.0) if ce <= 1 else 1.0,
                                         "min_excerpt_size_ratio": re_ if ce <= 1 else 1.0,
                                         "min_part_overlap": p})
        label = f"{'off':>4} {'':>4}" if ce > 1 else f"{ce:>4.2f} {re_:>4.1f}"
        print(f"{label} {p:>4.1f} " + summary(full_rule(params)), flush=True)

    bbc = load_bbc(corpus_root)
    if bbc:
        print(f"\n2) BBC articles sharing text with another BBC article (all {len(bbc)} pairwise, plain "
              f"word {base.shingle_size}-grams): pairs by containment, and how many have size ratio >= "
              f"{base.min_size_ratio}")
        pairs = natural_pairs(bbc, base.shingle_size)
        edges = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)
        for lo, hi in zip(edges, edges[1:]):
            inside = [(c, r) for _, _, c, r in pairs if lo <= c < hi]
            print(f"  containment {lo:.2f}-{min(hi, 1):.2f}: {len(inside):>4} pairs, "
                  f"{sum(r >= base.min_size_ratio for _, r in inside):>4} with size ratio >= {base.min_size_ratio}")

    print("\n3) LSH settings at the default rule (containment >= "
          f"{base.min_containment}, size ratio >= {base.min_size_ratio}, or an excerpt: containment >= "
          f"{base.min_excerpt_containment}, size ratio >= {base.min_excerpt_size_ratio}): candidate pairs, "
          "verified pairs LSH missed (of all that pass the rule), quality of the clusters dedup makes, "
          "seconds of MinHash + LSH + verification")
    print(f"{'k':>2} {'perm':>4} {'lsh':>4} {'bands':>7} {'candidates':>10} {'missed':>11} "
          f"{'precision':>9} {'recall':>7} {'F1':>6}  {'lowest copy recall by kind':<34} "
          f"{'look':>5} {'seconds':>7}")
    def passes(pair, params) -> bool:
        return dedup.is_near_duplicate(pair, params) or dedup.is_excerpt(pair, params)

    sets = [p.shingles for p in prints]
    wanted = {(i, j) for i, j in every_pair(sets, base) if passes(dedup.overlap(sets[i], sets[j]), base)}
    for num_perm in (64, 128, 256):
        for threshold in (0.1, 0.15, 0.2, 0.3, 0.5):
            params = base.model_copy(update={"num_perm": num_perm, "lsh_threshold": threshold})
            lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
            start = time.perf_counter()
            candidates = list(dedup.candidate_pairs(sets, params))
            joined = [(i, j) for i, j in candidates if passes(dedup.overlap(sets[i], sets[j]), params)]
            seconds = time.perf_counter() - start
            missed = len(wanted - set(joined))
            start = time.perf_counter()
            predicted = {r["doc_id"]: r["cluster_id"] for r in dedup.cluster_fingerprints(
                [DedupInput(d.doc_id, "", d.published) for d in ordered], prints, params)}
            total = time.perf_counter() - start
            print(f"{k:>2} {num_perm:>4} {threshold:>4.2f} {f'{lsh.b}x{lsh.r}':>7} {len(candidates):>10} "
                  f"{f'{missed}/{len(wanted)}':>11} {summary(predicted)} {total:>7.2f}", flush=True)


# ---------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 10000, 20000])
    parser.add_argument("--seed", type=int, default=7, help="seed of the corpus and its variants")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the BBC folder")
    parser.add_argument("--sweep", action="store_true", help="print the threshold sweep instead")
    parser.add_argument("--sweep-size", type=int, default=5000)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    params = DedupParams.model_validate_json(args.params) if args.params else DedupParams()

    if args.one:
        print(json.dumps(measure_size(args.one, args.seed, args.corpus, params)))
        return 0
    if args.sweep:
        sweep(args.sweep_size, args.seed, args.corpus, params)
        return 0
    if any(n < 10 for n in args.sizes):
        parser.error("--sizes: each size must be at least 10 documents")
    print_header(params, args.corpus)
    results = run_sizes(sorted(args.sizes), args.seed, args.corpus, params)
    print(verdict(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
