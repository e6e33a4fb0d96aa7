"""Stage 4, generate: what the portal shows, rendered to HTML and data files, engine-neutral
(``files.py`` holds the data types every later stage shares)."""
