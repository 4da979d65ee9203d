"""Dedup: group copies of the same article so that a copy never counts as a second source.

Layers:

1. exact duplicates: the same text once case, punctuation, spacing, HTML entities and tags, curly
   quotes, accents and invisible characters are ignored (sha256 of the normalised word sequence);
2. near duplicates, among the distinct texts only: MinHash signatures of word shingles give candidate
   pairs through locality-sensitive hashing (datasketch ``MinHash`` + ``MinHashLSH``), and every
   candidate is verified on the exact shingle sets. A pair is a near duplicate when

   - the smaller document's shingles are found in the larger one's at ``min_containment`` or more
     (a re-post with a new headline, a dateline, a few edited words and trailing wire boilerplate
     keeps most of its original's shingles, and so does a truncated or paragraph-shuffled copy),
   - and the smaller document has at least ``min_size_ratio`` of the larger one's shingles (a short
     piece that quotes one paragraph of a long article is contained in it but is not a copy of it);

3. excerpts: a pair that fails the size ratio is still a copy when the smaller document is almost
   all inside the larger one (``min_excerpt_containment``) and is a fair share of it
   (``min_excerpt_size_ratio``): a syndicated lead, the first third to half of an article.

Verified pairs are joined strongest first (near duplicates, then excerpts; most shared shingles
first, then ``doc_id`` order), and a pair joins two clusters only when they agree: each document of
the pair shares at least ``min_part_overlap`` of the smaller one's shingles with every distinct text
of the other cluster (the first 16 in ``doc_id`` order). Copies and parts of one article agree; two
different articles share almost nothing, so a round-up that prints two articles one after the other
(each contained in it, as an excerpt or, once the round-up is cut, as a near duplicate) joins at most
one of them and never chains them together. An excerpt also joins one container only.

Two articles on the same event share vocabulary but few three-word sequences in a row.

Defaults (``DedupParams``), measured with ``python bench/dedup_scaling.py --sweep`` on 5,000
documents (2,000 BBC articles, 2,250 copies of eleven kinds, 750 look-alikes; 3,095 true pairs):
the rule on every pair compared exactly, then the LSH settings:

- 3-word shingles, containment >= 0.7, size ratio >= 0.5: precision 1.000, recall 0.947, and only
  0.495 of the leads (first 35-60 %) found; with excerpts (containment >= 0.9, size ratio >= 0.3)
  recall 0.996, leads 0.990, precision 1.000, no look-alike merged (containment 0.8-0.9 and size
  ratio 0.2-0.3 score alike; 0.95 finds 0.907 of the leads, size ratio 0.4 0.887);
- MinHash 256 permutations, LSH threshold 0.2 (85 bands of 3 rows): LSH missed 0 of the 3,058
  pairs the rule accepts, 4,516 candidates for 5,000 documents (at 0.3 it missed 28 leads; 128
  permutations need bands of 2 rows to find them, 80,692 candidates);
- the five seeds (different articles on one story) share at most 4 % of their 3-word shingles;
  BBC articles that update one story by re-using its text spread over 0.5-0.9: those above 0.7
  are joined, which counts one outlet's re-used text once.

Judgement calls: a truncated copy (first 70 %) is a copy (containment ~1.0, size ratio ~0.7), and
so is a lead down to a third of the article (an excerpt: every claim in it is the article's); a
paragraph-shuffled copy is a copy (only shingles across paragraph ends change); a piece quoting a
quarter of an article is not (it has text of its own: containment under 0.9, size ratio under 0.5),
nor is a fifth of the article alone.

Clusters are the groups the joined pairs make. The representative is the earliest published member
(unknown dates last), then the longest, then the smallest ``doc_id``; a member's ``similarity`` is
its shingle containment with the representative. The same documents give the same rows in any input
order: documents are processed in ``doc_id`` order, hashing is seeded, and pairs are joined in an
order that depends only on the pairs.

Cost grows a little faster than the number of documents (``python bench/dedup_scaling.py``: 0.64
and 1.06 s per 1,000 documents at 2,000 and 20,000, docs^1.22; 737 MB peak RSS at 20,000; before
the excerpt layer, with 128 permutations and LSH at 0.3: 0.37 and 0.51 s, 510 MB): each
document is tokenised, hashed and signed once, LSH finds candidates through band lookups instead of
comparing all pairs, and only candidates are verified. Memory holds one sorted ``uint64`` array of
shingle hashes per distinct text (8 bytes a shingle) plus the LSH tables; the words themselves are
dropped once hashed.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from tasks.params import DedupParams
from tasks.text import comparison_form

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Shingle hashing: a polynomial over 64-bit token hashes (wrapping arithmetic), then the
# MurmurHash3 64-bit finaliser to spread the bits.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_FMIX = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_EMPTY = np.empty(0, dtype=np.uint64)


@dataclass(frozen=True)
class DedupInput:
    doc_id: str
    text: str
    published: date | None = None


@dataclass(frozen=True)
class Fingerprint:
    """What dedup keeps of one document once its words are hashed."""

    digest: str  # sha256 of the normalised word sequence: equal digests are exact duplicates
    n_tokens: int
    shingles: np.ndarray  # sorted, unique uint64 shingle hashes


@dataclass(frozen=True)
class PairOverlap:
    """Exact overlap of two shingle sets."""

    shared: int
    n_small: int
    n_large: int

    @property
    def containment(self) -> float:
        return self.shared / self.n_small if self.n_small else 0.0

    @property
    def size_ratio(self) -> float:
        return self.n_small / self.n_large if self.n_large else 0.0

    @property
    def jaccard(self) -> float:
        union = self.n_small + self.n_large - self.shared
        return self.shared / union if union else 0.0


def normalised_tokens(text: str) -> list[str]:
    return _TOKEN.findall(comparison_form(text))


class _TokenHasher:
    """64-bit hashes of words, keyed by the seed and memoised for one run."""

    def __init__(self, seed: int):
        self._key = seed.to_bytes(8, "little", signed=True)
        self._memo: dict[str, int] = {}

    def __call__(self, tokens: Sequence[str]) -> np.ndarray:
        memo, key = self._memo, self._key
        out = np.empty(len(tokens), dtype=np.uint64)
        for i, token in enumerate(tokens):
            value = memo.get(token)
            if value is None:
                digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8, key=key).digest()
                value = memo[token] = int.from_bytes(digest, "little")
            out[i] = value
        return out


def _mix64(values: np.ndarray) -> np.ndarray:
    shift, m1, m2 = _FMIX
    values = values ^ (values >> shift)
    values = values * m1
    values = values ^ (values >> shift)
    values = values * m2
    return values ^ (values >> shift)


def hash_shingles(token_hashes: np.ndarray, size: int) -> np.ndarray:
    """Sorted unique hashes of the ``size``-word shingles (one shingle for a shorter text)."""
    n = len(token_hashes)
    if n == 0:
        return _EMPTY
    width = min(size, n)
    with np.errstate(over="ignore"):
        combined = token_hashes[: n - width + 1].copy()
        for j in range(1, width):
            combined = combined * _MULTIPLIER + token_hashes[j : n - width + 1 + j]
        return np.unique(_mix64(combined))


def shingles(tokens: Sequence[str], size: int, seed: int = 1) -> np.ndarray:
    """Sorted unique shingle hashes of a word sequence."""
    return hash_shingles(_TokenHasher(seed)(tokens), size)


def overlap(a: np.ndarray, b: np.ndarray) -> PairOverlap:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) == 0:
        return PairOverlap(0, 0, len(large))
    shared = int(np.count_nonzero(np.isin(small, large, assume_unique=True)))
    return PairOverlap(shared, len(small), len(large))


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller shingle set found in the larger one."""
    return overlap(a, b).containment


def is_near_duplicate(pair: PairOverlap, params: DedupParams) -> bool:
    return pair.containment >= params.min_containment and pair.size_ratio >= params.min_size_ratio


def is_excerpt(pair: PairOverlap, params: DedupParams) -> bool:
    """The smaller document is almost all found in the larger one and is a fair share of it."""
    return pair.containment >= params.min_excerpt_containment and pair.size_ratio >= params.min_excerpt_size_ratio


def fingerprint_documents(docs: Sequence[DedupInput], params: DedupParams) -> list[Fingerprint]:
    """One fingerprint per document, in the order given."""
    hasher = _TokenHasher(params.seed)
    out = []
    for doc in docs:
        tokens = normalised_tokens(doc.text)
        digest = hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()
        out.append(Fingerprint(digest, len(tokens), hash_shingles(hasher(tokens), params.shingle_size)))
    return out


def _as_is(value: int) -> int:
    return value


def minhash_signatures(shingle_sets: Sequence[np.ndarray], params: DedupParams) -> Iterator:
    """datasketch MinHashes (scheme affine32, seeded) of shingle hash sets, lazily."""
    from datasketch import MinHash

    # The top 32 bits of each 64-bit shingle hash feed the 32-bit permutations directly: the
    # shingles are hashed already, so datasketch's per-item SHA-1 would only cost time.
    batches = ((s >> np.uint64(32)).tolist() for s in shingle_sets)
    return MinHash.generator(batches, num_perm=params.num_perm, seed=params.seed, hashfunc=_as_is)


def candidate_pairs(shingle_sets: Sequence[np.ndarray], params: DedupParams) -> Iterator[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, whose signatures share an LSH band; each pair once.

    Each document queries the index before it is inserted, so the pairs come out as they are found
    and the signatures need not be kept.
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=params.lsh_threshold, num_perm=params.num_perm)
    for j, signature in enumerate(minhash_signatures(shingle_sets, params)):
        if len(shingle_sets[j]) == 0:
            continue
        for i in sorted(lsh.query(signature)):
            yield i, j
        lsh.insert(j, signature, check_duplication=False)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# A union checks the joining document against at most this many distinct texts of the other cluster
# (the first in doc_id order): copies of one article all look alike, so a few tell as much as all of
# them, and the cost of a union stays bounded however large a cluster of re-posts grows.
_MAX_CHECKED = 16


def _join_pairs(
    pairs: list[tuple[int, int, int, int]],
    sets: Sequence[np.ndarray],
    distinct: Sequence[int],
    groups: _UnionFind,
    params: DedupParams,
) -> None:
    """Join verified pairs ``(layer, -shared, smaller, larger)`` (distinct-text indexes), strongest
    first: near duplicates before excerpts, then most shared shingles, then ``doc_id`` order.

    A pair joins its two clusters only when the two documents' clusters agree: each document shares
    at least ``min_part_overlap`` of the smaller one's shingles with every distinct text of the other
    cluster (up to ``_MAX_CHECKED`` of them). Copies of one article agree, parts of one article
    (a lead and a cut copy) agree; two different articles printed one after the other (a round-up)
    share almost nothing, so once a round-up has joined one of them it cannot join the other, and
    the two are never chained together however the round-up was cut.

    An excerpt (a layer-1 pair) joins one container only: the cluster the excerpt had after the
    near-duplicate layer never joins two others through excerpt pairs.
    """
    members: dict[int, list[int]] = {}
    for a, i in enumerate(distinct):
        members.setdefault(groups.find(i), []).append(a)
    joined_as_excerpt: set[int] = set()
    before_excerpts: dict[int, int] = {}

    def agrees(a: int, root: int) -> bool:
        others = members[root]
        if len(others) > _MAX_CHECKED:
            others = heapq.nsmallest(_MAX_CHECKED, others)
        return all(overlap(sets[a], sets[b]).containment >= params.min_part_overlap for b in others)

    for layer, _, small, large in sorted(pairs):
        i, j = distinct[small], distinct[large]
        ri, rj = groups.find(i), groups.find(j)
        if ri == rj:
            continue
        if layer == 1:
            if not before_excerpts:  # the clusters the near-duplicate layer left
                before_excerpts = {a: groups.find(d) for a, d in enumerate(distinct)}
            if before_excerpts[small] in joined_as_excerpt:
                continue
        if agrees(small, rj) and agrees(large, ri):
            groups.union(i, j)
            members[groups.find(i)] = members.pop(ri) + members.pop(rj)
            if layer == 1:
                joined_as_excerpt.add(before_excerpts[small])


def _check_unique_ids(docs: Sequence[DedupInput]) -> None:
    seen: set[str] = set()
    repeated = sorted({d.doc_id for d in docs if d.doc_id in seen or seen.add(d.doc_id)})
    if repeated:
        raise ValueError(
            f"cluster_documents expects one document per doc_id; repeated: {repeated[:5]}"
            " (dedup the articles table by doc_id first)"
        )


def _representative_key(doc: DedupInput, n_tokens: int) -> tuple:
    return (doc.published is None, doc.published or date.max, -n_tokens, doc.doc_id)


def cluster_documents(docs: Sequence[DedupInput], params: DedupParams) -> list[dict]:
    """``doc_clusters`` rows, sorted by ``doc_id``: one per document, with its cluster, its
    similarity to the cluster's representative and the reason it is in the cluster."""
    docs = sorted(docs, key=lambda d: d.doc_id)
    return cluster_fingerprints(
        [DedupInput(d.doc_id, "", d.published) for d in docs], fingerprint_documents(docs, params), params
    )


def cluster_fingerprints(
    docs: Sequence[DedupInput],
    prints: Sequence[Fingerprint],
    params: DedupParams,
    candidates: Callable[[Sequence[np.ndarray], DedupParams], Iterable[tuple[int, int]]] | None = None,
) -> list[dict]:
    """``cluster_documents`` once the texts are fingerprinted: ``docs`` (ids and dates, sorted by
    ``doc_id``; their texts are not needed) and their fingerprints, in the same order.
    ``candidates`` replaces LSH (``candidate_pairs``) as the source of pairs to verify: the benchmark
    passes every pair that shares a shingle, to measure the rule without LSH."""
    _check_unique_ids(docs)
    groups = _UnionFind(len(docs))

    # Layer 1: exact copies. A text without a single word is left alone: there is nothing to match.
    first_with: dict[str, int] = {}
    for i, fp in enumerate(prints):
        if fp.n_tokens == 0:
            continue
        if fp.digest in first_with:
            groups.union(first_with[fp.digest], i)
        else:
            first_with[fp.digest] = i

    # Layers 2 and 3: near copies, then excerpts, among the distinct texts (exact copies already
    # share a cluster). Every candidate is verified first, then the pairs are joined strongest first.
    distinct = sorted(first_with.values())
    sets = [prints[i].shingles for i in distinct]
    pairs: list[tuple[int, int, int, int]] = []
    for a, b in (candidates or candidate_pairs)(sets, params):
        pair = overlap(sets[a], sets[b])
        layer = 0 if is_near_duplicate(pair, params) else 1 if is_excerpt(pair, params) else None
        if layer is not None:
            small, large = (a, b) if len(sets[a]) <= len(sets[b]) else (b, a)
            pairs.append((layer, -pair.shared, small, large))
    _join_pairs(pairs, sets, distinct, groups, params)

    members: dict[int, list[int]] = {}
    for i in range(len(docs)):
        members.setdefault(groups.find(i), []).append(i)

    rows: list[dict] = []
    for group in members.values():
        rep = min(group, key=lambda i: _representative_key(docs[i], prints[i].n_tokens))
        all_exact = all(prints[i].digest == prints[rep].digest for i in group)
        for i in group:
            if len(group) == 1:
                reason, score = "unique", 1.0
            elif i == rep:
                reason, score = ("exact_duplicate" if all_exact else "near_duplicate"), 1.0
            elif prints[i].digest == prints[rep].digest:
                reason, score = "exact_duplicate", 1.0
            else:
                reason, score = "near_duplicate", containment(prints[i].shingles, prints[rep].shingles)
            rows.append(
                {
                    "doc_id": docs[i].doc_id,
                    "cluster_id": f"cluster-{docs[rep].doc_id}",
                    "is_representative": i == rep,
                    "similarity": round(float(score), 6),
                    "reason": reason,
                }
            )
    rows.sort(key=lambda r: r["doc_id"])
    return rows


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from tasks.schemas import DOC_CLUSTERS, to_arrow  # noqa: E402
from tasks.step import StepReport, article_texts, input_hashes, publish_checked, run_step  # noqa: E402
from tasks.store import RunStore  # noqa: E402


@task(name="dedup", task_run_name="dedup-{store.run_id}", cache_policy=NO_CACHE)
def dedup(store: RunStore, params: DedupParams) -> StepReport:
    """``articles`` -> ``doc_clusters``."""
    logger = get_run_logger()

    def compute(report: StepReport) -> StepReport:
        # texts are read a chunk at a time and kept only as fingerprints (hashed shingles)
        docs: list[DedupInput] = []
        prints: list[Fingerprint] = []
        for chunk in store.iter_table("articles", ["doc_id", "text", "published"]):
            batch = [DedupInput(a["doc_id"], a["text"], a["published"]) for a in chunk.to_pylist()]
            prints.extend(fingerprint_documents(batch, params))
            docs.extend(DedupInput(d.doc_id, "", d.published) for d in batch)
        rows = cluster_fingerprints(docs, prints, params)
        report.rows_in = len(docs)
        report.rows_out = len(rows)
        report.details["clusters"] = len({r["cluster_id"] for r in rows})
        return publish_checked(
            store,
            report,
            {"doc_clusters": to_arrow(DOC_CLUSTERS, rows)},
            {"doc_clusters": {"n_articles": len(docs)}},
            texts=article_texts(store),
        )

    report = run_step(store, "dedup", params, input_hashes(store, ["articles"]), compute)
    logger.info("dedup: %d articles%s", report.rows_out, " (reused)" if report.cached else "")
    return report
