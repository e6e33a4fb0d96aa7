"""(Stage 6, index) The notices that hold each word most often, for a relevance search's first page.

A search by relevance orders the notices holding the query by how often they hold it
(``search-engine.js``: the positions of its words; newest first among equals), so its first
page needs every matching notice's positions: at 10,000 notices 整改's are 1 MB, loaded to
show ten notices. The bundle therefore also holds, for each two-character word (a bigram:
``search.records``), the ``TOP_SIZE`` notices holding it most often (newest first among
equals) with how often, and the same of the first notice left out, or nothing when none was;
and the ``TOP_SIZE`` newest notices holding it, for a newest-first first page (before the
newest notices' index, ``search.newest``, which any query can use but which costs more).

The search page reads the lists of a one-term query's words (``fromLists()`` in the engine): for a
term of one bigram (整改, 巡视: most Chinese words) the list is the whole index's order. A
notice holds a longer term of different characters at most as often as any of its bigrams,
so the page goes down one word's list counting the term in each notice's own text (its
fragment, which it loads to show it anyway) until no notice further down, nor any left out,
can come before its page's last one; if it cannot tell, it waits for the whole index.

Files: ``top/<hash>.pf_top`` (gzip JSON: ``[[word, left out, [[page id, rank, count], …],
pages holding it, newest [[page id, rank], …]], …]`` in word order, about ``CHUNK_BYTES``
each), listed in
``top/<hash>.json`` (``[[first word, last word, file], …]``), which ``pagefind-entry.json``
names (``tables.TOP_ENTRY``). ``left out``: ``[count, rank]``. ``rank``: the page's place
newest first (0 the newest; a page without a date is in no list: a newest-first search
leaves it out, as Pagefind does).
"""

from __future__ import annotations

import gzip
import heapq
import json
import os
import re
from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from generator.search.bundle import format
from generator.search.bundle.reproducible import content_hash
from generator.site.tables import HAN, INDEX_LANGUAGE, TOP_ENTRY

TOP_ENV = "PORTAL_TOP_SIZE"
TOP_SIZE = 30
"""Notices per word: three pages of results."""
CHUNK_BYTES = 24_000
"""Uncompressed size at which a file of lists is closed."""
WORKING = "portal-top.json"
"""The lists by page number, in a merged bundle until the pages get their ids
(``search.index.write_bundle``)."""
FOLDER = "top"
_BIGRAM = re.compile(f"[{HAN}]{{2}}")
Posting = list[Any]
"""Pagefind's posting: ``[page number delta, locations, meta locations]``; a location is the
delta from the previous one, a negative number a weight for the ones after it (counted from 0
again)."""


def size() -> int:
    return int(os.environ.get(TOP_ENV) or TOP_SIZE)


class Tops:
    """Each bigram's most frequent and newest pages, from the words of an index as they
    stream by."""

    def __init__(self, limit: int, ascending: list[int]) -> None:
        """``ascending``: the page numbers in ascending order of the date sort."""
        self.limit = limit
        self.rank = {page: len(ascending) - 1 - k for k, page in enumerate(ascending)}
        self.words: dict[str, list[Any]] = {}

    def add(self, word: str, postings: list[Posting]) -> None:
        """A word and all its postings (page numbers delta-coded from 0). A posting's number of
        locations bounds how often its page holds the word (weights are few), so only the
        postings that may be among the most frequent are counted."""
        if not _BIGRAM.fullmatch(word):
            return
        pages = []
        page = 0
        for posting in postings:
            page += posting[0]
            pages.append((len(posting[1]), page, posting[1]))
        pages.sort(key=itemgetter(0), reverse=True)
        worst: list[tuple[int, int, int]] = []  # (count, -rank, page) of the best so far
        room = self.limit + 1
        for bound, page, locations in pages:
            if len(worst) == room and bound < worst[0][0]:
                break
            rank = self.rank.get(page)
            count = sum(1 for value in locations if value >= 0)
            if rank is None or not count:
                continue
            key = (count, -rank, page)
            if len(worst) < room:
                heapq.heappush(worst, key)
            elif key > worst[0]:
                heapq.heapreplace(worst, key)
        kept = sorted(worst, key=lambda k: (-k[0], -k[1]))
        if not kept:
            return
        left = [kept[self.limit][0], -kept[self.limit][1]] if len(kept) > self.limit else None
        listed = [[page, -rank, n] for n, rank, page in kept[: self.limit]]
        self.words[word] = [left, listed, len(postings), self._newest(pages)]

    def _newest(self, pages: list[tuple[int, int, list[int]]]) -> list[list[int]]:
        """The ``limit`` newest pages holding the word: ``[[page, rank], …]``, newest first."""
        dated = sorted((self.rank[page], page, at) for _, page, at in pages if page in self.rank)
        newest = []
        for rank, page, locations in dated:
            if any(value >= 0 for value in locations):
                newest.append([page, rank])
                if len(newest) == self.limit:
                    break
        return newest

    def encode(self) -> bytes:
        return json.dumps(self.words, separators=(",", ":")).encode()


def with_top(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` with its working lists (``WORKING``, by page number) written as the lists'
    files under the pages' ids. A bundle without them is returned as it is."""
    working = files.get(WORKING)
    if working is None:
        return files
    pages = _page_ids(files)
    out = {path: content for path, content in files.items() if path != WORKING}
    words: dict[str, list[Any]] = json.loads(working)
    listed: list[list[str]] = []
    chunk: list[Any] = []
    size = 0

    def close() -> None:
        nonlocal chunk, size
        content = gzip.compress(
            json.dumps(chunk, ensure_ascii=False, separators=(",", ":")).encode(), 9, mtime=0
        )
        name = f"{FOLDER}/{content_hash(content, 10)}.pf_top"
        out[name] = content
        listed.append([chunk[0][0], chunk[-1][0], name])
        chunk, size = [], 0

    for word in sorted(words):
        left, kept, held, newest = words[word]
        row = [
            word,
            left,
            [[pages[page], rank, count] for page, rank, count in kept],
            held,
            [[pages[page], rank] for page, rank in newest],
        ]
        chunk.append(row)
        size += len(json.dumps(row, ensure_ascii=False))
        if size >= CHUNK_BYTES:
            close()
    if chunk:
        close()
    content = json.dumps(listed, ensure_ascii=False, separators=(",", ":")).encode()
    name = f"{FOLDER}/{content_hash(content, 10)}.json"
    out[name] = content
    entry = format.read_entry(out)
    entry[TOP_ENTRY] = name
    out[format.ENTRY] = format.write_entry(entry)
    return out


def _page_ids(files: Mapping[str, bytes]) -> list[str]:
    """The whole index's page ids in page-number order."""
    info = format.read_entry(dict(files))["languages"][INDEX_LANGUAGE]
    return [page for page, _count in format.read_meta(files[format.meta_path(info["hash"])]).pages]
