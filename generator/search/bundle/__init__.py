"""Pagefind's bundle, read and rewritten by us: made reproducible and merged from shards.

Every piece of Pagefind's internal format we rely on is named in ``format.py``, which refuses
any Pagefind version other than the one it was written for (``SUPPORTED``).
"""
