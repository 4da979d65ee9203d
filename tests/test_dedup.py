import random
import sys
from datetime import date
from pathlib import Path

import pytest

from tasks.dedup import (
    DedupInput,
    cluster_documents,
    containment,
    fingerprint_documents,
    is_near_duplicate,
    normalised_tokens,
    overlap,
    shingles,
)
from tasks.params import DedupParams

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is a folder of scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from bench import variants  # noqa: E402

PARAMS = DedupParams()
SEEDS = {path.stem[:3]: path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))}
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
    # Shingles are now sorted arrays of 64-bit hashes, not sets of strings; the measure is unchanged.
    a, b = shingles("a b c d e f".split(), 2), shingles("a b c d e f g h".split(), 2)
    assert containment(a, b) == 1.0
    assert containment(shingles([], 2), b) == 0.0
    assert containment(shingles("x y z".split(), 2), b) == 0.0


# --- typing differences are exact duplicates ----------------------------------------------------


def test_typing_differences_do_not_change_the_words():
    typed = (
        "<p>North  Korea\u2019s   \u201cshells\u201d &amp; rockets</p>\r\n"
        "went to Rus\u00adsia\u200b &mdash; caf\u00e9 &#8217;s"
    )
    plain = "north korea's \"shells\" & rockets went to russia -- cafe 's"
    assert normalised_tokens(typed) == normalised_tokens(plain)


def test_cosmetic_copy_of_a_seed_is_an_exact_duplicate():
    seed = SEEDS["000"]
    cosmetic = (
        seed.replace("\u2019", "&#8217;").replace("'", "\u2019").replace("\n", "\r\n").replace(" ", "  ").upper()
    )
    docs = [DedupInput("orig", seed, date(2024, 11, 1)), DedupInput("copy", cosmetic, date(2024, 11, 2))]
    rows = _by_id(cluster_documents(docs, PARAMS))
    assert rows["copy"]["cluster_id"] == "cluster-orig"
    assert rows["copy"]["reason"] == "exact_duplicate"


# --- seeds and their copies ----------------------------------------------------------------------


def _seed_corpus():
    """The five seeds, and for each: an exact copy, a wire re-post (new headline, dateline, edited
    words, trailing boilerplate), a truncated copy (first 70 %), a paragraph-shuffled copy, a
    paraphrased copy, a copy with site furniture inserted and a syndicated lead (first 35-60 %)."""
    docs, truth = [], {}
    for key, text in SEEDS.items():
        docs.append(DedupInput(f"seed-{key}", text, date(2024, 11, 1)))
        truth[f"seed-{key}"] = key
        made = {
            "exact": variants.exact_copy(text),
            "repost": variants.repost(text, random.Random(f"repost-{key}")),
            "truncated": variants.truncated_copy(text, random.Random(f"cut-{key}"), 0.7, 0.7),
            "shuffled": variants.shuffled_copy(text, random.Random(f"shuffle-{key}")),
            "paraphrased": variants.paraphrased_copy(text, random.Random(f"para-{key}"), 0.2, 0.2),
            "inserted": variants.inserted_copy(text, random.Random(f"ins-{key}")),
            "lead": variants.lead_copy(text, random.Random(f"lead-{key}")),
        }
        for kind, copy in made.items():
            docs.append(DedupInput(f"{kind}-{key}", copy, date(2024, 11, 2)))
            truth[f"{kind}-{key}"] = key
    return docs, truth


SEED_DOCS, SEED_TRUTH = _seed_corpus()
SEED_ROWS = _by_id(cluster_documents(SEED_DOCS, PARAMS))


@pytest.mark.parametrize("kind", ["exact", "repost", "truncated", "shuffled", "paraphrased", "inserted", "lead"])
def test_copies_of_a_seed_join_its_cluster(kind):
    for key in SEEDS:
        row = SEED_ROWS[f"{kind}-{key}"]
        assert row["cluster_id"] == f"cluster-seed-{key}", (kind, key, row)
        assert row["reason"] == ("exact_duplicate" if kind == "exact" else "near_duplicate")
        assert not row["is_representative"]


def test_the_five_seeds_stay_apart():
    # Five different articles on one story (North Korea and Russia): five clusters, one per seed.
    clusters = {SEED_ROWS[f"seed-{key}"]["cluster_id"] for key in SEEDS}
    assert len(SEEDS) == 5 and len(clusters) == 5
    assert all(SEED_ROWS[f"seed-{key}"]["is_representative"] for key in SEEDS)
    for doc_id, row in SEED_ROWS.items():
        assert row["cluster_id"] == f"cluster-seed-{SEED_TRUTH[doc_id]}"


def test_wire_repost_looks_like_one():
    repost = variants.repost(SEEDS["000"], random.Random("repost-000"))
    assert "(" in repost.splitlines()[2] and ") -" in repost.splitlines()[2]  # the dateline
    assert repost.split("\n\n")[0] != SEEDS["000"].splitlines()[0]  # a new headline
    assert any(w in repost[-400:] for w in ("Reporting by", "Copyright", "Read more", "©", "Standards"))


def test_short_article_quoting_a_seed_paragraph_stays_apart():
    seed = SEEDS["003"]
    paragraph = max(seed.splitlines(), key=len)
    quoting = (
        "Pyongyang's role in the war keeps growing, and few in Washington expected it. "
        f'One analysis put it plainly: "{paragraph}" '
        "Diplomats in Seoul said they would raise the matter at the next round of talks."
    )
    generated = variants.quoting_article(seed, random.Random(3))
    rows = _by_id(
        cluster_documents(
            [DedupInput("seed", seed), DedupInput("quoting", quoting), DedupInput("generated", generated)], PARAMS
        )
    )
    assert len({r["cluster_id"] for r in rows.values()}) == 3
    assert all(r["reason"] == "unique" for r in rows.values())


def test_same_event_retold_stays_apart():
    docs = [DedupInput(f"seed-{k}", t) for k, t in SEEDS.items()]
    docs += [DedupInput(f"retold-{k}", variants.same_event_article(t, random.Random(k))) for k, t in SEEDS.items()]
    rows = cluster_documents(docs, PARAMS)
    assert all(r["reason"] == "unique" for r in rows)


def test_roundup_of_two_seeds_never_merges_them():
    roundup = variants.roundup([SEEDS["000"], SEEDS["001"]], random.Random(1))
    docs = [DedupInput("a", SEEDS["000"]), DedupInput("b", SEEDS["001"]), DedupInput("roundup", roundup)]
    rows = _by_id(cluster_documents(docs, PARAMS))
    assert rows["a"]["cluster_id"] != rows["b"]["cluster_id"]


def _lead(text: str, share: float) -> str:
    words = text.split(" ")
    return " ".join(words[: round(len(words) * share)])


@pytest.mark.parametrize("share", [0.35, 0.5, 0.6])
def test_a_lead_of_a_seed_joins_it_even_alone(share):
    # A syndicated lead (the first third to 60 % of the article, nothing else) is an excerpt: its
    # containment is 1.0, its size ratio under min_size_ratio but above min_excerpt_size_ratio.
    for key, seed in SEEDS.items():
        rows = _by_id(cluster_documents([DedupInput("seed", seed), DedupInput("lead", _lead(seed, share))], PARAMS))
        assert rows["lead"]["cluster_id"] == "cluster-seed", (key, share)
        assert rows["lead"]["reason"] == "near_duplicate" and rows["lead"]["similarity"] == 1.0
        assert rows["seed"]["is_representative"]


def test_a_fifth_of_a_seed_is_too_little_of_it_to_be_a_copy():
    # Containment is 1.0 but the piece has under min_excerpt_size_ratio of the seed's shingles.
    seed = SEEDS["003"]
    rows = _by_id(cluster_documents([DedupInput("seed", seed), DedupInput("part", _lead(seed, 0.2))], PARAMS))
    assert rows["part"]["cluster_id"] == "cluster-part"


def test_lead_copy_is_a_lead():
    for key, seed in SEEDS.items():
        lead = variants.lead_copy(seed, random.Random(key))
        assert 0.3 * len(seed.split()) <= len(lead.split()) <= 0.62 * len(seed.split())


def test_roundup_of_two_cut_seeds_joins_at_most_one_of_them():
    # Each cut seed is 80 % of itself and over half of the round-up: both pass the near-duplicate
    # rule against it, so without the parts check the round-up would chain the two seeds together.
    a, b = SEEDS["000"], SEEDS["004"]
    roundup = "Evening briefing\n\n" + _lead(a, 0.8) + "\n\n" + _lead(b, 0.8)
    docs = [DedupInput("a", a), DedupInput("b", b), DedupInput("roundup", roundup)]
    prints = fingerprint_documents(docs, PARAMS)
    assert all(is_near_duplicate(overlap(prints[i].shingles, prints[2].shingles), PARAMS) for i in (0, 1))
    rows = _by_id(cluster_documents(docs, PARAMS))
    assert rows["a"]["cluster_id"] != rows["b"]["cluster_id"]
    # the round-up joins the one it shares most with (b), whose cluster it then represents (longest)
    assert rows["roundup"]["cluster_id"] == rows["b"]["cluster_id"] == "cluster-roundup"
    assert rows["a"] == {"doc_id": "a", "cluster_id": "cluster-a", "is_representative": True, "similarity": 1.0, "reason": "unique"}


def test_roundup_of_three_seeds_joins_at_most_one_of_them():
    # Each seed is a third of the round-up: an excerpt of it. One joins it; the others then share
    # almost nothing with that cluster (min_part_overlap) and stay on their own.
    keys = ("000", "002", "004")
    roundup = variants.roundup([SEEDS[k] for k in keys], random.Random(2))
    docs = [DedupInput(k, SEEDS[k]) for k in keys] + [DedupInput("roundup", roundup)]
    rows = _by_id(cluster_documents(docs, PARAMS))
    assert len({rows[k]["cluster_id"] for k in keys}) == 3
    assert sum(rows[k]["cluster_id"] == rows["roundup"]["cluster_id"] for k in keys) <= 1


def test_an_excerpt_joins_one_container_only():
    # The same lead printed at the top of two different pieces: it joins one, never both.
    lead = _lead(SEEDS["003"], 0.4)
    one, two = lead + "\n\n" + SEEDS["000"], lead + "\n\n" + SEEDS["004"]
    rows = _by_id(cluster_documents([DedupInput("lead", lead), DedupInput("one", one), DedupInput("two", two)], PARAMS))
    assert rows["one"]["cluster_id"] != rows["two"]["cluster_id"]
    assert rows["lead"]["cluster_id"] in {rows["one"]["cluster_id"], rows["two"]["cluster_id"]}


def test_lead_and_cut_copies_of_a_seed_all_join_it():
    # Parts of one article agree with each other: a lead, a truncated copy and an excerpt without
    # the first paragraph all join the seed's cluster, together with a re-post.
    seed = SEEDS["001"]
    docs = [
        DedupInput("seed", seed, date(2024, 11, 1)),
        DedupInput("lead", _lead(seed, 0.4)),
        DedupInput("truncated", variants.truncated_copy(seed, random.Random(1))),
        DedupInput("excerpt", variants.excerpt_copy(seed, random.Random(1))),
        DedupInput("repost", variants.repost(seed, random.Random(1))),
    ]
    rows = cluster_documents(docs, PARAMS)
    assert {r["cluster_id"] for r in rows} == {"cluster-seed"}


# --- determinism and contract ----------------------------------------------------------------------


def test_seed_corpus_rows_do_not_depend_on_input_order():
    shuffled = list(SEED_DOCS)
    random.Random(5).shuffle(shuffled)
    assert cluster_documents(shuffled, PARAMS) == cluster_documents(SEED_DOCS, PARAMS)


def test_rows_are_deterministic_and_sorted_by_doc_id():
    first = cluster_documents(SEED_DOCS, PARAMS)
    assert first == cluster_documents(SEED_DOCS, PARAMS)
    assert [r["doc_id"] for r in first] == sorted(r["doc_id"] for r in first)
    assert all(0.0 <= r["similarity"] <= 1.0 for r in first)
    assert all(r["similarity"] == 1.0 for r in first if r["is_representative"])


def test_clusters_do_not_depend_on_the_minhash_seed():
    # Verification is exact, so another permutation seed may only change which pairs LSH proposes.
    clusters = {r["doc_id"]: r["cluster_id"] for r in SEED_ROWS.values()}
    other = cluster_documents(SEED_DOCS, PARAMS.model_copy(update={"seed": 42}))
    assert {r["doc_id"]: r["cluster_id"] for r in other} == clusters


def test_documents_without_words_are_left_alone():
    rows = _by_id(cluster_documents([DedupInput("p", "..."), DedupInput("q", "!!!"), DedupInput("r", "")], PARAMS))
    assert {r["cluster_id"] for r in rows.values()} == {"cluster-p", "cluster-q", "cluster-r"}


def test_repeated_doc_id_is_refused():
    with pytest.raises(ValueError, match="repeated: \\['a'\\]"):
        cluster_documents([DedupInput("a", BASE), DedupInput("a", OTHER)], PARAMS)


def test_bad_parameters_fail_at_once():
    with pytest.raises(ValueError):
        DedupParams(min_containment=1.5)
    with pytest.raises(ValueError):
        DedupParams(lsh_threshold=0)
