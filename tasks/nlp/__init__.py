"""dossier's NLP layer: a spaCy pipeline of rule and gazetteer components.

``build_nlp()`` returns the pipeline (built once per process and model); ``doc_rows(doc, doc_id)``
turns a processed Doc into rows of the mentions, quantities, claims and quotes tables. Nothing here
knows about Prefect, files or Parquet. Rules and word lists are the JSON files under ``data/``.
"""

from __future__ import annotations

import logging
import signal
import threading
from functools import lru_cache

import spacy
from spacy.language import Language

from .claims import ClaimFinder
from .entities import EntityRecognizer
from .parse import MODEL_NAME, model_path
from .quantities import QuantityFinder
from .quotes import QuoteFinder
from .records import doc_rows
from .resources import load_data
from .state import sentence_splitter_component

__all__ = ["build_nlp", "doc_rows", "COMPONENTS"]

COMPONENTS = ("dossier_entities", "dossier_quantities", "dossier_quotes", "dossier_claims")
# with our own trained parser, the parse runs after the cheap components, on the sentences they pick
SELECTIVE_PARSE_AFTER = "dossier_entities"
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


# The longest one of our components may spend on one document. Rules on a parse can meet a shape
# nobody foresaw, and a loop that never ends on one article would stall the whole run; past this
# the component raises, the document is skipped (``skip_failed_doc``) and counted ``extract_failed``.
# The longest real article here takes well under a second.
COMPONENT_TIME_LIMIT_SECONDS = 60.0


class ComponentTimeout(RuntimeError):
    pass


class TimeLimited:
    """A component run under ``COMPONENT_TIME_LIMIT_SECONDS`` a document. The clock is the process's
    real-time interval timer, which only the main thread may set: extraction workers run components
    there; elsewhere (a pipeline called from a thread) the component runs unlimited."""

    def __init__(self, component, limit: float = COMPONENT_TIME_LIMIT_SECONDS):
        self.component, self.limit, self.name = component, limit, getattr(component, "name", "")

    def __getattr__(self, attr):
        return getattr(self.component, attr)

    def _expired(self, *_):
        raise ComponentTimeout(f"{self.name} took more than {self.limit:g} s on one document")

    def __call__(self, doc):
        if self.limit <= 0 or threading.current_thread() is not threading.main_thread():
            return self.component(doc)
        outer, _ = signal.getitimer(signal.ITIMER_REAL)
        if 0 < outer <= self.limit:
            return self.component(doc)  # a caller's own, shorter clock is running: leave it be
        previous = signal.signal(signal.SIGALRM, self._expired)
        signal.setitimer(signal.ITIMER_REAL, self.limit)
        try:
            return self.component(doc)
        finally:
            left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if outer > 0:  # give the caller's clock back what remains of it
                signal.setitimer(signal.ITIMER_REAL, max(1e-3, outer - (self.limit - left)))


@Language.factory("dossier_entities")
def make_entities(nlp: Language, name: str) -> TimeLimited:
    return TimeLimited(EntityRecognizer(nlp, name))


@Language.factory("dossier_quantities")
def make_quantities(nlp: Language, name: str) -> TimeLimited:
    return TimeLimited(QuantityFinder(nlp, name))


@Language.factory("dossier_quotes")
def make_quotes(nlp: Language, name: str) -> TimeLimited:
    return TimeLimited(QuoteFinder(nlp, name))


@Language.factory("dossier_claims")
def make_claims(nlp: Language, name: str) -> TimeLimited:
    return TimeLimited(ClaimFinder(nlp, name))


@lru_cache(maxsize=None)
def build_nlp(model: str = MODEL_NAME) -> Language:
    """The pipeline for an ``nlp_model`` setting:

    - ``dossier`` (the default): spacy.blank('en') + our components, with dossier's trained tagger
      and parser (``models/en_dossier_parser``) run on the sentences that can hold a claim or a quote;
    - ``blank``: spacy.blank('en') + our rule and gazetteer components, no parse;
    - any other name or path: that trained spaCy pipeline over every sentence, our components after
      it; its entities are merged with ours (ours win).
    """
    if not isinstance(model, str) or not model:
        raise ValueError(f"nlp model must be 'dossier', 'blank' or the name/path of a spaCy pipeline, got {model!r}")
    if model in ("blank", MODEL_NAME):
        nlp = spacy.blank("en")
    else:
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            raise ValueError(
                f"cannot load spaCy pipeline {model!r}: install it or pass 'blank' ({exc})"
            ) from exc
    _split_number_ranges(nlp)
    if not any(name in nlp.pipe_names for name in SENTENCE_COMPONENTS):
        nlp.add_pipe("dossier_sentences", first=True)
    for name in COMPONENTS:
        nlp.add_pipe(name, last=True)
    if model == MODEL_NAME:
        nlp.add_pipe("dossier_parse", after=SELECTIVE_PARSE_AFTER, config={"model": str(model_path(model))})
    # our components are plain callables: nlp.pipe calls this handler when one raises (trained
    # components keep their own handling)
    nlp.default_error_handler = skip_failed_doc
    return nlp


# an en or em dash between two digits joins a range ('14,000–15,000 troops'): a token of its own, as
# spaCy's English rules already make of a hyphen there; so does a dash before a currency sign and the
# sign itself ('$10–$11 billion')
NUMBER_RANGE_DASH = r"(?<=[0-9])[\u2013\u2014](?=[0-9])"
CURRENCY_RANGE_DASH = r"(?<=[0-9])[\u2013\u2014-](?=[$\u20ac\u00a3\u20a9][0-9])"
CURRENCY_AFTER_DASH = r"(?<=[0-9][\u2013\u2014-])[$\u20ac\u00a3\u20a9](?=[0-9])"


def _split_number_ranges(nlp: Language) -> None:
    infixes = list(nlp.Defaults.infixes or []) + [NUMBER_RANGE_DASH, CURRENCY_RANGE_DASH, CURRENCY_AFTER_DASH]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def skip_failed_doc(proc_name: str, proc, docs, error: Exception) -> None:
    """``nlp.pipe``'s error handler: a document a component fails on is left out of the output (the
    extract step counts it as ``extract_failed``) instead of stopping the whole stream."""
    logging.getLogger("dossier.extract").warning(
        "component %s failed on a document (%s: %s); the document is skipped",
        proc_name, type(error).__name__, error,
    )
