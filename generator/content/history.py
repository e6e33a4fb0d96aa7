"""Stage 3, model (across notices): each problem followed through the notices that report on it.

A follow-up notice names the notice it follows (``follows: <id>`` in its front matter); its
items report on the earlier notice's items with the same numbers, or on the number an item's
own ``follows`` gives (``新增``: a problem first reported here). The notices linked so form an
inspection round (``Round``); each problem (``Problem``) has one report per notice, oldest
first, and its latest report is its status: a status is true as of its date, so an earlier
report never claims 逾期未报 once a later one exists, and 逾期 / 逾期未报 of the problem come
from the latest report and the deadline last stated. Everything here is one pass over the
notices and their items (linear in the archive), with every problem of the links located.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from generator.content.model import (
    DONE_STATUSES,
    OPEN_STATUSES,
    UNDATED,
    Item,
    ItemHistory,
    Notice,
    Progress,
    lateness_of,
)
from generator.errors import Diagnostic, Severity, did_you_mean
from generator.i18n import Msg, m

NEW = "新增"
SAME_TITLE = 0.6
"""Titles at least this alike (difflib's ratio) name the same problem."""


@dataclass(frozen=True)
class Problem:
    """One problem of a round and every report on it, oldest first."""

    id: str
    """``<first notice's id>-<its number there>``: the problem's anchor on the round page."""
    round_id: str
    reports: tuple[Item, ...]
    """Each report's item, adjusted (``Item.history``), in the order of their status dates."""

    @property
    def latest(self) -> Item:
        return self.reports[-1]

    @property
    def first(self) -> Item:
        return self.reports[0]


@dataclass(frozen=True)
class Change:
    """What one follow-up notice changed in its round, by problem id."""

    notice_id: str
    finished: tuple[str, ...]
    """Reported 已完成 here, not before."""
    still_open: tuple[str, ...]
    newly_overdue: tuple[str, ...]
    """逾期 here, not in the report before."""
    dropped: tuple[str, ...]
    """Open in the notice this one follows, not reported here (a check warning)."""


@dataclass(frozen=True)
class Point:
    """Completion on one day: problems known by then, and how many of them were done."""

    day: dt.date
    total: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class Round:
    """An inspection round with several notices: its problems and how they moved."""

    id: str
    """The first notice's id."""
    name: str
    issuer: str
    notices: tuple[Notice, ...]
    """Oldest first."""
    problems: tuple[Problem, ...]
    changes: tuple[Change, ...]
    """One per notice after the first."""
    progress: Progress
    """Of each problem's latest report."""
    timeline: tuple[Point, ...]
    """Completion on each notice's date."""


@dataclass(frozen=True)
class History:
    notices: tuple[Notice, ...]
    """The notices, in the order given, with their items' ``history`` set."""
    rounds: tuple[Round, ...]
    """Rounds of several notices, newest latest report first."""
    problems: list[Diagnostic]


def trace(
    notices: Sequence[Notice], as_of: dt.date, unreadable: frozenset[str] = frozenset()
) -> History:
    """Link every follow-up notice to the notice it follows and every item to its problem.
    ``unreadable``: ids of notices whose own errors kept them out; following one is not a
    second error (its file's errors say what is wrong)."""
    tracer = _Tracer(notices, as_of, unreadable)
    rounds = [tracer.round(members) for members in tracer.rounds()]
    adjusted = tuple(tracer.adjusted.get(n.id, n) for n in notices)
    rounds.sort(key=lambda r: (r.notices[-1].published or UNDATED, r.id), reverse=True)
    return History(adjusted, tuple(rounds), sorted(tracer.diagnostics))


def day_of(notice: Notice) -> dt.date:
    p = notice.published or UNDATED
    return dt.date(p.year, p.month, p.day or 1)


def _status_day(item: Item, notice: Notice) -> dt.date:
    d = item.status_as_of or notice.published or UNDATED
    return dt.date(d.year, d.month, d.day or 1)


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


class _Tracer:
    def __init__(
        self, notices: Sequence[Notice], as_of: dt.date, unreadable: frozenset[str] = frozenset()
    ) -> None:
        self.as_of = as_of
        self.unreadable = unreadable
        self.by_id = {n.id: n for n in notices}
        self.diagnostics: list[Diagnostic] = []
        self.adjusted: dict[str, Notice] = {}
        self.parent: dict[str, str] = {}
        for n in notices:
            if n.follows and self._link_ok(n):
                self.parent[n.id] = n.follows

    def _at(self, notice: Notice, pos: tuple[int, int], message: Msg, where: str,
            severity: Severity = Severity.ERROR) -> None:  # fmt: skip
        self.diagnostics.append(Diagnostic(notice.path, *pos, message, where, severity))

    def _link_ok(self, n: Notice) -> bool:
        target = self.by_id.get(n.follows)
        if target is None and n.follows in self.unreadable:
            return False
        if target is None:
            hint = did_you_mean(n.follows, list(self.by_id))
            self._at(n, n.follows_line, m("follows '{follows}', but no notice has that id{hint}", follows=n.follows, hint=hint or ""),
                     "follows")  # fmt: skip
            return False
        if target.id == n.id:
            self._at(n, n.follows_line, m("a notice cannot follow itself"), "follows")
            return False
        if target.published and n.published and day_of(target) > day_of(n):
            self._at(n, n.follows_line, (
                m("follows '{id}', published {published}, after this notice ({published2}); a notice follows an earlier one", id=target.id, published=target.published.iso(), published2=n.published.iso())
            ), "follows")  # fmt: skip
            return False
        return True

    def rounds(self) -> list[list[Notice]]:
        """The notices of each round of several, each round in reporting order (parents first)."""
        self._break_cycles()
        root: dict[str, str] = {}
        depth: dict[str, int] = {}
        for start in self.parent:
            path, here = [], start
            while here in self.parent and here not in root:
                path.append(here)
                here = self.parent[here]
            if here not in root:
                root[here], depth[here] = here, 0
            for k in reversed(path):
                root[k], depth[k] = root[self.parent[k]], depth[self.parent[k]] + 1
        groups: dict[str, list[str]] = {}
        for k, r in root.items():
            groups.setdefault(r, []).append(k)
        return [
            sorted((self.by_id[k] for k in ids), key=lambda n: (depth[n.id], day_of(n), n.id))
            for ids in groups.values()
            if len(ids) > 1
        ]

    def _break_cycles(self) -> None:
        """Notices that follow each other in a circle (same-day notices can): each link of
        the circle is refused, located."""
        done: set[str] = set()
        for start in list(self.parent):
            walk: list[str] = []
            here: str | None = start
            while here is not None and here not in done and here not in walk:
                walk.append(here)
                here = self.parent.get(here)
            if here is not None and here in walk:
                for k in walk[walk.index(here) :]:
                    n = self.by_id[k]
                    self._at(n, n.follows_line, (
                        m("the notices this one follows lead back to it: a notice follows an earlier one")
                    ), "follows")  # fmt: skip
                    del self.parent[k]
            done.update(walk)

    def round(self, members: list[Notice]) -> Round:
        first = members[0]
        round_id = first.id
        problem_of: dict[tuple[str, int], str] = {}
        reports: dict[str, list[tuple[Item, Notice]]] = {}
        for notice in members:
            earlier = self.by_id.get(self.parent.get(notice.id, ""))
            claimed: dict[str, int] = {}
            for item in notice.items:
                pid = self._problem(notice, item, earlier, problem_of)
                if pid in claimed:
                    self._at(notice, (item.follows_line or item.line, 1), (
                        m("item {label} reports on the same problem as item {claimed}", label=item.label, claimed=claimed[pid])
                    ), f"item {item.label}")  # fmt: skip
                    continue
                claimed[pid] = item.number
                problem_of[(notice.id, item.number)] = pid
                reports.setdefault(pid, []).append((item, notice))
        problems = [self._problem_history(pid, round_id, rs) for pid, rs in reports.items()]
        by_item = {(i.notice_id, i.number): i for p in problems for i in p.reports}
        round_notices = []
        for notice in members:
            items = tuple(by_item.get((notice.id, i.number), i) for i in notice.items)
            inspection = notice.inspection or first.inspection  # a follow-up may leave it out
            adjusted = replace(notice, items=items, progress=Progress.of(items), round_id=round_id,
                               inspection=inspection)  # fmt: skip
            self.adjusted[notice.id] = adjusted
            round_notices.append(adjusted)
        changes = tuple(self._change(n, problems, problem_of) for n in round_notices[1:])
        ordered = sorted(round_notices, key=day_of)
        latest = [p.latest for p in problems]
        return Round(
            id=round_id,
            name=round_name(first),
            issuer=first.issuer,
            notices=tuple(ordered),
            problems=tuple(problems),
            changes=changes,
            progress=Progress.of(latest),
            timeline=tuple(
                completion(
                    (
                        (p, i, _status_day(i, self.by_id[i.notice_id]))
                        for p in problems
                        for i in p.reports
                    ),
                    [day_of(n) for n in ordered],
                )  # fmt: skip
            ),
        )

    def _problem(
        self,
        notice: Notice,
        item: Item,
        earlier: Notice | None,
        problem_of: dict[tuple[str, int], str],
    ) -> str:
        """The id of the problem ``item`` reports on (a new one for the first notice, 新增, or
        a reference that cannot be followed: reported, and taken as new)."""
        new = f"{notice.id}-{item.number}"
        if earlier is None or item.follows == NEW:
            return new
        number = int(item.follows) if item.follows else item.number
        target = next((i for i in earlier.items if i.number == number), None)
        where, pos = f"item {item.label}", (item.follows_line or item.line, 1)
        if target is None:
            self._at(notice, pos, (
                m("item {label} reports on item {number} of '{id}', which has no item {number}{proposal}; or write 'follows: {NEW}' for a problem first reported here", label=item.label, number=number, id=earlier.id, proposal=self._proposal(item, earlier), NEW=NEW)
            ), where)  # fmt: skip
            return new
        if not item.follows and similarity(item.problem, target.problem) < SAME_TITLE:
            best = max(earlier.items, key=lambda i: similarity(item.problem, i.problem))
            if best is not target and similarity(item.problem, best.problem) >= SAME_TITLE:
                self._at(notice, pos, (
                    m("item {label} (“{problem}”) reports on item {number} of '{id}' by its number, but reads like its item {label2} (“{problem2}”): write 'follows: {number2}' in its block, or 'follows: {number}' to confirm", label=item.label, problem=item.problem, number=number, id=earlier.id, label2=best.label, problem2=best.problem, number2=best.number)
                ), where, Severity.WARNING)  # fmt: skip
        return problem_of.get((earlier.id, number), new)

    @staticmethod
    def _proposal(item: Item, earlier: Notice) -> Msg | str:
        alike = sorted(earlier.items, key=lambda i: -similarity(item.problem, i.problem))
        if alike and similarity(item.problem, alike[0].problem) >= SAME_TITLE:
            return m(
                " (did you mean 'follows: {number}', “{problem}”?)",
                number=alike[0].number, problem=alike[0].problem,
            )  # fmt: skip
        return ""

    def _problem_history(
        self, pid: str, round_id: str, reports: list[tuple[Item, Notice]]
    ) -> Problem:
        reports.sort(key=lambda r: (_status_day(*r), day_of(r[1])))
        adjusted: list[Item] = []
        deadline, first_deadline, done_before = None, None, False
        for k, (item, notice) in enumerate(reports):
            deadline = item.deadline or deadline
            first_deadline = first_deadline or item.deadline
            reported = _status_day(item, notice)
            overdue, unreported = lateness_of(deadline, reported, item.status, self.as_of)
            last = k == len(reports) - 1
            if done_before and item.status not in DONE_STATUSES and not item.note:
                self._at(notice, (item.line, 1), (
                    m("item {label} was reported 已完成 before and is {status} now: say why in a note (note: …)", label=item.label, status=item.status)
                ), f"item {item.label}", Severity.WARNING)  # fmt: skip
            done_before = done_before or item.status in DONE_STATUSES
            history = ItemHistory(
                pid,
                round_id,
                len(reports),
                deadline_was=first_deadline if deadline != first_deadline else None,
                category=reports[0][0].category,
            )
            adjusted.append(replace(item, deadline=deadline, overdue=overdue,
                                    unreported=unreported and last, history=history))  # fmt: skip
        latest = adjusted[-1]
        adjusted = [
            replace(i, history=replace(i.history, later=latest)) if i is not latest and i.history
            else i
            for i in adjusted
        ]  # fmt: skip
        return Problem(pid, round_id, tuple(adjusted))

    def _change(
        self, notice: Notice, problems: list[Problem], problem_of: dict[tuple[str, int], str]
    ) -> Change:
        earlier = self.by_id.get(self.parent.get(notice.id, ""))
        finished, still_open, newly_overdue, dropped = [], [], [], []
        for p in problems:
            mine = next((i for i in p.reports if i.notice_id == notice.id), None)
            before = None
            if mine is not None:
                k = p.reports.index(mine)
                before = p.reports[k - 1] if k else None
            if mine is None:
                if earlier is None:
                    continue
                prior = next((i for i in p.reports if i.notice_id == earlier.id), None)
                if (
                    prior
                    and prior.status not in DONE_STATUSES
                    and not self._reported_elsewhere(p, earlier, notice)
                ):
                    dropped.append(p.id)
                continue
            if mine.status in DONE_STATUSES and (
                before is None or before.status not in DONE_STATUSES
            ):
                finished.append(p.id)
            elif mine.status not in DONE_STATUSES:
                still_open.append(p.id)
            if mine.overdue and not (before and before.overdue):
                newly_overdue.append(p.id)
        if dropped and earlier:
            titles = "、".join(f"第{p.first.label}项" for p in problems if p.id in dropped)
            self._at(notice, notice.follows_line, (
                m("{n} open problem(s) of '{id}' are not reported here: {titles}; report their progress, or say they are closed", n=len(dropped), id=earlier.id, titles=titles)
            ), "follows", Severity.WARNING)  # fmt: skip
        return Change(notice.id, *map(tuple, (finished, still_open, newly_overdue, dropped)))

    def _reported_elsewhere(self, p: Problem, earlier: Notice, notice: Notice) -> bool:
        """Another notice following ``earlier`` reports on ``p`` (two follow-ups of one notice)."""
        return any(
            i.notice_id != notice.id and self.parent.get(i.notice_id) == earlier.id
            for i in p.reports
        )


def round_name(first: Notice) -> str:
    ins = first.inspection
    if ins is None:
        return first.title
    what = f"{ins.round}{ins.type}" if ins.round else (ins.team or ins.type)
    return f"{what} · {first.issuer}"


def completion(
    reports: Iterable[tuple[object, Item, dt.date]], days: Iterable[dt.date]
) -> list[Point]:
    """Completion on each of ``days``: of the problems first reported by then, those whose
    latest report by then said 已完成. ``reports``: (problem, its report, the report's date)."""
    events = sorted(reports, key=lambda r: r[2])
    state: dict[object, bool] = {}
    points, k = [], 0
    done = 0
    for day in sorted(set(days)):
        while k < len(events) and events[k][2] <= day:
            key, item, _ = events[k]
            now = item.status in DONE_STATUSES
            done += now - state.get(key, False)
            state[key] = now
            k += 1
        points.append(Point(day, len(state), done))
    return points


def problem_key(item: Item) -> str:
    """The problem an item reports on: its round's problem id, else its own place."""
    return item.history.problem_id if item.history else f"{item.notice_id}-{item.number}"


def is_open(item: Item) -> bool:
    return item.status in OPEN_STATUSES
