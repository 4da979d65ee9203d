"""Claims: predicate, subject, object, item, quantity, source and modality."""

from __future__ import annotations

import datetime as dt

from test_nlp_helpers import claims, run


def test_reported_supply_with_two_items_and_quantities():
    text = (
        "On November 29, Ukraine's military intelligence, known as HUR, reported significant arms transfers, "
        "claiming the North has supplied Russia with over 100 short-range ballistic missiles and around "
        "5 million artillery shells. North Korea is isolated."
    )
    rows = [c for c in claims(text) if c[3] != "arms"]
    assert rows == [
        ("PRK", "supply", "RUS", "short-range ballistic missile", 100.0, "at_least", "HUR", "reported"),
        ("PRK", "supply", "RUS", "artillery shell", 5e6, "approx", "HUR", "reported"),
    ]
    full = run(text)["claims"]
    assert full[0]["claim_date"] == dt.date(2024, 11, 29)
    assert full[0]["text"] == text[full[0]["start_char"] : full[0]["end_char"]]
    assert full[0]["quantity_id"].startswith("t:q:")


def test_troops_sent_are_a_deployment():
    assert claims("Reports indicate Pyongyang has sent more than 10,000 troops to Russia.") == [
        ("PRK", "deploy", "RUS", "troop", 10000.0, "at_least", None, "reported"),
    ]


def test_estimated_arrival_is_a_deployment_attributed_to_the_estimators():
    rows = claims("The U.S. and NATO have estimated that up to 10,000 North Korean personnel have arrived to back Russia's war effort.")
    assert ("PRK", "deploy", "RUS", "troop", 10000.0, "at_most", "U.S. and NATO", "reported") in rows


def test_quoted_hedged_claim_is_attributed_to_the_speaker():
    text = (
        "Christopher Chivvis, former U.S. national intelligence officer, has identified risks. "
        '"North Korea has provided Russia with large numbers of artillery rounds—perhaps as many as 5 million '
        'shells over the last year—which Russia badly needs," Chivvis explained.'
    )
    assert claims(text) == [
        ("PRK", "supply", "RUS", "artillery shell", 5e6, "at_most", "Christopher Chivvis", "hedged"),
    ]


def test_visit_keeps_the_person_and_agreement_pairs_the_signatories():
    assert claims("Andrei Belousov, the Russian Defense Minister, recently paid a visit to North Korea.") == [
        ("PERSON:andrei-belousov", "visit", "PRK", None, None, None, None, "asserted"),
    ]
    assert claims("Putin and Kim signed an unprecedented mutual defense treaty.") == [
        ("RUS", "agree", "PRK", None, None, None, None, "asserted"),
    ]


def test_modalities():
    assert claims("If North Korea were to supply Russia with missile technology, things would change.")[0][-1] == "hypothetical"
    assert claims("North Korea could supply Russia with drones.")[0][-1] == "hypothetical"
    assert claims("North Korea may have deployed troops to Russia.")[0][-1] == "hedged"
    assert claims("North Korea allegedly sent shells to Russia.")[0][-1] == "hedged"
    assert claims("North Korea did not send drones to Russia.")[0][-1] == "denied"
    assert claims("Moscow and Pyongyang deny that North Korea sent drones to Russia.")[0][-1] == "denied"
    assert claims("According to the U.S. Secretary of State Antony Blinken, North Korea sent drones to Russia.") == [
        ("PRK", "supply", "RUS", "drone", None, None, "Antony Blinken", "reported"),
    ]


def test_reciprocal_supply_gives_one_claim_per_item():
    rows = claims("It is reported Russia is reciprocally supplying North Korea with fuel, anti-aircraft missiles, and economic aid.")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("RUS", "supply", "PRK", "fuel"),
        ("RUS", "supply", "PRK", "anti-aircraft missile"),
        ("RUS", "supply", "PRK", "economic aid"),
    ]


def test_no_claim_without_subject_or_item():
    assert claims("This surge in military support includes artillery systems.") == []
    assert claims("North Korea provided Pyongyang with immunity.") == []
    assert claims("The alliance was strengthened.") == []


def test_receiving_turns_roles_round():
    assert claims("North Korea is receiving technological support from Russia.") == [
        ("RUS", "support", "PRK", None, None, None, None, "asserted"),
    ]
