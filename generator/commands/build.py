"""``portal build``: the pipeline, stage by stage (``build``), and the preview's quicker first
pass after an edit (``build_pages``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.commands.check import as_of_date
from generator.engine.mkdocs import build_html, read_site
from generator.errors import Diagnostic, PublishError
from generator.i18n import m
from generator.incremental.memory import Memory
from generator.incremental.reuse import Reuse
from generator.output.publish import publish, staging
from generator.read.notices import read_notices
from generator.search.index import FOLDER
from generator.search.indexer import Delta, FullIndex
from generator.site.data import JOINED
from generator.site.pages import generate


@dataclass(frozen=True)
class BuildOptions:
    content: Path = Path("content")
    site: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    as_of: dt.date | None = None
    """The date overdue is computed against; default: SOURCE_DATE_EPOCH, else today in China."""
    cache: Path | None = None
    """Where to keep what the next build may reuse (``incremental``): each notice's checked and
    rendered result while its file, the settings and the code are unchanged, and the search
    index's shards. None: every build starts from nothing."""
    memory: Memory | None = None
    """What a long-running preview keeps between its builds with ``cache``."""
    drafts: bool = False
    """Build the drafts too, with their 草稿 banner (the preview); a build leaves them out."""

    @property
    def settings(self) -> Path:
        return self.config.parent / "portal.yml"


@dataclass
class BuildReport:
    """What a build did, for the CLI and the benchmark."""

    notices: int = 0
    items: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    engine_warnings: list[str] = field(default_factory=list)
    reused: int = 0
    """Notices whose earlier result was reused (``BuildOptions.cache``)."""
    drafts: list[str] = field(default_factory=list)
    """Files of the drafts left out of the site."""
    drafts_shown: int = 0
    """Drafts built into the site (the preview)."""
    shards_reused: str = ""
    """Index shards taken from the cache, as ``reused/all``."""
    linked: int = 0
    """Pages linked from the published site: made from the same inputs (``engine.stamp``)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time per stage: check (load and validate), generate, engine, index (what remained of
    it once the engine was done, and writing the bundle), publish; and the indexer's own time,
    spent beside generate and the engine."""


def build(options: BuildOptions) -> BuildReport:
    """Check everything, generate, run the engine and Pagefind in staging, then publish.

    Each notice is checked and rendered on its own, on every core, and goes to Pagefind as
    soon as it is rendered: Pagefind indexes while the rest of the build runs."""
    return _build(options, preview=False)


def build_pages(options: BuildOptions) -> BuildReport:
    """The preview's first pass after an edit: every page, with the published search index as
    it is plus a small index of the changed notices (``search.indexer.Delta``) and the data
    files joined from every notice taken as they are; ``build`` then makes the rest."""
    return _build(options, preview=True)


def _build(options: BuildOptions, preview: bool) -> BuildReport:
    report, clock = BuildReport(), _Clock()
    as_of, site = as_of_date(options.as_of), read_site(options.config)
    with (
        _fewer_collections(),
        _publishing(),
        staging(options.site, keep_replaced=options.cache is not None) as stage,
        Reuse.opened(stage, options.cache, options.memory, options.site) as reuse,
    ):
        indexer = Delta(reuse.searched()) if preview else FullIndex(reuse.cache)
        with indexer:
            reading = read_notices([options.content], as_of, options.settings, site, reuse,
                                   indexer, drafts=options.drafts)  # fmt: skip
            indexer.end(complete=reading.portal is not None)
            portal = reading.checked()
            clock.lap("check", report)
            generated = generate(portal, site, reading.rendered, indexer.is_delta)
            clock.lap("generate", report)
            earlier = reuse.earlier(taken=JOINED if preview else ())
            report.engine_warnings = build_html(
                options.config,
                generated.files,
                stage,
                as_of,
                earlier,
                keep=(FOLDER,),
                footer=generated.footer,
            )
            clock.lap("engine", report)
            in_index = indexer.finish(stage / "site" / FOLDER, options.site / FOLDER)
            if indexer.seconds is not None:
                report.seconds["index (beside the others)"] = indexer.seconds
            clock.lap("index", report)
        publish(stage / "site", options.site)
        clock.lap("publish", report)
        reuse.record(earlier, in_index, prune=not preview)
    report.warnings, report.reused, report.drafts = reading.problems, reading.reused, reading.drafts
    report.drafts_shown = sum(n.draft for n in portal.notices)
    report.notices, report.items = len(portal.notices), len(portal.items)
    report.linked, report.shards_reused = earlier.linked if earlier else 0, indexer.shards
    return report


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build makes millions of objects that live to its end; the default thresholds ran the
    cyclic collector over them again and again (3,000 notices: 70 s, 61 s with these)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@contextlib.contextmanager
def _publishing() -> Iterator[None]:
    """A full disk, a read-only or vanished output folder: a ``PublishError``."""
    try:
        yield
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise PublishError(
            m(
                "cannot write{where}: {why}; the published site was left as it was",
                where=where,
                why=exc.strerror or exc,
            )
        ) from exc


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, stage: str, report: BuildReport) -> None:
        now = time.perf_counter()
        report.seconds[stage] = now - self.last
        self.last = now
