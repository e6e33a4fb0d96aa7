"""Stage 7, publish: the built folder brought up to date and swapped in atomically, and the
Content-Security-Policy of every page."""
