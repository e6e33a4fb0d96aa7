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
from dataclasses import dataclass, field, replace
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
    follows: str = ""
    """In a follow-up notice: the earlier item's number it reports on when not its own, or
    新增 (a problem first reported here)."""
    follows_line: int = 0
    """Where ``follows`` is written (0: not written)."""
    closed: dt.date | None = None
    """销号: the day the problem was closed."""
    closed_undated: bool = False
    """Closed, the day not given (``closed: 是``)."""
    evidence: str = ""
    """销号依据."""
    deadline_reason: str = ""
    """Why the deadline differs from the one reported before."""
    note: str = ""
    """The editor's remark on this report."""
    said: str = ""
    """The start of what the notice says of the item (its section's text, ``SAID_CHARS``)."""
    history: ItemHistory | None = None
    """Its problem's other reports (``content.history``): set once every notice is read."""

    @property
    def problem_category(self) -> str:
        """The category of its problem: as first reported."""
        return self.history.category if self.history and self.history.category else self.category

    @property
    def days_late(self) -> int | None:
        """Days past the deadline on the status date, for an item 逾期 (fixed by its report)."""
        if not self.overdue or self.deadline is None or self.status_as_of is None:
            return None
        reported = self.status_as_of
        return (dt.date(reported.year, reported.month, reported.day or 1) - self.deadline).days


@dataclass(frozen=True)
class ItemHistory:
    """What the reports of other notices on the same problem change about an item."""

    problem_id: str
    """The problem's id, unique in the portal (``content.history.Problem.id``)."""
    round_id: str
    reports: int
    """How many notices report on the problem."""
    later: Item | None = None
    """The newest report after this one (its status replaces this one's), if any."""
    deadline_was: dt.date | None = None
    """The deadline first reported, when this report's differs from it."""
    category: str = ""
    """The problem's category as first reported (a follow-up may group its items otherwise)."""


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
    follows: str = ""
    """The id of the earlier notice of the same round this one reports on again."""
    follows_line: tuple[int, int] = (1, 1)
    """Where ``follows`` is written (line, column), or the front matter's start."""
    round_id: str = ""
    """The inspection round it belongs to, when the round has several notices (``history``)."""

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None


@dataclass(frozen=True)
class Portal:
    """Every notice, newest first, as of one date."""

    notices: tuple[Notice, ...]
    as_of: dt.date
    progress: Progress
    """Of every problem once, by its latest report (``problems``)."""
    rounds: tuple[Any, ...] = ()
    """Inspection rounds of several notices (``content.history.Round``), newest first."""
    identity: Any = None
    """Who publishes the site (``content.settings.Identity``, from ``portal.yml``), or None."""

    @property
    def items(self) -> list[Item]:
        """Every report of every notice."""
        return [item for notice in self.notices for item in notice.items]

    @property
    def problems(self) -> list[Item]:
        """Every problem once: its latest report (an item no later notice reports on)."""
        return [i for notice in self.notices for i in notice.items if is_latest(i)]

    def issuers(self) -> list[str]:
        return sorted({n.issuer for n in self.notices})

    def years(self) -> list[int]:
        return sorted({n.year for n in self.notices if n.year}, reverse=True)


UNDATED = PartialDate(9999, 12, 31)
"""Where a draft without a date sorts: first, as the newest."""


def is_latest(item: Item) -> bool:
    """No later notice reports on the item's problem."""
    return item.history is None or item.history.later is None


def assemble(
    notices: Iterable[Notice], as_of: dt.date, rounds: tuple[Any, ...] = (), identity: Any = None
) -> Portal:
    """The portal of ``notices``, newest first (a draft without a date first of all)."""
    ordered = sorted(notices, key=lambda n: (n.published or UNDATED, n.id), reverse=True)
    problems = (i for n in ordered for i in n.items if is_latest(i))
    return Portal(tuple(ordered), as_of, Progress.of(problems), rounds, identity)


SAID_CHARS = 160
"""How much of an item's text its problem's history shows (the notice page has the rest)."""


def _said(tokens: list[Token], start: int) -> str:
    """The text of the section after the heading at ``tokens[start]``, up to the next heading
    of its level or above, without the item block, clipped to ``SAID_CHARS``."""
    level = int(tokens[start].tag[1:]) if tokens[start].tag[1:].isdigit() else 6
    parts: list[str] = []
    size = 0
    k = start + 3  # heading_open, inline, heading_close
    while k < len(tokens) and size <= SAID_CHARS:
        t = tokens[k]
        if t.type == "heading_open" and int(t.tag[1:]) <= level:
            break
        if t.type == "inline" and t.content and not (k and tokens[k - 1].type == "heading_open"):
            parts.append(t.content)
            size += len(t.content)
        k += 1
    text = " ".join(" ".join(parts).split())
    return text if len(text) <= SAID_CHARS else text[:SAID_CHARS] + "……"


def make_notice(
    checked: CheckedNotice, as_of: dt.date, default_contacts: dict[str, Any] | None = None
) -> Notice:
    f = checked.fields
    published = f["published"]
    tokens = checked.source.tokens
    items = tuple(
        replace(
            make_item(checked.id, item, as_of, published),
            said=_said(tokens, item.raw.heading_token),
        )
        for item in checked.items
    )
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
        follows=f.get("follows", ""),
        follows_line=_key_pos(checked.source.front, "follows"),
    )


def _key_pos(front: Any, key: str) -> tuple[int, int]:
    pos = front.keys.get(key, front.pos) if hasattr(front, "keys") else None
    return (pos.line, pos.col) if pos else (1, 1)


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
    overdue, unreported = lateness_of(deadline, _date(status_as_of), status, as_of)
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
        follows=f.get("follows", ""),
        follows_line=_key_pos(checked.raw.fields, "follows")[0] if f.get("follows") else 0,
        closed=_date(f["closed"]) if isinstance(f.get("closed"), PartialDate) else None,
        closed_undated=f.get("closed") is True,
        evidence=f.get("evidence", ""),
        deadline_reason=f.get("deadline_reason", ""),
        note=f.get("note", ""),
    )


def lateness_of(
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
