"""The trained-model path: a tiny NER trained here; its entities are merged with ours (ours win)."""

from __future__ import annotations

import random

import spacy
from spacy.training import Example

from tasks.nlp import build_nlp

SENTENCES = [
    ("Zorblax met officials in Russia about the Quasar phone.", [("Zorblax", "PERSON"), ("Russia", "ORG"), ("Quasar", "PRODUCT")]),
    ("Zorblax bought a Quasar in Russia.", [("Zorblax", "PERSON"), ("Quasar", "PRODUCT"), ("Russia", "ORG")]),
    ("The Quasar sold well, Zorblax said.", [("Quasar", "PRODUCT"), ("Zorblax", "PERSON")]),
    ("Officials in Russia praised Zorblax.", [("Russia", "ORG"), ("Zorblax", "PERSON")]),
]
TEXTS = [(t, [(t.index(w), t.index(w) + len(w), label) for w, label in spans]) for t, spans in SENTENCES]


def _train(path) -> None:
    random.seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for _, spans in TEXTS:
        for _, _, label in spans:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": s}) for t, s in TEXTS]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    nlp.to_disk(path)


def test_trained_pipeline_entities_are_merged(tmp_path):
    _train(tmp_path / "tiny")
    nlp = build_nlp(str(tmp_path / "tiny"))
    assert nlp.pipe_names[0] == "dossier_sentences" and "ner" in nlp.pipe_names
    doc = nlp(TEXTS[0][0])
    rows = {m["start"]: m for m in doc.user_data["dossier"]["mentions"]}
    # ours win: the model's (wrong) ORG for Russia is our GPE RUS
    text = TEXTS[0][0]
    russia, quasar = text.index("Russia"), text.index("Quasar")
    assert rows[russia]["label"] == "GPE" and rows[russia]["id"] == "RUS" and rows[russia]["source"] == "gazetteer"
    # an entity we did not find, and a label we do not produce, come from the model
    assert rows[0]["label"] == "PERSON" and rows[0]["id"] == "PERSON:zorblax" and rows[0]["source"] == "model"
    assert rows[quasar]["label"] == "PRODUCT" and rows[quasar]["id"] == "PRODUCT:quasar" and rows[quasar]["source"] == "model"
    assert build_nlp(str(tmp_path / "tiny")) is nlp  # cached per process and model
