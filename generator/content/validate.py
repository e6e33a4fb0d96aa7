"""Stage 2, validate: type every file by the schema, check the body and cross-notice rules.

Every problem of every file is collected before anything is written (STYLE.md 2, 7).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markdown_it.token import Token

from generator.content import schema, yamltree
from generator.content.load import RawItem, SourceFile, block_line
from generator.content.numbering import item_number
from generator.errors import Diagnostic, Severity, errors_in


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


def validate_file(source: SourceFile) -> tuple[CheckedNotice | None, list[Diagnostic]]:
    """Type the front matter and every item block by the schema and check the body; the
    checked notice when there is no error, and every problem found."""
    ck = schema.Checker(source.path)
    if source.front is None and source.front_failed:
        fields: dict[str, Any] | None = None
    elif source.front is None:
        ck.at(2, 1, "front matter is empty; expected title, issuer, published, kind")
        fields = None
    else:
        fields = schema.NOTICE.check(source.front, "", ck)
    items = _check_items(source, ck)
    _check_body(source, ck)
    if fields is not None:
        _check_notice_rules(source, fields, items, ck)
    for n, item in enumerate(items, 1):
        if item.fields.get("status") == schema.UNSTATED:
            node = _node_at(item.raw.fields, "status")
            pos = node.pos if node else yamltree.Pos(item.raw.line, 1)
            ck.at(
                pos.line,
                pos.col,
                "未说明: the text does not say; an editor must choose 已完成, 基本完成, 推进中 or 长期坚持",
                f"items[{n}].status",
                Severity.WARNING,
            )
    if errors_in(ck.diagnostics) or fields is None:
        return None, ck.diagnostics
    notice = CheckedNotice(source, fields.get("id") or source.stem, fields, tuple(items))
    return notice, ck.diagnostics


def _check_items(source: SourceFile, ck: schema.Checker) -> list[CheckedItem]:
    items: list[CheckedItem] = []
    seen: dict[int, int] = {}
    for ordinal, raw in enumerate(source.items, 1):
        where = f"items[{ordinal}]"
        if raw.fields is None:
            ck.at(raw.line + 1, 1, "empty item block; expected at least 'status'", where)
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
                f"expected the heading to start with an item number such as '1.' or '（一）', or a 'no' field; got '{raw.heading[:20]}'",
                where,
            )
            continue
        if number in seen:
            ck.at(
                raw.heading_line,
                1,
                f"item number {label} is used twice (first at line {seen[number]})",
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
        if "inspection" not in fields:
            ck.at(
                line, col, "required for kind 整改进展 (type, team, period, feedback)", "inspection"
            )
        if not source.items:
            ck.at(
                source.body_line,
                1,
                "a 整改进展 notice needs at least one item: a heading followed by an ```item block",
            )
    elif source.items and fields.get("kind"):
        first = source.items[0]
        ck.at(
            first.line,
            1,
            f"items belong to kind 整改进展 notices; this one is {fields['kind']}",
            "items[1]",
        )
    period = (fields.get("inspection") or {}).get("period")
    if period and period[0] and period[1] and period[0] > period[1]:
        node = _node_at(source.front, "inspection", "period")
        ck.error(
            node.pos if node else yamltree.Pos(1, 1),
            "inspection.period",
            f"expected the first day before the last, got {period[0].iso()} after {period[1].iso()}",
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
                f"raw HTML is not allowed in a notice; got '{_clip(token.content)}'",
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
        if child.type == "html_inline":
            col = _column(source, line, child.content, text)
            ck.at(line, col, f"raw HTML is not allowed in a notice; got '{_clip(child.content)}'")
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            if not safe_url(src, ()):
                ck.at(
                    line,
                    _column(source, line, src, text),
                    f"images must be files of the portal (no other site is contacted); got '{_clip(src)}'",
                )
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if not safe_url(href, LINK_SCHEMES):
                ck.at(
                    line,
                    _column(source, line, href, text),
                    f"expected a link to http, https, mailto or tel; got '{_clip(href)}'",
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
                    f"notice id '{claim.id}' is also used by {first[claim.id].path}",
                    "id",
                )
            )
        else:
            first[claim.id] = claim
    return problems
