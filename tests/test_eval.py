"""The extraction's quality floor on the hand-written gold (tests/gold), and the scorer itself.

The floors are the figures measured when they were last raised, minus a small margin: a change that
makes any field worse than that fails here. Raising a floor after an improvement is a deliberate act
(run ``python bench/eval_extraction.py`` and copy the new figures).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.nlp.evaluation import FIELDS, evaluate, load_gold, score_article

GOLD = Path(__file__).resolve().parent / "gold"
MARGIN = 0.02

# field: (precision, f1) measured on tests/gold
MEASURED = {
    "entities": (0.996, 0.996),
    "entity_ids": (0.996, 0.996),
    "quantities": (1.000, 1.000),
    "claims_key": (0.971, 0.901),
    "claims_full": (0.973, 0.891),
    "quotes": (1.000, 1.000),
    "quote_speakers": (1.000, 1.000),
    "dates": (0.985, 0.992),
}


@pytest.fixture(scope="module")
def scores() -> dict:
    return evaluate(GOLD, details=True)


@pytest.mark.parametrize("field", FIELDS)
def test_field_does_not_fall_below_its_floor(scores, field):
    precision, f1 = MEASURED[field]
    got = scores[field]
    assert got["precision"] >= precision - MARGIN, (field, got, [e for e in scores["_errors"] if e["field"] == field])
    assert got["f1"] >= f1 - MARGIN, (field, got, [e for e in scores["_errors"] if e["field"] == field])


def test_every_gold_article_is_scored(scores):
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


def test_missing_gold_folder_says_what_to_pass(tmp_path):
    with pytest.raises(ValueError, match="gold folder"):
        evaluate(tmp_path / "nope")
    with pytest.raises(ValueError, match="no \\*.gold.json"):
        evaluate(tmp_path)
