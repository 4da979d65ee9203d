"""dossier's trained tagger and parser: the committed model, the selective parse, both label sets."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import Doc

from tasks.nlp import build_nlp
from tasks.nlp.parse import MODEL_DIR, is_parsed, needs_parse, trigger_words, write_parse
from tasks.nlp.syntax import is_negated, is_passive, prepositional_phrases, relation

# sentences from real articles (../shared/corpora/real/bbc_repost, BBC copy)
CONFIRMED = "North Korea has for the first time confirmed that it sent troops to fight for Russia against Ukraine."
NO_CLAIM = "The weather in the region was mild for the time of year."


@pytest.fixture(scope="module")
def nlp():
    return build_nlp("dossier")


def test_the_committed_model_is_a_tagger_and_parser_with_its_record():
    meta = json.loads((MODEL_DIR / "meta.json").read_text())
    assert {"tok2vec", "tagger", "parser"} <= set(meta["pipeline"])
    assert {s["license"] for s in meta["sources"]} == {"CC BY-SA 4.0", "CC BY 4.0"}
    scores = meta["performance"]["test_sets"]
    assert set(scores) == {"ewt_test", "gum_news_test", "ewt_test_sentences", "gum_news_test_sentences"}
    assert all(0 < s["dep_las"] <= 1 and 0 < s["tag_acc"] <= 1 for s in scores.values())
    assert (MODEL_DIR / "README.md").read_text().count("LAS") >= 1


def test_a_claim_sentence_is_parsed_with_ud_labels(nlp):
    doc = nlp(CONFIRMED)
    sent = next(doc.sents)
    assert is_parsed(sent)
    sent_verb = next(t for t in doc if t.text == "sent")
    assert sent_verb.tag_.startswith("VB") and sent_verb.pos_ == "VERB"
    assert relation(next(t for t in doc if t.text == "troops")) == "object"
    assert next(t for t in doc if t.text == "troops").head == sent_verb
    assert {t.dep_ for t in doc} <= set(nlp.get_pipe("dossier_parse").parser.get_pipe("parser").labels) | {"ROOT"}


def test_only_the_sentences_that_can_hold_a_claim_or_a_quote_are_parsed(nlp):
    # BBC copy: quoted words inside a sentence need the parse, a quote followed by its attribution
    # does not (the word rules read it)
    inside = 'Pyongyang\'s military claimed its soldiers helped Russian forces "completely liberate" the border region.'
    quote_first = '"They who fought for justice are all heroes," the leader said.'
    doc = nlp(" ".join([NO_CLAIM, CONFIRMED, inside, quote_first]))
    sents = list(doc.sents)
    parsed = [is_parsed(s) for s in sents]
    assert parsed == [False, True, True, False], [(s.text, p) for s, p in zip(sents, parsed)]
    assert all(t.dep_ == "" for t in sents[0])  # an unparsed sentence claims no parse
    assert not needs_parse(sents[0], trigger_words())


def test_the_paragraph_break_after_a_sentence_is_no_word_of_its_parse(nlp):
    # RUSI copy: with the paragraph break parsed as a word, the parser made it the sentence's root
    # and hung 'become' on it as punctuation
    text = ("Instead, it has become one of the top buyers of Russian crude oil and one of Russia's key "
            "suppliers of the restricted dual-use goods.\n\nAnkara has provided diplomatic support to Kyiv.")
    doc = nlp(text)
    first = next(doc.sents)
    assert is_parsed(first)
    become = next(t for t in doc if t.text == "become")
    assert relation(become) == "root" and become.head == become
    space = next(t for t in doc if t.is_space)
    assert space.head.i < space.i and space.dep_ == "dep" and space.tag_ == "_SP" and not list(space.children)
    assert sum(1 for t in first if relation(t) == "root") == 1


def test_sentence_boundaries_come_from_the_parser_where_it_runs():
    # the rule splitter sees one sentence (no final stop before "Moscow"); the parse of it has two
    # roots, so the parsed stretch becomes two sentences and the unparsed one keeps its boundary
    blank = build_nlp("blank")
    doc = blank.make_doc("Pyongyang sent troops Moscow paid them. It rained.")
    doc = blank.get_pipe("dossier_sentences")(doc)
    first, second = list(doc.sents)
    parsed = Doc(doc.vocab, words=[t.text for t in first], spaces=[bool(t.whitespace_) for t in first],
                 heads=[1, 1, 1, 4, 4, 4, 4], deps=["nsubj", "ROOT", "obj", "nsubj", "ROOT", "obj", "punct"])
    write_parse(doc, [(first, parsed)])
    assert [s.text for s in doc.sents] == ["Pyongyang sent troops", "Moscow paid them.", "It rained."]
    assert doc[1].dep_ == "ROOT" and doc[0].head == doc[1] and all(t.dep_ == "" for t in doc[7:])


def test_blank_has_no_parse_and_any_installed_pipeline_parses_every_sentence():
    blank = build_nlp("blank")
    assert "dossier_parse" not in blank.pipe_names
    assert all(t.dep_ == "" for t in blank(CONFIRMED))
    full = build_nlp(str(MODEL_DIR))  # a trained pipeline given by path, as an installed one would be
    doc = full(" ".join([NO_CLAIM, CONFIRMED]))
    assert all(is_parsed(s) for s in doc.sents)
    assert [c for c in full.pipe_names if c.startswith("dossier_")][-1] == "dossier_claims"


def test_extraction_gives_the_same_rows_with_the_parse_as_the_rules_alone_on_a_simple_sentence():
    from tasks.extract import extract_articles
    from tasks.params import ExtractParams

    article = [{"doc_id": "d", "text": CONFIRMED, "published": None, "language": "en"}]
    with_parse = extract_articles(article, ExtractParams(nlp_model="dossier"))
    rules_only = extract_articles(article, ExtractParams(nlp_model="blank"))
    key = lambda rows: sorted((c["subject_id"], c["predicate"], c["object_id"], c["item"]) for c in rows["claims"])  # noqa: E731
    assert key(with_parse) == key(rules_only) == [("PRK", "deploy", "RUS", "troop")]


# --- both label sets, read through one table --------------------------------------------------------


def _doc(words, heads, deps):
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)


WORDS = ["Weapons", "were", "sent", "by", "Pyongyang", "to", "Moscow"]


def test_ud_and_clearnlp_shapes_read_the_same():
    # UD: obl:agent and obl nouns with case children
    ud = _doc(WORDS, [2, 2, 2, 4, 2, 6, 2], ["nsubj:pass", "aux:pass", "ROOT", "case", "obl:agent", "case", "obl"])
    # ClearNLP: agent and prep words with pobj children
    clear = _doc(WORDS, [2, 2, 2, 2, 3, 2, 5], ["nsubjpass", "auxpass", "ROOT", "agent", "pobj", "prep", "pobj"])
    for doc in (ud, clear):
        verb = doc[2]
        assert relation(doc[0]) == "passive_subject" and is_passive(verb)
        assert [(p, n.text) for p, n in prepositional_phrases(verb)] == [("by", "Pyongyang"), ("to", "Moscow")]


def test_negation_in_both_label_sets():
    words = ["Russia", "did", "not", "send", "troops"]
    ud = _doc(words, [3, 3, 3, 3, 3], ["nsubj", "aux", "advmod", "ROOT", "obj"])
    clear = _doc(words, [3, 3, 3, 3, 3], ["nsubj", "aux", "neg", "ROOT", "dobj"])
    for doc in (ud, clear):
        assert is_negated(doc[3]) and relation(doc[4]) == "object"


def test_a_phrasal_trigger_needs_all_its_words_and_a_lone_first_word_is_no_candidate(nlp):
    # RUSI: 'made' begins the phrasal trigger 'made a visit' but says nothing alone
    doc = nlp("Russia has also made substantial improvements to the construction of systems.")
    assert not is_parsed(next(doc.sents))
    triggers = trigger_words()
    assert triggers.found_in("kim paid a visit to the plant".split())
    assert not triggers.found_in("kim paid the price".split())


def test_the_compiled_pos_rules_give_what_the_models_attribute_ruler_gives(nlp):
    # the selective parse maps tags (and labels) to UPOS with the ruler's rules as arrays; the model
    # run whole, ruler included, must agree token for token
    full = spacy.load(MODEL_DIR)
    text = ("North Korea has for the first time confirmed that it sent troops to fight for Russia against Ukraine. "
            'Pyongyang\'s military claimed its soldiers helped Russian forces "completely liberate" the border region. '
            "Russia has likely begun shipping North Korean munitions.")  # CSIS
    ours = [(t.text, t.pos_) for t in nlp(text) if t.dep_]
    theirs = [(t.text, t.pos_) for t in full(text)]
    assert ours == theirs
    assert {"AUX", "SCONJ", "VERB", "PROPN"} <= {p for _, p in ours}
