"""The Arrow schema of every table dossier writes: the single source of column names and types.

Everything else (the writer, column lists, sort keys, the suites' column checks) is derived from
``TABLES``. The columns named by the output contract (``../shared/design/CONTRACT.md``) come first;
extra columns follow them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

STRING = pa.string()
INT32 = pa.int32()
INT64 = pa.int64()
FLOAT = pa.float64()
DATE = pa.date32()
BOOL = pa.bool_()
STRINGS = pa.list_(pa.string())
FLOATS = pa.list_(pa.float64())


TEXT_CHUNK_ROWS = 1_000  # rows of tables holding whole texts per chunk (a few MB)


def _field(name: str, type_: pa.DataType, nullable: bool = False) -> pa.Field:
    return pa.field(name, type_, nullable=nullable)


@dataclass(frozen=True)
class TableSpec:
    """A table: its name, the step that writes it, its schema and the key it is sorted by.

    ``chunk_rows`` is the unit of streaming: rows per Parquet row group, per read batch and per
    checked chunk. Tables that carry whole article texts use small chunks, so memory stays bounded
    by the chunk, not by the corpus.
    """

    name: str
    step: str
    schema: pa.Schema
    key: tuple[str, ...]
    chunk_rows: int = 65_536

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)

    @property
    def required(self) -> list[str]:
        """Columns that may never be null."""
        return [f.name for f in self.schema if not f.nullable]


DOCUMENTS = TableSpec(
    "documents",
    "ingest",
    pa.schema(
        [
            _field("doc_id", STRING),
            _field("source_path", STRING),
            _field("sha256", STRING),
            _field("n_bytes", INT64),
            _field("format", STRING),
            _field("status", STRING),
            _field("reject_reason", STRING, True),
            _field("raw_text", STRING, True),
            _field("encoding", STRING, True),
            _field("record_index", INT32, True),
            _field("reject_detail", STRING, True),
            # Metadata the record states about itself (HTML meta tags, front matter, feed and
            # export fields); null when the record does not say.
            _field("title", STRING, True),
            _field("published", DATE, True),
            _field("author", STRING, True),
            _field("outlet", STRING, True),
            _field("url", STRING, True),
            _field("language_hint", STRING, True),
            # The day the record was fetched, when it says (a crawler's crawled_at): the year of
            # an undated "Dec. 29" in a dateline.
            _field("retrieved", DATE, True),
            # Values repaired or dropped where they were read (front_matter_repaired,
            # published_in_future, title_too_long, ...): the record was kept.
            _field("ingest_notes", STRINGS),
        ]
    ),
    ("doc_id",),
    chunk_rows=TEXT_CHUNK_ROWS,
)

ARTICLES = TableSpec(
    "articles",
    "clean",
    pa.schema(
        [
            _field("doc_id", STRING),
            _field("title", STRING, True),
            _field("published", DATE, True),
            _field("text", STRING),
            _field("language", STRING),
            _field("n_words", INT32),
            _field("n_boilerplate_chars", INT32),
            _field("source_path", STRING),
            _field("text_sha256", STRING),
            _field("author", STRING, True),
            _field("outlet", STRING, True),
            _field("url", STRING, True),
            # Where a dateline says the article was filed ("Seoul" of "SEOUL, Dec. 28 (Yonhap) --").
            _field("place", STRING, True),
            # What cleaning removed or repaired, by pattern name (tasks/data/furniture.toml) and
            # dates dropped or taken from a dateline.
            _field("clean_notes", STRINGS),
        ]
    ),
    ("doc_id",),
    chunk_rows=TEXT_CHUNK_ROWS,
)

MENTIONS = TableSpec(
    "mentions",
    "extract",
    pa.schema(
        [
            _field("mention_id", STRING),
            _field("doc_id", STRING),
            _field("sentence_id", INT32),
            _field("start_char", INT32),
            _field("end_char", INT32),
            _field("text", STRING),
            _field("label", STRING),
            _field("entity_id", STRING),
            _field("name", STRING, True),
            _field("normalized", STRING, True),
            _field("source", STRING, True),
        ]
    ),
    ("mention_id",),
)

QUANTITIES = TableSpec(
    "quantities",
    "extract",
    pa.schema(
        [
            _field("quantity_id", STRING),
            _field("doc_id", STRING),
            _field("sentence_id", INT32),
            _field("start_char", INT32),
            _field("end_char", INT32),
            _field("text", STRING),
            _field("value", FLOAT),
            _field("low", FLOAT, True),
            _field("high", FLOAT, True),
            _field("qualifier", STRING),
            _field("item", STRING, True),
        ]
    ),
    ("quantity_id",),
)

CLAIMS = TableSpec(
    "claims",
    "extract",
    pa.schema(
        [
            _field("claim_id", STRING),
            _field("doc_id", STRING),
            _field("sentence_id", INT32),
            _field("start_char", INT32),
            _field("end_char", INT32),
            _field("text", STRING),
            _field("subject_id", STRING),
            _field("subject_actor", STRING, True),  # the person or organ named, when subject_id is the state it acts for
            _field("predicate", STRING),
            _field("object_id", STRING, True),
            _field("item", STRING, True),
            _field("quantity_id", STRING, True),
            _field("value", FLOAT, True),
            _field("qualifier", STRING, True),
            _field("attributed_to", STRING, True),
            _field("modality", STRING),
            _field("low", FLOAT, True),
            _field("high", FLOAT, True),
            _field("claim_date", DATE, True),  # the first day of claim_period
            _field("trigger", STRING, True),
            # The date or period the sentence gives the claim, ISO: '2024-11-29', '2023-06', '2023',
            # '2024-W47', '2023-08/..' (since August 2023); null when it gives none.
            _field("claim_period", STRING, True),
        ]
    ),
    ("claim_id",),
)

QUOTES = TableSpec(
    "quotes",
    "extract",
    pa.schema(
        [
            _field("quote_id", STRING),
            _field("doc_id", STRING),
            _field("start_char", INT32),
            _field("end_char", INT32),
            _field("quote", STRING),
            _field("speaker", STRING),
            _field("speaker_id", STRING, True),
            _field("speaker_role", STRING, True),
        ]
    ),
    ("quote_id",),
)

DOC_CLUSTERS = TableSpec(
    "doc_clusters",
    "dedup",
    pa.schema(
        [
            _field("doc_id", STRING),
            _field("cluster_id", STRING),
            _field("is_representative", BOOL),
            _field("similarity", FLOAT),
            _field("reason", STRING),
        ]
    ),
    ("doc_id",),
)

CLAIM_SUMMARY = TableSpec(
    "claim_summary",
    "aggregate",
    pa.schema(
        [
            _field("claim_key", STRING),
            _field("subject_id", STRING),
            _field("predicate", STRING),
            _field("object_id", STRING, True),
            _field("item", STRING, True),
            _field("value_low", FLOAT, True),
            _field("value_high", FLOAT, True),
            _field("values", FLOATS),
            _field("n_mentions", INT32),
            _field("n_docs", INT32),
            _field("n_independent_sources", INT32),
            _field("doc_ids", STRINGS),
            _field("attributed_to", STRINGS),
            _field("conflict", BOOL),
            _field("first_seen", DATE, True),
            _field("last_seen", DATE, True),
            _field("claim_ids", STRINGS),
            _field("qualifiers", STRINGS),
            _field("modalities", STRINGS),
            _field("conflict_reason", STRING, True),
            # Sources that only speculate, or deny, apart from those that say it (tasks/aggregate.py).
            _field("n_hypothetical_sources", INT32),
            _field("n_denying_sources", INT32),
            _field("n_sources", INT32),  # every source holding a mention, whatever it says
            _field("n_upstream_sources", INT32),  # credited sources of the sayers; an uncredited sayer is its own
            _field("n_copied_mentions", INT32),  # mentions whose sentence another cluster's article printed first
            _field("hypothetical_doc_ids", STRINGS),
            _field("denying_doc_ids", STRINGS),
            _field("source_sentences", STRINGS),  # 'doc_id:sentence_id' of the sentences counted
        ]
    ),
    ("claim_key",),
)

ENTITIES = TableSpec(
    "entities",
    "aggregate",
    pa.schema(
        [
            _field("entity_id", STRING),
            _field("name", STRING),
            _field("label", STRING),
            _field("aliases", STRINGS),
            _field("n_mentions", INT32),
            _field("n_docs", INT32),
        ]
    ),
    ("entity_id",),
)

COOCCURRENCE = TableSpec(
    "cooccurrence",
    "aggregate",
    pa.schema(
        [
            _field("entity_a", STRING),
            _field("entity_b", STRING),
            _field("n_docs", INT32),
            _field("n_sentences", INT32),
        ]
    ),
    ("entity_a", "entity_b"),
)

TIMELINE = TableSpec(
    "timeline",
    "aggregate",
    pa.schema(
        [
            _field("claim_id", STRING),
            _field("date", DATE),
            _field("date_source", STRING),
            _field("period", STRING, True),  # the claim's own period ('2023'), null when dated by publication
            _field("claim_key", STRING),
            _field("doc_id", STRING),
            _field("subject_id", STRING),
            _field("predicate", STRING),
            _field("object_id", STRING, True),
            _field("item", STRING, True),
            _field("value", FLOAT, True),
            _field("qualifier", STRING, True),
            _field("modality", STRING),
            _field("attributed_to", STRING, True),
        ]
    ),
    ("date", "claim_key", "claim_id"),
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        DOCUMENTS,
        ARTICLES,
        MENTIONS,
        QUANTITIES,
        CLAIMS,
        QUOTES,
        DOC_CLUSTERS,
        CLAIM_SUMMARY,
        ENTITIES,
        COOCCURRENCE,
        TIMELINE,
    )
}

# Vocabularies of the contract; the suites in expectations/ hold the same sets and a test keeps the
# two in step.
STATUSES = ("ok", "rejected")
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EQUIPMENT", "EVENT", "DATE")
QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range")
PREDICATES = (
    "supply",
    "deploy",
    "visit",
    "agree",
    "train",
    "test",
    "sanction",
    "support",
    "attack",
    "threaten",
)
MODALITIES = ("asserted", "reported", "hedged", "hypothetical", "denied")
CLUSTER_REASONS = ("unique", "exact_duplicate", "near_duplicate")


def empty_rows(spec: TableSpec) -> dict[str, list]:
    """Column-oriented empty buffers for a table."""
    return {name: [] for name in spec.columns}


def to_arrow(spec: TableSpec, rows: list[dict]) -> pa.Table:
    """Build the table from row dicts with the declared schema, sorted by the table's key.

    Missing extra (nullable) columns are filled with nulls; a missing required column is an error.
    """
    missing = set()
    columns: dict[str, list] = {}
    for field in spec.schema:
        if rows and not field.nullable and any(field.name not in r for r in rows):
            missing.add(field.name)
        columns[field.name] = [r.get(field.name) for r in rows]
    if missing:
        raise KeyError(f"table {spec.name}: rows lack required columns {sorted(missing)}")
    table = pa.Table.from_pydict(columns, schema=spec.schema)
    if table.num_rows:
        table = table.sort_by([(k, "ascending") for k in spec.key])
    return table
