"""Stage 2, validate: type every file by the schema, check the body and cross-notice rules.

Every problem of every file is collected before anything is written (STYLE.md 2, 7).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markdown_it.token import Token

from generator.content import disclosure, garbled, ids, placeholders, schema, texts, yamltree
from generator.content.load import RawItem, SourceFile, block_line
from generator.content.numbering import item_number
from generator.errors import Diagnostic, Severity, errors_in
from generator.i18n import Msg, m


@dataclass(frozen=True)
class CheckedItem:
    """An item whose fields passed the schema."""

    raw: RawItem
    fields: dict[str, Any]
    number: int
    """Item number, from the heading (``1.``, ``（一）``) or the ``no`` field."""
    label: str
    """The number as the notice writes it: ``1`` or ``（一）``."""


@dataclass(frozen=True)
class CheckedNotice:
    """A notice whose front matter, items and body passed validation."""

    source: SourceFile
    id: str
    fields: dict[str, Any]
    items: tuple[CheckedItem, ...]
    draft: bool = False


LINK_SCHEMES = ("http", "https", "mailto", "tel")


def safe_url(url: str, schemes: tuple[str, ...]) -> bool:
    """Relative, or one of ``schemes``. Browsers drop tabs, newlines and leading control
    characters from URLs (``java\tscript:``), so the scheme is read the way they read it."""
    cleaned = "".join(c for c in url if c not in "\t\n\r").lstrip("".join(map(chr, range(33))))
    if cleaned.startswith(("//", "\\\\", "/\\")):
        return False
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return not scheme or scheme in schemes


@dataclass(frozen=True)
class Validated:
    """What validating one file gave."""

    notice: CheckedNotice | None
    """The checked notice, when there is no error."""
    problems: list[Diagnostic]
    turns: tuple[dt.date, ...] = ()
    """The days on which a rule about dates judges differently from the day before (a notice
    dated in the future is an error until that day): a result holds between two of them."""


def validate_file(source: SourceFile, as_of: dt.date) -> Validated:
    """Type the front matter and every item block by the schema and check the body and the
    dates against the build date ``as_of``; the checked notice when there is no error, and
    every problem found."""
    ck = schema.Checker(source.path, draft=is_draft(source))
    if source.front is None and source.front_failed:
        fields: dict[str, Any] | None = None
    elif source.front is None:
        ck.at(2, 1, m("front matter is empty; expected title, issuer, published, kind"))
        fields = None
    else:
        fields = schema.NOTICE.check(source.front, "", ck)
    items = _check_items(source, ck)
    _check_body(source, ck)
    _check_unannotated(source, ck)
    _check_texts(source, ck)
    _check_disclosure(source, ck)
    turns: list[dt.date] = []
    if fields is not None:
        _check_notice_rules(source, fields, items, ck)
        turns = _check_dates(source, fields, items, as_of, ck)
    for n, item in enumerate(items, 1):
        if item.fields.get("status") == schema.UNSTATED:
            node = _node_at(item.raw.fields, "status")
            pos = node.pos if node else yamltree.Pos(item.raw.line, 1)
            ck.at(
                pos.line,
                pos.col,
                m(
                    "未说明: the text does not say; an editor must choose 已完成, 基本完成, 推进中 or 长期坚持"
                ),
                f"items[{n}].status",
                Severity.WARNING,
            )
    if fields is not None and not fields.get("id") and not ids.is_id(source.stem):
        name = ids.proposed(source.stem)
        ck.at(1, 1, (
            m("the file name '{stem}' cannot be the notice's id (its address: lower-case letters, digits and '-'); rename the file to '{name}.md', or add 'id: {name}' to the front matter", stem=source.stem, name=name)
        ), "id")  # fmt: skip
    if errors_in(ck.diagnostics) or fields is None:
        return Validated(None, ck.diagnostics, tuple(turns))
    notice = CheckedNotice(
        source, fields.get("id") or source.stem, fields, tuple(items), bool(fields.get("draft"))
    )
    return Validated(notice, ck.diagnostics, tuple(turns))


def is_draft(source: SourceFile) -> bool:
    """``draft: true`` in the front matter (read before the schema types it: a draft's
    placeholders are warnings)."""
    node = _node_at(source.front, "draft")
    return isinstance(node, yamltree.Scalar) and node.text.strip() == "true"


def _check_items(source: SourceFile, ck: schema.Checker) -> list[CheckedItem]:
    items: list[CheckedItem] = []
    seen: dict[int, int] = {}
    for ordinal, raw in enumerate(source.items, 1):
        where = f"items[{ordinal}]"
        if raw.fields is None:
            if not raw.unreadable:  # a YAML mistake in it is reported where it was made
                ck.at(raw.line + 1, 1, m("empty item block; expected at least 'status'"), where)
            continue
        fields = schema.ITEM.check(raw.fields, where, ck)
        if fields is None:
            continue
        numbered = item_number(raw.heading)
        if fields.get("no"):
            number, label = int(fields["no"]), fields["no"]
        elif numbered:
            number, label = numbered.number, numbered.label
        else:
            ck.at(
                raw.heading_line,
                1,
                m(
                    "expected the heading to start with an item number such as '1.' or '（一）', or a 'no' field; got '{heading}'",
                    heading=raw.heading[:20],
                ),
                where,
            )
            continue
        if number in seen:
            ck.at(
                raw.heading_line,
                1,
                m(
                    "item number {label} is used twice (first at line {seen})",
                    label=label,
                    seen=seen[number],
                ),
                where,
            )
            continue
        seen[number] = raw.heading_line
        items.append(CheckedItem(raw, fields, number, label))
    return items


def _check_notice_rules(
    source: SourceFile, fields: dict[str, Any], items: list[CheckedItem], ck: schema.Checker
) -> None:
    pos = source.front.pos if source.front else None
    line, col = (pos.line, pos.col) if pos else (1, 1)
    if fields.get("kind") == "整改进展":
        if "inspection" not in fields and not fields.get("follows"):
            ck.at(
                line,
                col,
                m(
                    "required for kind 整改进展 (type, team, period, feedback), unless the notice follows an earlier one (follows: <id>)"
                ),
                "inspection",
            )
        if not source.items:
            ck.at(
                source.body_line,
                1,
                m(
                    "a 整改进展 notice needs at least one item: a heading followed by an ```item block"
                ),
            )
    elif source.items and fields.get("kind"):
        first = source.items[0]
        ck.at(
            first.line,
            1,
            m("items belong to kind 整改进展 notices; this one is {kind}", kind=fields["kind"]),
            "items[1]",
        )
    _check_follow_fields(source, fields, items, ck)
    period = (fields.get("inspection") or {}).get("period")
    if period and period[0] and period[1] and period[0] > period[1]:
        node = _node_at(source.front, "inspection", "period")
        ck.error(
            node.pos if node else yamltree.Pos(1, 1),
            "inspection.period",
            m(
                "expected the first day before the last, got {first} after {last}",
                first=period[0].iso(),
                last=period[1].iso(),
            ),
        )


FOLLOWS_LINE = re.compile(rb"^follows:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)[\"']?[ \t]*(?:#.*)?$", re.M)
"""How the front matter names the notice it follows, as the build reads it before any notice
is checked (``read.notices``: which notices' search records wait for the history)."""


def _check_follow_fields(
    source: SourceFile, fields: dict[str, Any], items: list[CheckedItem], ck: schema.Checker
) -> None:
    """The fields of a follow-up report that one file can judge: ``follows`` on its own line,
    an item's ``follows`` only in a notice that follows one, and 销号 only for 已完成."""
    follows = fields.get("follows")
    if follows:
        front = source.front
        key = front.keys.get("follows") if isinstance(front, yamltree.Mapping) else None
        value = _node_at(front, "follows")
        if not key or not value or key.col != 1 or value.pos.line != key.line:
            _at_field(ck, source.front, ("follows",), "follows",
                      m("write 'follows: <id>' on a line of its own at the start of the line"))  # fmt: skip
    for n, item in enumerate(items, 1):
        node, where = item.raw.fields, f"items[{n}]"
        if item.fields.get("follows") and not follows:
            _at_field(ck, node, ("follows",), f"{where}.follows", (
                m("the item follows item {number} of an earlier notice, but the notice names none: add 'follows: <id of the earlier notice>' to the front matter", number=item.fields['follows'])
            ))  # fmt: skip
        closed = item.fields.get("closed")
        if closed and item.fields.get("status") not in (None, "已完成"):
            _at_field(ck, node, ("closed",), f"{where}.closed", (
                m("closed (销号) while the status is {status}; only a finished problem (已完成) is closed", status=item.fields['status'])
            ))  # fmt: skip
        elif closed is True:
            _at_field(ck, node, ("closed",), f"{where}.closed", (
                m("closed (销号) without a date: write the day it was closed, e.g. closed: 2025-03-31")
            ), Severity.WARNING)  # fmt: skip
        if item.fields.get("evidence") and not closed:
            _at_field(ck, node, ("evidence",), f"{where}.evidence", (
                m("evidence (销号依据) without closed: write the day the problem was closed")
            ), Severity.WARNING)  # fmt: skip


def _day(date: schema.PartialDate) -> dt.date:
    """The first day a date written as ``YYYY-MM`` can mean."""
    return dt.date(date.year, date.month, date.day or 1)


def _check_dates(
    source: SourceFile,
    fields: dict[str, Any],
    items: list[CheckedItem],
    as_of: dt.date,
    ck: schema.Checker,
) -> list[dt.date]:
    """Dates that cannot be true: a notice published, or an item completed, after the build
    date (errors: nobody can report what has not happened); an item completed before the
    inspection's feedback (a warning: right only for a problem fixed during the inspection,
    立行立改); a deadline before the feedback (an error: deadlines are set in answer to it).
    Returns the days on which these rules turn (``Validated.turns``)."""
    turns = []
    published = fields.get("published")
    if published:
        turns.append(_day(published))
        if _day(published) > as_of:
            _at_field(ck, source.front, ("published",), "published", (
                m("the notice is dated {published}, after the build date {as_of}; a notice cannot be published in the future (is the year right?)", published=published.iso(), as_of=as_of.isoformat())
            ))  # fmt: skip
    feedback = (fields.get("inspection") or {}).get("feedback")
    fed = _day(feedback) if feedback else None
    for n, item in enumerate(items, 1):
        completed, deadline = item.fields.get("completed"), item.fields.get("deadline")
        node, where = item.raw.fields, f"items[{n}]"
        if completed:
            turns.append(_day(completed))
            if _day(completed) > as_of:
                _at_field(ck, node, ("completed",), f"{where}.completed", (
                    m("completed on {completed}, after the build date {as_of}; an item cannot be reported done before the day it is done", completed=completed.iso(), as_of=as_of.isoformat())
                ))  # fmt: skip
            elif fed and _day(completed) < fed:
                _at_field(ck, node, ("completed",), f"{where}.completed", (
                    m("completed on {completed}, before the inspection's feedback on {fed}; right only for a problem fixed during the inspection (立行立改), otherwise check the date", completed=completed.iso(), fed=fed.isoformat())
                ), Severity.WARNING)  # fmt: skip
        closed = item.fields.get("closed")
        if isinstance(closed, schema.PartialDate):
            turns.append(_day(closed))
            if _day(closed) > as_of:
                _at_field(ck, node, ("closed",), f"{where}.closed", (
                    m("closed on {closed}, after the build date {as_of}", closed=closed.iso(), as_of=as_of.isoformat())
                ))  # fmt: skip
            elif completed and _day(closed) < _day(completed):
                _at_field(ck, node, ("closed",), f"{where}.closed", (
                    m("closed on {closed}, before it was completed on {completed}", closed=closed.iso(), completed=completed.iso())
                ))  # fmt: skip
        status_day = item.fields.get("as_of")
        if status_day and published and _after(status_day, published):
            _at_field(ck, node, ("as_of",), f"{where}.as_of", (
                m("the status is dated {status_day}, after the notice's own date {published}; a notice reports statuses as of its date or before", status_day=status_day.iso(), published=published.iso())
            ))  # fmt: skip
        if deadline and fed and _day(deadline) < fed:
            _at_field(ck, node, ("deadline",), f"{where}.deadline", (
                m("the deadline {deadline} is before the inspection's feedback on {fed}; deadlines are set in answer to the feedback (is the year right?)", deadline=deadline.iso(), fed=fed.isoformat())
            ))  # fmt: skip
    return turns


def _after(day: schema.PartialDate, month_or_day: schema.PartialDate) -> bool:
    """``day`` is later than any day ``month_or_day`` can mean."""
    if month_or_day.day:
        return _day(day) > _day(month_or_day)
    return (day.year, day.month) > (month_or_day.year, month_or_day.month)


def _at_field(
    ck: schema.Checker,
    node: yamltree.Node | None,
    keys: tuple[str, ...],
    where: str,
    message: Msg,
    severity: Severity = Severity.ERROR,
) -> None:
    found = _node_at(node, *keys)
    pos = found.pos if found else (node.pos if node else yamltree.Pos(1, 1))
    ck.at(pos.line, pos.col, message, where, severity)


def _check_texts(source: SourceFile, ck: schema.Checker) -> None:
    """Garbled text in every field and body line (``garbled.py``): an error in a notice to be
    published, a warning in a draft; ASCII punctuation in Chinese text is always a warning."""
    for text in texts.all_texts(source):
        for found in garbled.garbles(text.text):
            serious = found.serious and not ck.draft
            line, col = text.at(found.offset)
            severity = Severity.ERROR if serious else Severity.WARNING
            ck.at(line, col, found.message, text.where, severity)


def _check_disclosure(source: SourceFile, ck: schema.Checker) -> None:
    """Personal data in every field but the contact channels, and in the body
    (``disclosure.py``); a value listed under ``disclose:`` is meant, and a listed value that
    is nowhere is a stale mark (a warning)."""
    own, meant, marks = set(), {}, []
    for text in texts.scalars(source.front):
        if text.where.startswith("contacts.phone") and text.where.endswith("number"):
            own.add(disclosure.digits_of(text.text))
        elif text.where.startswith("disclose"):
            meant[text.text.strip()] = text
    for text in texts.all_texts(source):
        if text.where.startswith(("contacts.", "disclose")):
            continue
        for found in disclosure.findings(text.text, frozenset(own)):
            if found.value in meant:
                marks.append(found.value)
                continue
            line, col = text.at(found.offset)
            severity = Severity.ERROR if found.serious else Severity.WARNING
            ck.at(line, col, disclosure.message(found), text.where, severity)
    for value, text in meant.items():
        if value not in marks:
            ck.at(text.line, text.col, m("'{value}' is listed as meant to be public but is not in the notice as personal data; remove it from the list", value=value), text.where,
                  Severity.WARNING)  # fmt: skip


def _check_unannotated(source: SourceFile, ck: schema.Checker) -> None:
    """A heading numbered like the items around it but with no ``item`` block: the problem
    would vanish from every count, the ledger and search. "Around it": under a heading that
    holds items, or under a category of a section that holds items."""
    if not source.items:
        return
    levels = {item.heading_level for item in source.items}
    annotated = {item.heading_token for item in source.items}
    parents: list[tuple[int, int]] = []  # open headings: (level, token index)
    holds: set[int] = set()  # headings (by token index) with an item below them
    below: dict[int, tuple[int, ...]] = {}  # heading -> its open ancestors
    for i, token in enumerate(source.tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        parents = [p for p in parents if p[0] < level]
        below[i] = tuple(index for _, index in parents)
        if i in annotated:
            holds.update(below[i])
        parents.append((level, i))
    category_levels = {level - 1 for level in levels}
    for i, ancestors in below.items():
        token = source.tokens[i]
        if i in annotated or int(token.tag[1]) not in levels:
            continue
        heading = source.tokens[i + 1].content.strip()
        if item_number(heading) is None or not ancestors:
            continue
        parent = ancestors[-1]
        parent_level = int(source.tokens[parent].tag[1])
        around = parent in holds or (
            parent_level in category_levels and len(ancestors) > 1 and ancestors[-2] in holds
        )
        if around:
            ck.at(
                source.body_line + block_line(token),
                1,
                m(
                    "the heading '{clip}' is numbered like the items around it but has no ```item block after it, so it is counted nowhere (not in the progress, the ledger or search); add one (at least 'status'), or unnumber the heading",
                    clip=_clip(heading, 30),
                ),
            )


def _node_at(node: yamltree.Node | None, *keys: str) -> yamltree.Node | None:
    for key in keys:
        if not isinstance(node, yamltree.Mapping):
            return None
        node = node.items.get(key)
    return node


def _check_body(source: SourceFile, ck: schema.Checker) -> None:
    """Raw HTML never reaches a page (DESIGN.md lesson 3); links and images stay on safe schemes."""
    for token in source.tokens:
        if token.type == "html_block":
            line = source.body_line + block_line(token)
            ck.at(
                line,
                1 + _indent(token.content),
                m("raw HTML is not allowed in a notice; got '{clip}'", clip=_clip(token.content)),
            )
        elif token.type == "inline" and token.children:
            _check_inline(source, token, ck)


def _check_inline(source: SourceFile, token: Token, ck: schema.Checker) -> None:
    first_line = source.body_line + block_line(token)
    offset = 0
    lines = token.content.split("\n")
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            offset += 1
            continue
        line = first_line + offset
        text = lines[min(offset, len(lines) - 1)]
        if child.type == "text":
            for found in placeholders.PATTERN.finditer(child.content):
                ck.placeholder(line, _column(source, line, found[0], text), found[0])
        if child.type == "html_inline":
            col = _column(source, line, child.content, text)
            ck.at(
                line,
                col,
                m("raw HTML is not allowed in a notice; got '{clip}'", clip=_clip(child.content)),
            )
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            if not safe_url(src, ()):
                ck.at(
                    line,
                    _column(source, line, src, text),
                    m(
                        "images must be files of the portal (no other site is contacted); got '{clip}'",
                        clip=_clip(src),
                    ),
                )
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if not safe_url(href, LINK_SCHEMES):
                ck.at(
                    line,
                    _column(source, line, href, text),
                    m(
                        "expected a link to http, https, mailto or tel; got '{clip}'",
                        clip=_clip(href),
                    ),
                )
        offset += child.content.count("\n")


def _column(source: SourceFile, line: int, needle: str, fallback: str) -> int:
    lines = source.body.split("\n")
    index = line - source.body_line
    text = lines[index] if 0 <= index < len(lines) else fallback
    found = text.find(needle)
    return found + 1 if found >= 0 else 1


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _clip(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@dataclass(frozen=True)
class IdClaim:
    """A notice's id and where it is written, for the rule across files."""

    id: str
    path: str
    line: int
    col: int


def id_claim(notice: CheckedNotice) -> IdClaim:
    front = notice.source.front
    pos = front.keys.get("id", front.pos) if isinstance(front, yamltree.Mapping) else None
    line, col = (pos.line, pos.col) if pos else (1, 1)
    return IdClaim(notice.id, notice.source.path, line, col)


def duplicate_ids(claims: list[IdClaim]) -> list[Diagnostic]:
    """Every notice whose id an earlier one (in file order) already has."""
    first: dict[str, IdClaim] = {}
    problems = []
    for claim in claims:
        if claim.id in first:
            problems.append(
                Diagnostic(
                    claim.path,
                    claim.line,
                    claim.col,
                    m(
                        "notice id '{id}' is also used by {path}",
                        id=claim.id,
                        path=first[claim.id].path,
                    ),
                    "id",
                )
            )
        else:
            first[claim.id] = claim
    return problems
