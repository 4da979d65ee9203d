"""Extract step: articles -> mentions, quantities, claims and quotes (the NLP lives in tasks/nlp).

The step streams: articles are read from ``articles.parquet`` a chunk at a time, in key order; each
English article's rows come from the content cache or from the NLP, in order; rows are written every
``FLUSH_DOCS`` articles. The NLP runs in this process (one process), in a pool of worker processes
on this machine (``n_process`` > 1; workers return rows, not spaCy Docs), or on the Dask cluster the
flow runs on. Memory holds a bounded number of chunks, never the corpus.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator

from tasks.nlp import build_nlp
from tasks.nlp.worker import EXTRACT_TABLES as TABLES
from tasks.nlp.worker import attach, cache_entry, extract_batch, pipe_rows, start_worker
from tasks.params import ExtractParams

FAILED = "failed"  # extract_articles' list of the articles the NLP failed on


def _english(batch: Iterable[dict]) -> list[dict]:
    return [a for a in batch if (a.get("language") or "").lower() == "en"]


def extract_articles(articles: Iterable[dict], params: ExtractParams) -> dict[str, list[dict]]:
    """articles: dicts with doc_id (str), text (str), published (datetime.date | None), language (str).

    Returns {"mentions": [...], "quantities": [...], "claims": [...], "quotes": [...]}, each a list of
    row dicts keyed by the columns of that table in tasks/schemas.py, and "failed": the doc_ids of
    articles the NLP failed on (they have no rows). Articles whose language is not 'en' are skipped.
    Pure: no I/O; the inputs are not modified. Runs in this process (``nlp.pipe`` with
    ``params.n_process``); the step itself streams (see ``extract``).
    """
    english = _english(articles)
    nlp = build_nlp(params.nlp_model)
    done = dict(pipe_rows(nlp, english, params.batch_size, params.n_process or 1))
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for article in english:
        rows = done.get(article["doc_id"])
        for name in TABLES:
            out[name].extend(rows[name] if rows else [])
    out[FAILED] = [a["doc_id"] for a in english if done.get(a["doc_id"]) is None]
    return out


def auto_processes(params: ExtractParams, n_todo: int) -> int:
    """Processes for the NLP: the parameter when set, else the cores available, but one when fewer
    than ``params.min_docs_per_process`` articles per process need the NLP (starting a process and
    loading the pipeline would cost more than it saves)."""
    if params.n_process is not None:
        return params.n_process
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, n_todo // params.min_docs_per_process))


# --- streaming -----------------------------------------------------------------------------------

# One article out of the stream: doc_id, cache key, rows (None when the NLP failed on it), whether
# the NLP ran on it now, and its cache entry when a worker made it already.
Extracted = tuple[str, str, "dict[str, list[dict]] | None", bool, "str | None"]
Submit = Callable[[list[dict]], list]  # uncached articles -> futures of lists of worker outcomes


def stream_in_process(batches: Iterable[list[dict]], params: ExtractParams, cache, key_of) -> Iterator[Extracted]:
    """Every English article of ``batches``, in order, from the cache or from one ``nlp.pipe`` over
    the whole stream, in this process. ``batches`` are read as the pipe asks for texts."""
    nlp = build_nlp(params.nlp_model)
    queue: deque = deque()  # (doc_id, key, cached payload or None), in input order

    def texts():
        for batch in batches:
            english = _english(batch)
            keys = [key_of(a) for a in english]
            cached = cache.get_many(keys)
            for article, key in zip(english, keys):
                queue.append((article["doc_id"], key, cached.get(key)))
                if key not in cached:
                    yield article

    def until(doc_id: str | None) -> Iterator[Extracted]:
        """Queued articles before ``doc_id`` (all when None): cached ones, or ones the pipe left
        out because a component failed on them."""
        while queue and queue[0][0] != doc_id:
            queued_id, key, payload = queue.popleft()
            rows = None if payload is None else attach(payload, queued_id)
            yield queued_id, key, rows, payload is None, None

    for doc_id, rows in pipe_rows(nlp, texts(), params.batch_size):
        yield from until(doc_id)
        _, key, _ = queue.popleft()
        yield doc_id, key, rows, True, None
    yield from until(None)


def stream_submitted(batches: Iterable[list[dict]], cache, key_of, submit: Submit, window: int) -> Iterator[Extracted]:
    """Every English article of ``batches``, in order: cached ones from the cache, the others from
    futures made by ``submit`` (worker processes, Dask tasks). At most ``window`` batches are in
    flight, so memory holds a few batches whatever the corpus."""
    in_flight: deque = deque()

    def finish(entry) -> Iterator[Extracted]:
        english, keys, cached, futures = entry
        fresh = {doc_id: (rows, payload) for future in futures for doc_id, rows, payload in future.result()}
        for article, key in zip(english, keys):
            doc_id = article["doc_id"]
            if key in cached:
                yield doc_id, key, attach(cached[key], doc_id), False, None
            else:
                rows, payload = fresh[doc_id]
                yield doc_id, key, rows, True, payload

    for batch in batches:
        english = _english(batch)
        keys = [key_of(a) for a in english]
        cached = cache.get_many(keys)
        todo = [{c: a[c] for c in ("doc_id", "text", "published")} for a, key in zip(english, keys) if key not in cached]
        in_flight.append((english, keys, cached, submit(todo) if todo else []))
        while len(in_flight) > window:
            yield from finish(in_flight.popleft())
    while in_flight:
        yield from finish(in_flight.popleft())


def pool_submit(pool, params: ExtractParams, task_docs: int) -> Submit:
    """Split the articles into tasks of ``task_docs`` for a local process pool."""

    def submit(todo: list[dict]) -> list:
        return [
            pool.submit(extract_batch, todo[i : i + task_docs], params.nlp_model, params.batch_size)
            for i in range(0, len(todo), task_docs)
        ]

    return submit


def dask_submit(client, params: ExtractParams) -> Submit:
    """One Dask task per batch of articles."""

    def submit(todo: list[dict]) -> list:
        return [client.submit(extract_batch, todo, params.nlp_model, params.batch_size, pure=False)]

    return submit


def process_pool(n_process: int, model: str):
    """Worker processes forked from a fresh fork server that has imported the NLP layer (and nothing
    of this process: no threads, no state, not the ``__main__`` script, so a script that runs the
    flow without an ``if __name__ == "__main__"`` guard is safe), each loading the pipeline once."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tasks.nlp.worker"])
    return ProcessPoolExecutor(
        max_workers=n_process, mp_context=context, initializer=start_worker, initargs=(model,),
    )


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from tasks.cache import DocumentCache, make_key, nlp_fingerprint  # noqa: E402
from tasks.step import StepOutput, StepReport, article_texts, count_reasons, input_hashes, run_step  # noqa: E402
from tasks.store import RunStore  # noqa: E402

# parameters that change how the work is spread, never its result: not part of the step's key
RUNTIME_ONLY = {"batch_size", "n_process", "min_docs_per_process", "dask_batch_docs"}
FLUSH_DOCS = 500  # extracted articles whose rows are written (and cached) together
POOL_TASK_DOCS = 50  # articles per task sent to a worker process
_COLUMNS = ["doc_id", "text", "published", "language", "n_words", "text_sha256"]


def document_key(article: dict, params: ExtractParams) -> str:
    """What one article's extraction depends on; batch size and processes change nothing."""
    return make_key(
        "extract", nlp_fingerprint(), params.nlp_model, article["text_sha256"],
        article.get("published"), article.get("language"),
    )


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


@task(name="extract", task_run_name="extract-{store.run_id}", cache_policy=NO_CACHE)
def extract(store: RunStore, params: ExtractParams) -> StepReport:
    """``articles`` -> ``mentions``, ``quantities``, ``claims``, ``quotes`` (see the module's doc)."""
    logger = get_run_logger()

    def compute(report: StepReport) -> StepReport:
        stats: Counter = Counter()
        failed: list[str] = []
        client_context = _dask_client()
        read_rows = params.dask_batch_docs if client_context is not None else None

        def batches():
            for chunk in store.iter_table("articles", _COLUMNS, rows=read_rows):
                batch = chunk.to_pylist()
                stats["articles"] += len(batch)
                stats["max_rows"] += sum(a["n_words"] for a in batch)
                yield batch

        def key_of(article: dict) -> str:
            return document_key(article, params)

        def counted(submit: Submit) -> Submit:
            def run(todo: list[dict]) -> list:
                futures = submit(todo)
                stats["tasks"] += len(futures)
                return futures
            return run

        output = StepOutput(store, report, TABLES, texts=article_texts(store))
        with contextlib.ExitStack() as stack:
            cache = DocumentCache(store.location.local_cache_dir())
            stack.callback(cache.close)
            if client_context is not None:
                client = stack.enter_context(client_context)
                workers = len(client.scheduler_info().get("workers", {}))
                report.details["dask_workers"] = workers
                stream = stream_submitted(batches(), cache, key_of, counted(dask_submit(client, params)),
                                          2 * max(1, workers))
            else:
                n_process = auto_processes(params, _count_uncached(store, cache, key_of))
                report.details["n_process"] = n_process
                if n_process == 1:
                    stream = stream_in_process(batches(), params, cache, key_of)
                else:
                    pool = stack.enter_context(process_pool(n_process, params.nlp_model))
                    stream = stream_submitted(batches(), cache, key_of, counted(pool_submit(pool, params, POOL_TASK_DOCS)), 2)
            try:
                _write_stream(stream, output, cache, stats, failed)
            except BaseException:
                output.abort()
                raise
        english = stats["english"]
        report.rows_in = stats["articles"]
        report.rows_out = english - stats["failed"]
        report.rejects = count_reasons(
            ["extract_not_english"] * (stats["articles"] - english) + ["extract_failed"] * stats["failed"]
        )
        report.details.update(documents_processed=stats["processed"] - stats["failed"],
                              documents_from_cache=english - stats["processed"])
        if client_context is not None:
            report.details["dask_tasks"] = stats["tasks"]
        elif stats["tasks"]:
            report.details["worker_tasks"] = stats["tasks"]
        if failed:
            report.details["extract_failed_docs"] = failed[:20]
            logger.warning("extraction failed on %d article(s), left without rows: %s", len(failed), failed[:20])
        output.parameters.update({name: {"max_rows": stats["max_rows"]} for name in TABLES})
        return output.publish()

    report = run_step(store, "extract", params.model_dump(exclude=RUNTIME_ONLY), input_hashes(store, ["articles"]), compute)
    logger.info("extract: %s%s", {t: i["rows"] for t, i in report.tables.items()}, " (reused)" if report.cached else "")
    return report


def _count_uncached(store: RunStore, cache: DocumentCache, key_of) -> int:
    """How many English articles the NLP must see (from the narrow columns, not the texts)."""
    articles = store.read_columns("articles", ["text_sha256", "published", "language"]).to_pylist()
    keys = [key_of(a) for a in _english(articles)]
    return len(keys) - len(cache.known(keys))


def _write_stream(stream: Iterable[Extracted], output: StepOutput, cache: DocumentCache, stats: Counter,
                  failed: list[str]) -> None:
    buffers: dict[str, list[dict]] = {name: [] for name in TABLES}
    to_cache: dict[str, str] = {}

    def flush():
        for name in TABLES:
            output.write(name, buffers[name])
            buffers[name] = []
        cache.put_raw(to_cache)
        to_cache.clear()

    for doc_id, key, rows, fresh, entry in stream:
        stats["english"] += 1
        if fresh:
            stats["processed"] += 1
        if rows is None:
            stats["failed"] += 1
            failed.append(doc_id)
            continue
        for name in TABLES:
            buffers[name].extend(rows[name])
        if fresh:
            to_cache[key] = entry or cache_entry(rows, doc_id)
        if stats["english"] % FLUSH_DOCS == 0:
            flush()
    flush()
