"""(Stage 6, index) Each word's notices and how often each holds it, without its positions.

The search page reads the whole index itself (``assets/pagefind-index.js``) to number the
results, count the facets and order by relevance; for a term of one word (整改, 巡视: a
two-character query is one bigram, ``search.records``) it needs only which notices hold the
word and how often, yet Pagefind's index chunk holds every position of it in every notice:
at 10,000 notices 整改's chunk is 1.27 MB, 933,000 positions, for 10,000 pairs of numbers. A
merged bundle therefore also holds, for every word, its pages and their counts (positions
in the text, its weights left out; a page holding the word only in its meta counts 0), the
same numbers the page would take from the chunk; a term of several words (a phrase) still
needs the positions.

Files: ``counts/<hash>.pf_counts`` (gzip JSON: ``[[word, [page number deltas], [counts]],
…]`` in word order, about ``CHUNK_BYTES`` each; page numbers are the meta file's, the first
delta from 0), listed in ``counts/<hash>.json`` (``[[bound, file], …]``), which
``pagefind-entry.json`` names (``tables.COUNTS_ENTRY``). A file's bound is the shortest prefix
of its first word that sorts after the previous file's last word ("" for the first file): a
word is in the last file whose bound sorts before it or equals it, or in none (the words'
own bounds were up to 300 characters: a meta value is one word).
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from generator.search.bundle.reproducible import content_hash

CHUNK_BYTES = 150_000
"""Uncompressed size (characters) at which a file of counts is closed (about 30 KB over the
wire); a word's row is never split."""
FOLDER = "counts"


class Counts:
    """Each word's pages and counts, as the words of a merged index stream by, written into
    ``files`` as they fill (``close()`` writes the last one and the listing)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.listed: list[list[str]] = []
        self.rows: list[str] = []
        self.words: list[str] = []  # the first and last word of the rows
        self.before = ""  # the last word of the previous file
        self.size = 0

    def add(self, word: str, postings: list[Any]) -> None:
        """A word and all its postings (``[page delta, locations, meta locations]``, page
        numbers delta-coded from 0; a negative location is a weight)."""
        deltas = [posting[0] for posting in postings]
        counts = [len(p[1]) - sum(map((0).__gt__, p[1])) for p in postings]
        row = json.dumps([word, deltas, counts], ensure_ascii=False, separators=(",", ":"))
        self.rows.append(row)
        self.words[1:] = [word] if self.words else [word, word]
        self.size += len(row)
        if self.size >= CHUNK_BYTES:
            self._write()

    def _write(self) -> None:
        first, last = self.words
        content = gzip.compress(("[" + ",".join(self.rows) + "]").encode(), 6, mtime=0)
        name = f"{FOLDER}/{content_hash(content, 10)}.pf_counts"
        self.files[name] = content
        self.listed.append([bound(self.before, first) if self.listed else "", name])
        self.rows, self.words, self.size, self.before = [], [], 0, last

    def close(self) -> str:
        """Write the last file and the listing; the listing's path."""
        if self.rows:
            self._write()
        content = json.dumps(self.listed, ensure_ascii=False, separators=(",", ":")).encode()
        name = f"{FOLDER}/{content_hash(content, 10)}.json"
        self.files[name] = content
        return name


def bound(before: str, first: str) -> str:
    """The shortest prefix of ``first`` that sorts after ``before`` (``before`` < ``first``)."""
    return next(first[:n] for n in range(1, len(first) + 1) if first[:n] > before)
