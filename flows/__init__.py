"""dossier's flows: the pipeline, its parameters and its command line."""
