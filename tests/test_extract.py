"""extract_articles: contract invariants on the seeds, determinism, language filter, processes."""

from __future__ import annotations

import copy
from contextlib import closing as contextlib_closing
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
    assert set(out) == set(TABLES) | {"failed"} and out["failed"] == []
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


def test_currency_before_a_word_number_is_counted_not_a_crash():
    rows = extract_articles([{"doc_id": "c", "text": "The club paid $ five million for him. It cost £ten.",
                              "published": None, "language": "en"}], ExtractParams())
    assert [(q["value"], q["item"]) for q in rows["quantities"]] == [(5_000_000.0, "dollar"), (10.0, "pound")]


def test_an_article_the_nlp_fails_on_is_reported_and_the_others_kept(monkeypatch, tmp_path):
    """Fault injection: a component raising on one article (as a bug would) drops that article only."""
    from tasks.cache import DocumentCache
    from tasks.extract import document_key, stream_in_process
    from tasks.nlp.quantities import QuantityFinder
    from tasks.nlp.worker import detach

    real = QuantityFinder.__call__

    def flaky(self, doc):
        if "BOOM" in doc.text:
            raise ValueError("injected failure")
        return real(self, doc)

    monkeypatch.setattr(QuantityFinder, "__call__", flaky)
    arts = _articles()[:2]
    bad = {"doc_id": "bad", "text": "BOOM. North Korea sent 100 shells to Russia.", "published": None, "language": "en"}
    rows = extract_articles([arts[0], bad, arts[1]], ExtractParams())
    assert rows["failed"] == ["bad"]
    assert {m["doc_id"] for m in rows["mentions"]} == {arts[0]["doc_id"], arts[1]["doc_id"]}

    cache = DocumentCache(tmp_path)
    for a in (*arts, bad):
        a["text_sha256"] = a["doc_id"]
    params = ExtractParams()

    def key_of(article):
        return document_key(article, params)

    def outcome(stream):
        return [(d, rows is None, fresh) for d, _, rows, fresh, _ in stream]

    expected = [(arts[0]["doc_id"], False, True), ("bad", True, True), (arts[1]["doc_id"], False, True)]
    first = list(stream_in_process([[arts[0], bad], [arts[1]]], params, cache, key_of))
    assert outcome(first) == expected
    cache.put_many({key: detach(rows, d) for d, key, rows, _, _ in first if rows is not None and d != arts[1]["doc_id"]})
    again = outcome(stream_in_process([[arts[0], bad, arts[1]]], params, cache, key_of))
    assert again == [(arts[0]["doc_id"], False, False), ("bad", True, True), (arts[1]["doc_id"], False, True)]
    cache.close()


def test_worker_processes_give_the_same_rows_in_the_same_order(tmp_path):
    """The local pool (spawned processes returning rows) against the in-process pipe, batch by batch."""
    from tasks.cache import DocumentCache
    from tasks.extract import document_key, pool_submit, process_pool, stream_in_process, stream_submitted

    arts = _articles()
    for a in arts:
        a["text_sha256"] = a["doc_id"]
    batches = [arts[:2], arts[2:3], arts[3:]]
    params = ExtractParams()

    def key_of(article):
        return document_key(article, params)

    with contextlib_closing(DocumentCache(tmp_path / "a")) as cache:
        here = [(d, rows) for d, _, rows, _, _ in stream_in_process(batches, params, cache, key_of)]
    with contextlib_closing(DocumentCache(tmp_path / "b")) as cache, process_pool(2, params.nlp_model) as pool:
        stream = stream_submitted(batches, cache, key_of, pool_submit(pool, params, 2), window=1)
        pooled = [(d, rows) for d, _, rows, fresh, entry in stream if fresh and entry]
    assert [d for d, _ in here] == [a["doc_id"] for a in arts]
    assert pooled == here


def test_an_article_a_component_never_finishes_on_is_skipped_after_the_time_limit(monkeypatch):
    """Fault injection: a rule that loops for ever on one article (as the 'the country' root search
    once did) costs that article only, after the component's time limit."""
    import time

    from tasks.nlp import TimeLimited, build_nlp
    from tasks.nlp.claims import ClaimFinder

    real = ClaimFinder.__call__

    def endless(self, doc):
        while "HANG" in doc.text:
            time.sleep(0.01)
        return real(self, doc)

    monkeypatch.setattr(ClaimFinder, "__call__", endless)
    component = build_nlp(ExtractParams().nlp_model).get_pipe("dossier_claims")
    assert isinstance(component, TimeLimited)
    monkeypatch.setattr(component, "limit", 1.0)
    arts = _articles()[:2]
    stuck = {"doc_id": "stuck", "text": "HANG. North Korea sent 100 shells to Russia.", "published": None, "language": "en"}
    start = time.monotonic()
    rows = extract_articles([arts[0], stuck, arts[1]], ExtractParams())
    assert time.monotonic() - start < 30
    assert rows["failed"] == ["stuck"]
    assert {m["doc_id"] for m in rows["mentions"]} == {arts[0]["doc_id"], arts[1]["doc_id"]}
