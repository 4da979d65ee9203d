"""Typed parameters, one model per step. Every knob of a step is a field here with a default.

The flow composes these into its own parameters model (``flows.params.PipelineParameters``), which
Prefect renders as the form of a custom run in the UI.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestParams(_Params):
    extensions: Optional[tuple[str, ...]] = Field(
        None,
        description="File extensions read as articles (case-insensitive); any other file is "
        "rejected as ingest_unsupported_format. Default: every format dossier has a reader for "
        "(tasks/formats: .txt .text .html .htm .md .markdown .json .jsonl .ndjson .csv .xml .rss .atom).",
    )
    max_bytes: int = Field(
        20_000_000,
        gt=0,
        description="The largest record: a single-record file (txt, html, md) larger than this is "
        "rejected as ingest_too_large without being read; in a file of many records (JSON lines, CSV, "
        "a JSON list, a feed) each record is held to it, not the file.",
    )
    max_file_bytes: int = Field(
        2_000_000_000,
        gt=0,
        description="The largest file of many records (JSON lines, CSV, a JSON list, a feed); larger "
        "ones are rejected whole as ingest_too_large. JSON lines and CSV are read a line at a time, "
        "so this guards the disk, not memory.",
    )
    max_parsed_file_bytes: int = Field(
        500_000_000,
        gt=0,
        description="The largest JSON document or feed: these are parsed whole (memory about ten "
        "times the file), unlike JSON lines and CSV. Larger ones are rejected as ingest_too_large.",
    )
    max_title_chars: int = Field(
        1_000, gt=0,
        description="A title longer than this is no title: it is dropped (note title_too_long), the record is kept.",
    )
    max_author_chars: int = Field(
        500, gt=0,
        description="An author or outlet longer than this is dropped with a note (author_too_long, outlet_too_long).",
    )
    max_url_chars: int = Field(4_000, gt=0, description="A URL longer than this is dropped with a note (url_too_long).")
    latest_published: Optional[date] = Field(
        None,
        description="The latest publication date a record may state; a later one is dropped with "
        "the note published_in_future (dates before 1900 get published_too_early). Default: the "
        "day of the run plus max_days_ahead.",
    )
    max_days_ahead: int = Field(
        2, ge=0,
        description="How far past the run's (UTC) day a publication date may be: time zones put "
        "a fresh article up to a day ahead.",
    )
    max_listed_records: int = Field(
        50, ge=0,
        description="How many rejected and how many repaired records the ingest artifact in the "
        "Prefect UI names (file, reason, detail); all are counted.",
    )
    max_html_bytes: int = Field(
        5_000_000,
        gt=0,
        description="HTML pages larger than this are rejected as ingest_too_large: main-text "
        "extraction takes about 2 s per MB, and a news page is rarely over 1 MB.",
    )
    max_record_chars: int = Field(
        1_000_000,
        gt=0,
        description="A record whose text is longer than this is rejected as ingest_too_large "
        "(spaCy's default max_length: longer texts would fail in extract).",
    )
    max_unpunctuated_chars: int = Field(
        5_000,
        gt=0,
        description="A record with a run of more characters than this without a line break or "
        "sentence-final punctuation is token soup, not an article: ingest_no_sentences.",
    )
    min_chars: int = Field(
        1, ge=0, description="Records with fewer non-space characters are rejected as ingest_empty."
    )
    max_control_ratio: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Share of control or replacement characters above which a file is not text.",
    )
    html_focus: Literal["precision", "balanced", "recall"] = Field(
        "precision",
        description="What trafilatura favours when it separates an HTML page's main text from "
        "its boilerplate. On tests/golden/html all three keep every must-contain line; only "
        "'precision' also drops an in-body 'Read more' promo.",
    )
    title_fields: tuple[str, ...] = Field(
        ("title", "headline"),
        description="Fields of a JSON/CSV record holding the title, first one present wins. A "
        "dotted name ('source.name') reads inside a nested object.",
    )
    text_fields: tuple[str, ...] = Field(
        ("text", "body", "content", "article", "articleBody", "full_text", "content_html", "description", "summary"),
        description="Fields holding the article text, first non-empty one wins ('articleBody' is "
        "schema.org's, as in JSON-LD exports); HTML in it is reduced to text. A record with none is "
        "rejected as ingest_no_text_field.",
    )
    published_fields: tuple[str, ...] = Field(
        ("published", "date", "published_at", "publishedAt", "pubDate", "datePublished", "created_at"),
        description="Fields holding the publication date.",
    )
    author_fields: tuple[str, ...] = Field(
        ("author", "authors", "byline", "creator"), description="Fields holding the author(s)."
    )
    outlet_fields: tuple[str, ...] = Field(
        ("source", "outlet", "publisher", "site_name", "sitename", "source.name"),
        description="Fields holding the outlet that published the article.",
    )
    retrieved_fields: tuple[str, ...] = Field(
        ("crawled_at", "retrieved", "retrieved_at", "fetched_at", "scraped_at", "crawl_date"),
        description="Fields holding the day the record was fetched (a crawler's); it gives the "
        "year of a dateline that has none.",
    )
    url_fields: tuple[str, ...] = Field(
        ("url", "link", "canonical_url"), description="Fields holding the article's address."
    )
    language_fields: tuple[str, ...] = Field(
        ("language", "lang", "locale"), description="Fields holding a declared language."
    )
    json_list_keys: tuple[str, ...] = Field(
        ("articles", "items", "data", "records", "results", "entries", "documents", "posts"),
        description="Keys under which a .json file that is an object keeps its list of records.",
    )
    csv_delimiters: tuple[str, ...] = Field(
        (",", ";", "\t", "|"),
        description="Candidate CSV delimiters; the one found most often in the header line wins.",
    )

    def latest_published_date(self) -> date:
        """The latest publication date accepted (see ``latest_published``)."""
        if self.latest_published is not None:
            return self.latest_published
        return datetime.now(timezone.utc).date() + timedelta(days=self.max_days_ahead)

    @field_validator("extensions")
    @classmethod
    def _dotted_lower(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        bad = [e for e in value if not e.startswith(".")]
        if bad:
            raise ValueError(f"extensions must start with a dot, e.g. '.txt'; got {bad}")
        return tuple(e.lower() for e in value)

    @field_validator("text_fields")
    @classmethod
    def _some_text_field(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("text_fields needs at least one field name, e.g. ('text', 'body')")
        return value


class CleanParams(_Params):
    min_words: int = Field(
        20, ge=0, description="Articles with fewer words after cleaning are rejected."
    )
    max_title_words: int = Field(
        30, gt=0, description="A first line longer than this is body text, not a title."
    )
    boilerplate_headings: tuple[str, ...] = Field(
        (
            "you might also like",
            "article recommendations",
            "recommended articles",
            "recommended for you",
            "related articles",
            "related stories",
            "read more",
            "more from",
            "most popular",
            "most read",
            "trending now",
            "what you will learn",
            "share this article",
            "sign up for our newsletter",
            "advertisement",
            "comments",
        ),
        description="Lines (lower-cased, punctuation stripped) that start a block that is not the "
        "article. A block running to the end of the text is dropped whole; an inner block is "
        "dropped up to the next paragraph of prose.",
    )
    furniture_patterns: bool = Field(
        True,
        description="Remove wire and crawl furniture (slugs, (LEAD)/(ATTN: ...)/(END) notes, datelines "
        "and bylines, photo captions, promo headlines, crawler headers and footers) by the patterns "
        "in tasks/data/furniture.toml; a dateline gives the date and place, a byline the author.",
    )
    latest_published: Optional[date] = Field(
        None,
        description="The latest publication date a dateline or byline may give (later ones are "
        "dropped with the note published_in_future). Default: the day of the run plus max_days_ahead.",
    )
    max_days_ahead: int = Field(2, ge=0, description="As IngestParams.max_days_ahead.")

    def latest_published_date(self) -> date:
        if self.latest_published is not None:
            return self.latest_published
        return datetime.now(timezone.utc).date() + timedelta(days=self.max_days_ahead)


class ExtractParams(_Params):
    nlp_model: str = Field(
        "dossier",
        description="'dossier' for dossier's rules and gazetteers with its own trained tagger and "
        "parser (models/en_dossier_parser) on the sentences that can hold a claim or a quote; 'blank' "
        "for the rules and gazetteers alone (no parse); or the name or path of an installed trained "
        "spaCy pipeline, run over every sentence, whose entities are merged with ours.",
    )
    batch_size: int = Field(64, gt=0, description="Documents per nlp.pipe batch.")
    n_process: Optional[int] = Field(
        None,
        gt=0,
        description="Processes for nlp.pipe on one machine; empty: the cores available (one when "
        "fewer than min_docs_per_process articles per process need the NLP).",
    )
    min_docs_per_process: int = Field(
        200, gt=0, description="Articles needing NLP per extra process before one is started."
    )
    dask_batch_docs: int = Field(
        500,
        gt=0,
        description="Articles per Dask task when the flow runs on a Dask cluster (--runner dask).",
    )


class DedupParams(_Params):
    """Knobs of dedup. The defaults come from ``python bench/dedup_scaling.py --sweep``: 5,000
    documents (2,000 BBC articles, 2,250 copies of eleven kinds, 750 look-alikes), all pairs compared
    exactly, then the LSH settings; see tasks/dedup.py for the figures."""

    shingle_size: int = Field(
        3,
        gt=0,
        description="Words per shingle. 3 keeps the most of a copy whose edits are scattered (each "
        "edited word breaks `shingle_size` shingles): with the near-duplicate rule below alone (no "
        "excerpts), heavily treated copies found 0.966 at 3, 0.887 at 4, 0.778 at 5, 0.576 at 7, "
        "precision 1.000 at each; different articles on one story still share almost no 3-word "
        "sequences (the five seeds: at most 4 % of a seed's).",
    )
    num_perm: int = Field(
        256,
        ge=16,
        description="MinHash permutations. With the excerpt rule LSH must find pairs down to a "
        "Jaccard of about 0.27 (a lead of a third of an article): 256 permutations in 85 bands of 3 "
        "rows missed none of the 3,058 pairs that pass the rule and proposed 4,516 candidates for "
        "5,000 documents; 128 permutations either missed 8 (37x3 bands) or needed 2 rows a band "
        "and proposed 80,692 candidates (28x2), which grows with the square of the corpus.",
    )
    lsh_threshold: float = Field(
        0.2,
        gt=0,
        lt=1,
        description="Jaccard similarity the LSH bands aim at (256 permutations: 85 bands of 3 rows). "
        "Kept well under min_containment: a cut or re-posted copy has a lower Jaccard than "
        "containment (0.5-0.7 for a heavily treated copy, about the size ratio for an excerpt). At "
        "0.2 LSH missed 0 of 3,058 pairs that pass the rule, at 0.3 28 (leads), at 0.5 225; "
        "candidates stay near the true pairs (4,516 for 5,000 documents), so verification costs little.",
    )
    min_containment: float = Field(
        0.7,
        gt=0,
        le=1,
        description="A candidate pair is a near duplicate when the share of the smaller "
        "document's shingles found in the larger one reaches this (and min_size_ratio holds). "
        "Copies measured 0.79-1.00 (re-posts with headline, dateline, edits and wire boilerplate "
        "0.84 at the 1st percentile); with the excerpt rule, recall 0.996 at 0.7; at 0.8 heavily "
        "treated copies are lost (0.557 of them found); at 0.6 look-alikes are merged. BBC articles "
        "that are updates of one story re-using part of its text fall between 0.5 and 0.9: above 0.7 "
        "they are joined.",
    )
    min_size_ratio: float = Field(
        0.5,
        ge=0,
        le=1,
        description="... and the smaller document has at least this share of the larger one's "
        "shingles. Keeps apart a short piece that quotes part of a long article (contained in it up "
        "to 0.81, size ratio under 0.3); at 0.4 and below look-alikes are merged (29 at c=0.5). A "
        "lead shorter than this share joins as an excerpt (min_excerpt_*) instead.",
    )
    min_excerpt_containment: float = Field(
        0.9,
        gt=0,
        le=1,
        description="A candidate pair that fails the size ratio is still a copy when the smaller "
        "document is an excerpt of the larger one: this share of its shingles or more found in it "
        "(a syndicated lead, the first 35-60 % of an article, measures 0.99-1.00; a short piece "
        "quoting a passage of an article has text of its own and stays under 0.85) and "
        "min_excerpt_size_ratio holds. Leads found: 0.495 without this rule, 0.990 at 0.9 (0.80-0.90 "
        "alike; 0.907 at 0.95), no look-alike merged. An excerpt joins one container only.",
    )
    min_excerpt_size_ratio: float = Field(
        0.3,
        ge=0,
        le=1,
        description="... and the excerpt has at least this share of the larger document's shingles: "
        "a third of an article or more is an excerpt of it; a paragraph is not. 0.2 and 0.3 score "
        "alike; at 0.4 leads of 35-40 % are lost (0.887 found).",
    )
    min_part_overlap: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Two clusters join only when each document of the joining pair shares at least "
        "this share of the smaller one's shingles with every distinct text of the other cluster (up "
        "to 16 of them): copies and parts of one article share 0.5-1.0 (a 40 % lead against a copy "
        "without its first paragraph is the lowest), different articles on one story 0.00-0.05 (the "
        "seeds: at most 0.04). So a round-up of two articles joins at most one of them, however it was "
        "cut. The benchmark has no round-up: 0.0-0.5 score alike there (tests/test_dedup.py has them).",
    )
    seed: int = Field(1, description="Seed of the word hashes and the MinHash permutations.")


class AggregateParams(_Params):
    approx_tolerance: float = Field(
        0.1,
        ge=0,
        lt=1,
        description="An 'approx' figure v stands for [v*(1-t), v*(1+t)] when checking conflicts.",
    )
    conflict_modalities: tuple[str, ...] = Field(
        ("asserted", "reported", "hedged"),
        description="Claims whose figures are held against each other; hypothetical and denied "
        "statements assert no figure.",
    )
    corroborating_modalities: tuple[str, ...] = Field(
        ("asserted", "reported", "hedged"),
        description="A source whose mention has one of these modalities says the claim and counts in "
        "n_independent_sources; hypothetical and denied mentions are counted apart.",
    )
    copy_shingle_words: int = Field(
        3, ge=2, le=8, description="Sentences are compared on word n-grams of this length."
    )
    copy_min_words: int = Field(
        8,
        ge=3,
        description="A claim sentence shorter than this is never taken for a copy: short sentences "
        "('Russia denied it.') are written independently.",
    )
    copy_containment: float = Field(
        0.6,
        gt=0,
        le=1,
        description="An article holds a claim sentence when this share of the sentence's n-grams is "
        "in its text (1.0: word for word; 0.6 lets through three or four edited words in a sentence "
        "of 25). bench/copy_containment.py over the BBC corpus: of 38,717 sentences, 6,855 pairs of "
        "different articles at 0.7 or more, 165 at 0.6-0.7 (of 25 read, 24 the same passage reworded, "
        "1 another statement sharing a clause) and 346 at 0.5-0.6, where different statements that "
        "share a phrase begin.",
    )
    cooccurrence_labels: tuple[str, ...] = Field(
        ("PERSON", "ORG", "GPE", "LOC", "NORP", "EQUIPMENT", "EVENT"),
        description="Entity labels counted in cooccurrence (dates are left out).",
    )
    min_cooccurrence_docs: int = Field(
        1, ge=1, description="Entity pairs seen in fewer documents are left out of cooccurrence."
    )
