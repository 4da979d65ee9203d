"""extract_articles: contract invariants on the seeds, determinism, language filter, processes."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from tasks import schemas
from tasks.extract import extract_articles
from tasks.params import ExtractParams

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
TABLES = {"mentions": schemas.MENTIONS, "quantities": schemas.QUANTITIES, "claims": schemas.CLAIMS, "quotes": schemas.QUOTES}
ID_COLUMN = {"mentions": "mention_id", "quantities": "quantity_id", "claims": "claim_id", "quotes": "quote_id"}


def _articles() -> list[dict]:
    arts = []
    for i, path in enumerate(SEEDS):
        arts.append({"doc_id": path.stem, "text": path.read_text(encoding="utf-8"), "published": dt.date(2024, 12, 2), "language": "en"})
    return arts


@pytest.fixture(scope="module")
def seed_rows() -> tuple[list[dict], dict[str, list[dict]]]:
    arts = _articles()
    return arts, extract_articles(arts, ExtractParams())


def test_rows_match_the_schemas(seed_rows):
    _, out = seed_rows
    assert set(out) == set(TABLES)
    for name, spec in TABLES.items():
        for row in out[name]:
            assert set(row) == set(spec.columns), name
        schemas.to_arrow(spec, out[name])  # types and required columns


def test_texts_are_slices_and_ids_unique(seed_rows):
    arts, out = seed_rows
    texts = {a["doc_id"]: a["text"] for a in arts}
    for name in TABLES:
        ids = [r[ID_COLUMN[name]] for r in out[name]]
        assert len(ids) == len(set(ids)), name
        for r in out[name]:
            column = "quote" if name == "quotes" else "text"
            assert texts[r["doc_id"]][r["start_char"] : r["end_char"]] == r[column]
            assert 0 <= r["start_char"] < r["end_char"]


def test_vocabularies(seed_rows):
    _, out = seed_rows
    assert {m["label"] for m in out["mentions"]} <= set(schemas.LABELS) | {"FAC", "MISC"}
    assert {m["source"] for m in out["mentions"]} <= {"gazetteer", "rule", "model"}
    assert {q["qualifier"] for q in out["quantities"]} <= set(schemas.QUALIFIERS)
    assert {c["predicate"] for c in out["claims"]} <= set(schemas.PREDICATES)
    assert {c["modality"] for c in out["claims"]} <= set(schemas.MODALITIES)
    assert all(q["item"] is None or q["item"] == q["item"].lower() for q in out["quantities"])
    assert all(u["speaker"] for u in out["quotes"])


def test_seed_facts(seed_rows):
    _, out = seed_rows
    ids = {m["entity_id"] for m in out["mentions"]}
    assert {"PRK", "RUS", "UKR", "PERSON:kim-jong-un", "PERSON:andrei-belousov", "ORG:hur", "EQUIPMENT:kn-23"} <= ids
    facts = {(c["subject_id"], c["predicate"], c["object_id"], c["item"], c["value"], c["qualifier"]) for c in out["claims"]}
    assert ("PRK", "supply", "RUS", "short-range ballistic missile", 100.0, "at_least") in facts
    assert ("PRK", "supply", "RUS", "artillery shell", 5e6, "approx") in facts
    assert ("PRK", "deploy", "RUS", "troop", 10000.0, "at_least") in facts
    assert ("PRK", "deploy", "RUS", "troop", 10000.0, "at_most") in facts
    speakers = {u["speaker"] for u in out["quotes"]}
    assert {"Samuel Ramani", "Alexey Maslov", "Christopher Chivvis", "Daron Acemoglu"} <= speakers


def test_language_filter_and_inputs_untouched():
    arts = [
        {"doc_id": "en1", "text": "North Korea sent 100 missiles to Russia.", "published": None, "language": "en"},
        {"doc_id": "ko1", "text": "North Korea sent 100 missiles to Russia.", "published": None, "language": "ko"},
    ]
    before = copy.deepcopy(arts)
    out = extract_articles(arts, ExtractParams())
    assert arts == before
    assert {r["doc_id"] for name in TABLES for r in out[name]} == {"en1"}


def test_same_rows_with_two_processes():
    arts = [{"doc_id": f"d{i}", "text": t, "published": dt.date(2024, 12, 2), "language": "en"} for i, t in enumerate([
        "On November 29, HUR reported the North has supplied Russia with over 100 short-range ballistic missiles.",
        '"We are ready," Kim Jong Un said. Pyongyang has sent more than 10,000 troops to Russia last month.',
        "Andrei Belousov, the Russian Defense Minister, paid a visit to North Korea in June.",
    ])]
    one = extract_articles(arts, ExtractParams(n_process=1, batch_size=1))
    two = extract_articles(arts, ExtractParams(n_process=2, batch_size=1))
    assert one == two
    assert one["claims"] and one["quotes"] and one["quantities"]
