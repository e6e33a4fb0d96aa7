"""Stage 6, index, beside the rest of the build: what happens to each notice's search record.

A build hands each record to an indexer as soon as the notice is read (``read.notices.Sink``)
and asks for the bundle once the engine is done:

- ``FullIndex`` (``portal build``, the preview's second pass) feeds the records to Pagefind
  on another thread while the build goes on (``search.index.collect``), then writes the
  bundle;
- ``Delta`` (the preview's first pass after an edit) takes the published index as it is and
  indexes only the notices whose record differs from what that index holds, as a second
  bundle (``pagefind/preview/``); the index's entries for those and for removed notices are
  listed as stale. The search page merges the two and drops the stale entries, so search has
  an edit as soon as its page does.
"""

from __future__ import annotations

import functools
import json
import queue
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from generator.errors import SearchIndexError
from generator.i18n import m
from generator.incremental.cache import Cache
from generator.incremental.reuse import Indexed
from generator.output.tree import Tree
from generator.search.facets import Facets
from generator.search.index import Collected, collect, write_bundle
from generator.site.files import Record, SearchRecord

PREVIEW = "preview"
"""The bundle's folder for the notices a preview's first pass changed (``Delta``)."""
PREVIEW_IDS = "p"
"""What the ids of that bundle's pages begin with (``search.facets``: the page's rows)."""
T = TypeVar("T")
R = TypeVar("R")


def _timed(function: Callable[[T], R], argument: T) -> tuple[R, float]:
    started = time.perf_counter()
    return function(argument), time.perf_counter() - started


class _Indexer:
    """What both indexers share: the thread Pagefind runs on, and each record's digest."""

    is_delta = False
    """Whether the search page must merge a second bundle (``Delta``)."""

    def __init__(self) -> None:
        self.fed: dict[str, str] = {}
        """URL -> record digest of every notice this build read."""
        self.facets: dict[str, Facets] = {}
        """URL -> facet values of every notice the bundle holds (``search.facets``)."""
        self.seconds: float | None = None
        """Pagefind's time, spent beside the rest of the build (None: it did not run)."""
        self.shards = ""
        """Index shards taken from the cache, as ``reused/all``."""
        self._pool = ThreadPoolExecutor(1)
        self._indexing: Future[tuple[Collected, float]] | None = None
        self._ended = False

    def __enter__(self) -> _Indexer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.end(complete=False)  # Pagefind stops at once if the build gave up
        self._pool.shutdown(wait=True)

    def start(self, total: int) -> None:
        pass

    def add(self, record: Record) -> None:
        self.fed[record.url] = record.digest

    def end(self, complete: bool) -> None:
        """No more records: all of them (``complete``), or the build stopped. Once."""
        if not self._ended:
            self._ended = True
            self._ending(complete)

    def _ending(self, complete: bool) -> None:
        pass

    def _collected(self) -> Collected | None:
        if self._indexing is None:
            return None
        collected, self.seconds = self._indexing.result()
        self.shards = f"{collected.reused}/{collected.shards}"
        return collected


_END = SearchRecord("", "")
_ABORT = SearchRecord("", "")


class FullIndex(_Indexer):
    """Every record to Pagefind as it comes, on another thread; the bundle at the end."""

    def __init__(self, cache: Cache) -> None:
        super().__init__()
        self.cache = cache
        self._records: queue.SimpleQueue[Record] = queue.SimpleQueue()

    def start(self, total: int) -> None:
        index = functools.partial(collect, cache=self.cache, total=total, newest=True)
        self._indexing = self._pool.submit(_timed, index, self._until_the_end())

    def add(self, record: Record) -> None:
        super().add(record)
        self._records.put(record)

    def _ending(self, complete: bool) -> None:
        self._records.put(_END if complete else _ABORT)

    def _until_the_end(self) -> Iterator[Record]:
        """The records as they come; an error (so Pagefind stops) if the build gave up."""
        while (record := self._records.get()) is not _END:
            if record is _ABORT:
                raise SearchIndexError(m("the build stopped before all notices were indexed"))
            self.facets[record.url] = list(record.facets)
            yield record

    def finish(self, folder: Path, published: Path) -> dict[str, Indexed]:
        """Write the bundle into ``folder`` (linking what the ``published`` one holds alike);
        what it holds of each notice."""
        collected = self._collected()
        if collected is None:
            raise SearchIndexError(m("the build ended before any notice was indexed"))
        ids = write_bundle(collected.files, folder, published, self.facets, newest=collected.newest)
        return {url: Indexed(digest, ids.get(url, "")) for url, digest in self.fed.items()}


class Delta(_Indexer):
    """The published index as it is, plus a small one of the notices that changed."""

    def __init__(self, searched: dict[str, Indexed] | None) -> None:
        """``searched``: what the published index holds; None when unknown (then the first
        pass has no delta, and search follows with the second)."""
        super().__init__()
        self.known = searched is not None
        self.searched = searched or {}
        self.changed: list[Record] = []
        self.stale: list[str] = []

    def add(self, record: Record) -> None:
        super().add(record)
        known = self.searched.get(record.url)
        if self.known and (known is None or known.digest != record.digest):
            self.changed.append(record)
            self.facets[record.url] = list(record.facets)

    def _ending(self, complete: bool) -> None:
        if not complete or not self.known:
            return
        self.stale = sorted(
            known.page_id
            for url, known in self.searched.items()
            if known.page_id and self.fed.get(url) != known.digest
        )
        if self.changed:  # beside generate and the engine
            index = functools.partial(collect, total=len(self.changed))
            self._indexing = self._pool.submit(_timed, index, self.changed)
        self.is_delta = bool(self.stale) or self._indexing is not None

    def finish(self, folder: Path, published: Path) -> dict[str, Indexed] | None:
        """The published bundle linked into ``folder`` (without its own delta), and the delta
        beside it; the published index is still what the site's index holds."""
        search = Tree(folder)
        search.put_tree(published, link=True, skip=(PREVIEW,))
        search.finish()
        if self.is_delta:
            collected = self._collected()
            if collected is not None:
                write_bundle(
                    collected.files, folder / PREVIEW, facets=self.facets, prefix=PREVIEW_IDS
                )
            (folder / PREVIEW).mkdir(exist_ok=True)
            about = {"stale": self.stale, "index": collected is not None, "ids": PREVIEW_IDS}
            (folder / PREVIEW / "preview.json").write_text(json.dumps(about))
        return self.searched if self.known else None
