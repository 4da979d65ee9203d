"""Reading a dependency parse in either label set: Universal Dependencies (dossier's parser) or
ClearNLP (spaCy's English pipelines), mapped once in ``data/dependencies.json``.

Code that reads the parse asks ``relation(token)`` ("object", "agent", "preposition" ...) instead of
comparing labels, and ``prepositional_phrases(token)`` for the (preposition, noun) pairs a word
governs, whichever of the two shapes the parser produced.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from spacy.tokens import Token

from .resources import load_data


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    data = load_data("dependencies")
    table: dict[str, str] = {}
    for relation, labels in data["relations"].items():
        for label in labels:
            if label in table:
                raise ValueError(f"dependencies.json: label {label!r} is mapped twice ({table[label]}, {relation})")
            table[label] = relation
    return table


@lru_cache(maxsize=1)
def negation_words() -> frozenset[str]:
    return frozenset(load_data("dependencies")["negation_words"])


def relation(token: Token) -> str | None:
    """The relation of ``token`` to its head, as one of the names in dependencies.json; None for a
    label the table does not know (or a token that was not parsed)."""
    return _labels().get(token.dep_)


def children(token: Token, *relations: str) -> list[Token]:
    return [c for c in token.children if relation(c) in relations]


def prepositional_phrases(token: Token) -> Iterator[tuple[str, Token]]:
    """(preposition in lower case, its noun) for every prepositional phrase ``token`` governs: UD's
    obl/nmod/agent noun with its ``case`` child, or ClearNLP's prep with its ``pobj``."""
    for child in token.children:
        rel = relation(child)
        if rel in ("oblique", "noun_modifier", "agent"):
            case = children(child, "case")
            if len(case) > 1:
                # the preposition opens the phrase: 'at Komsomolsk-on-Amur' is 'at', not 'at on'
                first = min(t.i for t in child.subtree if t not in case and relation(t) not in ("case", "punctuation"))
                case = [c for c in case if c.i < first] or case
            if case:
                yield " ".join(c.lower_ for c in case), child
            elif rel == "agent":  # ClearNLP's agent is the word "by" itself
                for noun in children(child, "preposition_object"):
                    yield child.lower_, noun
        elif rel == "preposition":
            for noun in children(child, "preposition_object"):
                yield child.lower_, noun


def is_negated(token: Token) -> bool:
    """A negation word attached to ``token`` (ClearNLP's neg, UD's advmod 'not')."""
    return any(relation(c) == "negation" or (relation(c) == "adverb_modifier" and c.lower_ in negation_words())
               for c in token.children)


def is_passive(token: Token) -> bool:
    """A verb with a passive subject or a passive auxiliary."""
    return any(relation(c) in ("passive_subject", "passive_auxiliary") for c in token.children)
