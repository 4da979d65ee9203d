"""Extraction of a batch of articles, in this process, in a worker process or in a Dask task.

Imports the NLP layer only (no Prefect, no Great Expectations), so a worker process starts quickly
and stays small. A worker returns rows, never spaCy ``Doc`` objects, and with them each article's
entry for the content cache already serialised, so the process that writes the tables does little
more than write.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable

import pyarrow as pa

from tasks.nlp import build_nlp
from tasks.nlp.records import doc_rows
from tasks.schemas import TABLES as SCHEMAS

PLACEHOLDER = "{doc}"  # stands for the doc_id in cached rows: copies of one text share an entry
EXTRACT_TABLES = ("mentions", "quantities", "claims", "quotes")
_DATE_COLUMNS = {
    name: frozenset(f.name for f in SCHEMAS[name].schema if f.type == pa.date32()) for name in EXTRACT_TABLES
}

# One article's outcome: its doc_id, its rows (None when the NLP failed on it) and its cache entry.
Outcome = tuple[str, "dict[str, list[dict]] | None", "str | None"]


def detach(rows: dict[str, list[dict]], doc_id: str) -> dict[str, list[dict]]:
    """Rows of one article with its doc_id replaced by a placeholder, for the content cache."""
    prefix = f"{doc_id}:"

    def swap(value):
        if value == doc_id:
            return PLACEHOLDER
        if isinstance(value, str) and value.startswith(prefix):
            return PLACEHOLDER + value[len(doc_id):]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return {name: [{k: swap(v) for k, v in row.items()} for row in table] for name, table in rows.items()}


def attach(payload: dict[str, list[dict]], doc_id: str) -> dict[str, list[dict]]:
    """The inverse of ``detach`` for the article ``doc_id``."""
    out: dict[str, list[dict]] = {}
    for name, table in payload.items():
        dates = _DATE_COLUMNS[name]

        def swap(key, value):
            if isinstance(value, str):
                if value.startswith(PLACEHOLDER):
                    return doc_id + value[len(PLACEHOLDER):]
                if key in dates:
                    return dt.date.fromisoformat(value)
            return value

        out[name] = [{k: swap(k, v) for k, v in row.items()} for row in table]
    return out


def cache_entry(rows: dict[str, list[dict]], doc_id: str) -> str:
    return json.dumps(detach(rows, doc_id), sort_keys=True, default=str)


def rows_or_none(doc, doc_id: str) -> dict[str, list[dict]] | None:
    """The rows of one processed Doc; None (logged) if building them fails."""
    try:
        return doc_rows(doc, doc_id)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the others
        logging.getLogger("dossier.extract").warning(
            "extraction failed on %s (%s: %s)", doc_id, type(exc).__name__, exc
        )
        return None


def pipe_rows(nlp, articles: Iterable[dict], batch_size: int, n_process: int = 1):
    """(doc_id, rows or None) for each article (``doc_id``, ``text``, ``published``) that came out of
    ``nlp.pipe``; an article a component failed on does not come out (see ``skip_failed_doc``). The
    publication date travels as the Doc's context: relative dates are resolved against it."""
    items = ((a["text"], {"doc_id": a["doc_id"], "published": a.get("published")}) for a in articles)
    for doc, context in nlp.pipe(items, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield context["doc_id"], rows_or_none(doc, context["doc_id"])


def extract_batch(articles: list[dict], model: str, batch_size: int) -> list[Outcome]:
    """One outcome per article (dicts with ``doc_id``, ``text`` and ``published``), in order."""
    nlp = build_nlp(model)
    done = dict(pipe_rows(nlp, articles, batch_size))
    out: list[Outcome] = []
    for article in articles:
        doc_id = article["doc_id"]
        rows = done.get(doc_id)
        out.append((doc_id, rows, None if rows is None else cache_entry(rows, doc_id)))
    return out


def start_worker(model: str) -> None:
    """Process-pool initializer: load the pipeline once per worker."""
    build_nlp(model)
