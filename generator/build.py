"""The orchestrator: one function per command, reading like the pipeline it runs."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import engine, index, publish
from .diagnostics import ContentError, Diagnostic, errors_in
from .generate import generate
from .load import load_paths
from .model import Portal, build_model
from .settings import load_settings
from .validate import validate

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


@dataclass
class BuildReport:
    """What a build did, for the CLI and the benchmark."""

    notices: int = 0
    items: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    engine_warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time per stage: check (load and validate), generate, engine, index (what remained of
    it once the engine was done, and writing the bundle), publish; and the indexer's own time,
    spent beside the engine."""


def as_of_date(explicit: dt.date | None = None) -> dt.date:
    if explicit:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), CHINA).date()
    return dt.datetime.now(CHINA).date()


def check(
    paths: list[Path], as_of: dt.date | None = None, settings: Path = Path("portal.yml")
) -> tuple[Portal | None, list[Diagnostic]]:
    """Load and validate notices and portal settings; the model when there is no error.
    Never writes anything."""
    portal_settings, problems = load_settings(settings)
    sources, more = load_paths(paths)
    checked, rest = validate(sources)
    problems = sorted(problems + more + rest)
    if errors_in(problems):
        return None, problems
    return build_model(checked, as_of_date(as_of), portal_settings.contacts), problems


def build(options: BuildOptions) -> BuildReport:
    """Check everything, generate, run the engine and Pagefind in staging, then publish."""
    report = BuildReport()
    clock = _Clock(report)
    as_of = as_of_date(options.as_of)
    portal, problems = check([options.content], as_of, options.config.parent / "portal.yml")
    if portal is None:
        raise ContentError(problems)
    report.warnings, report.notices, report.items = problems, len(portal.notices), len(portal.items)
    clock.lap("check")
    site = engine.read_site(options.config)
    generated = generate(portal, site)
    clock.lap("generate")
    try:
        with publish.staging(options.site) as stage:
            with ThreadPoolExecutor(1) as pool:  # Pagefind works on the other core meanwhile
                indexing = pool.submit(_timed, index.collect, generated.search_pages)
                report.engine_warnings = engine.build_html(
                    options.config, generated.files, stage, as_of
                )
                clock.lap("engine")
                bundle, report.seconds["index (beside the engine)"] = indexing.result()
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
