"""Dedup: group copies of the same article so that a copy never counts as a second source.

Layers:

1. exact duplicates: the same normalised text (case, punctuation and spacing ignored);
2. near duplicates: MinHash signatures of word shingles, candidate pairs from locality-sensitive
   hashing (datasketch), each candidate verified on the real shingle sets: the pair is a near
   duplicate when the shorter document's shingles are contained in the longer one's at
   ``min_similarity`` or more (a re-post with a new headline, a dateline, a few edited words or
   trailing wire boilerplate keeps most of its original's shingles; two articles on the same event
   share few five-word sequences).

Clusters are the connected components of the verified pairs. The representative is the earliest
published member (unknown dates last), then the longest, then the smallest ``doc_id``: the same
input always gives the same clusters.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

import numpy as np

from tasks.params import DedupParams

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class DedupInput:
    doc_id: str
    text: str
    published: date | None = None


def normalised_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def shingles(tokens: Sequence[str], size: int) -> set[bytes]:
    if len(tokens) < size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def containment(a: set[bytes], b: set[bytes]) -> float:
    """Share of the smaller set found in the larger one."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


class _UnionFind:
    def __init__(self, items: Iterable[str]):
        self.parent = {i: i for i in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _representative_key(doc: DedupInput, n_tokens: int) -> tuple:
    return (doc.published is None, doc.published or date.max, -n_tokens, doc.doc_id)


def cluster_documents(docs: Sequence[DedupInput], params: DedupParams) -> list[dict]:
    """``doc_clusters`` rows: one per document, with its cluster, representative and reason."""
    from datasketch import MinHash, MinHashLSH

    docs = sorted(docs, key=lambda d: d.doc_id)
    tokens = {d.doc_id: normalised_tokens(d.text) for d in docs}
    uf = _UnionFind(d.doc_id for d in docs)

    by_hash: dict[str, str] = {}
    for d in docs:
        digest = hashlib.sha256(" ".join(tokens[d.doc_id]).encode("utf-8")).hexdigest()
        if digest in by_hash:
            uf.union(by_hash[digest], d.doc_id)
        else:
            by_hash[digest] = d.doc_id

    # Near duplicates among the distinct texts only: exact copies already share a cluster.
    distinct = sorted(by_hash.values())
    sets = {doc_id: shingles(tokens[doc_id], params.shingle_size) for doc_id in distinct}
    if len(distinct) > 1:
        signatures = MinHash.bulk(
            [sorted(sets[d]) for d in distinct], num_perm=params.num_perm, seed=params.seed
        )
        lsh = MinHashLSH(threshold=params.lsh_threshold, num_perm=params.num_perm)
        for doc_id, signature in zip(distinct, signatures):
            for other in lsh.query(signature):
                if containment(sets[doc_id], sets[other]) >= params.min_similarity:
                    uf.union(doc_id, other)
            lsh.insert(doc_id, signature)

    members: dict[str, list[DedupInput]] = {}
    for d in docs:
        members.setdefault(uf.find(d.doc_id), []).append(d)

    rows: list[dict] = []
    for group in members.values():
        rep = min(group, key=lambda d: _representative_key(d, len(tokens[d.doc_id])))
        cluster_id = f"cluster-{rep.doc_id}"
        rep_set = sets.get(rep.doc_id) or shingles(tokens[rep.doc_id], params.shingle_size)
        for d in group:
            if d.doc_id == rep.doc_id:
                reason, score = ("unique" if len(group) == 1 else rep_reason(group, tokens)), 1.0
            elif tokens[d.doc_id] == tokens[rep.doc_id]:
                reason, score = "exact_duplicate", 1.0
            else:
                reason = "near_duplicate"
                own = sets.get(d.doc_id) or shingles(tokens[d.doc_id], params.shingle_size)
                score = containment(own, rep_set)
            rows.append(
                {
                    "doc_id": d.doc_id,
                    "cluster_id": cluster_id,
                    "is_representative": d.doc_id == rep.doc_id,
                    "similarity": float(np.round(score, 6)),
                    "reason": reason,
                }
            )
    return rows


def rep_reason(group: Sequence[DedupInput], tokens: dict[str, list[str]]) -> str:
    """The representative of a cluster is labelled by the kind of copies it has."""
    first = tokens[group[0].doc_id]
    return "exact_duplicate" if all(tokens[d.doc_id] == first for d in group) else "near_duplicate"


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from tasks.schemas import DOC_CLUSTERS, to_arrow  # noqa: E402
from tasks.step import StepReport, publish_checked  # noqa: E402
from tasks.store import RunStore  # noqa: E402


@task(name="dedup", task_run_name="dedup-{store.run_id}", cache_policy=NO_CACHE)
def dedup(store: RunStore, params: DedupParams) -> StepReport:
    """``articles`` -> ``doc_clusters``."""
    logger = get_run_logger()
    report = StepReport("dedup")
    articles = store.read("articles").select(["doc_id", "text", "published"]).to_pylist()
    rows = cluster_documents([DedupInput(a["doc_id"], a["text"], a["published"]) for a in articles], params)
    report.rows_in = len(articles)
    report.rows_out = len(rows)
    texts = {a["doc_id"]: a["text"] for a in articles}
    publish_checked(
        store,
        report,
        {"doc_clusters": to_arrow(DOC_CLUSTERS, rows)},
        {"doc_clusters": {"n_articles": len(articles)}},
        texts=texts,
    )
    n_clusters = len({r["cluster_id"] for r in rows})
    logger.info("dedup: %d articles in %d clusters", len(rows), n_clusters)
    return report
