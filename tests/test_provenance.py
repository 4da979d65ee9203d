"""Sentence provenance: a sentence reprinted in other articles is one source, its origin's."""

from __future__ import annotations

from datetime import date

from tasks.aggregate import summarise_claims
from tasks.params import AggregateParams
from tasks.provenance import CopyFinder, ref_name, sentence_origins, words

# Sentences of the seed articles (seeds/), as round-ups would reprint them.
TROOPS = "Reports indicate Pyongyang has sent more than 10,000 troops to support Russian operations around Kursk."
SHELLS = ("South Korean officials documented North Korea delivering more than 5 million rounds of artillery "
          "to Russia, which speak volumes about the two countries.")
ARRIVED = ("The U.S. and NATO have estimated that up to 10,000 North Korean personnel have arrived to back "
           "Russia's war effort against Ukraine.")
FILLER_A = "The weather in the capital was mild for the season, and the markets opened calmly on Monday."
FILLER_B = "Analysts in the region have long debated the meaning of these shifts for the wider alliance."


def test_words_ignore_case_punctuation_and_curly_apostrophes():
    assert words("Russia\u2019s war — “effort”, again!") == words("russia's WAR effort again")


def test_a_sentence_is_held_word_for_word_or_with_an_edited_word_but_not_when_short():
    finder = CopyFinder({("a", 0): TROOPS, ("a", 1): "Russia denied it."}, k=3, min_words=8, containment=0.7)
    finder.scan("a", TROOPS)
    finder.scan("copy", "Live: 09:14 GMT " + TROOPS.replace("more than", "over") + " More soon.")
    finder.scan("other", "Pyongyang has reportedly sent troops to Russia, officials in Seoul said.")
    finder.scan("short", "Russia denied it.")
    assert finder.holders(("a", 0)) == {"a", "copy"}
    assert finder.holders(("a", 1)) == {"a"}  # too short to be taken for a copy


def _origins(articles, published=None, clusters=None):
    sentences = {}
    for doc, text in articles.items():
        for i, sentence in enumerate(text.split("\n")):
            if any(word in sentence for word in ("troops", "rounds", "personnel")):
                sentences[(doc, i)] = sentence
    return sentences, sentence_origins(sentences, articles.items(), clusters or {}, published or {})


def test_a_roundup_is_never_the_origin_of_what_it_reprints():
    articles = {
        "a": "\n".join([FILLER_A, TROOPS]),
        "b": "\n".join([SHELLS, FILLER_B, ARRIVED]),
        "roundup": "\n".join(["What the reports say", TROOPS, SHELLS, ARRIVED]),
    }
    _, origins = _origins(articles)
    assert origins[("roundup", 1)] == ("a", 1)
    assert origins[("roundup", 2)] == ("b", 0) and origins[("roundup", 3)] == ("b", 2)
    assert origins[("a", 1)] == ("a", 1) and origins[("b", 0)] == ("b", 0)
    # ... even when dedup put it in the cluster of one of the articles it reprints
    _, origins = _origins(articles, clusters={"roundup": "a", "a": "a", "b": "b"})
    assert origins[("roundup", 2)] == ("b", 0)


def test_the_earliest_published_holder_is_the_origin_when_all_are_dated():
    articles = {"early": "\n".join([FILLER_A, TROOPS]), "late": "\n".join([TROOPS, FILLER_B])}
    published = {"early": date(2024, 11, 1), "late": date(2024, 11, 20)}
    _, origins = _origins(articles, published)
    assert origins[("late", 0)] == ("early", 1)
    _, origins = _origins(articles, {"early": date(2024, 12, 1), "late": date(2024, 11, 20)})
    assert origins[("early", 1)] == ("late", 0)
    assert ref_name(("late", 0)) == "late:0" and ref_name(("late", -1)) == "late"


def _claims(sentences, item_of):
    return [
        {"claim_id": f"{doc}:{i}", "doc_id": doc, "sentence_id": i, "subject_id": "PRK", "predicate": "deploy"
         if item_of(text) == "troop" else "supply", "object_id": "RUS", "item": item_of(text), "value": None,
         "qualifier": None, "low": None, "high": None, "modality": "reported", "attributed_to": None,
         "claim_date": None}
        for (doc, i), text in sentences.items()
    ]


def test_a_reused_sentence_adds_no_source_and_the_summary_names_the_sentences_counted():
    item_of = lambda text: "troop" if "troops" in text or "personnel" in text else "artillery shell"  # noqa: E731
    originals = {"a": "\n".join([FILLER_A, TROOPS]), "b": "\n".join([SHELLS, FILLER_B, ARRIVED])}
    blog = "\n".join(["Live: the latest", "10:02 GMT", ARRIVED.replace("estimated", "said"), "09:40 GMT", TROOPS])
    for articles in (originals, {**originals, "roundup": "\n".join([TROOPS, SHELLS, ARRIVED]), "blog": blog}):
        sentences, origins = _origins(articles)
        clusters = {d: d for d in articles}
        rows = {r["claim_key"]: r for r in summarise_claims(_claims(sentences, item_of), {}, clusters, AggregateParams(), origins)}
        troops = rows["PRK|deploy|RUS|troop"]
        assert troops["n_independent_sources"] == 2, troops  # a and b, however often reprinted
        assert troops["source_sentences"] == ["a:1", "b:2"]
        assert rows["PRK|supply|RUS|artillery shell"]["n_independent_sources"] == 1
    assert troops["n_copied_mentions"] == 4 and troops["n_docs"] == 4  # two in the round-up, two in the blog


def test_a_sentence_wrapped_in_a_roundups_own_words_is_still_its_originals():
    # the round-up's sentence holds the original's, not the other way round: holding is made mutual
    lead = "According to a report published on Monday by the broadcaster's Seoul correspondent, "
    articles = {
        "a": "\n".join([FILLER_A, TROOPS]),
        "b": "\n".join([SHELLS, FILLER_B, ARRIVED]),
        "roundup": "\n".join(["Round-up", lead + TROOPS[0].lower() + TROOPS[1:], "Officials also said " + SHELLS]),
    }
    _, origins = _origins(articles)
    assert origins[("a", 1)] == ("a", 1) and origins[("roundup", 1)] == ("a", 1)
    assert origins[("roundup", 2)] == ("b", 0)


def test_a_sentence_joining_two_articles_sentences_counts_each_claim_for_the_article_stating_it():
    item_of = lambda text: "troop" if "troops" in text or "personnel" in text else "artillery shell"  # noqa: E731
    joined = TROOPS.rstrip(".") + "; meanwhile, " + SHELLS
    articles = {
        "a": "\n".join([FILLER_A, TROOPS]),
        "b": "\n".join([SHELLS, FILLER_B, ARRIVED]),
        "roundup": "\n".join(["Two reports, side by side", joined, ARRIVED]),
    }
    sentences, origins = _origins(articles)
    claims = _claims(sentences, item_of)
    (troops,) = [c for c in claims if c["claim_id"] == "roundup:1"]
    claims.append({**troops, "claim_id": "roundup:1b", "predicate": "supply", "item": "artillery shell"})
    rows = {r["claim_key"]: r for r in summarise_claims(claims, {}, {d: d for d in articles}, AggregateParams(), origins)}
    # one origin for the joined sentence, but each claim counts for the article that states it
    assert rows["PRK|deploy|RUS|troop"]["n_independent_sources"] == 2
    assert rows["PRK|deploy|RUS|troop"]["source_sentences"] == ["a:1", "b:2"]
    assert rows["PRK|supply|RUS|artillery shell"]["n_independent_sources"] == 1
    assert rows["PRK|supply|RUS|artillery shell"]["source_sentences"] == ["b:0"]
