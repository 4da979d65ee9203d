"""The extraction's quality floors on the hand-written gold, and the scorer itself.

Two groups, scored apart: real articles nobody here wrote (``tests/gold/real/``, read from
``../shared/corpora/real/``; skipped when that corpus is absent) and the articles we wrote
(``tests/gold/``). The floors are the figures measured when they were last raised, minus a small
margin: a change that makes any field worse than that fails here. Raising a floor after an
improvement is a deliberate act (run ``python bench/eval_extraction.py`` and copy the new figures).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tasks.nlp.evaluation import FIELDS, evaluate, in_scope, load_gold, score_article, scope_ranges, scored_fields

GOLD = Path(__file__).resolve().parent / "gold"
REAL = GOLD / "real"
MARGIN = 0.02
PREDICATES = {"supply", "deploy", "visit", "agree", "train", "test", "sanction", "support", "attack", "threaten"}
MODALITIES = {"asserted", "reported", "hedged", "hypothetical", "denied"}

# field: (precision, f1) measured on tests/gold
MEASURED = {
    "entities": (0.996, 0.996),
    "entity_ids": (0.996, 0.996),
    "quantities": (1.000, 1.000),
    "claims_key": (0.992, 0.901),  # F1 0.884 since claims without an object are withheld: the floor holds
    "claims_full": (0.986, 0.891),
    "claims_modality": (0.978, 0.989),  # of the claims matched on their key, the share with the right modality
    "quotes": (1.000, 1.000),
    "quote_speakers": (1.000, 1.000),
    "dates": (0.985, 0.992),
}


# field: (precision, f1) measured on tests/gold/real (the real articles), the starting line
MEASURED_REAL = {  # issue 15's starting line: quantities (0.617, 0.608), claims_key (0.485, 0.287),
    # claims_full (0.381, 0.216), quotes (0.913, 0.808), quote_speakers (0.739, 0.654); 24 articles since six Fox
    # items and three Yonhap items were annotated blind (scored once as unseen before they joined: see the README)
    "quantities": (0.970, 0.916),  # 0.644 / 0.636 at issue 16's first step; 0.965 / 0.911 before 'shot down over eight regions'
    "claims_key": (0.908, 0.546),  # 0.590 / 0.342 at issue 16's first step; 0.900 before deploy needed an object
    "claims_full": (0.713, 0.427),
    "claims_modality": (0.857, 0.923),  # issue 16 asks for at least 0.8; 0.855 at its first step, on fewer matched claims
    "quotes": (1.000, 0.954),  # 0.889 / 0.857 at issue 16's first step; 0.950 / 0.931 before verbless phrases were terms
    "quote_speakers": (0.989, 0.944),  # 0.815 / 0.786 at issue 16's first step; 0.939 / 0.921 before the same
}


@pytest.fixture(scope="module")
def scores() -> dict:
    return evaluate(GOLD, details=True)


@pytest.fixture(scope="module")
def real_scores() -> dict:
    if not load_gold(REAL):
        pytest.skip("the real corpus (../shared/corpora/real/ or $DOSSIER_REAL_CORPUS) is not here")
    return evaluate(REAL, details=True)


@pytest.mark.parametrize("field", sorted(MEASURED_REAL))
def test_real_field_does_not_fall_below_its_floor(real_scores, field):
    precision, f1 = MEASURED_REAL[field]
    got = real_scores[field]
    assert got["precision"] >= precision - MARGIN, (field, got)
    assert got["f1"] >= f1 - MARGIN, (field, got)


def test_every_real_gold_article_is_scored(real_scores):
    names = set(real_scores["_articles"])
    assert len(names) >= 15 and len([n for n in names if n.startswith("fox_")]) >= 3, names


def test_real_gold_files_follow_the_guide():
    """Checked without the corpus: the files name their article, say what they annotate, use the
    contract's vocabulary and quote only short spans."""
    files = sorted(REAL.glob("*.gold.json"))
    folders = [json.loads(p.read_text())["corpus_file"].split("/")[0] for p in files]
    assert folders.count("rusi_csis") >= 9 and folders.count("bbc_repost") >= 3 and folders.count("foxnews_war") >= 3
    allowed = {"about", "corpus_file", "published", "annotated", "scope", "claims", "quotes", "quantities", "entities",
               "optional_entities", "dates"}
    for path in files:
        gold = json.loads(path.read_text())
        assert set(gold) <= allowed and {"about", "corpus_file", "annotated"} <= set(gold), path.name
        scored_fields(gold)  # known field names
        for section in gold.get("scope", []):
            assert {"from", "to"} <= set(section) and all(len(section[k]) <= 200 for k in ("from", "to")), path.name
        for claim in gold.get("claims", []):
            assert {"subject", "predicate", "object", "item", "value", "qualifier", "attributed_to", "modality"} <= set(claim), (path.name, claim)
            assert set(_values(claim["predicate"])) <= PREDICATES, (path.name, claim)
            assert set(_values(claim["modality"])) <= MODALITIES, (path.name, claim)
            assert len(claim.get("note", "")) <= 300, (path.name, claim)
        for quote in gold.get("quotes", []):
            assert all(len(t) <= 300 for t in _values(quote["text"])), (path.name, quote)


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("field", FIELDS)
def test_field_does_not_fall_below_its_floor(scores, field):
    precision, f1 = MEASURED[field]
    got = scores[field]
    assert got["precision"] >= precision - MARGIN, (field, got, [e for e in scores["_errors"] if e["field"] == field])
    assert got["f1"] >= f1 - MARGIN, (field, got, [e for e in scores["_errors"] if e["field"] == field])


def test_every_gold_article_is_scored(scores):
    assert not [n for n in scores["_articles"] if n.startswith(("rusi_", "csis_", "bbc_", "fox_"))]
    names = set(scores["_articles"])
    assert {f"seed_00{i}" for i in range(5)} <= names
    assert len([n for n in names if n.startswith("own_")]) >= 15


def test_no_claims_invented_in_the_distractor(scores):
    assert not [e for e in scores["_errors"] if e["doc"] == "own_distractor" and e["field"].startswith("claims")]


def test_gold_files_are_well_formed():
    allowed = {"about", "source", "published", "entities", "optional_entities", "quantities", "claims", "quotes", "dates"}
    for name, text, gold in load_gold(GOLD):
        assert set(gold) <= allowed, name
        assert text.strip(), name
        for claim in gold.get("claims", []):
            assert {"subject", "predicate", "object", "item", "modality"} <= set(claim), (name, claim)
        for entity in gold.get("entities", []):
            assert {"text", "label", "entity_id"} <= set(entity), (name, entity)


# --- the scorer on tiny inline cases ----------------------------------------------------------------


def _rows(**tables):
    base = {"mentions": [], "quantities": [], "claims": [], "quotes": []}
    base.update(tables)
    return base


def test_scorer_matches_by_content_with_alternatives_and_optional_entities():
    gold = {
        "entities": [{"text": "Moscow", "label": "GPE", "entity_id": "RUS"}],
        "optional_entities": [{"text": "missiles", "label": "EQUIPMENT"}],
        "claims": [{"subject": "PRK", "predicate": "supply", "object": ["RUS", None], "item": "troop", "value": 100,
                    "qualifier": "at_least", "attributed_to": ["HUR", "Ukraine's military intelligence"], "modality": "reported"}],
        "quotes": [{"speaker": "Samuel Ramani", "text": "They also want to diversify"}],
        "dates": [{"text": "November 29", "normalized": "2024-11-29"}],
    }
    mention = {"text": "Moscow", "label": "GPE", "entity_id": "RUS", "normalized": None}
    rows = _rows(
        mentions=[mention, dict(mention), {"text": "missiles", "label": "EQUIPMENT", "entity_id": "EQUIPMENT:missile", "normalized": None},
                  {"text": "November 29", "label": "DATE", "entity_id": "DATE:2024-11-29", "normalized": "2024-11-29"}],
        claims=[{"subject_id": "PRK", "predicate": "supply", "object_id": None, "item": "troop", "value": 100.0,
                 "qualifier": "at_least", "attributed_to": "hur", "modality": "reported"}],
        quotes=[{"quote": "“They also want to diversify their partnerships.”", "speaker": "Samuel Ramani"}],
    )
    counts = {f: c.scores() for f, c in score_article("t", gold, rows).items()}
    for field in ("entities", "entity_ids", "claims_key", "claims_full", "quotes", "quote_speakers", "dates"):
        assert (counts[field]["tp"], counts[field]["fp"], counts[field]["fn"]) == (1, 0, 0), field


def test_scorer_counts_misses_and_spurious_items():
    gold = {"claims": [{"subject": "PRK", "predicate": "deploy", "object": "RUS", "item": "troop", "modality": "asserted"}]}
    rows = _rows(claims=[
        {"subject_id": "PRK", "predicate": "deploy", "object_id": "RUS", "item": "troop", "value": None, "qualifier": None,
         "attributed_to": None, "modality": "denied"},
        {"subject_id": "RUS", "predicate": "support", "object_id": None, "item": None, "value": None, "qualifier": None,
         "attributed_to": None, "modality": "asserted"},
    ])
    counts = score_article("t", gold, rows)
    assert (counts["claims_key"].tp, counts["claims_key"].fp, counts["claims_key"].fn) == (1, 1, 0)
    assert (counts["claims_full"].tp, counts["claims_full"].fp, counts["claims_full"].fn) == (0, 2, 1)
    assert counts["claims_full"].scores()["precision"] == 0.0
    # the key matched with the wrong modality: one wrong, none right
    assert (counts["claims_modality"].tp, counts["claims_modality"].fp) == (0, 1)


def test_only_annotated_fields_and_scoped_text_are_scored():
    text = "Intro: Russia attacked Kyiv. Section one. North Korea sent troops. Section two. Iran sent drones."
    gold = {"annotated": ["claims"], "scope": [{"section": "one", "from": "Section one. North", "to": "sent troops"}],
            "claims": [{"subject": "PRK", "predicate": "deploy", "object": None, "item": "troop", "modality": "asserted"}]}
    ranges = scope_ranges("t", gold, text)
    assert ranges == [(text.index("Section one"), text.index("troops") + len("troops"))]

    def claim(start, subject, item):
        return {"start_char": start, "subject_id": subject, "predicate": "deploy" if item == "troop" else "supply",
                "object_id": None, "item": item, "value": None, "qualifier": None, "attributed_to": None, "modality": "asserted"}

    rows = _rows(claims=[claim(text.index("Russia"), "RUS", "missile"), claim(text.index("North"), "PRK", "troop"),
                         claim(text.index("Iran"), "IRN", "drone")],
                 mentions=[{"start_char": 0, "text": "Intro", "label": "ORG", "entity_id": "ORG:intro", "normalized": None}])
    counts = score_article("t", gold, in_scope(rows, ranges))
    assert set(counts) == {"claims_key", "claims_full", "claims_modality"}  # entities were not annotated: not scored
    assert (counts["claims_key"].tp, counts["claims_key"].fp, counts["claims_key"].fn) == (1, 0, 0)
    with pytest.raises(ValueError, match="not found"):
        scope_ranges("t", {"scope": [{"from": "words that are not there", "to": "troops"}]}, text)


def test_missing_gold_folder_says_what_to_pass(tmp_path):
    with pytest.raises(ValueError, match="gold folder"):
        evaluate(tmp_path / "nope")
    with pytest.raises(ValueError, match="no \\*.gold.json"):
        evaluate(tmp_path)
