"""Typed parameters, one model per step. Every knob of a step is a field here with a default.

The flow composes these into its own parameters model (``flows.params.PipelineParameters``), which
Prefect renders as the form of a custom run in the UI.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestParams(_Params):
    extensions: tuple[str, ...] = Field(
        (".txt",), description="File extensions read as articles (case-insensitive)."
    )
    max_bytes: int = Field(
        50_000_000, gt=0, description="Files larger than this are rejected as ingest_too_large."
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


class ExtractParams(_Params):
    nlp_model: str = Field(
        "blank",
        description="'blank' for spacy.blank('en') plus dossier's rules and gazetteers, or the name "
        "or path of an installed trained spaCy pipeline whose entities are merged with ours.",
    )
    batch_size: int = Field(64, gt=0, description="Documents per nlp.pipe batch.")
    n_process: int = Field(1, gt=0, description="Processes for nlp.pipe.")


class DedupParams(_Params):
    shingle_size: int = Field(5, gt=0, description="Words per shingle.")
    num_perm: int = Field(128, gt=0, description="MinHash permutations.")
    lsh_threshold: float = Field(
        0.5, gt=0, lt=1, description="LSH threshold for candidate pairs (kept low for recall)."
    )
    min_similarity: float = Field(
        0.7,
        gt=0,
        le=1,
        description="A candidate pair is a near duplicate when the shingle containment of the "
        "shorter document in the longer one reaches this.",
    )
    seed: int = Field(1, description="Seed of the MinHash permutations.")


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
    cooccurrence_labels: tuple[str, ...] = Field(
        ("PERSON", "ORG", "GPE", "LOC", "NORP", "EQUIPMENT", "EVENT"),
        description="Entity labels counted in cooccurrence (dates are left out).",
    )
    min_cooccurrence_docs: int = Field(
        1, ge=1, description="Entity pairs seen in fewer documents are left out of cooccurrence."
    )
