"""dossier's NLP layer: a spaCy pipeline of rule and gazetteer components.

``build_nlp()`` returns the pipeline (built once per process and model); ``doc_rows(doc, doc_id)``
turns a processed Doc into rows of the mentions, quantities, claims and quotes tables. Nothing here
knows about Prefect, files or Parquet. Rules and word lists are the JSON files under ``data/``.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language

from .claims import ClaimFinder
from .entities import EntityRecognizer
from .quantities import QuantityFinder
from .quotes import QuoteFinder
from .records import doc_rows
from .resources import load_data
from .state import sentence_splitter_component

__all__ = ["build_nlp", "doc_rows", "COMPONENTS"]

COMPONENTS = ("dossier_entities", "dossier_quantities", "dossier_quotes", "dossier_claims")
SENTENCE_COMPONENTS = ("parser", "senter", "sentencizer", "dossier_sentences")


class SentenceSplitter:
    """Rule-based sentence boundaries (line breaks, terminal punctuation, abbreviations)."""

    def __init__(self, nlp=None, name: str = "dossier_sentences"):
        self.name = name
        self.starters = frozenset(load_data("sentences")["starters"])

    def __call__(self, doc):
        return sentence_splitter_component(doc, self.starters)


@Language.factory("dossier_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp, name)


@Language.factory("dossier_entities")
def make_entities(nlp: Language, name: str) -> EntityRecognizer:
    return EntityRecognizer(nlp, name)


@Language.factory("dossier_quantities")
def make_quantities(nlp: Language, name: str) -> QuantityFinder:
    return QuantityFinder(nlp, name)


@Language.factory("dossier_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteFinder:
    return QuoteFinder(nlp, name)


@Language.factory("dossier_claims")
def make_claims(nlp: Language, name: str) -> ClaimFinder:
    return ClaimFinder(nlp, name)


@lru_cache(maxsize=None)
def build_nlp(model: str = "blank") -> Language:
    """The pipeline: 'blank' is spacy.blank('en') + our components; otherwise a trained pipeline
    (name or path) with our components after it. Its entities are merged with ours (ours win)."""
    if not isinstance(model, str) or not model:
        raise ValueError(f"nlp model must be 'blank' or the name/path of a spaCy pipeline, got {model!r}")
    if model == "blank":
        nlp = spacy.blank("en")
    else:
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            raise ValueError(
                f"cannot load spaCy pipeline {model!r}: install it or pass 'blank' ({exc})"
            ) from exc
    if not any(name in nlp.pipe_names for name in SENTENCE_COMPONENTS):
        nlp.add_pipe("dossier_sentences", first=True)
    for name in COMPONENTS:
        nlp.add_pipe(name, last=True)
    # our components are plain callables: nlp.pipe calls this handler when one raises (trained
    # components keep their own handling)
    nlp.default_error_handler = skip_failed_doc
    return nlp


def skip_failed_doc(proc_name: str, proc, docs, error: Exception) -> None:
    """``nlp.pipe``'s error handler: a document a component fails on is left out of the output (the
    extract step counts it as ``extract_failed``) instead of stopping the whole stream."""
    logging.getLogger("dossier.extract").warning(
        "component %s failed on a document (%s: %s); the document is skipped",
        proc_name, type(error).__name__, error,
    )
