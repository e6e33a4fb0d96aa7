"""``portal ledger apply FILE.csv``: the edited cells of a ledger export written back into the
item blocks they came from, nothing else in the files changed (comments, order, the body,
line endings, a byte-order mark).

Every row is checked before anything is written: an unknown 问题编号, a value the schema
refuses (``FILE.csv:row:column``) or a change that would make its notice fail ``portal
check`` stops the whole apply, and nothing is written. Cells equal to what the export wrote
change nothing, so an export applied unedited changes no byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.content import schema, yamltree
from generator.content.history import problem_key
from generator.content.load import display_path, load_file, markdown, split
from generator.content.model import Item, Notice, Portal, is_latest
from generator.content.validate import validate_file
from generator.errors import Diagnostic, Severity, errors_in
from generator.i18n import m
from generator.ledger.table import COLUMNS, KEY, OWNER_SEPARATOR, editable, uncell

FIELDS = {c.name: c.field for c in COLUMNS if c.field}
"""Editable columns by header: the item block's field each one writes."""
SPECS = {f.name: f.spec for f in schema.ITEM.fields}
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_KEY_LINE = re.compile(r"([A-Za-z_]+)[ \t]*:")
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#]*")
Edit = tuple[Item, Notice, str, str, int, int]
"""An item, its notice, the field, the new value, and the CSV row and column it came from."""


@dataclass(frozen=True)
class Change:
    """One field of one item block, as ``--dry-run`` shows it."""

    file: str
    line: int
    item: str
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        old = self.old or "（空）"
        new = self.new or "（删除）"
        return f"{self.file}:{self.line}: 第{self.item}项 {self.field}: {old} → {new}"


@dataclass
class Plan:
    """What applying a ledger would do: the changes, the new bytes of each file, or problems."""

    changes: list[Change] = field(default_factory=list)
    files: dict[Path, bytes] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not errors_in(self.problems)


def read_table(data: bytes, shown: str) -> tuple[list[list[str]], list[Diagnostic]]:
    """The rows of a CSV file as a spreadsheet saved it: UTF-8 (with or without a BOM) or GBK
    (Excel on Chinese Windows), comma, semicolon or tab separated."""
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        return [], [Diagnostic(shown, 1, 1, m("cannot read the file as UTF-8 or GBK text"))]
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), []


def plan(csv_path: Path, portal: Portal, as_of: dt.date) -> Plan:
    """Check every row of the ledger at ``csv_path`` against ``portal`` and work out the edits."""
    shown = display_path(csv_path)
    rows, problems = read_table(csv_path.read_bytes(), shown)
    result = Plan(problems=problems)
    if not rows:
        result.problems.append(Diagnostic(shown, 1, 1, m("the file is empty")))
        return result
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    if KEY not in header:
        result.problems.append(Diagnostic(shown, 1, 1, (
            m("no column '{KEY}': apply reads a ledger written by 'portal ledger export'", KEY=KEY)
        )))  # fmt: skip
        return result
    key_col = header.index(KEY)
    problems_by_id = {
        problem_key(i): (i, n) for n in portal.notices for i in n.items if is_latest(i)
    }
    edits: dict[str, list[Edit]] = {}
    seen: dict[str, int] = {}
    for r, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        pid = uncell(cells[key_col].strip()) if key_col < len(cells) else ""
        if pid in seen:
            result.problems.append(Diagnostic(shown, r, key_col + 1, (
                m("问题编号 '{pid}' is also on row {seen}", pid=pid, seen=seen[pid])
            ), KEY))  # fmt: skip
            continue
        seen[pid] = r
        found = problems_by_id.get(pid)
        if found is None:
            result.problems.append(Diagnostic(shown, r, key_col + 1, (
                m("问题编号 '{pid}' is not a problem of the portal (was the row added by hand?)", pid=pid)
            ), KEY))  # fmt: skip
            continue
        item, notice = found
        now = editable(item, notice)
        for c, name in enumerate(header):
            if name not in FIELDS or c >= len(cells):
                continue
            key = FIELDS[name]
            value = _normal(key, uncell(cells[c].strip()))
            if value == now[key]:
                continue
            if _valid(key, value, shown, r, c + 1, name, result):
                edits.setdefault(notice.id, []).append((item, notice, key, value, r, c + 1))
    if result.ok:
        for changes in edits.values():
            _edit(changes, result, shown, as_of)
    return result


def _normal(key: str, value: str) -> str:
    """A cell as the item block would hold it: dates as YYYY-MM-DD whatever the spreadsheet
    made of them (2025/3/1, 2025年3月1日), owners separated by ``；``."""
    if key in ("as_of", "deadline", "completed", "closed"):
        m = _DATE.fullmatch(value)
        if m:
            return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    if key == "owner":
        parts = re.split(r"[；;]", value)
        return OWNER_SEPARATOR.join(p.strip() for p in parts if p.strip())
    return value


def _valid(key: str, value: str, shown: str, row: int, col: int, name: str, result: Plan) -> bool:
    """The cell typed by the item block's schema (errors located at the cell)."""
    if value == "":
        if key == "status":
            result.problems.append(Diagnostic(shown, row, col, m("整改状态 cannot be empty"), name))
            return False
        return True
    checker = schema.Checker(shown)
    node = yamltree.Scalar(value, yamltree.Pos(row, col))
    spec = SPECS[key]
    values = [node] if key != "owner" else [
        yamltree.Scalar(v, yamltree.Pos(row, col)) for v in value.split(OWNER_SEPARATOR)
    ]  # fmt: skip
    for v in values:
        (spec.item if isinstance(spec, schema.ListOf) else spec).check(v, name, checker)
    result.problems += checker.diagnostics
    return not checker.diagnostics


def _edit(changes: list[Edit], result: Plan, shown: str, as_of: dt.date) -> None:
    """The changes to one notice file, checked by validating the file as it would be."""
    notice = changes[0][1]
    path = Path(notice.path)
    data = result.files.get(path) or path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode() if bom else data.decode()
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    source, _ = load_file(path)
    assert source is not None
    blocks = {raw.heading_token: raw for raw in source.items}
    ordinal = {raw.heading_token: n for n, raw in enumerate(source.items, 1)}
    for item, _, key, value, _row, _col in changes:
        raw = blocks[item.heading_token]
        open_at = raw.line - 1
        close_at = next(
            k for k in range(open_at + 1, len(lines)) if lines[k].lstrip().startswith("```")
        )
        line, old = _set(lines, open_at, close_at, key, value, newline, item, notice)
        result.changes.append(Change(notice.path, line, item.label, key, old, value))
    new = "".join(lines)
    again, problems = split(new, notice.path, path.stem, markdown())
    if again is not None:
        problems += validate_file(again, as_of).problems
    for p in problems:
        if p.severity is not Severity.ERROR:
            continue
        mine = [c for c in changes if p.field.startswith(f"items[{ordinal[c[0].heading_token]}]")]
        _, _, _, _, row, col = (mine or changes)[0]
        result.problems.append(Diagnostic(shown, row, col, m("this row would make {p}", p=p)))
    result.files[path] = (b"\xef\xbb\xbf" if bom else b"") + new.encode()


def _set(lines: list[str], open_at: int, close_at: int, key: str, value: str, newline: str,
         item: Item, notice: Notice) -> tuple[int, str]:  # fmt: skip
    """Set (or, for an empty value, remove) ``key`` in the block between the fences; returns
    the line changed and the old value as the block wrote it."""
    start = None
    for k in range(open_at + 1, close_at):
        m = _KEY_LINE.match(lines[k])
        if m and m[1] == key:
            start = k
            break
    if start is None:
        if value == "" or (key == "as_of" and notice.published and value == notice.published.iso()):
            return open_at + 1, ""
        lines.insert(close_at, f"{key}: {_yaml(key, value)}{newline}")
        return close_at + 1, ""
    end = start + 1
    while end < close_at and lines[end][:1] in (" ", "\t") and lines[end].strip():
        end += 1
    own = lines[start]
    ending = own[len(own.rstrip("\r\n")) :] or newline
    head, rest = own.rstrip("\r\n").split(":", 1)
    old_value, comment = _value_and_comment(rest)
    if value == "":
        del lines[start:end]
        return start + 1, old_value
    lines[start:end] = [f"{head}: {_yaml(key, value)}{comment}{ending}"]
    return start + 1, old_value


def _value_and_comment(rest: str) -> tuple[str, str]:
    """A key line's value and its trailing comment (kept as written)."""
    text = rest.strip()
    if text[:1] in ("'", '"'):
        end = text.find(text[0], 1)
        while end > 0 and text[0] == '"' and text[end - 1] == "\\":
            end = text.find(text[0], end + 1)
        value, after = text[: end + 1], text[end + 1 :]
        return value, (" " + after.strip()) if after.strip() else ""
    m = re.search(r"\s#", rest)
    if m:
        return rest[: m.start()].strip(), "  " + rest[m.start() :].strip()
    return text, ""


def _yaml(key: str, value: str) -> str:
    """``value`` as a YAML scalar (or, for several owners, a flow list) read back as written."""
    if key == "owner":
        owners = value.split(OWNER_SEPARATOR)
        if len(owners) > 1:
            return "[" + ", ".join(_scalar(o, flow=True) for o in owners) + "]"
    return _scalar(value)


def _scalar(text: str, flow: bool = False) -> str:
    plain = _PLAIN.fullmatch(text) and ": " not in text and text == text.strip()
    if plain and not (flow and any(c in text for c in ",[]{}")):
        return text
    return json.dumps(text, ensure_ascii=False)


def write(result: Plan) -> None:
    """Each changed file replaced whole (written beside it, then renamed over it)."""
    for path, data in result.files.items():
        temporary = path.with_name(path.name + ".ledger")
        temporary.write_bytes(data)
        os.replace(temporary, path)
