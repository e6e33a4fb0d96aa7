"""(Stage 6, index) A second index in the search bundle: the newest notices only.

Most searches are newest first (the search page's default order), and their first page is the
newest few notices that match. Pagefind loads a query's words for every notice of an index,
so at 10,000 notices a first search for 整改 read 1 MB of its positions to show ten notices.
The bundle therefore holds a second index of the ``NEWEST_SIZE`` newest notices (by the date
sort: date, then URL, so that no two tie), as a second language of the same bundle
(``tables.NEWEST_LANGUAGE``; Pagefind picks an index by language, and shares the bundle's
WebAssembly and fragments). Its pages carry the whole index's page ids, so a result from
either is the same fragment and the same facets row. The search page asks it first for the
first page of a newest-first search: when it holds a whole page of results, those are the
first page of the whole index too (the notices newer than its oldest one are all in it), and
they show while the whole index loads for the counts. Its cost does not grow with the archive.

A portal of at most twice ``NEWEST_SIZE`` notices gets none: its whole index is small.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Mapping

from generator.search.bundle import format
from generator.search.bundle.reproducible import (
    WORD_COUNT,
    content_hash,
    kept,
    page_ids,
    reproducible,
)
from generator.site.files import Record
from generator.site.tables import NEWEST_LANGUAGE

NEWEST_ENV = "PORTAL_NEWEST_SIZE"
NEWEST_SIZE = 500
"""Notices in the newest-notices index. 500 of 10,000 synthetic notices: 整改's positions
there are 5% of its 1 MB."""
Bundle = dict[str, bytes]


def size() -> int:
    return int(os.environ.get(NEWEST_ENV) or NEWEST_SIZE)


class Newest:
    """The newest ``limit`` records seen so far (by their sort value), holding no others."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._heap: list[tuple[str, int, Record]] = []
        self._seen = 0

    def add(self, record: Record) -> None:
        if not record.order or self.limit <= 0:
            return
        self._seen += 1
        entry = (record.order, self._seen, record)
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, entry)
        elif entry[0] > self._heap[0][0]:
            heapq.heapreplace(self._heap, entry)

    def records(self) -> list[Record]:
        """The newest records, newest first."""
        return [r for _, _, r in sorted(self._heap, key=lambda e: e[0], reverse=True)]


def with_newest(files: Bundle, newest: Bundle, ids: Mapping[str, str]) -> Bundle:
    """``files`` (the whole, published bundle) with ``newest`` (Pagefind's bundle of the newest
    notices) as its ``NEWEST_LANGUAGE`` index: that bundle's meta, its pages renamed to their
    ids in ``files`` (``ids``: URL -> id), and its index chunks and filters (one whose name
    the whole bundle gives other bytes renamed); its fragments are dropped (the whole
    bundle's serve both)."""
    newest = reproducible(newest)
    own = {page: url for url, page in page_ids(newest).items()}
    ((_, info),) = format.read_entry(newest)["languages"].items()
    meta = format.read_meta(newest[format.meta_path(info["hash"])])
    meta.pages = [[ids[own[page]], WORD_COUNT] for page, _count in meta.pages]
    out = dict(files)

    def put(path_of: Callable[[str], str], chunk: str) -> str:
        content = newest[path_of(chunk)]
        chunk = kept(out, path_of, chunk, content)
        out[path_of(chunk)] = content
        return chunk

    meta.index_chunks = [[a, b, put(format.index_path, c)] for a, b, c in meta.index_chunks]
    meta.filters = [[name, put(format.filter_path, c)] for name, c in meta.filters]
    content = meta.encode()
    language_hash = f"{NEWEST_LANGUAGE}_{content_hash(content, 10)}"
    out[format.meta_path(language_hash)] = content
    entry = format.read_entry(files)
    entry["languages"][NEWEST_LANGUAGE] = {
        "hash": language_hash,
        "wasm": info["wasm"],
        "page_count": len(meta.pages),
    }
    out[format.ENTRY] = format.write_entry(entry)
    return out
