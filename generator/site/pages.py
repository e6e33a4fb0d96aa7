"""Stage 4, generate (the portal): the model and each notice's rendered parts -> the docs tree.

``generate`` returns the portal's files in a stable order: the notice pages rendered already
(``site.notice``), the listings, the ledger and the data files joined from their parts, and
the static assets. The engine lays the pages out and writes the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from generator.content import reference
from generator.content.history import completion, problem_key
from generator.content.model import Item, Notice, Portal, Progress, is_latest
from generator.search import variants
from generator.site import data, urls
from generator.site.files import (
    LazyBody,
    OutputFile,
    PageBody,
    RenderedNotice,
    SearchRecord,
    Site,
    text_of,
)
from generator.site.notice import LISTING_PAGE, environment, render, render_notice
from generator.site.tables import page_tables

LEDGER_ONE_PAGE = 5000
"""Items the ledger shows on one page; more go on one page per year (a page of every item of
1,000 notices was 15 MB)."""
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class Generated:
    """What the generate stage produces: the docs tree and one search record per notice
    rendered here (a build sends the others to the indexer as it renders them)."""

    files: list[OutputFile]
    records: list[SearchRecord]
    footer: str = ""
    """The foot of every page (the site's identity), HTML; empty without ``site:``."""


class _Pages:
    """The portal's pages, rendered in order."""

    def __init__(self, portal: Portal, site: Site) -> None:
        self.portal = portal
        self.site = site
        self.files: list[OutputFile] = []

    def add(self, path: str, title: str, template: str, **context: object) -> None:
        html = render(path, title, template, portal=self.portal, as_of=self.portal.as_of,
                      site=self.site, **context)  # fmt: skip
        self.files.append(OutputFile(path, body=PageBody(title, html)))

    def add_lazy(
        self, path: str, title: str, template: str, rows: list[str | Path], **context: object
    ) -> None:
        """``add``, rendered when the page is written, with ``rows`` joined then. Its identity:
        the rows' file names (cache keys of what made them, code included) or, for rows in
        memory (notices a later one reports on), their digest; the template, the title, the
        date and the rest of the context."""

        def make() -> str:
            joined = Markup("".join(text_of(r) for r in rows))
            return render(path, title, template, portal=self.portal, as_of=self.portal.as_of,
                          site=self.site, rows=joined, **context)  # fmt: skip

        named = [
            r.name if isinstance(r, Path) else hashlib.sha256(r.encode()).hexdigest() for r in rows
        ]
        made_of = (template, title, self.portal.as_of.isoformat(), repr(context), *named)
        identity = hashlib.sha256("\0".join(made_of).encode()).hexdigest()
        self.files.append(OutputFile(path, body=LazyBody(title, make, identity)))

    def ledger(
        self, by_year: list[tuple[int, list[Notice]]], parts: dict[str, RenderedNotice]
    ) -> None:
        """The ledger: every item on one page, or, past ``LEDGER_ONE_PAGE`` items, an overview
        of the years and one page per year (``ledger-2024/``: as deep as ``ledger/``, so the
        rows rendered for one serve the other)."""

        def add(path: str, title: str, notices: list[Notice], year: int | None) -> None:
            rows = [parts[n.id].ledger_rows for n in notices]
            self.add_lazy(path, title, "ledger.html.j2", rows=rows, year=year,
                          item_count=sum(is_latest(i) for n in notices for i in n.items),
                          rounds=[(r.id, r.name) for r in self.portal.rounds],
                          issuers=sorted({n.issuer for n in notices}),
                          years=sorted({n.year for n in notices if n.year}, reverse=True))  # fmt: skip

        if len(self.portal.problems) <= LEDGER_ONE_PAGE:
            add("ledger.md", "整改台账", list(self.portal.notices), None)
            return
        years = [
            (y, Progress.of(i for n in notices for i in n.items if is_latest(i)))
            for y, notices in by_year
        ]
        self.add("ledger.md", "整改台账", "ledger-years.html.j2", years=years)
        for year, notices in by_year:
            add(f"ledger-{year}.md", f"{year}年整改台账", notices, year)

    def listing(
        self,
        path: str,
        title: str,
        heading: str,
        notices: list[Notice],
        parts: dict[str, RenderedNotice],
        **context: object,
    ) -> None:
        assert path.count("/") == LISTING_PAGE.count("/")  # where the cards were rendered for
        cards = Markup("".join(parts[n.id].card for n in notices))
        self.add(path, title, "listing.html.j2", notices=notices, heading=heading, cards=cards,
                 **context)  # fmt: skip


def generate(
    portal: Portal,
    site: Site,
    rendered: dict[str, RenderedNotice] | None = None,
    search_delta: bool = False,
) -> Generated:
    """Every page and data file of the portal in a stable order, and the search records of the
    notices rendered here (taken from the notice pages' own HTML, so search finds exactly what
    a page shows). Notices found in ``rendered`` (by id) were rendered already; the listings
    and data files join their parts. ``search_delta``: the search page also merges the
    preview's index of changed notices (``search.delta``)."""
    names = {r.id: r.name for r in portal.rounds}
    done = [
        (rendered.get(n.id) if rendered else None)
        or render_notice(n, portal.as_of, site, names.get(n.round_id, ""))
        for n in portal.notices
    ]
    parts = dict(zip((n.id for n in portal.notices), done, strict=True))
    pages = _Pages(portal, site)
    by_issuer = _grouped(portal, lambda n: n.issuer)
    days = year_ends(portal)
    pages.add("index.md", site.name, "home.html.j2",
              timeline=completion(reports_of(portal.notices), days))  # fmt: skip
    pages.files += [r.page for r in done]
    by_year = _grouped(portal, lambda n: n.year, newest_first=True)
    pages.ledger(by_year, parts)
    rollups = {issuer: Progress.of(latest(notices)) for issuer, notices in by_issuer}
    pages.add("issuers/index.md", "发布单位", "issuers.html.j2", groups=by_issuer,
              rollups=rollups)  # fmt: skip
    for issuer, notices in by_issuer:
        pages.listing(f"issuers/{urls.issuer_slug(issuer)}.md", issuer, issuer, notices, parts,
                      rollup=rollups[issuer],
                      timeline=completion(reports_of(notices), days))  # fmt: skip
    pages.add("rounds/index.md", "整改轮次", "rounds.html.j2", rounds=portal.rounds)
    for r in portal.rounds:
        pages.add(urls.round_path(r.id), r.name, "round.html.j2", round=r,
                  notices_by_id={n.id: n for n in r.notices},
                  problems_by_id={p.id: p for p in r.problems})  # fmt: skip
    pages.add("years/index.md", "年度", "years.html.j2", groups=by_year)
    for year, notices in by_year:
        pages.listing(f"years/{year}.md", f"{year}年", f"{year}年发布的通报", notices, parts)
    pages.add("search.md", "搜索", "search.html.j2", preview=search_delta, tables=page_tables())
    pages.add("data/index.md", "开放数据", "data.html.j2", csv_columns=data.CSV_COLUMNS,
              history_columns=data.HISTORY_COLUMNS)  # fmt: skip
    files = pages.files
    # The editors' reference, outside the public menu: rendered here like every page (as a
    # Markdown page Material would print a contents label for a control it leaves out).
    html = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(reference.format_reference("zh"))
    )
    files.append(OutputFile("format.md", body=PageBody("通报编写格式", html)))
    files += data.data_files(portal, site, [r.json for r in done], [r.csv for r in done])
    records = [r.record for r in done if isinstance(r.record, SearchRecord)]
    files += static_assets()
    files.append(OutputFile(variants.PATH, variants.map_file()))
    footer = environment().get_template("footer.html.j2").render(identity=portal.identity)
    return Generated(sorted(files, key=lambda f: f.path), records, footer.strip())


def latest(notices: list[Notice]) -> list[Item]:
    """Each problem of ``notices`` once: its latest report."""
    return [i for n in notices for i in n.items if is_latest(i)]


def reports_of(notices: Iterable[Notice]) -> Iterator[tuple[str, Item, dt.date]]:
    """Every report of ``notices`` as ``completion`` reads them."""
    for n in notices:
        for i in n.items:
            d = i.status_as_of or n.published
            if d:
                yield problem_key(i), i, dt.date(d.year, d.month, d.day or 1)


def year_ends(portal: Portal) -> list[dt.date]:
    """The last day of each year from the first notice's to the as-of date's (that date itself
    for its year)."""
    years = [n.year for n in portal.notices if n.year]
    if not years:
        return []
    return [min(dt.date(y, 12, 31), portal.as_of) for y in range(min(years), portal.as_of.year + 1)]


def _grouped(
    portal: Portal, key: Callable[[Notice], Any], newest_first: bool = False
) -> list[tuple[Any, list[Notice]]]:
    """Notices grouped by ``key`` in one pass (each group keeps the portal's newest-first order)."""
    groups: dict[Any, list[Notice]] = {}
    for notice in portal.notices:
        value = key(notice)
        if value is not None:  # a draft's date still a placeholder: in no year
            groups.setdefault(value, []).append(notice)
    return sorted(groups.items(), key=lambda kv: kv[0], reverse=newest_first)


def static_assets() -> list[OutputFile]:
    """The scripts and style sheet under ``assets/``."""
    return [
        OutputFile(f"assets/{p.name}", p.read_bytes())
        for p in sorted(STATIC.iterdir())
        if p.is_file()
    ]
