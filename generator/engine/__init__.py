"""Stage 5, engine: every piece of MkDocs, Material and Python-Markdown knowledge."""
