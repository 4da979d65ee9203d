"""Shared helpers for the NLP tests (no tests here): run the blank pipeline over tiny inline texts."""

from __future__ import annotations

import datetime as dt

from tasks.extract import extract_articles
from tasks.params import ExtractParams

PUBLISHED = dt.date(2024, 12, 2)


def run(text: str, published: dt.date | None = PUBLISHED, doc_id: str = "t") -> dict[str, list[dict]]:
    return extract_articles(
        [{"doc_id": doc_id, "text": text, "published": published, "language": "en"}], ExtractParams()
    )


def ents(text: str, **kw) -> list[tuple[str, str, str]]:
    return [(m["text"], m["label"], m["entity_id"]) for m in run(text, **kw)["mentions"]]


def claims(text: str, **kw) -> list[tuple]:
    return [
        (c["subject_id"], c["predicate"], c["object_id"], c["item"], c["value"], c["qualifier"], c["attributed_to"], c["modality"])
        for c in run(text, **kw)["claims"]
    ]
