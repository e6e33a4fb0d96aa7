"""Stage 6, index: every piece of Pagefind knowledge (records, the service, the bundle)."""
