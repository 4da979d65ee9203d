"""dossier's steps: one module per step (a pure function and a thin Prefect task), plus the shared
schemas, store and quality layers they use."""
