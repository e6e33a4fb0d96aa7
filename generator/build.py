"""The orchestrator: one function per command, reading like the pipeline it runs."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
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
from .diagnostics import ContentError, Diagnostic, errors_in
from .generate import OutputFile, Site, generate, render_notice, templates_fingerprint
from .load import find_files, load_file, markdown
from .model import Notice, Portal, assemble, make_notice
from .records import SearchPage
from .settings import load_settings
from .validate import IdClaim, duplicate_ids, id_claim, validate_file

T = TypeVar("T")
R = TypeVar("R")
CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class BuildOptions:
    content: Path = Path("content")
    site: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    as_of: dt.date | None = None
    """The date overdue is computed against; default: SOURCE_DATE_EPOCH, else today in China."""
    reuse: bool = False
    """Reuse each notice's checked and rendered result while its file, the settings and the
    templates are unchanged (the preview server: an edit re-checks one file, not all)."""


@dataclass
class BuildReport:
    """What a build did, for the CLI and the benchmark."""

    notices: int = 0
    items: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    engine_warnings: list[str] = field(default_factory=list)
    reused: int = 0
    """Notices whose earlier result was reused (``BuildOptions.reuse``)."""
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
    clock = _Clock(report)
    as_of = as_of_date(options.as_of)
    site = engine.read_site(options.config)
    records: queue.SimpleQueue[SearchPage | None] = queue.SimpleQueue()
    with ThreadPoolExecutor(1) as pool:

        def start_indexing() -> Future[tuple[dict[str, bytes], float]]:
            return pool.submit(_timed, index.collect, _until_the_end(records))

        checked = False
        try:
            reading = _read(
                [options.content],
                as_of,
                options.config.parent / "portal.yml",
                site,
                start_indexing,
                records.put,
                reuse=options.reuse,
            )
            checked = reading.portal is not None
        finally:
            records.put(None if checked else _ABORT)  # Pagefind stops at once on bad content
        portal, indexing = reading.portal, reading.indexing
        if portal is None or indexing is None:
            raise ContentError(reading.problems)
        report.warnings, report.notices = reading.problems, len(portal.notices)
        report.reused = reading.reused
        report.items = len(portal.items)
        clock.lap("check")
        generated = generate(portal, site, reading.rendered)
        reading.rendered.clear()
        clock.lap("generate")
        try:
            with publish.staging(options.site) as stage:
                report.engine_warnings = engine.build_html(
                    options.config, generated.files, stage, as_of
                )
                clock.lap("engine")
                bundle, report.seconds["index (beside the others)"] = indexing.result()
                index.write_bundle(bundle, stage / "site" / "pagefind")
                clock.lap("index")
                publish.publish(stage / "site", options.site)
                clock.lap("publish")
        except OSError as exc:  # a full disk, a read-only or vanished output folder
            where = f" {exc.filename}" if exc.filename else ""
            raise publish.PublishError(
                f"cannot write{where}: {exc.strerror or exc}; the published site was left as it was"
            ) from exc
    return report


_ABORT = SearchPage("", "")


def _until_the_end(records: queue.SimpleQueue[SearchPage | None]) -> Iterator[SearchPage]:
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
    rendered: dict[str, tuple[OutputFile, SearchPage]] = field(default_factory=dict)
    indexing: Future[tuple[dict[str, bytes], float]] | None = None
    reused: int = 0


def _read(
    paths: list[Path],
    as_of: dt.date,
    settings: Path,
    site: Site | None,
    start_indexing: Callable[[], Future[tuple[dict[str, bytes], float]]] | None = None,
    on_record: Callable[[SearchPage], object] | None = None,
    keep_bodies: bool = True,
    reuse: bool = False,
) -> _Reading:
    """Every file checked (and, given a site, rendered) on its own, then the rules across files.

    With ``reuse``, a file whose bytes, settings, date, site and templates are unchanged since
    the last call keeps its result (``portal serve``: an edit re-checks one file, not all)."""
    portal_settings, problems = load_settings(settings)
    files, more = find_files(paths)
    problems += more
    contacts = portal_settings.contacts
    task = functools.partial(_one_file, as_of=as_of, contacts=contacts, site=site, keep=keep_bodies)
    context = (as_of, repr(contacts), site, keep_bodies, templates_fingerprint()) if reuse else ()
    keys = [_file_key(f, context) if reuse else None for f in files]
    kept = [_kept(f, key) for f, key in zip(files, keys, strict=True)]
    todo = [f for f, old in zip(files, kept, strict=True) if old is None]
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
        indexing = start_indexing() if start_indexing else None  # after the fork
        reading = _Reading(None, problems, indexing=indexing)
        notices, claims = [], []
        for path, key, old in zip(files, keys, kept, strict=True):
            reading.reused += old is not None
            result = old or next(computed)
            if reuse and key is not None:
                _REUSED[str(path)] = (key, result)
            reading.problems += result.problems
            if result.claim:
                claims.append(result.claim)
            if result.notice:
                notices.append(result.notice)
            if result.page and result.record and result.notice:
                reading.rendered[result.notice.id] = (result.page, result.record)
                if on_record:
                    on_record(result.record)
    finally:
        if executor:
            executor.shutdown(cancel_futures=True)
    if reuse:
        for gone in set(_REUSED) - {str(f) for f in files}:
            del _REUSED[gone]
    reading.problems = sorted(reading.problems + duplicate_ids(claims))
    if not errors_in(reading.problems):
        reading.portal = assemble(notices, as_of)
    return reading


_REUSED: dict[str, tuple[tuple[object, ...], _FileResult]] = {}
"""Each file's last result and what it depended on (``_read`` with ``reuse``)."""


def _kept(path: Path, key: tuple[object, ...] | None) -> _FileResult | None:
    """The file's last result, if nothing it depends on changed."""
    old = _REUSED.get(str(path)) if key is not None else None
    return old[1] if old and old[0] == key else None


def _file_key(path: Path, context: tuple[object, ...]) -> tuple[object, ...] | None:
    try:
        return (hashlib.sha256(path.read_bytes()).hexdigest(), *context)
    except OSError:
        return None  # load_file reports it


@dataclass(frozen=True)
class _FileResult:
    problems: list[Diagnostic]
    claim: IdClaim | None = None
    notice: Notice | None = None
    page: OutputFile | None = None
    record: SearchPage | None = None


@functools.cache
def _markdown() -> MarkdownIt:
    return markdown()


def _one_file(
    path: Path, as_of: dt.date, contacts: dict[str, Any] | None, site: Site | None, keep: bool
) -> _FileResult:
    """Load, validate and model one notice; render its page and search page given a site."""
    source, problems = load_file(path, _markdown())
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
    page, record = render_notice(notice, as_of, site)
    return _FileResult(problems, id_claim(checked), replace(notice, tokens=None), page, record)


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
