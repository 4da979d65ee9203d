"""Aggregate: claims across the corpus, the entities they involve and which entities meet.

``claim_summary`` groups claims that state the same thing (subject, predicate, object, item) and
keeps every figure, document and credited source.

Independence rule: a source is a document cluster (a wire copy and its re-posts count once), and a
mention counts for the cluster of its sentence's origin (``tasks.provenance``: a sentence that a
round-up or live blog reprints belongs to the article it came from). ``n_independent_sources``
counts the sources with a mention that is asserted, reported or hedged; sources that only
speculate (hypothetical) and sources that deny it are counted apart and never corroborate.

Conflict rule: each figure stands for an interval of values it allows — ``exact`` v is [v, v];
``approx`` v is [v(1-t), v(1+t)] with t = ``approx_tolerance``; ``at_least`` v is [v, inf);
``at_most`` v is [0, v]; ``range`` is [low, high]. The figures conflict when no single value lies in
every interval. Bounds are closed, so "up to 10,000" and "more than 10,000" agree at exactly 10,000
(news copy uses "more than" loosely), while "3 million" against "5 million" conflicts. Only claims
whose modality is in ``conflict_modalities`` take part: a hypothetical or denied figure asserts
nothing.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from datetime import date
from itertools import combinations
from typing import Iterable, Mapping, Sequence

from tasks.params import AggregateParams
from tasks.provenance import SentenceRef, ref_name, sentence_origins

_ISO3 = re.compile(r"^[A-Z]{3}$")


def _most_common(values: Iterable[str]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


class EntityTally:
    """``entities`` rows built from mentions fed in any number of batches, in bounded memory: per
    entity only counters of its labels, names and surface forms are kept."""

    def __init__(self) -> None:
        self.labels: dict[str, Counter] = defaultdict(Counter)
        self.names: dict[str, Counter] = defaultdict(Counter)
        self.texts: dict[str, Counter] = defaultdict(Counter)
        self.last_doc: dict[str, str] = {}
        self.n_docs: Counter = Counter()
        self.n_mentions = 0

    def add(self, mentions: Iterable[Mapping]) -> None:
        for m in mentions:
            entity_id = m["entity_id"]
            self.n_mentions += 1
            self.labels[entity_id][m["label"]] += 1
            if m.get("name"):
                self.names[entity_id][m["name"]] += 1
            self.texts[entity_id][m["text"]] += 1
            if self.last_doc.get(entity_id) != m["doc_id"]:  # mentions come grouped by document
                self.last_doc[entity_id] = m["doc_id"]
                self.n_docs[entity_id] += 1

    def rows(self) -> list[dict]:
        rows = []
        for entity_id, texts in self.texts.items():
            label = "GPE" if _ISO3.match(entity_id) else _most_common(self.labels[entity_id].elements())
            rows.append(
                {
                    "entity_id": entity_id,
                    "name": _most_common(self.names[entity_id].elements()) or _most_common(texts.elements()),
                    "label": label,
                    "aliases": sorted(texts),
                    "n_mentions": sum(texts.values()),
                    "n_docs": self.n_docs[entity_id],
                }
            )
        return rows


def summarise_entities(mentions: Sequence[Mapping]) -> list[dict]:
    """``entities`` rows: canonical name, label, surface forms and counts per entity id (mentions
    grouped by document, as the ``mentions`` table is)."""
    tally = EntityTally()
    tally.add(sorted(mentions, key=lambda m: m["doc_id"]))
    return tally.rows()


class CooccurrenceTally:
    """``cooccurrence`` rows from mentions fed in batches, grouped by document: only the entities of
    the current document and the pair counters are kept."""

    def __init__(self, params: AggregateParams) -> None:
        self.params = params
        self.docs: Counter = Counter()
        self.sentences: Counter = Counter()
        self.doc_id: str | None = None
        self.in_doc: set[str] = set()
        self.in_sentence: dict[int, set[str]] = defaultdict(set)

    def _close_doc(self) -> None:
        self.docs.update(combinations(sorted(self.in_doc), 2))
        for entities in self.in_sentence.values():
            self.sentences.update(combinations(sorted(entities), 2))
        self.in_doc, self.in_sentence = set(), defaultdict(set)

    def add(self, mentions: Iterable[Mapping]) -> None:
        for m in mentions:
            if m["label"] not in self.params.cooccurrence_labels:
                continue
            if m["doc_id"] != self.doc_id:
                self._close_doc()
                self.doc_id = m["doc_id"]
            self.in_doc.add(m["entity_id"])
            self.in_sentence[m["sentence_id"]].add(m["entity_id"])

    def rows(self) -> list[dict]:
        self._close_doc()
        return [
            {"entity_a": a, "entity_b": b, "n_docs": n, "n_sentences": self.sentences.get((a, b), 0)}
            for (a, b), n in self.docs.items()
            if n >= self.params.min_cooccurrence_docs
        ]


def count_cooccurrence(mentions: Sequence[Mapping], params: AggregateParams) -> list[dict]:
    """``cooccurrence`` rows: entity pairs named in the same sentence or document."""
    tally = CooccurrenceTally(params)
    tally.add(sorted(mentions, key=lambda m: m["doc_id"]))
    return tally.rows()


def figure_interval(
    value: float | None,
    qualifier: str | None,
    low: float | None,
    high: float | None,
    tolerance: float,
) -> tuple[float, float] | None:
    """The values a stated figure allows (see the module docstring), or None with no figure."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if qualifier == "range" and low is not None and high is not None:
        return (low, high)
    if qualifier == "at_least":
        return (value, math.inf)
    if qualifier == "at_most":
        return (0.0, value)
    if qualifier == "approx":
        return (value * (1 - tolerance), value * (1 + tolerance))
    return (value, value)


def find_conflict(intervals: Sequence[tuple[float, float]]) -> str | None:
    """Why the intervals cannot all hold, or None when some value lies in every one."""
    if len(intervals) < 2:
        return None
    lowest_high = min(intervals, key=lambda iv: iv[1])
    highest_low = max(intervals, key=lambda iv: iv[0])
    if highest_low[0] > lowest_high[1]:
        return (
            f"a figure of at least {highest_low[0]:g} cannot hold with one of at most "
            f"{lowest_high[1]:g}"
        )
    return None


def build_timeline(
    claims: Sequence[Mapping], published: Mapping[str, date | None], keys: Mapping[str, str]
) -> list[dict]:
    """``timeline`` rows: every claim with a date, the one its sentence gives or else the date its
    article was published (``date_source`` says which); claims with neither are left out."""
    rows = []
    for c in claims:
        when, source, period = c.get("claim_date"), "claim", c.get("claim_period")
        if when is None:
            when, source, period = published.get(c["doc_id"]), "published", None
        if when is None:
            continue
        rows.append(
            {
                "claim_id": c["claim_id"],
                "date": when,
                "date_source": source,
                "period": period,
                "claim_key": keys[c["claim_id"]],
                **{k: c.get(k) for k in ("doc_id", "subject_id", "predicate", "object_id", "item", "value",
                                          "qualifier", "modality", "attributed_to")},
            }
        )
    return rows


def claim_key(subject_id: str, predicate: str, object_id: str | None, item: str | None) -> str:
    """Readable, stable key of a distinct claim: ``PRK|supply|RUS|artillery shell``."""
    return "|".join([subject_id, predicate, object_id or "-", item or "-"])


def summarise_claims(
    claims: Sequence[Mapping],
    published: Mapping[str, date | None],
    clusters: Mapping[str, str],
    params: AggregateParams,
    origins: Mapping[SentenceRef, SentenceRef] | None = None,
) -> list[dict]:
    """``claim_summary`` rows, one per distinct (subject, predicate, object, item).

    A claim that leaves its object unstated joins the claim that states it when exactly one such
    claim exists ("up to 10,000 personnel have arrived" joins "PRK deploy RUS troop"); with several
    candidates it stays on its own rather than guess. A claim that names no item stays its own:
    "Ukraine attacked Russia" does not say "with drones", and joining it would make the drone claim
    look corroborated by every article that mentions an attack.

    Sources are document clusters, each mention counted for the cluster of its sentence's origin
    (``origins``, from ``tasks.provenance``, whose ``for_claim`` picks, for a sentence that joins
    two articles' sentences, the one stating this claim; without it every sentence is its own
    origin). A source *says* the claim when one of its mentions has a modality in ``corroborating_modalities``
    (``n_independent_sources``); it *denies* it when one is denied (``n_denying_sources``, which
    may also say it: "Moscow denies it" in an article that reports it); it only *speculates*
    when all its mentions are hypothetical (``n_hypothetical_sources``).
    """
    grouped: dict[tuple, list[Mapping]] = defaultdict(list)
    for c in claims:
        grouped[(c["subject_id"], c["predicate"], c.get("object_id"), c.get("item"))].append(c)
    for slot in (2,):  # the object; a claim naming no item stays apart (an attack is not an attack with drones)
        for partial in sorted((k for k in grouped if k[slot] is None), key=str):
            if partial not in grouped:
                continue
            matches = [
                k for k in grouped
                if k[slot] is not None and all(k[i] == partial[i] for i in range(4) if i != slot)
            ]
            if len(matches) == 1:
                grouped[matches[0]].extend(grouped.pop(partial))
    origins = origins or {}
    rows = []
    for (subject_id, predicate, object_id, item), group in grouped.items():
        key = claim_key(subject_id, predicate, object_id, item)
        figures = [c for c in group if c.get("value") is not None]
        values = sorted(float(c["value"]) for c in figures)
        lows = [c["low"] if c.get("low") is not None else c["value"] for c in figures]
        highs = [c["high"] if c.get("high") is not None else c["value"] for c in figures]
        intervals = [
            iv
            for c in figures
            if c["modality"] in params.conflict_modalities
            for iv in [
                figure_interval(
                    c["value"], c.get("qualifier"), c.get("low"), c.get("high"), params.approx_tolerance
                )
            ]
            if iv is not None
        ]
        reason = find_conflict(intervals)
        doc_ids = sorted({c["doc_id"] for c in group})
        dates = sorted(d for d in (c.get("claim_date") or published.get(c["doc_id"]) for c in group) if d is not None)
        sources = _sources(group, origins, clusters, params)
        rows.append(
            {
                "claim_key": key,
                "subject_id": subject_id,
                "predicate": predicate,
                "object_id": object_id,
                "item": item,
                "value_low": float(min(lows)) if lows else None,
                "value_high": float(max(highs)) if highs else None,
                "values": values,
                "n_mentions": len(group),
                "n_docs": len(doc_ids),
                **sources,
                "doc_ids": doc_ids,
                "attributed_to": sorted({c["attributed_to"] for c in group if c.get("attributed_to")}),
                "conflict": reason is not None,
                "first_seen": dates[0] if dates else None,
                "last_seen": dates[-1] if dates else None,
                "claim_ids": sorted(c["claim_id"] for c in group),
                "qualifiers": sorted({c["qualifier"] for c in group if c.get("qualifier")}),
                "modalities": sorted({c["modality"] for c in group}),
                "conflict_reason": reason,
            }
        )
    return rows


def _sources(
    group: Sequence[Mapping],
    origins: Mapping[SentenceRef, SentenceRef],
    clusters: Mapping[str, str],
    params: AggregateParams,
) -> dict:
    """The source columns of one ``claim_summary`` row (see ``summarise_claims``)."""
    says: dict[str, set[str]] = defaultdict(set)  # origin cluster -> credited sources ('' uncredited)
    denies: set[str] = set()
    speculates: set[str] = set()
    denying_docs, hypothetical_docs = set(), defaultdict(set)
    counted: set[str] = set()
    copied = 0
    stating = {(c["doc_id"], c["sentence_id"]) for c in group}
    per_claim = getattr(origins, "for_claim", None)
    for c in group:
        ref = (c["doc_id"], c["sentence_id"])
        origin = per_claim(ref, stating) if per_claim else origins.get(ref, ref)
        source = clusters.get(origin[0], origin[0])
        if source != clusters.get(c["doc_id"], c["doc_id"]):
            copied += 1
        if c["modality"] in params.corroborating_modalities:
            says[source].add(c.get("attributed_to") or "")
            counted.add(ref_name(origin))
        elif c["modality"] == "denied":
            denies.add(source)
            denying_docs.add(c["doc_id"])
        else:
            speculates.add(source)
            hypothetical_docs[source].add(c["doc_id"])
    only_speculates = speculates - set(says) - denies
    credits = {credit for credited in says.values() for credit in credited if credit}
    return {
        "n_independent_sources": len(says),
        "n_hypothetical_sources": len(only_speculates),
        "n_denying_sources": len(denies),
        "n_sources": len(set(says) | denies | speculates),
        "n_upstream_sources": len(credits) + sum(1 for credited in says.values() if not credited - {""}),
        "n_copied_mentions": copied,
        "hypothetical_doc_ids": sorted(d for s in only_speculates for d in hypothetical_docs[s]),
        "denying_doc_ids": sorted(denying_docs),
        "source_sentences": sorted(counted),
    }


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from tasks.schemas import CLAIM_SUMMARY, COOCCURRENCE, ENTITIES, TIMELINE, to_arrow  # noqa: E402
from tasks.step import StepReport, input_hashes, publish_checked, run_step  # noqa: E402
from tasks.store import RunStore  # noqa: E402


_MENTION_COLUMNS = ["doc_id", "sentence_id", "text", "label", "entity_id", "name"]


def _column_map(table, key: str, value: str) -> dict:
    columns = table.select([key, value]).to_pydict()
    return dict(zip(columns[key], columns[value]))


@task(name="aggregate", task_run_name="aggregate-{store.run_id}", cache_policy=NO_CACHE)
def aggregate(store: RunStore, params: AggregateParams) -> StepReport:
    """``mentions``, ``claims``, ``articles``, ``doc_clusters`` -> ``claim_summary``, ``entities``,
    ``cooccurrence``."""
    logger = get_run_logger()

    def compute(report: StepReport) -> StepReport:
        entity_tally, pair_tally = EntityTally(), CooccurrenceTally(params)
        for chunk in store.iter_table("mentions", _MENTION_COLUMNS):  # in doc_id order
            batch = chunk.to_pylist()
            entity_tally.add(batch)
            pair_tally.add(batch)
        n_mentions = entity_tally.n_mentions
        claims = store.read("claims").to_pylist()
        published = _column_map(store.read_columns("articles", ["doc_id", "published"]), "doc_id", "published")
        cluster_table = store.read_columns("doc_clusters", ["doc_id", "cluster_id", "is_representative"])
        clusters = _column_map(cluster_table, "doc_id", "cluster_id")
        representative = _column_map(cluster_table, "doc_id", "is_representative")
        origins = sentence_origins(
            {(c["doc_id"], c["sentence_id"]): c["text"] for c in claims},
            (pair for chunk in store.iter_table("articles", ["doc_id", "text"])
             for pair in zip(chunk.column("doc_id").to_pylist(), chunk.column("text").to_pylist())),
            clusters,
            published,
            {doc for doc, is_rep in representative.items() if is_rep},
            k=params.copy_shingle_words,
            min_words=params.copy_min_words,
            containment=params.copy_containment,
        )
        summary = summarise_claims(claims, published, clusters, params, origins)
        keys = {cid: row["claim_key"] for row in summary for cid in row["claim_ids"]}
        timeline = build_timeline(claims, published, keys)
        entities = entity_tally.rows()
        pairs = pair_tally.rows()
        report.rows_in = n_mentions + len(claims)
        report.rows_out = len(summary) + len(entities) + len(pairs) + len(timeline)
        return publish_checked(
            store,
            report,
            {
                "claim_summary": to_arrow(CLAIM_SUMMARY, summary),
                "entities": to_arrow(ENTITIES, entities),
                "cooccurrence": to_arrow(COOCCURRENCE, pairs),
                "timeline": to_arrow(TIMELINE, timeline),
            },
            {
                "claim_summary": {"n_claims": len(claims)},
                "entities": {"n_mentions": n_mentions},
                "timeline": {"n_claims": len(claims)},
            },
        )

    inputs = input_hashes(store, ["articles", "mentions", "claims", "doc_clusters"])
    report = run_step(store, "aggregate", params, inputs, compute)
    logger.info("aggregate: %d rows out%s", report.rows_out, " (reused)" if report.cached else "")
    return report
