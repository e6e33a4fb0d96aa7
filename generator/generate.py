"""Stage 4, generate: the model -> a docs tree of Markdown pages and data files.

Pure: ``generate()`` returns files; ``write_tree()`` writes them. Pages are Markdown files whose
content is one HTML block rendered here with autoescaping Jinja2, so every value from content
is escaped by us (MkDocs templates do not escape: DESIGN.md lesson 2), and any engine that
reads Markdown with front matter can build them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import data, reference
from .body import render_body
from .cache import StoredPage, StoredRecord
from .model import Notice, Portal, Progress
from .records import SearchPage, search_page

STATUS_CLASS = {
    "已完成": "done",
    "基本完成": "mostly",
    "推进中": "ongoing",
    "长期坚持": "longterm",
    "未说明": "unknown",
}
LATEST_ON_HOME = 10


@dataclass(frozen=True)
class Site:
    """Portal-wide settings read from the engine's configuration by the adapter."""

    name: str
    url: str = ""
    """Absolute base URL with a trailing slash, for the feed; empty when unknown."""


@dataclass(frozen=True)
class Generated:
    """What the generate stage produces: the docs tree and one search page per notice."""

    files: list[OutputFile]
    search_pages: list[SearchPage]


@dataclass(frozen=True)
class RenderedNotice:
    """Everything the portal shows of one notice, rendered from the notice alone.

    Builds render it for each notice as soon as the notice is checked, on every core, and may
    keep it between builds (``cache.py``); the portal's listings and data files are then joins
    of these parts, in the portal's order."""

    page: OutputFile
    record: SearchPage | StoredRecord | None
    """None once sent to the indexer (a build does not keep it)."""
    card: str
    """The notice's entry in a listing one folder deep (``issuers/…/``, ``years/…/``)."""
    ledger_rows: str | Path
    """Its items' rows of the ledger (or the file that holds them: ``STORED_PARTS``)."""
    json: str | Path
    """Its entry of ``data/notices.json``, indented as it stands there."""
    csv: str | Path
    """Its items' rows of ``data/items.csv``."""
    as_of: dt.date
    """The date it was rendered against (see ``with_as_of``)."""
    names_as_of: bool
    """Whether the page has the as-of sentence (``as_of_note``): pages with items do."""

    def with_as_of(self, as_of: dt.date) -> RenderedNotice:
        """The same parts as of another date on which every item's overdue state and the
        feedback deadline are unchanged (``model.as_of_window``): only the page's as-of
        sentence names the date."""
        page = self.page.page
        if as_of == self.as_of or not self.names_as_of or page is None:
            return replace(self, as_of=as_of)
        old, new = str(as_of_note(self.as_of)), str(as_of_note(as_of))
        if isinstance(page, StoredPage):
            page = replace(page, swap=(page.swap[0] if page.swap else old, new))
        elif isinstance(page, Page):
            page = replace(page, block=page.block.replace(old, new))
        return replace(self, page=replace(self.page, page=page), as_of=as_of)


@dataclass(frozen=True)
class Page:
    """A page's title and its HTML, ready to be one raw block (see ``page_block``)."""

    title: str
    block: str


STORED_PARTS = ("ledger_rows", "json", "csv")
"""The parts of a ``RenderedNotice`` a build may keep in files until they are joined."""


def page_identity(page: Page | StoredPage | LazyPage) -> str | None:
    """What names a page's body without reading it: its stored file and the text swapped in,
    or a digest of the body in memory; None for a page made when written."""
    if isinstance(page, StoredPage):
        return f"{page.file.name}\0{page.rendered_on}\0{page.swap}"
    if isinstance(page, Page):
        return hashlib.sha256(page.block.encode()).hexdigest()
    return page.identity


def text_of(part: str | Path) -> str:
    return part if isinstance(part, str) else part.read_bytes().decode()  # "\r\n" kept


def bytes_of(part: str | Path) -> bytes:
    """``text_of`` as UTF-8."""
    return part.encode() if isinstance(part, str) else part.read_bytes()


@dataclass(frozen=True)
class LazyPage:
    """A page rendered only when it is written (the ledger: every item of the portal, joined
    from each notice's rows, which wait in files until then)."""

    title: str
    render: Callable[[], str]
    identity: str | None = None
    """Names what it is made from (``page_identity``), when it is made from stored files."""

    @property
    def block(self) -> str:
        return self.render()


@dataclass(frozen=True)
class OutputFile:
    """One file of the docs tree: bytes (or a function making them when the file is written),
    or a page that becomes a Markdown file."""

    path: str
    """POSIX path relative to the docs folder."""
    raw: bytes = b""
    page: Page | StoredPage | LazyPage | None = None
    make: Callable[[], bytes] | None = None

    @property
    def content(self) -> bytes:
        if self.page is not None:
            return markdown_page(self.page.title, self.page.block).encode()
        return self.make() if self.make else self.raw


def page_url(path: str) -> str:
    """Directory URL of a Markdown page: ``notices/a.md`` -> ``notices/a/``, ``index.md`` -> ``""``."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative(from_url: str, to: str) -> str:
    """Link from the page at ``from_url`` to ``to`` (both relative to the site root)."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath("/" + to, "/" + base)
    if to.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


def issuer_slug(issuer: str) -> str:
    """Stable ASCII slug for an issuer's page (names are Chinese; URLs stay plain)."""
    return "u-" + hashlib.sha256(issuer.encode()).hexdigest()[:10]


def notice_url(notice: Notice) -> str:
    return f"notices/{notice.id}/"


TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals |= {
        "status_class": STATUS_CLASS,
        "issuer_slug": issuer_slug,
        "notice_url": notice_url,
        "as_of_time": as_of_time,
        "as_of_note": as_of_note,
    }
    env.filters["date"] = _format_date
    return env


def as_of_time(as_of: dt.date) -> Markup:
    """The as-of date as the pages print it (a notice page names it once: ``with_as_of``)."""
    return Markup('<time datetime="{}">{}</time>').format(as_of.isoformat(), _format_date(as_of))


def as_of_note(as_of: dt.date) -> Markup:
    """The sentence of a notice page with items that says which date overdue is computed against
    (the only place a notice's page depends on the date itself: ``with_as_of``). Not searched:
    every such page has it."""
    return Markup(
        '<p class="portal-asof" data-pagefind-ignore>逾期按 {} 计算：整改时限已过且尚未完成的事项。</p>'
    ).format(as_of_time(as_of))


def _format_date(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value.chinese())  # type: ignore[attr-defined]


@functools.cache
def _env() -> jinja2.Environment:
    return _environment()


def _render(path: str, title: str, template: str, **context: object) -> str:
    """One page's HTML; each page knows its own URL, so links stay relative (any base path)."""
    url = page_url(path)
    link: Callable[[str], str] = lambda to: relative(url, to)  # noqa: E731
    return _env().get_template(template).render(url=link, page_title=title, **context)


LEDGER_ONE_PAGE = 5000
"""Items the ledger shows on one page; more go on one page per year (a page of every item of
1,000 notices was 15 MB)."""
LISTING_PAGE = "years/listing.md"
"""Where listing entries are rendered for: every listing page is one folder deep."""


def render_notice(notice: Notice, as_of: dt.date, site: Site) -> RenderedNotice:
    """A notice's page, search page, listing and ledger entries and data rows; needs nothing
    but the notice (builds run this for each notice as soon as it is checked, on every core)."""
    open_ = notice.contacts.any and not notice.contacts.closed
    badge_template = _env().get_template("badge.html.j2")
    badge = lambda item: str(badge_template.render(item=item, feedback=open_))  # noqa: E731
    body = render_body(notice, {i.heading_token: i for i in notice.items}, badge)
    path = f"notices/{notice.id}.md"
    html = _render(path, notice.title, "notice.html.j2", as_of=as_of, site=site, notice=notice,
                   body=Markup(body))  # fmt: skip
    named = html.count(str(as_of_note(as_of)))
    assert named <= 1, "content cannot make the as-of sentence: it is escaped"
    return RenderedNotice(
        page=OutputFile(path, page=Page(notice.title, page_block(html))),
        record=search_page(notice, html),
        card=_render(LISTING_PAGE, "", "card.html.j2", notice=notice),
        ledger_rows=_render("ledger.md", "", "ledger-rows.html.j2", notice=notice),
        json=data.notice_json(notice),
        csv=data.notice_csv(notice),
        as_of=as_of,
        names_as_of=named == 1,
    )


class _Pages:
    """The portal's pages, rendered in order."""

    def __init__(self, portal: Portal, site: Site) -> None:
        self.portal = portal
        self.site = site
        self.files: list[OutputFile] = []

    def add(self, path: str, title: str, template: str, **context: object) -> None:
        html = _render(path, title, template, portal=self.portal, as_of=self.portal.as_of,
                       site=self.site, **context)  # fmt: skip
        self.files.append(OutputFile(path, page=Page(title, page_block(html))))

    def add_lazy(
        self, path: str, title: str, template: str, rows: list[str | Path], **context: object
    ) -> None:
        """``add``, rendered when the page is written, with ``rows`` joined then. Its identity,
        when the rows wait in files: their names (cache keys of what made them, code included),
        the template, the title, the date and the rest of the context."""

        def render() -> str:
            joined = Markup("".join(text_of(r) for r in rows))
            html = _render(path, title, template, portal=self.portal, as_of=self.portal.as_of,
                           site=self.site, rows=joined, **context)  # fmt: skip
            return page_block(html)

        named = [r.name for r in rows if isinstance(r, Path)]
        identity = None
        if len(named) == len(rows):
            made_of = (template, title, self.portal.as_of.isoformat(), repr(context), *named)
            identity = hashlib.sha256("\0".join(made_of).encode()).hexdigest()
        self.files.append(OutputFile(path, page=LazyPage(title, render, identity)))

    def ledger(
        self, by_year: list[tuple[int, list[Notice]]], parts: dict[str, RenderedNotice]
    ) -> None:
        """The ledger: every item on one page, or, past ``LEDGER_ONE_PAGE`` items, an overview
        of the years and one page per year (``ledger-2024/``: as deep as ``ledger/``, so the
        rows rendered for one serve the other)."""

        def add(path: str, title: str, notices: list[Notice], year: int | None) -> None:
            rows = [parts[n.id].ledger_rows for n in notices]
            self.add_lazy(path, title, "ledger.html.j2", rows=rows, year=year,
                          item_count=sum(len(n.items) for n in notices),
                          issuers=sorted({n.issuer for n in notices}),
                          years=sorted({n.year for n in notices}, reverse=True))  # fmt: skip

        if len(self.portal.items) <= LEDGER_ONE_PAGE:
            add("ledger.md", "整改台账", list(self.portal.notices), None)
            return
        years = [(y, Progress.of(i for n in notices for i in n.items)) for y, notices in by_year]
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
    ) -> None:
        assert path.count("/") == LISTING_PAGE.count("/")  # where the cards were rendered for
        cards = Markup("".join(parts[n.id].card for n in notices))
        self.add(path, title, "listing.html.j2", notices=notices, heading=heading, cards=cards)


_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def markdown_page(title: str, block: str, hide: tuple[str, ...] = ("toc",)) -> str:
    """Front matter with the HTML-escaped title, then the page as one raw HTML block."""
    front = {"title": page_title(title), "hide": list(hide)}
    return (
        "---\n"
        + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items())
        + "\n---\n\n"
        + block
        + "\n"
    )


def page_title(title: str) -> str:
    """The title as the engine prints it: escaped here, since Material prints it raw."""
    return escape(title, quote=True)


def page_block(html: str) -> str:
    """``html`` as one raw HTML block that Python-Markdown passes through unchanged.

    A blank line would end the block and tabs would become spaces. So tabs are written as
    character references, preformatted text is kept on one line (its line breaks as references
    too), and blank lines elsewhere, where white space does not show, are dropped.
    """
    parts = _PRE.split(html.replace("\t", "&#9;"))
    parts[1::2] = [pre.replace("\n", "&#10;") for pre in parts[1::2]]
    return "\n".join(line for line in "".join(parts).split("\n") if line.strip())


def generate(
    portal: Portal,
    site: Site,
    rendered: dict[str, RenderedNotice] | None = None,
    search_preview: bool = False,
) -> Generated:
    """Every page and data file of the portal in a stable order, and the search pages taken
    from the notice pages' own HTML (so search finds exactly what a page shows). Notices found
    in ``rendered`` (by id) were rendered already, by ``render_notice``; the listings and data
    files join their parts. ``search_preview``: the search page also merges the preview's
    index of changed notices (``build._Delta``)."""
    done = [
        (rendered.get(n.id) if rendered else None) or render_notice(n, portal.as_of, site)
        for n in portal.notices
    ]
    parts = dict(zip((n.id for n in portal.notices), done, strict=True))
    pages = _Pages(portal, site)
    pages.add("index.md", site.name, "home.html.j2")
    pages.files += [r.page for r in done]
    by_year = _grouped(portal, lambda n: n.year, newest_first=True)
    pages.ledger(by_year, parts)
    by_issuer = _grouped(portal, lambda n: n.issuer)
    pages.add("issuers/index.md", "发布单位", "issuers.html.j2", groups=by_issuer)
    for issuer, notices in by_issuer:
        pages.listing(f"issuers/{issuer_slug(issuer)}.md", issuer, issuer, notices, parts)
    pages.add("years/index.md", "年度", "years.html.j2", groups=by_year)
    for year, notices in by_year:
        pages.listing(f"years/{year}.md", f"{year}年", f"{year}年发布的通报", notices, parts)
    pages.add("search.md", "搜索", "search.html.j2", preview=search_preview)
    pages.add("data/index.md", "开放数据", "data.html.j2")
    files = pages.files
    files.append(OutputFile("format.md", reference.format_reference().encode()))
    files += data.data_files(portal, site, [r.json for r in done], [r.csv for r in done])
    records = [r.record for r in done if isinstance(r.record, SearchPage)]
    files += _static_assets()
    return Generated(sorted(files, key=lambda f: f.path), records)


def _grouped(
    portal: Portal, key: Callable[[Notice], Any], newest_first: bool = False
) -> list[tuple[Any, list[Notice]]]:
    """Notices grouped by ``key`` in one pass (each group keeps the portal's newest-first order)."""
    groups: dict[Any, list[Notice]] = {}
    for notice in portal.notices:
        groups.setdefault(key(notice), []).append(notice)
    return sorted(groups.items(), key=lambda kv: kv[0], reverse=newest_first)


def _static_assets() -> list[OutputFile]:
    static = Path(__file__).parent / "static"
    return [
        OutputFile(f"assets/{p.name}", p.read_bytes())
        for p in sorted(static.iterdir())
        if p.is_file()
    ]


def write_tree(files: list[OutputFile], docs_dir: Path) -> None:
    """Write the docs tree into an empty folder."""
    for f in files:
        target = docs_dir / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.content)
