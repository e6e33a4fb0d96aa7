"""(Stages 1-7, reuse) What a build reuses from the builds before it, and keeps for the ones after it.

A build asks one ``Reuse`` (the orchestrator never sees the cache):

- each notice file's earlier result (``entry``), keyed by the file's bytes and path, the
  settings, the site and the code, valid on the dates of its ``AsOfWindow``; workers store new
  results (``store_rendered``, ``put_entry``), so a result is checked and rendered once;
- which published pages were made from the same inputs (``earlier``: the engine links them);
- what the published site's search index holds (``searched``: the preview's first pass
  indexes only what differs);
- and, once the site is published, records all of this for the next build (``record``).

A clean build (no cache folder) gets a scratch cache in its staging folder: it finds
nothing, but still keeps each notice's page and rows in files until they are written, so the
build's memory does not grow with the portal's text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.content.load import MAX_FILE_BYTES
from generator.engine.stamp import Earlier
from generator.incremental.cache import Cache, code_fingerprint, digest
from generator.incremental.memory import Memory, signature
from generator.site import notice as notice_module
from generator.site.files import (
    STORED_PARTS,
    PageBody,
    RenderedNotice,
    SearchRecord,
    StoredBody,
    StoredRecord,
    text_of,
)

STORED_KINDS = ("pages", "records", *STORED_PARTS)
"""The cache's files of one rendered notice (``store_rendered``)."""
KINDS = ("notices", *STORED_KINDS, "shards", "bundles")
"""The kinds of entry a full build prunes to what it used."""


@dataclass(frozen=True)
class Job:
    """A notice file to read, with its cache key when a cache is used (the worker keys the
    bytes it reads again: the file may change meanwhile)."""

    path: Path
    context: str = ""
    """What besides the file its result depends on (settings, site, code), as a digest."""
    key: str | None = None


@dataclass(frozen=True)
class AsOfWindow:
    """The dates (``start`` inclusive, ``end`` exclusive) on which a notice's rendering holds
    but for the date itself (``content.model.as_of_window``)."""

    start: dt.date
    end: dt.date

    def holds(self, day: dt.date) -> bool:
        return self.start <= day < self.end


@dataclass(frozen=True)
class Entry:
    """A notice's stored result and the dates it holds on."""

    window: AsOfWindow
    value: Any
    """The reading stage's result for the file (``read.notices.NoticeResult``)."""


@dataclass(frozen=True)
class Indexed:
    """What a search index holds of one notice."""

    digest: str
    """Of its search record."""
    page_id: str
    """Its page's id in the index ("" when the index has none)."""


@dataclass(frozen=True)
class Published:
    """What the last build with this cache recorded about the site it published."""

    identity: tuple[int, int]
    """The site folder's device and inode: another build that published since changes it."""
    made: dict[str, str]
    """What each stamped page was made from (``Earlier.made_from``)."""
    searched: dict[str, Indexed] | None
    """Each notice's URL -> what the site's search index holds of it."""


def file_key(path: Path, data: bytes, context: str) -> str:
    return digest(str(path), data, context)


def readable(path: Path) -> bytes | None:
    """The file's bytes, unless the load stage is to report a problem with it."""
    try:
        if path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


class Reuse:
    """One build's view of its cache (see the module docstring)."""

    def __init__(self, cache: Cache, site_dir: Path) -> None:
        self.cache = cache
        self.site_dir = site_dir
        self._published = self._read_published()

    @staticmethod
    @contextlib.contextmanager
    def opened(
        stage: Path, cache_dir: Path | None, memory: Memory | None, site_dir: Path
    ) -> Iterator[Reuse]:
        """The cache in ``cache_dir`` (or a scratch one in ``stage``), locked for this build."""
        code = code_fingerprint(notice_module.TEMPLATES)  # read now: a test may point it elsewhere
        if cache_dir:
            cache = Cache(cache_dir, code, memory=memory)
        else:
            cache = Cache(stage / "scratch", code, scratch=True)
        with cache.locked():
            yield Reuse(cache, site_dir)

    # -- notices ---------------------------------------------------------------------------

    def jobs(self, files: list[Path], *context: str) -> list[Job]:
        """A job per file; each file's stored parts are kept through ``prune``."""
        shared = self.cache.key(*context)
        jobs = [self._job(path, shared) for path in files]
        for job in jobs:
            if job.key:
                for kind in STORED_KINDS:  # workers store these, in their own processes
                    self.cache.mark(kind, job.key)
        return jobs

    def _job(self, path: Path, context: str) -> Job:
        memory, name = self.cache.memory, str(path)
        known = memory.file_key(name, context) if memory else None
        if known:
            return Job(path, context, known)
        before = signature(name) if memory else None
        data = readable(path)
        key = file_key(path, data, context) if data is not None else None
        if memory and key:
            memory.learn_file(name, before, context, key)
        return Job(path, context, key)

    def entry(self, job: Job, restore: Callable[[Any], Any]) -> Entry | None:
        """The job's stored entry: the one this process remembers, or the one on disk with
        its value passed through ``restore`` (None: unusable), then remembered."""
        if job.key is None:
            return None
        remembered = self.cache.remembered("notices", job.key)
        if isinstance(remembered, Entry):
            return remembered
        entry = self.cache.get("notices", job.key)
        if not isinstance(entry, Entry) or not isinstance(entry.window, AsOfWindow):
            return None
        value = restore(entry.value)
        if value is None:
            return None
        entry = replace(entry, value=value)
        self.cache.remember("notices", job.key, entry)
        return entry

    def remember(self, key: str, entry: Entry) -> None:
        """Keep an entry a worker stored, for the preview's next build (``Memory``)."""
        self.cache.remember("notices", key, entry)

    def restored(self, key: str, rendered: RenderedNotice) -> RenderedNotice | None:
        """``rendered`` pointed at its stored files where they are now (the project may have
        moved); None if any is missing."""
        body, record = rendered.page.body, rendered.record
        if not (isinstance(body, StoredBody) and isinstance(record, StoredRecord)):
            return rendered
        if not all(self.cache.path(kind, key).is_file() for kind in STORED_KINDS):
            return None
        return _in_files(rendered, self.cache, key, body, record)

    # -- pages and search index of the published site ----------------------------------------

    def earlier(self, taken: tuple[str, ...] = ()) -> Earlier | None:
        """The published site's pages to link where this build makes the same (none for a
        scratch cache); ``taken``: files to link as they are."""
        if self.cache.scratch:
            return None
        made = self._published.made if self._published else {}
        return Earlier(self.site_dir, made, taken)

    def searched(self) -> dict[str, Indexed] | None:
        """What the published site's search index holds, if this cache knows."""
        return self._published.searched if self._published else None

    def record(
        self, earlier: Earlier | None, searched: dict[str, Indexed] | None, prune: bool
    ) -> None:
        """After publishing: what the new site was made from, for the next build; with
        ``prune``, the entries this build did not use are removed."""
        if earlier is None:  # a scratch cache
            return
        here = self.site_dir.stat()
        value = Published((here.st_dev, here.st_ino), earlier.now, searched)
        self.cache.put("stamped", self._published_key(), value)
        if prune:
            self.cache.prune(KINDS)

    def _published_key(self) -> str:
        return digest(str(self.site_dir.absolute()))

    def _read_published(self) -> Published | None:
        if self.cache.scratch:
            return None
        kept = self.cache.get("stamped", self._published_key())
        try:
            here = self.site_dir.stat()
        except OSError:
            return None
        if not isinstance(kept, Published) or kept.identity != (here.st_dev, here.st_ino):
            return None  # another build (say, one without the cache) published since
        return kept


def _in_files(
    rendered: RenderedNotice, cache: Cache, key: str, body: StoredBody, record: StoredRecord
) -> RenderedNotice:
    """``rendered`` with its page, record and parts read from the cache's files under ``key``."""
    rows, entry, csv = (cache.path(part, key) for part in STORED_PARTS)
    page = replace(rendered.page, body=replace(body, file=cache.path("pages", key)))
    return replace(
        rendered,
        page=page,
        record=replace(record, file=cache.path("records", key)),
        ledger_rows=rows,
        json=entry,
        csv=csv,
    )


def store_rendered(
    cache: Cache, key: str, rendered: RenderedNotice, as_of: dt.date
) -> RenderedNotice:
    """Write a rendered notice's page, record and parts into the cache (in a worker); the
    notice as files, or as it was if any could not be written."""
    body, record = rendered.page.body, rendered.record
    if not (isinstance(body, PageBody) and isinstance(record, SearchRecord)):
        return rendered
    texts = {
        "pages": body.html,
        "records": record.html,
        **{part: text_of(getattr(rendered, part)) for part in STORED_PARTS},
    }
    if not all(cache.put_bytes(kind, key, text.encode()) for kind, text in texts.items()):
        return rendered
    stored_body = StoredBody(body.title, Path(), as_of.isoformat())
    stored_record = StoredRecord(record.url, Path(), record.digest, record.facets, record.order)
    return _in_files(rendered, cache, key, stored_body, stored_record)


def put_entry(cache: Cache, key: str, entry: Entry) -> bool:
    """Store a notice's result for later builds (in a worker); whether it was stored."""
    return not cache.scratch and cache.put("notices", key, entry)
