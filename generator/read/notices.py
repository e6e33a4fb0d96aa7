"""Stages 1-4 for every notice, in parallel, with what earlier builds left (``Reuse``).

Each file is read on its own (``read_notice``) in worker processes; a file whose bytes,
settings, site and code are unchanged keeps its earlier result, if that holds on the as-of
date. Each rendered notice's search record goes to the ``Sink`` (the indexer) as soon as the
notice is read; then the rules across files run, and the portal is assembled only when no
file has an error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from generator.content.history import History, trace
from generator.content.load import find_files
from generator.content.model import Notice, Portal, as_of_window, assemble, window_around
from generator.content.settings import load_settings
from generator.content.validate import FOLLOWS_LINE, duplicate_ids
from generator.errors import ContentError, Diagnostic, errors_in
from generator.incremental.cache import Cache
from generator.incremental.reuse import (
    AsOfWindow,
    Entry,
    Job,
    Reuse,
    file_key,
    put_entry,
    readable,
    store_rendered,
)
from generator.read.notice import NoticeResult, StoredAs, read_notice
from generator.site.files import Record, RenderedNotice, Site
from generator.site.notice import with_as_of, with_history

WORKERS_ENV = "PORTAL_WORKERS"
"""How many processes check and render notices (default: one per core, one for few files)."""


class Sink(Protocol):
    """Where each rendered notice's search record goes as soon as it is read (the indexer)."""

    def start(self, total: int) -> None:
        """Called once the worker processes run (a thread started before a fork is unsafe)."""

    def add(self, record: Record) -> None: ...


@dataclass
class Reading:
    """Every notice read: the portal when no file has an error, every problem found, and the
    notices' rendered parts by id (their search records went to the sink)."""

    problems: list[Diagnostic]
    portal: Portal | None = None
    rendered: dict[str, RenderedNotice] = field(default_factory=dict)
    reused: int = 0
    """Notices whose earlier result was reused (drafts left out are not counted)."""
    drafts: list[str] = field(default_factory=list)
    """Files of the drafts left out (``draft: true``; a preview keeps them)."""

    def checked(self) -> Portal:
        """The portal, or every problem as a ``ContentError``."""
        if self.portal is None:
            raise ContentError(self.problems)
        return self.portal


def read_notices(
    paths: list[Path],
    as_of: dt.date,
    settings: Path,
    site: Site | None = None,
    reuse: Reuse | None = None,
    sink: Sink | None = None,
    keep_bodies: bool = True,
    drafts: bool = False,
) -> Reading:
    """Every file under ``paths`` read (and, given a ``site``, rendered), then the rules
    across files. Without ``keep_bodies`` the portal cannot be rendered (``portal check``).
    Drafts are checked like every notice, then left out unless ``drafts`` (the preview):
    nothing of theirs reaches a page, list, feed, data file or the search index."""
    portal_settings, problems = load_settings(settings)
    files, more = find_files(paths)
    contacts = portal_settings.channels
    if site is None or not keep_bodies:
        reuse = None  # only built results are kept
    jobs = reuse.jobs(files, repr(contacts), repr(site)) if reuse else [Job(f) for f in files]
    kept = [_kept(reuse, job, as_of) for job in jobs]
    todo = [job for job, old in zip(jobs, kept, strict=True) if old is None]
    task = functools.partial(_read_job, as_of=as_of, contacts=contacts, site=site,
                             keep_body=keep_bodies, cache=reuse.cache if reuse else None)  # fmt: skip
    reading = Reading(problems + more)
    claims = []
    notices = []
    followed = _followed(files) if sink else set()
    held: list[str] = []
    unreadable: set[str] = set()
    with _parallel(task, todo) as computed:
        if sink:
            sink.start(len(files))
        for job, old in zip(jobs, kept, strict=True):
            result = old or next(computed)
            if result.notice is None and errors_in(result.problems):
                unreadable.add(result.claim.id if result.claim else job.path.stem)
            if result.stored and reuse:
                result = _remembered(reuse, result)
            reading.problems += result.problems
            claims += [result.claim] if result.claim else []
            if result.notice and result.notice.draft and not drafts:
                reading.drafts.append(result.notice.path)
                continue
            reading.reused += old is not None
            if result.notice:
                notices.append(result.notice)
            if result.rendered and result.notice:
                n = result.notice
                hold = bool(n.follows) or n.id in followed
                held += [n.id] if hold else []
                _hand_on(result.rendered, n.id, reading, sink, hold)
    history = trace(notices, as_of, frozenset(unreadable))
    reading.problems = sorted(reading.problems + duplicate_ids(claims) + history.problems)
    if not errors_in(reading.problems):
        reading.portal = assemble(history.notices, as_of, history.rounds,
                                  portal_settings.identity)  # fmt: skip
        if site is not None:
            _with_history(reading, history, notices, site)
    for notice_id in held:
        rendered = reading.rendered.get(notice_id)
        if rendered and rendered.record and sink:
            sink.add(rendered.record)
        if rendered:
            reading.rendered[notice_id] = replace(rendered, record=None)
    return reading


def _followed(files: list[Path]) -> set[str]:
    """The ids follow-up notices name (``follows:`` in their front matter), read before any
    notice is: these notices' search records wait until the notices after them are known."""
    named: set[str] = set()
    for path in files:
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            end = data.find(b"\n---", 3)
            named.update(m.decode() for m in FOLLOWS_LINE.findall(data[: end if end > 0 else None]))
    return named


def _with_history(reading: Reading, history: History, before: list[Notice], site: Site) -> None:
    """Each rendered notice whose items the history changed, made anew from its parts."""
    names = {r.id: r.name for r in history.rounds}
    unchanged = {id(n) for n in before}
    for notice in history.notices:
        rendered = reading.rendered.get(notice.id)
        if id(notice) in unchanged or rendered is None:
            continue
        reading.rendered[notice.id] = with_history(
            rendered, notice, site, names.get(notice.round_id, "")
        )


def _hand_on(
    rendered: RenderedNotice, notice_id: str, reading: Reading, sink: Sink | None, hold: bool
) -> None:
    """The record to the sink, or kept until the history is known (``hold``: a notice of a
    round); the rest kept (in the cache's files when it could)."""
    if hold and sink:
        reading.rendered[notice_id] = rendered
        return
    if sink and rendered.record:
        sink.add(rendered.record)
    reading.rendered[notice_id] = replace(rendered, record=None)


def _remembered(reuse: Reuse, result: NoticeResult) -> NoticeResult:
    """A result a worker stored, remembered for the preview's next build (``Memory``)."""
    assert result.stored is not None
    stored, result = result.stored, replace(result, stored=None)
    reuse.remember(stored.key, Entry(AsOfWindow(stored.start, stored.end), result))
    return result


def _workers(files: int) -> int:
    if os.environ.get(WORKERS_ENV):
        return max(1, int(os.environ[WORKERS_ENV]))
    return 1 if files < 64 else min(os.cpu_count() or 1, 8)


@contextlib.contextmanager
def _parallel(
    task: Callable[[Job], NoticeResult], jobs: list[Job]
) -> Iterator[Iterator[NoticeResult]]:
    """``task`` over ``jobs``, in order, in worker processes when there are many."""
    workers = _workers(len(jobs))
    if workers == 1:
        yield map(task, jobs)
        return
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        yield executor.map(task, jobs, chunksize=4)
    finally:
        executor.shutdown(cancel_futures=True)


def _kept(reuse: Reuse | None, job: Job, as_of: dt.date) -> NoticeResult | None:
    """The file's earlier result, if nothing it depends on changed and it holds on ``as_of``."""
    if reuse is None or job.key is None:
        return None
    entry = reuse.entry(job, functools.partial(_restore, reuse, job.key))
    if entry is None or not entry.window.holds(as_of):
        return None
    result: NoticeResult = entry.value
    if result.rendered is None:
        return result
    return replace(result, rendered=with_as_of(result.rendered, as_of))


def _restore(reuse: Reuse, key: str, value: Any) -> NoticeResult | None:
    """A stored result as this build can use it, or None."""
    if not isinstance(value, NoticeResult):
        return None
    if value.rendered is None:
        return value
    rendered = reuse.restored(key, value.rendered)
    return replace(value, rendered=rendered) if rendered else None


def _read_job(
    job: Job,
    as_of: dt.date,
    contacts: dict[str, Any] | None,
    site: Site | None,
    keep_body: bool,
    cache: Cache | None,
) -> NoticeResult:
    """``read_notice`` in a worker: the rendered parts go into the cache's files, and the
    result is stored there with the dates it holds on."""
    data = readable(job.path) if job.key else None
    result = read_notice(job.path, as_of, contacts, site, keep_body, data)
    if cache is None or data is None:
        return result
    key = file_key(job.path, data, job.context)  # of the bytes read
    if result.rendered:
        result = replace(result, rendered=store_rendered(cache, key, result.rendered, as_of))
    start, end = window_around(result.turns, as_of)
    if result.notice:
        notice_start, notice_end = as_of_window(result.notice, as_of)
        start, end = max(start, notice_start), min(end, notice_end)
    window = AsOfWindow(start, end)
    if put_entry(cache, key, Entry(window, result)):
        return replace(result, stored=StoredAs(key, window.start, window.end))
    return result
