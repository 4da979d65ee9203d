import math
from datetime import date

import pytest

from tasks.aggregate import count_cooccurrence, figure_interval, find_conflict, summarise_claims, summarise_entities
from tasks.params import AggregateParams

PARAMS = AggregateParams()


def claim(cid, doc, value=None, qualifier=None, low=None, high=None, modality="asserted", source=None, item="artillery shell"):
    return {
        "claim_id": cid, "doc_id": doc, "subject_id": "PRK", "predicate": "supply", "object_id": "RUS",
        "item": item, "value": value, "qualifier": qualifier, "low": low, "high": high,
        "modality": modality, "attributed_to": source, "claim_date": None, "sentence_id": 0,
    }


@pytest.mark.parametrize(
    "figures, conflict",
    [
        ([(10000, "at_most"), (10000, "at_least")], False),  # meet at exactly 10,000
        ([(3e6, "exact"), (5e6, "exact")], True),
        ([(5e6, "approx"), (5e6, "at_least")], False),
        ([(5e6, "at_most"), (6e6, "at_least")], True),
        ([(4.8e6, "approx"), (5e6, "exact")], False),
    ],
)
def test_conflict_rule(figures, conflict):
    intervals = [figure_interval(v, q, None, None, PARAMS.approx_tolerance) for v, q in figures]
    assert (find_conflict(intervals) is not None) is conflict


def test_range_interval():
    assert figure_interval(5.5e6, "range", 5.2e6, 5.8e6, 0.1) == (5.2e6, 5.8e6)
    assert figure_interval(None, "exact", None, None, 0.1) is None
    assert figure_interval(100, "at_least", None, None, 0.1) == (100, math.inf)


def test_summary_counts_clusters_not_copies_and_flags_conflicts():
    claims = [
        claim("c1", "d1", 5e6, "approx", source="HUR", modality="reported"),
        claim("c2", "d2", 5e6, "at_least", source="South Korean officials"),
        claim("c3", "d3", 5e6, "approx", source="HUR", modality="reported"),  # a copy of d1
        claim("c4", "d4", 3e6, "exact", modality="hypothetical"),  # asserts nothing
    ]
    clusters = {"d1": "k1", "d3": "k1", "d2": "k2", "d4": "k4"}
    published = {"d1": date(2024, 11, 30), "d2": date(2024, 12, 1), "d3": None, "d4": None}
    [row] = summarise_claims(claims, published, clusters, PARAMS)
    assert row["claim_key"] == "PRK|supply|RUS|artillery shell"
    assert row["n_mentions"] == 4 and row["n_docs"] == 4 and row["n_independent_sources"] == 2
    assert row["n_hypothetical_sources"] == 1 and row["hypothetical_doc_ids"] == ["d4"]  # speculation is no source
    assert row["attributed_to"] == ["HUR", "South Korean officials"]
    assert row["values"] == [3e6, 5e6, 5e6, 5e6]
    assert row["conflict"] is False
    assert (row["first_seen"], row["last_seen"]) == (date(2024, 11, 30), date(2024, 12, 1))

    claims[3]["modality"] = "asserted"
    [row] = summarise_claims(claims, published, clusters, PARAMS)
    assert row["conflict"] is True and "at least" in row["conflict_reason"]


def test_entities_and_cooccurrence():
    mentions = [
        {"doc_id": "d1", "sentence_id": 0, "entity_id": "PRK", "label": "GPE", "text": "North Korea", "name": "North Korea"},
        {"doc_id": "d1", "sentence_id": 0, "entity_id": "PRK", "label": "NORP", "text": "North Korean", "name": "North Korea"},
        {"doc_id": "d1", "sentence_id": 0, "entity_id": "RUS", "label": "GPE", "text": "Moscow", "name": "Russia"},
        {"doc_id": "d2", "sentence_id": 3, "entity_id": "RUS", "label": "GPE", "text": "Russia", "name": "Russia"},
        {"doc_id": "d2", "sentence_id": 4, "entity_id": "PRK", "label": "GPE", "text": "Pyongyang", "name": "North Korea"},
        {"doc_id": "d2", "sentence_id": 4, "entity_id": "DATE:2024-06", "label": "DATE", "text": "June", "name": None},
    ]
    entities = {e["entity_id"]: e for e in summarise_entities(mentions)}
    assert entities["PRK"] == {
        "entity_id": "PRK", "name": "North Korea", "label": "GPE",
        "aliases": ["North Korea", "North Korean", "Pyongyang"], "n_mentions": 3, "n_docs": 2,
    }
    assert count_cooccurrence(mentions, PARAMS) == [{"entity_a": "PRK", "entity_b": "RUS", "n_docs": 2, "n_sentences": 1}]


def test_a_claim_without_object_joins_the_single_claim_that_states_it():
    claims = [
        claim("c1", "d1", 10000, "at_least"),
        {**claim("c2", "d2", 10000, "at_most"), "object_id": None},
        {**claim("c3", "d3"), "object_id": None, "item": "missile"},
        claim("c4", "d3", item="missile"),
        {**claim("c5", "d3", item="missile"), "object_id": "UKR"},
    ]
    rows = {r["claim_key"]: r for r in summarise_claims(claims, {}, {}, PARAMS)}
    assert rows["PRK|supply|RUS|artillery shell"]["claim_ids"] == ["c1", "c2"]
    # two candidates (RUS and UKR): the unstated object stays on its own
    assert rows["PRK|supply|-|missile"]["claim_ids"] == ["c3"]


def test_a_claim_naming_no_item_stays_apart_from_the_one_that_names_it():
    # Fox News: "Ukraine expanded attacks against Russian energy infrastructure" names no drones, so it
    # does not corroborate "an attempted Ukrainian drone strike"
    claims = [
        {**claim("c1", "d1", item="drone"), "subject_id": "UKR", "predicate": "attack"},
        {**claim("c2", "d2", item=None), "subject_id": "UKR", "predicate": "attack"},
    ]
    rows = {r["claim_key"]: r for r in summarise_claims(claims, {}, {}, PARAMS)}
    assert rows["UKR|attack|RUS|drone"]["claim_ids"] == ["c1"] and rows["UKR|attack|RUS|drone"]["n_independent_sources"] == 1
    assert rows["UKR|attack|RUS|-"]["claim_ids"] == ["c2"]


def test_sources_that_speculate_or_deny_never_corroborate():
    claims = [
        claim("c1", "d1", modality="hedged"),
        claim("c2", "d2", modality="hypothetical"),
        claim("c3", "d3", modality="denied"),
        claim("c4", "d4", modality="reported", source="HUR"),
        claim("c5", "d4", modality="denied"),  # 'Moscow denies it', in an article that reports it
        claim("c6", "d5", modality="hypothetical"),
        claim("c7", "d5", modality="denied"),  # a denial and a speculation: the source denies
    ]
    [row] = summarise_claims(claims, {}, {}, PARAMS)
    assert row["n_independent_sources"] == 2  # d1 (hedged) and d4 (reported)
    assert (row["n_hypothetical_sources"], row["hypothetical_doc_ids"]) == (1, ["d2"])
    assert (row["n_denying_sources"], row["denying_doc_ids"]) == (3, ["d3", "d4", "d5"])
    assert row["n_sources"] == 5
    only_speculation = summarise_claims([claim("c1", "d1", modality="hypothetical")], {}, {}, PARAMS)
    assert only_speculation[0]["n_independent_sources"] == 0 and only_speculation[0]["n_sources"] == 1


def test_outlets_citing_one_upstream_source_count_it_once():
    claims = [
        claim("c1", "d1", modality="reported", source="HUR"),
        claim("c2", "d2", modality="reported", source="HUR"),
        claim("c3", "d3", modality="reported", source="South Korean officials"),
        claim("c4", "d3", modality="asserted"),
    ]
    [row] = summarise_claims(claims[:2], {}, {}, PARAMS)
    assert (row["n_independent_sources"], row["n_upstream_sources"]) == (2, 1)
    [row] = summarise_claims(claims, {}, {}, PARAMS)
    assert (row["n_independent_sources"], row["n_upstream_sources"]) == (3, 2)
    [row] = summarise_claims(claims[2:] + [claim("c5", "d5")], {}, {}, PARAMS)
    assert row["n_upstream_sources"] == 2  # an outlet that credits no one is its own source


def test_a_claim_is_first_and_last_seen_on_the_dates_its_sentences_give():
    claims = [
        {**claim("c1", "d1"), "claim_date": date(2023, 1, 1), "claim_period": "2023"},
        claim("c2", "d2"),
    ]
    published = {"d1": date(2024, 11, 14), "d2": date(2024, 12, 1)}
    [row] = summarise_claims(claims, published, {}, PARAMS)
    assert (row["first_seen"], row["last_seen"]) == (date(2023, 1, 1), date(2024, 12, 1))
