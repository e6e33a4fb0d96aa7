"""The orchestrator: one function per command, reading like the pipeline it runs."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import multiprocessing
import os
import queue
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from markdown_it import MarkdownIt

from . import engine, index, publish
from .cache import Cache, Memory, StoredPage, StoredRecord, digest, signature
from .data import JOINED
from .diagnostics import ContentError, Diagnostic, errors_in
from .generate import (
    STORED_PARTS,
    Page,
    RenderedNotice,
    Site,
    generate,
    render_notice,
    text_of,
)
from .load import MAX_FILE_BYTES, find_files, load_file, markdown
from .model import Notice, Portal, as_of_window, assemble, make_notice
from .records import SearchPage
from .settings import load_settings
from .tree import Tree
from .validate import IdClaim, duplicate_ids, id_claim, validate_file

T = TypeVar("T")
Record = SearchPage | StoredRecord
R = TypeVar("R")
CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class BuildOptions:
    content: Path = Path("content")
    site: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    as_of: dt.date | None = None
    """The date overdue is computed against; default: SOURCE_DATE_EPOCH, else today in China."""
    cache: Path | None = None
    """Where to keep what the next build may reuse (``cache.py``): each notice's checked and
    rendered result while its file, the settings and the code are unchanged, and the search
    index's shards. None: every build starts from nothing."""
    search_from: Path | None = None
    """Take the search index from this published site instead of indexing: the preview's
    first pass after an edit, so the page shows at once and search follows (``serve.py``)."""
    memory: Memory | None = None
    """What a long-running preview keeps between its builds with ``cache`` (``cache.Memory``)."""


@dataclass
class BuildReport:
    """What a build did, for the CLI and the benchmark."""

    notices: int = 0
    items: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    engine_warnings: list[str] = field(default_factory=list)
    reused: int = 0
    """Notices whose earlier result was reused (``BuildOptions.cache``)."""
    shards_reused: str = ""
    """Index shards taken from the cache, as ``reused/all``."""
    linked: int = 0
    """Pages linked from the published site: made from the same inputs (``engine.Earlier``)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time per stage: check (load and validate), generate, engine, index (what remained of
    it once the engine was done, and writing the bundle), publish; and the indexer's own time,
    spent beside generate and the engine."""


def as_of_date(explicit: dt.date | None = None) -> dt.date:
    if explicit:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), CHINA).date()
    return dt.datetime.now(CHINA).date()


def check(
    paths: list[Path],
    as_of: dt.date | None = None,
    settings: Path = Path("portal.yml"),
    keep_bodies: bool = True,
) -> tuple[Portal | None, list[Diagnostic]]:
    """Load and validate notices and portal settings; the model when there is no error.
    Never writes anything. Without ``keep_bodies`` the model cannot be rendered (it is
    smaller: ``portal check`` only counts)."""
    reading = _read(paths, as_of_date(as_of), settings, None, keep_bodies=keep_bodies)
    return reading.portal, reading.problems


def build(options: BuildOptions) -> BuildReport:
    """Check everything, generate, run the engine and Pagefind in staging, then publish.

    Each notice is checked and rendered on its own, on every core (``_one_file``), and goes to
    Pagefind as soon as it is rendered: Pagefind indexes while the rest of the build runs."""
    thresholds = gc.get_threshold()
    # A build makes millions of objects that live to its end; the default thresholds ran the
    # cyclic collector over them again and again (3,000 notices: 70 s, 61 s with these).
    gc.set_threshold(100_000, 50, 100)
    try:
        return _build(options)
    finally:
        gc.set_threshold(*thresholds)


def _build(options: BuildOptions) -> BuildReport:
    report = BuildReport()
    as_of = as_of_date(options.as_of)
    site = engine.read_site(options.config)
    try:
        with publish.staging(options.site, keep_replaced=options.cache is not None) as stage:
            cache = (
                Cache(options.cache, memory=options.memory)
                if options.cache
                else Cache(stage / "scratch", True)
            )
            with cache.locked():
                _stages(options, report, as_of, site, stage, cache)
    except OSError as exc:  # a full disk, a read-only or vanished output folder
        where = f" {exc.filename}" if exc.filename else ""
        raise publish.PublishError(
            f"cannot write{where}: {exc.strerror or exc}; the published site was left as it was"
        ) from exc
    return report


def _stages(
    options: BuildOptions,
    report: BuildReport,
    as_of: dt.date,
    site: Site,
    stage: Path,
    cache: Cache,
) -> None:
    clock = _Clock(report)
    records: queue.SimpleQueue[Record | None] = queue.SimpleQueue()
    indexed = options.search_from is None
    searched = cache.searched(options.site)
    delta = _Delta(searched) if not indexed and searched is not None else None
    fed: dict[str, str] = {}  # URL -> record digest of every notice

    def on_record(record: Record) -> None:
        fed[record.url] = record.digest
        if indexed:
            records.put(record)
        elif delta:
            delta.add(record)

    with ThreadPoolExecutor(1) as pool:

        def start_indexing(total: int) -> Future[tuple[index.Collected, float]]:
            collect = functools.partial(index.collect, cache=cache, total=total)
            return pool.submit(_timed, collect, _until_the_end(records))

        checked = False
        try:
            reading = _read(
                [options.content],
                as_of,
                options.config.parent / "portal.yml",
                site,
                start_indexing if indexed else None,
                on_record,
                cache=cache,
            )
            checked = reading.portal is not None
        finally:
            records.put(None if checked else _ABORT)  # Pagefind stops at once on bad content
        portal, indexing = reading.portal, reading.indexing
        if portal is None or (indexed and indexing is None):
            raise ContentError(reading.problems)
        report.warnings, report.notices = reading.problems, len(portal.notices)
        report.reused = reading.reused
        report.items = len(portal.items)
        clock.lap("check")
        stale = delta.stale(fed) if delta else []
        if delta and delta.changed:  # beside generate and the engine
            collect = functools.partial(index.collect, total=len(delta.changed))
            indexing = pool.submit(_timed, collect, delta.changed)
        previewed = not indexed and (bool(stale) or indexing is not None)  # a search delta
        generated = generate(portal, site, reading.rendered, previewed)
        reading.rendered.clear()
        clock.lap("generate")
        made_from = cache.stamped(options.site)
        earlier = engine.Earlier(options.site, made_from or {}) if not cache.scratch else None
        # the preview's first pass takes the joined data files as they are, like the search
        # index: 1.2 s of 3.4 s at 10,000 notices; the second pass makes them
        taken = JOINED if options.search_from else ()
        report.engine_warnings = engine.build_html(
            options.config, generated.files, stage, as_of, earlier, (index.FOLDER,), taken
        )
        report.linked = earlier.linked if earlier else 0
        clock.lap("engine")
        folder = stage / "site" / index.FOLDER
        if indexed:
            assert indexing is not None
            collected, report.seconds["index (beside the others)"] = indexing.result()
            report.shards_reused = f"{collected.reused}/{collected.shards}"
            ids = index.write_bundle(collected.files, folder, options.site / index.FOLDER)
            searched = {url: (fed[url], ids.get(url, "")) for url in fed}
        else:
            assert options.search_from is not None
            search = Tree(folder)  # the published bundle, without its own delta
            search.put_tree(options.search_from / index.FOLDER, link=True, skip=(_PREVIEW,))
            search.finish()
            if previewed:
                if indexing is not None:
                    collected, report.seconds["index (beside the others)"] = indexing.result()
                    index.write_bundle(collected.files, folder / _PREVIEW)
                (folder / _PREVIEW).mkdir(exist_ok=True)
                about = {"stale": stale, "index": indexing is not None}
                (folder / _PREVIEW / "preview.json").write_text(json.dumps(about))
        clock.lap("index")
        publish.publish(stage / "site", options.site)
        clock.lap("publish")
        if earlier:
            cache.keep_stamped(options.site, earlier.now, searched)
        if indexed and not cache.scratch:  # (the preview's second pass prunes)
            cache.prune(("notices", *STORED_KINDS, "shards", "bundles"))


_ABORT = SearchPage("", "")
_PREVIEW = "preview"
"""The search bundle's folder for the notices a preview's first pass changed (``_Delta``)."""


class _Delta:
    """The preview's first pass takes the published search index as it is; the notices whose
    search record differs from what that index holds are indexed on their own (a second
    bundle, ``pagefind/preview/``), and the index's entries for them and for removed notices
    are listed as stale. The search page merges the two and drops the stale entries
    (``search.js``), so search has an edit as soon as its page does."""

    def __init__(self, searched: dict[str, tuple[str, str]]) -> None:
        self.searched = searched
        self.changed: list[Record] = []

    def add(self, record: Record) -> None:
        if self.searched.get(record.url, ("",))[0] != record.digest:
            self.changed.append(record)

    def stale(self, fed: dict[str, str]) -> list[str]:
        """Ids of the published index's pages that are no longer as they were."""
        return sorted(
            page for url, (made, page) in self.searched.items() if page and fed.get(url) != made
        )


def _until_the_end(records: queue.SimpleQueue[Record | None]) -> Iterator[Record]:
    """The records as they come; an error (so Pagefind stops) if the build gave up."""
    while (record := records.get()) is not None:
        if record is _ABORT:
            raise index.SearchIndexError("the build stopped before all notices were indexed")
        yield record


WORKERS_ENV = "PORTAL_WORKERS"
"""How many processes check and render notices (default: one per core, one for few files)."""


def _workers(files: int) -> int:
    if os.environ.get(WORKERS_ENV):
        return max(1, int(os.environ[WORKERS_ENV]))
    return 1 if files < 64 else min(os.cpu_count() or 1, 8)


@dataclass
class _Reading:
    portal: Portal | None
    problems: list[Diagnostic]
    rendered: dict[str, RenderedNotice] = field(default_factory=dict)
    indexing: Future[tuple[index.Collected, float]] | None = None
    reused: int = 0


def _read(
    paths: list[Path],
    as_of: dt.date,
    settings: Path,
    site: Site | None,
    start_indexing: Callable[[int], Future[tuple[index.Collected, float]]] | None = None,
    on_record: Callable[[Record], object] | None = None,
    keep_bodies: bool = True,
    cache: Cache | None = None,
) -> _Reading:
    """Every file checked (and, given a site, rendered) on its own, then the rules across files.

    With a ``cache``, a file whose bytes and path, the settings, the site and the code are
    unchanged keeps its earlier result, if that holds on ``as_of`` (``model.as_of_window``)."""
    portal_settings, problems = load_settings(settings)
    files, more = find_files(paths)
    problems += more
    contacts = portal_settings.contacts
    if site is None or not keep_bodies:
        cache = None  # only built results are kept
    task = functools.partial(_one_job, as_of=as_of, contacts=contacts, site=site, keep=keep_bodies,
                             cache=cache)  # fmt: skip
    context = cache.key(repr(contacts), repr(site)) if cache else ""
    jobs = [_job(f, context, cache.memory if cache else None) for f in files]
    for job in jobs:
        if cache and job.key:
            for kind in STORED_KINDS:  # workers store these, in their own processes
                cache.mark(kind, job.key)
    kept = [_kept(cache, job, as_of) for job in jobs]
    todo = [job for job, old in zip(jobs, kept, strict=True) if old is None]
    workers = _workers(len(todo))
    executor = (
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        if workers > 1
        else None
    )
    try:
        computed: Iterator[_FileResult] = (
            executor.map(task, todo, chunksize=4) if executor else map(task, todo)
        )
        indexing = start_indexing(len(files)) if start_indexing else None  # after the fork
        reading = _Reading(None, problems, indexing=indexing)
        notices, claims = [], []
        for old in kept:
            reading.reused += old is not None
            result = old or next(computed)
            if result.stored and cache:  # for the preview's next build (``cache.Memory``)
                key, start, end = result.stored
                result = replace(result, stored=None)
                cache.remember("notices", key, (start, end, result))
            reading.problems += result.problems
            if result.claim:
                claims.append(result.claim)
            if result.notice:
                notices.append(result.notice)
            if result.rendered and result.notice:
                if on_record and result.rendered.record:
                    on_record(result.rendered.record)
                # the record goes to the indexer only; the page stays in the cache if it could
                reading.rendered[result.notice.id] = replace(result.rendered, record=None)
    finally:
        if executor:
            executor.shutdown(cancel_futures=True)
    reading.problems = sorted(reading.problems + duplicate_ids(claims))
    if not errors_in(reading.problems):
        reading.portal = assemble(notices, as_of)
    return reading


@dataclass(frozen=True)
class _Job:
    """A file to check, with its cache key when a cache is used (``_one_job`` keys the bytes
    it checks again: the file may change meanwhile)."""

    path: Path
    context: str = ""
    key: str | None = None


def _job(path: Path, context: str, memory: Memory | None = None) -> _Job:
    if not context:
        return _Job(path)
    name = str(path)
    known = memory.file_key(name, context) if memory else None
    if known:
        return _Job(path, context, known)
    before = signature(name) if memory else None
    data = _readable(path)
    key = digest(name, data, context) if data is not None else None
    if memory and key:
        memory.learn_file(name, before, context, key)
    return _Job(path, context, key)


def _readable(path: Path) -> bytes | None:
    """The file's bytes, unless ``load_file`` is to report a problem with it."""
    try:
        if path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _kept(cache: Cache | None, job: _Job, as_of: dt.date) -> _FileResult | None:
    """The file's earlier result, if nothing it depends on changed and it holds on ``as_of``."""
    if cache is None or job.key is None:
        return None
    entry = cache.remembered("notices", job.key) or _checked(cache, job.key)
    if entry is None:
        return None
    start, end, result = entry
    if not start <= as_of < end:
        return None
    if result.rendered is None:
        return result
    return replace(result, rendered=result.rendered.with_as_of(as_of))


def _checked(cache: Cache, key: str) -> tuple[dt.date, dt.date, _FileResult] | None:
    """The cache's entry for a notice, if whole, its files pointed at where they are now."""
    entry = cache.get("notices", key)
    if not isinstance(entry, tuple) or len(entry) != 3:
        return None
    start, end, result = entry
    if not isinstance(result, _FileResult):
        return None
    rendered = result.rendered
    if rendered:
        page, record = rendered.page.page, rendered.record
        if isinstance(page, StoredPage) and isinstance(record, StoredRecord):
            if not all(cache.path(kind, key).is_file() for kind in STORED_KINDS):
                return None
            rendered = _in_files(rendered, cache, key, page, record)  # the project may have moved
            result = replace(result, rendered=rendered)
    cache.remember("notices", key, (start, end, result))
    return start, end, result


STORED_KINDS = ("pages", "records", *STORED_PARTS)
"""The cache's files of one rendered notice (``_in_files``)."""


def _in_files(
    rendered: RenderedNotice, cache: Cache, key: str, page: StoredPage, record: StoredRecord
) -> RenderedNotice:
    """``rendered`` with its page, record and parts read from the cache's files under ``key``."""
    rows, entry, csv = (cache.path(part, key) for part in STORED_PARTS)
    return replace(
        rendered,
        page=replace(rendered.page, page=replace(page, file=cache.path("pages", key))),
        record=replace(record, file=cache.path("records", key)),
        ledger_rows=rows,
        json=entry,
        csv=csv,
    )


def _one_job(
    job: _Job,
    as_of: dt.date,
    contacts: dict[str, Any] | None,
    site: Site | None,
    keep: bool,
    cache: Cache | None,
) -> _FileResult:
    """``_one_file``, its page and record stored in the cache, and its result kept there with
    the dates it holds on."""
    data = _readable(job.path) if job.key else None
    result = _one_file(job.path, as_of, contacts, site, keep, data)
    if cache is None or data is None:
        return result
    key = digest(str(job.path), data, job.context)  # of the bytes checked
    rendered = result.rendered
    if (
        rendered
        and isinstance(rendered.page.page, Page)
        and isinstance(rendered.record, SearchPage)
    ):
        page, record = rendered.page.page, rendered.record
        texts = {
            "pages": page.block,
            "records": record.html,
            **{part: text_of(getattr(rendered, part)) for part in STORED_PARTS},
        }
        if all(cache.put_bytes(kind, key, text.encode()) for kind, text in texts.items()):
            stored_page = StoredPage(page.title, Path(), as_of.isoformat())
            stored_record = StoredRecord(record.url, Path(), record.digest)
            rendered = _in_files(rendered, cache, key, stored_page, stored_record)
            result = replace(result, rendered=rendered)
    if not cache.scratch:
        window = as_of_window(result.notice, as_of) if result.notice else (dt.date.min, dt.date.max)
        if cache.put("notices", key, (*window, result)):
            return replace(result, stored=(key, *window))
    return result


@dataclass(frozen=True)
class _FileResult:
    problems: list[Diagnostic]
    claim: IdClaim | None = None
    notice: Notice | None = None
    rendered: RenderedNotice | None = None
    stored: tuple[str, dt.date, dt.date] | None = None
    """The cache key and dates under which a worker stored this result (``_one_job``)."""


@functools.cache
def _markdown() -> MarkdownIt:
    return markdown()


def _one_file(
    path: Path,
    as_of: dt.date,
    contacts: dict[str, Any] | None,
    site: Site | None,
    keep: bool,
    data: bytes | None = None,
) -> _FileResult:
    """Load, validate and model one notice; render its page and search page given a site."""
    source, problems = load_file(path, _markdown(), data)
    if source is None:
        return _FileResult(problems)
    checked, more = validate_file(source)
    problems += more
    if checked is None:
        return _FileResult(problems)
    if errors_in(problems):
        return _FileResult(problems, id_claim(checked))
    notice = make_notice(checked, as_of, contacts)
    if site is None:
        return _FileResult(
            problems, id_claim(checked), notice if keep else replace(notice, tokens=None)
        )
    rendered = render_notice(notice, as_of, site)
    return _FileResult(problems, id_claim(checked), replace(notice, tokens=None), rendered)


def _timed(function: Callable[[T], R], argument: T) -> tuple[R, float]:
    started = time.perf_counter()
    return function(argument), time.perf_counter() - started


class _Clock:
    def __init__(self, report: BuildReport) -> None:
        self.report = report
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.seconds[stage] = now - self.last
        self.last = now
