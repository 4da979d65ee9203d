from datetime import date

from tasks.dedup import DedupInput, cluster_documents, containment, shingles
from tasks.params import DedupParams

PARAMS = DedupParams()
BASE = (
    "North Korea has shipped millions of artillery shells to Russia over the past year, according to "
    "officials in Seoul who briefed reporters on Tuesday. The shipments, carried by rail and sea, "
    "have helped Moscow sustain its bombardment of Ukrainian positions along the front line. "
    "Analysts say Pyongyang receives food, fuel and technology in return for the munitions, and "
    "that the trade deepens a partnership sealed by a defence treaty signed in June."
)
OTHER = (
    "Ukrainian forces reported clashes with North Korean soldiers in the Kursk region, where Moscow "
    "has massed troops to push back a cross-border incursion. A spokesman for Ukraine's army said "
    "several units had been identified by intercepted radio traffic and drone footage, and that the "
    "soldiers appeared to be poorly prepared for the drone-heavy fighting they encountered there."
)


def _by_id(rows):
    return {r["doc_id"]: r for r in rows}


def test_exact_copy_and_repost_join_original_and_others_stay_apart():
    repost = "BREAKING: " + BASE.replace("Tuesday", "Wednesday") + " Copyright 2024 Wire Agency. All rights reserved."
    docs = [
        DedupInput("a", BASE, date(2024, 11, 1)),
        DedupInput("b", BASE.upper(), date(2024, 11, 2)),  # the same text, cased differently
        DedupInput("c", repost, date(2024, 11, 3)),
        DedupInput("d", OTHER, date(2024, 11, 1)),
    ]
    rows = _by_id(cluster_documents(docs, PARAMS))
    assert rows["a"]["cluster_id"] == rows["b"]["cluster_id"] == rows["c"]["cluster_id"] == "cluster-a"
    assert rows["a"]["is_representative"] and not rows["b"]["is_representative"]
    assert rows["b"]["reason"] == "exact_duplicate" and rows["b"]["similarity"] == 1.0
    assert rows["c"]["reason"] == "near_duplicate" and 0.7 <= rows["c"]["similarity"] < 1.0
    assert rows["d"] == {"doc_id": "d", "cluster_id": "cluster-d", "is_representative": True, "similarity": 1.0, "reason": "unique"}


def test_representative_is_earliest_then_longest_then_smallest_id():
    docs = [DedupInput("z", BASE, date(2024, 1, 1)), DedupInput("y", BASE, None), DedupInput("x", BASE, date(2024, 1, 1))]
    rows = _by_id(cluster_documents(docs, PARAMS))
    assert [k for k, r in sorted(rows.items()) if r["is_representative"]] == ["x"]


def test_same_input_same_rows_whatever_the_order():
    docs = [DedupInput("a", BASE), DedupInput("b", OTHER), DedupInput("c", BASE + " Extra line.")]
    assert sorted(cluster_documents(docs, PARAMS), key=str) == sorted(cluster_documents(docs[::-1], PARAMS), key=str)


def test_containment():
    a, b = shingles("a b c d e f".split(), 2), shingles("a b c d e f g h".split(), 2)
    assert containment(a, b) == 1.0
    assert containment(set(), b) == 0.0
