"""Extract step: articles -> mentions, quantities, claims and quotes (pure; the NLP lives in tasks/nlp)."""

from __future__ import annotations

from collections.abc import Iterable

from tasks.nlp import build_nlp, doc_rows
from tasks.params import ExtractParams

TABLES = ("mentions", "quantities", "claims", "quotes")


def extract_articles(articles: Iterable[dict], params: ExtractParams) -> dict[str, list[dict]]:
    """articles: dicts with doc_id (str), text (str), published (datetime.date | None), language (str).

    Returns {"mentions": [...], "quantities": [...], "claims": [...], "quotes": [...]}, each a list of
    row dicts keyed by the columns of that table in tasks/schemas.py. Articles whose language is not
    'en' are skipped. Pure: no I/O; the inputs are not modified.
    """
    nlp = build_nlp(params.nlp_model)
    out: dict[str, list[dict]] = {name: [] for name in TABLES}

    def stream():
        for article in articles:
            if (article.get("language") or "").lower() != "en":
                continue
            ctx = {"doc_id": article["doc_id"], "published": article.get("published")}
            yield article["text"], ctx

    docs = nlp.pipe(stream(), as_tuples=True, batch_size=params.batch_size, n_process=params.n_process)
    for doc, ctx in docs:
        rows = doc_rows(doc, ctx["doc_id"])
        for name in TABLES:
            out[name].extend(rows[name])
    return out


# --- Prefect task below ---

from datetime import date as _date  # noqa: E402

import pyarrow as pa  # noqa: E402
from prefect import get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from tasks.cache import DocumentCache, make_key, nlp_fingerprint  # noqa: E402
from tasks.schemas import TABLES as SCHEMAS  # noqa: E402
from tasks.schemas import to_arrow  # noqa: E402
from tasks.step import StepReport, input_hashes, publish_checked, run_step  # noqa: E402
from tasks.store import RunStore  # noqa: E402

_PLACEHOLDER = "{doc}"


def _document_key(article: dict, params: ExtractParams) -> str:
    """What one article's extraction depends on; batch size and processes change nothing."""
    return make_key(
        "extract", nlp_fingerprint(), params.nlp_model, article["text_sha256"],
        article.get("published"), article.get("language"),
    )


def _detach(rows: dict[str, list[dict]], doc_id: str) -> dict[str, list[dict]]:
    """Rows of one article with its doc_id replaced by a placeholder, for the content cache."""
    prefix = f"{doc_id}:"

    def swap(value):
        if value == doc_id:
            return _PLACEHOLDER
        if isinstance(value, str) and value.startswith(prefix):
            return _PLACEHOLDER + value[len(doc_id):]
        if isinstance(value, _date):
            return value.isoformat()
        return value

    return {name: [{k: swap(v) for k, v in row.items()} for row in table] for name, table in rows.items()}


def _attach(payload: dict[str, list[dict]], doc_id: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for name, table in payload.items():
        dates = {f.name for f in SCHEMAS[name].schema if f.type == pa.date32()}

        def swap(key, value):
            if isinstance(value, str):
                if value.startswith(_PLACEHOLDER):
                    return doc_id + value[len(_PLACEHOLDER):]
                if key in dates:
                    return _date.fromisoformat(value)
            return value

        out[name] = [{k: swap(k, v) for k, v in row.items()} for row in table]
    return out


def _dask_client():
    """A client to the Dask cluster this task runs on, or None outside Dask."""
    try:
        from distributed import get_worker, worker_client
    except ImportError:
        return None
    try:
        get_worker()
    except ValueError:
        return None
    return worker_client()  # secedes from the worker's thread pool while it waits


def _run_nlp(articles: list[dict], params: ExtractParams) -> tuple[dict[str, list[dict]], int]:
    """Run spaCy here, or map it in batches over the Dask cluster when the task runs on one.

    Returns the rows and the number of Dask tasks used (0 when run here)."""
    client_context = _dask_client()
    if client_context is None:
        return extract_articles(articles, params), 0
    size = params.dask_batch_docs
    batches = [articles[i : i + size] for i in range(0, len(articles), size)]
    worker_params = params.model_copy(update={"n_process": 1})  # worker processes are daemons
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    with client_context as client:
        futures = client.map(extract_articles, batches, params=worker_params, pure=False)
        for result in client.gather(futures):
            for name in TABLES:
                out[name].extend(result[name])
    return out, len(batches)


def extract_with_cache(articles: list[dict], params: ExtractParams, cache: DocumentCache) -> tuple[dict[str, list[dict]], int, int]:
    """Extraction rows for every article, running spaCy only on articles the cache has not seen.

    Returns the rows, the number of articles that went through the NLP pipeline and the number of
    Dask tasks that carried them (0 outside Dask).
    """
    english = [a for a in articles if (a.get("language") or "").lower() == "en"]
    keys = {a["doc_id"]: _document_key(a, params) for a in english}
    cached = cache.get_many(keys.values())
    todo = [a for a in english if keys[a["doc_id"]] not in cached]
    fresh, n_batches = _run_nlp(todo, params) if todo else ({name: [] for name in TABLES}, 0)
    by_doc: dict[str, dict[str, list[dict]]] = {a["doc_id"]: {name: [] for name in TABLES} for a in todo}
    for name in TABLES:
        for row in fresh[name]:
            by_doc[row["doc_id"]][name].append(row)
    cache.put_many({keys[doc_id]: _detach(rows, doc_id) for doc_id, rows in by_doc.items()})
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for article in english:
        doc_id = article["doc_id"]
        rows = by_doc.get(doc_id) or _attach(cached[keys[doc_id]], doc_id)
        for name in TABLES:
            out[name].extend(rows[name])
    return out, len(todo), n_batches


@task(name="extract", task_run_name="extract-{store.run_id}", cache_policy=NO_CACHE)
def extract(store: RunStore, params: ExtractParams) -> StepReport:
    """``articles`` -> ``mentions``, ``quantities``, ``claims``, ``quotes``."""
    logger = get_run_logger()

    def compute(report: StepReport) -> StepReport:
        articles = store.read("articles").select(
            ["doc_id", "text", "published", "language", "n_words", "text_sha256"]
        ).to_pylist()
        cache = DocumentCache(store.location.local_cache_dir())
        try:
            rows, processed, n_batches = extract_with_cache(articles, params, cache)
        finally:
            cache.close()
        english = sum((a["language"] or "") == "en" for a in articles)
        report.rows_in = len(articles)
        report.rows_out = english
        report.rejects = {"extract_not_english": len(articles) - english} if len(articles) > english else {}
        report.details.update(
            documents_processed=processed, documents_from_cache=english - processed, dask_tasks=n_batches
        )
        max_rows = sum(a["n_words"] for a in articles)
        return publish_checked(
            store,
            report,
            {name: to_arrow(SCHEMAS[name], rows[name]) for name in TABLES},
            {name: {"max_rows": max_rows} for name in TABLES},
            texts={a["doc_id"]: a["text"] for a in articles},
        )

    report = run_step(store, "extract", params.model_dump(exclude={"batch_size", "n_process", "dask_batch_docs"}),
                      input_hashes(store, ["articles"]), compute)
    logger.info("extract: %s%s", {t: i["rows"] for t, i in report.tables.items()}, " (reused)" if report.cached else "")
    return report
