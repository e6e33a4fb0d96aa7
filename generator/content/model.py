"""Stage 3, model: checked notices -> frozen data with derived progress and overdue.

"Overdue" is never typed by an editor, and a status is only known as of its date (状态截至:
the item's ``as_of``, else its notice's date). An item is overdue (逾期) when its deadline had
passed on that date and its status still said the work was under way (推进中 or 基本完成).
An open item whose deadline passed after that date, before the build's as-of date, is
逾期未报: not finished when last reported, and no later report is known. A later notice that
reports on the item will replace its status (the item's status date says which report wins).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from generator.content.numbering import item_number
from generator.content.schema import STATUSES, UNSTATED, PartialDate
from generator.content.validate import CheckedItem, CheckedNotice

OPEN_STATUSES = ("推进中", "基本完成")
"""Statuses that can become overdue; 已完成 is done and 长期坚持 has no end by nature."""
DONE_STATUSES = ("已完成",)


@dataclass(frozen=True)
class Item:
    """One rectification item (one problem the inspection found)."""

    notice_id: str
    number: int
    label: str
    """The number as written: ``1`` or ``（一）``."""
    anchor: str
    """Fragment id of the item's heading on the notice page."""
    heading: str
    problem: str
    """Short problem title: the ``problem`` field, the quoted text of the heading, or the heading."""
    category: str
    status: str
    deadline: dt.date | None
    completed: dt.date | None
    owners: tuple[str, ...]
    status_as_of: PartialDate | None
    """The day the status was true (状态截至): the item's ``as_of``, else the notice's date;
    None only in a draft without a date."""
    overdue: bool
    """The deadline had passed on the status date and the status was open (逾期)."""
    unreported: bool
    """Open on the status date, the deadline passed since, before the as-of date (逾期未报)."""
    line: int
    """Heading line in the source file, for editors."""
    heading_token: int
    """Index of the heading's ``heading_open`` in the notice's tokens."""


@dataclass(frozen=True)
class Phone:
    number: str
    """Exactly as written (leading zeros, dashes)."""
    hours: str = ""
    label: str = ""


@dataclass(frozen=True)
class Postal:
    address: str
    recipient: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class Contacts:
    """Feedback channels of one notice."""

    phones: tuple[Phone, ...] = ()
    postal: tuple[Postal, ...] = ()
    emails: tuple[str, ...] = ()
    web: str = ""
    """An HTTPS endpoint that accepts a form post (the unit's own server)."""
    until: dt.date | None = None
    closed: bool = False
    """True when ``until`` is before the as-of date."""

    @property
    def any(self) -> bool:
        return bool(self.phones or self.postal or self.emails or self.web)


@dataclass(frozen=True)
class Inspection:
    type: str
    """巡视 or 巡察."""
    team: str = ""
    round: str = ""
    topic: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    feedback: dt.date | None = None
    period_text: str = ""
    """The period as printed when it names no whole dates (2021年12月上旬至2022年1月上旬)."""
    feedback_text: str = ""
    """The feedback day as printed when it has no year (9月3日)."""


@dataclass(frozen=True)
class Figure:
    """A progress figure of a work report: found ``total``, dealt with ``done``."""

    name: str
    total: str
    done: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Progress:
    """Counts per status (in ``STATUSES`` order), total and overdue."""

    counts: tuple[tuple[str, int], ...]
    total: int
    overdue: int
    unreported: int = 0
    """Items 逾期未报 (``Item.unreported``)."""

    @property
    def done(self) -> int:
        return sum(n for status, n in self.counts if status in DONE_STATUSES)

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @staticmethod
    def of(items: Iterable[Item]) -> Progress:
        items = list(items)
        counter = Counter(item.status for item in items)
        return Progress(
            tuple((s, counter[s]) for s in STATUSES),
            len(items),
            sum(i.overdue for i in items),
            sum(i.unreported for i in items),
        )


@dataclass(frozen=True)
class Notice:
    """One published notice with its items and derived progress."""

    id: str
    path: str
    title: str
    issuer: str
    published: PartialDate | None
    """None only in a draft whose date is still a placeholder."""
    kind: str
    summary: str
    source: str
    """原文链接: the address where the notice was first published ("" when not given)."""
    doc_no: str
    """文号."""
    index_no: str
    """信息索引号."""
    inspection: Inspection | None
    contacts: Contacts
    """The notice's own channels, or the portal's standing ones when it lists none."""
    figures: tuple[Figure, ...]
    items: tuple[Item, ...]
    progress: Progress
    draft: bool
    """Shown in the preview only (``draft: true``)."""
    standing: Contacts
    """The portal's standing channels (``portal.yml``), offered once ``contacts`` have closed."""
    national: tuple[Phone, ...]
    """National reporting lines (``portal.yml``: ``national``), offered on every notice."""
    tokens: list[Token] | None = field(repr=False, compare=False)
    """The body's Markdown tokens, rendered by the generate stage; None once the page is
    rendered (they are big)."""

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None


@dataclass(frozen=True)
class Portal:
    """Every notice, newest first, as of one date."""

    notices: tuple[Notice, ...]
    as_of: dt.date
    progress: Progress

    @property
    def items(self) -> list[Item]:
        return [item for notice in self.notices for item in notice.items]

    def issuers(self) -> list[str]:
        return sorted({n.issuer for n in self.notices})

    def years(self) -> list[int]:
        return sorted({n.year for n in self.notices if n.year}, reverse=True)


UNDATED = PartialDate(9999, 12, 31)
"""Where a draft without a date sorts: first, as the newest."""


def assemble(notices: Iterable[Notice], as_of: dt.date) -> Portal:
    """The portal of ``notices``, newest first (a draft without a date first of all)."""
    ordered = sorted(notices, key=lambda n: (n.published or UNDATED, n.id), reverse=True)
    return Portal(tuple(ordered), as_of, Progress.of(i for n in ordered for i in n.items))


def make_notice(
    checked: CheckedNotice, as_of: dt.date, default_contacts: dict[str, Any] | None = None
) -> Notice:
    f = checked.fields
    published = f["published"]
    items = tuple(make_item(checked.id, item, as_of, published) for item in checked.items)
    standing = {k: v for k, v in (default_contacts or {}).items() if k != "national"}
    return Notice(
        id=checked.id,
        path=checked.source.path,
        title=f["title"],
        issuer=f["issuer"],
        published=published,
        kind=f["kind"],
        summary=f.get("summary", ""),
        source=f.get("source", ""),
        doc_no=f.get("doc_no", ""),
        index_no=f.get("index_no", ""),
        inspection=_inspection(f.get("inspection")),
        contacts=_contacts(f.get("contacts") or standing or {}, as_of),
        standing=_contacts({k: v for k, v in (standing or {}).items() if k != "until"}, as_of),
        national=tuple(Phone(**p) for p in (default_contacts or {}).get("national") or ()),
        figures=tuple(Figure(**fig) for fig in f.get("figures") or ()),
        items=items,
        progress=Progress.of(items),
        draft=checked.draft,
        tokens=checked.source.tokens,
    )


def as_of_window(notice: Notice, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The dates around ``as_of`` (from inclusive, to exclusive) on which the notice is the same
    but for the date itself: no item turns overdue and the feedback channels do not close.

    An open item turns overdue the day after its deadline; the channels close the day after
    ``until``. A build may reuse a notice rendered on any date of the window (``incremental.reuse``)."""
    day = dt.timedelta(days=1)
    turns = [i.deadline + day for i in notice.items if i.deadline and i.status in OPEN_STATUSES]
    if notice.contacts.until:
        turns.append(notice.contacts.until + day)
    return window_around(turns, as_of)


def window_around(turns: Iterable[dt.date], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The dates around ``as_of`` (from inclusive, to exclusive) on which no date of ``turns``
    (the first day something changes) is crossed."""
    turns = list(turns)
    start = max((t for t in turns if t <= as_of), default=dt.date.min)
    end = min((t for t in turns if t > as_of), default=dt.date.max)
    return start, end


def make_item(
    notice_id: str, checked: CheckedItem, as_of: dt.date, published: PartialDate | None = None
) -> Item:
    f = checked.fields
    numbered = item_number(checked.raw.heading)
    rest = numbered.rest if numbered else checked.raw.heading
    deadline = _date(f.get("deadline"))
    status = f["status"] or UNSTATED  # a draft's placeholder: not chosen yet
    status_as_of = f.get("as_of") or published
    overdue, unreported = _lateness(deadline, _date(status_as_of), status, as_of)
    return Item(
        notice_id=notice_id,
        number=checked.number,
        label=checked.label,
        anchor=f"item-{checked.number}",
        heading=checked.raw.heading,
        problem=f.get("problem") or _quoted(rest) or rest.strip("。. "),
        category=checked.raw.category,
        status=status,
        deadline=deadline,
        completed=_date(f.get("completed")),
        owners=tuple(f.get("owner") or ()),
        status_as_of=status_as_of,
        overdue=overdue,
        unreported=unreported,
        line=checked.raw.heading_line,
        heading_token=checked.raw.heading_token,
    )


def _lateness(
    deadline: dt.date | None, reported: dt.date | None, status: str, as_of: dt.date
) -> tuple[bool, bool]:
    """(逾期, 逾期未报) of an item due ``deadline`` whose ``status`` held on ``reported`` (a
    month-only date: its first day, never a later one). An undated status is neither."""
    if deadline is None or reported is None or status not in OPEN_STATUSES:
        return False, False
    return deadline < reported, reported <= deadline < as_of


def _quoted(text: str) -> str:
    """The text between the first “ and its matching ” (quotes may nest: “‘两个至上’理念”)."""
    start = text.find("“")
    end = text.rfind("”")
    return text[start + 1 : end] if 0 <= start < end else ""


def _date(value: PartialDate | None) -> dt.date | None:
    return dt.date(value.year, value.month, value.day or 1) if value else None


def _inspection(f: dict[str, Any] | None) -> Inspection | None:
    if not f:
        return None
    start, end = (_date(d) for d in f.get("period") or (None, None))
    return Inspection(
        f["type"] or "",  # a draft's placeholder
        f.get("team", ""),
        f.get("round", ""),
        f.get("topic", ""),
        start,
        end,
        _date(f.get("feedback")),
        f.get("period_text", ""),
        f.get("feedback_text", ""),
    )


def _contacts(f: dict[str, Any], as_of: dt.date) -> Contacts:
    until = _date(f.get("until"))
    return Contacts(
        phones=tuple(Phone(**p) for p in f.get("phone") or ()),
        postal=tuple(Postal(**p) for p in f.get("postal") or ()),
        emails=tuple(f.get("email") or ()),
        web=f.get("web", ""),
        until=until,
        closed=bool(until and until < as_of),
    )
