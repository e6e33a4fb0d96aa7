"""Stage 4, generate (one notice): a notice -> its page, search record, card and rows.

Pages are HTML rendered with autoescaping Jinja2, so every value from content is escaped by
us (MkDocs templates do not escape: DESIGN.md lesson 2). ``render_notice`` needs nothing but
the notice, so builds run it for each notice as soon as the notice is checked, on every core.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.content.model import Notice
from generator.search.records import search_record
from generator.site import data, urls
from generator.site.body import render_body
from generator.site.files import OutputFile, PageBody, RenderedNotice, Site, StoredBody, bind
from generator.site.tables import STATUS_CLASS

TEMPLATES = Path(__file__).parent / "templates"
LISTING_PAGE = "years/listing.md"
"""Where listing entries are rendered for: every listing page is one folder deep."""


def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals |= {
        "status_class": STATUS_CLASS,
        "issuer_slug": urls.issuer_slug,
        "notice_url": urls.notice_url,
        "round_url": urls.round_url,
        "as_of_time": as_of_time,
        "as_of_note": as_of_note,
        "lateness": lateness,
    }
    env.filters["date"] = format_date
    env.filters["heading"] = heading
    return env


@functools.cache
def environment() -> jinja2.Environment:
    """The templates' environment (read from ``TEMPLATES`` once per process)."""
    return _environment(TEMPLATES)


def render(path: str, title: str, template: str, **context: object) -> str:
    """One page's HTML; each page knows its own URL, so links stay relative (any base path)."""
    url = urls.page_url(path)
    link: Callable[[str], str] = lambda to: urls.relative(url, to)  # noqa: E731
    return environment().get_template(template).render(url=link, page_title=title, **context)


_WHOLE = re.compile(r"[（(《“][^（）()《》“”\s]{1,8}[）)》”]")
"""A short bracketed or quoted phrase a title must not be broken inside: （示例）, 《通报》."""


def heading(text: str) -> Markup:
    """``text`` escaped, its short bracketed phrases kept on one line (a title broken as
    ``（示`` / ``例）`` reads wrong)."""
    out, last = Markup(), 0
    for m in _WHOLE.finditer(text):
        out += text[last : m.start()] + Markup('<span class="portal-nobr">%s</span>') % m.group()
        last = m.end()
    return out + text[last:]


def format_date(value: object) -> str:
    """``2021年3月31日``; a partial date as it is known (``2023年3月``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value.chinese())  # type: ignore[attr-defined]


def as_of_time(as_of: dt.date) -> Markup:
    """The as-of date as the pages print it (a notice page names it once: ``as_of``)."""
    return Markup('<time datetime="{}">{}</time>').format(as_of.isoformat(), format_date(as_of))


def lateness(as_of: dt.date) -> Markup:
    """What 逾期 and 逾期未报 mean, as of ``as_of`` (``content.model``)."""
    return Markup(
        "逾期：截至状态日期（状态截至），整改时限已过而尚未完成。"
        "逾期未报：截至状态日期尚未完成、整改时限在其后且到 {} 已过，此后未见进展通报。"
    ).format(as_of_time(as_of))


def as_of_note(as_of: dt.date) -> Markup:
    """The sentence of a notice page with items that says what overdue means and which date
    逾期未报 is judged against (the only place a notice's page depends on the date itself:
    ``as_of``). Not searched: every such page has it (``search.records`` skips
    ``data-search-skip``)."""
    return Markup('<p class="portal-asof" data-search-skip>{}</p>').format(lateness(as_of))


def _late(name: str, html: str) -> str:
    return f"<!--late:{name}-->{html}<!--/late:{name}-->"


def late_parts(notice: Notice, round_name: str = "") -> dict[str, str]:
    """The parts of a notice's page that later notices change (``content.history``): its
    progress, its items' table, each item's status line and its round; each between markers
    (``<!--late:name-->``), so that a build can put in their newer form (``bind``)."""
    path = urls.notice_path(notice.id)
    own = notice.contacts
    open_ = (own.any and not own.closed) or (own.closed and notice.standing.any)
    parts = {
        "progress": render(path, "", "notice-progress.html.j2", notice=notice),
        "items": render(path, "", "notice-items.html.j2", notice=notice),
        "round": render(path, "", "notice-round.html.j2", notice=notice, round_name=round_name),
    }
    for item in notice.items:
        parts[item.anchor] = render(path, "", "badge.html.j2", item=item, feedback=open_)
    return {name: _late(name, html.strip("\n")) for name, html in parts.items()}


def render_notice(
    notice: Notice, as_of: dt.date, site: Site, round_name: str = ""
) -> RenderedNotice:
    """A notice's page, search record, listing card, ledger rows and data rows (``round_name``:
    of the round it belongs to, when the notices after it are known)."""
    late = late_parts(notice, round_name)
    badge = lambda item: late[item.anchor]  # noqa: E731
    body = render_body(notice, {i.heading_token: i for i in notice.items}, badge)
    path = urls.notice_path(notice.id)
    html = render(path, notice.title, "notice.html.j2", as_of=as_of, site=site, notice=notice,
                  body=Markup(body), late={k: Markup(v) for k, v in late.items()})  # fmt: skip
    named = html.count(str(as_of_note(as_of)))
    assert named <= 1, "content cannot make the as-of sentence: it is escaped"
    return RenderedNotice(
        page=OutputFile(path, body=PageBody(notice.title, html)),
        record=search_record(notice, html),
        card=_card(notice),
        ledger_rows=_ledger_rows(notice),
        json=data.notice_json(notice),
        csv=data.notice_csv(notice, site.url),
        as_of=as_of,
        names_as_of=named == 1,
    )


def _card(notice: Notice) -> str:
    return render(LISTING_PAGE, "", "card.html.j2", notice=notice)


def _ledger_rows(notice: Notice) -> str:
    return render("ledger.md", "", "ledger-rows.html.j2", notice=notice)


def with_history(
    rendered: RenderedNotice, notice: Notice, site: Site, round_name: str
) -> RenderedNotice:
    """A notice's parts once the notices after it are known (``content.history``): the page's
    late parts bound anew, its search record (if still held) remade from that page, and its
    card, ledger rows and data rows rendered from ``notice`` (cheap: no body)."""
    late = tuple(late_parts(notice, round_name).items())
    body = rendered.page.body
    if isinstance(body, StoredBody):
        body = replace(body, late=late)
    elif isinstance(body, PageBody):
        body = replace(body, html=bind(body.html, dict(late)))
    page = replace(rendered.page, body=body)
    record = search_record(notice, body.html) if rendered.record and body else None
    return replace(rendered, page=page, record=record, card=_card(notice),
                   ledger_rows=_ledger_rows(notice), json=data.notice_json(notice),
                   csv=data.notice_csv(notice, site.url))  # fmt: skip


def with_as_of(rendered: RenderedNotice, as_of: dt.date) -> RenderedNotice:
    """The same parts as of another date on which every item's overdue state and the feedback
    deadline are unchanged (``content.model.as_of_window``): only the page's as-of sentence
    names the date."""
    body = rendered.page.body
    if as_of == rendered.as_of or not rendered.names_as_of or body is None:
        return replace(rendered, as_of=as_of)
    old, new = str(as_of_note(rendered.as_of)), str(as_of_note(as_of))
    if isinstance(body, StoredBody):
        body = replace(body, swap=(body.swap[0] if body.swap else old, new))
    elif isinstance(body, PageBody):
        body = replace(body, html=body.html.replace(old, new))
    return replace(rendered, page=replace(rendered.page, body=body), as_of=as_of)
