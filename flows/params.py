"""The flow's parameters: one typed model composed of each step's model.

Prefect renders this model as the form of a custom run in the UI, with every default and
description; the CLI builds the same model from its options.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tasks.params import AggregateParams, CleanParams, DedupParams, ExtractParams, IngestParams


class PipelineParameters(BaseModel):
    """Everything one run of the dossier pipeline depends on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input_dir: str = Field("seeds", description="Folder of articles to read (recursively).")
    output_dir: str = Field("data", description="Output root: each run writes runs/RUN_ID/ under it and moves latest.")
    run_id: str | None = Field(
        None, description="Leave empty: a new id that sorts by time is made for every run."
    )
    ingest: IngestParams = Field(default_factory=IngestParams)
    clean: CleanParams = Field(default_factory=CleanParams)
    extract: ExtractParams = Field(default_factory=ExtractParams)
    dedup: DedupParams = Field(default_factory=DedupParams)
    aggregate: AggregateParams = Field(default_factory=AggregateParams)
