"""(Stage 1, load) Strict YAML for front matter and item blocks: every scalar stays the string written.

PyYAML's YAML 1.1 typing turns ``NO`` into false, postcode ``010010`` into 4104 and ``12:30``
into 750, accepts duplicate keys and expands alias bombs (DESIGN.md lesson 4). We never let it
construct values: we walk the event stream ourselves, keep every scalar as text with its
position, and refuse anchors, aliases, explicit tags and duplicate keys. The schema types the
strings afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.errors import Diagnostic, YamlProblem
from generator.i18n import Msg, m

try:  # libyaml is ~10x faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Pos:
    """A position in the file: 1-based line and column."""

    line: int
    col: int


@dataclass(frozen=True)
class Scalar:
    """A scalar exactly as written (quotes removed); ``null`` when written empty, ``~`` or null."""

    text: str
    pos: Pos
    null: bool = False
    quoted: bool = False
    """Written in quotes: the text starts one column after ``pos``."""


@dataclass(frozen=True)
class Mapping:
    """A mapping in source order; ``keys`` holds each key's own position."""

    items: dict[str, Node]
    keys: dict[str, Pos]
    pos: Pos


@dataclass(frozen=True)
class Sequence:
    """A sequence of nodes."""

    items: list[Node]
    pos: Pos


Node = Scalar | Mapping | Sequence

_NULLS = {"", "~", "null", "Null", "NULL"}


def _at(pos: Pos) -> tuple[int, int]:
    return pos.line, pos.col


@dataclass
class _Events:
    it: Iterator[yaml.Event]
    path: str
    line0: int
    col0: int
    peeked: list[yaml.Event] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Problems that do not stop the reading (duplicates, anchors, aliases, tags)."""

    def next(self) -> yaml.Event:
        return self.peeked.pop() if self.peeked else next(self.it)

    def report(self, pos: Pos, message: Msg) -> None:
        self.diagnostics.append(Diagnostic(self.path, pos.line, pos.col, message))

    def pos(self, mark: Any) -> Pos:  # yaml.Mark, or libyaml's own Mark
        col = mark.column + 1 + (self.col0 if mark.line == 0 else 0)
        return Pos(self.line0 + mark.line, col)


def parse_yaml(
    text: str, path: str, first_line: int, first_col: int = 0
) -> tuple[Node | None, list[Diagnostic]]:
    """Read one YAML document whose first character sits at ``first_line`` (1-based).

    Returns the node tree (``None`` for an empty document) and diagnostics; on a syntax
    problem the tree is ``None`` and one located diagnostic explains it.
    """
    events = _Events(iter(yaml.parse(text, Loader=_Loader)), path, first_line, first_col)
    try:
        return _document(events), events.diagnostics
    except YamlProblem as problem:
        return None, [Diagnostic(path, problem.line, problem.col, problem.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = events.pos(mark) if mark else Pos(first_line, 1)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        explained = explain(text, first_line, first_col, pos.line, what)
        if explained:
            return None, [Diagnostic(path, *explained)]
        return None, [Diagnostic(path, pos.line, pos.col, m("YAML syntax: {what}", what=what))]
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        return None, [Diagnostic(path, first_line, 1, m("YAML: {what}", what=str(exc)))]


_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*：")
_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s+(.*))?$")
_FLOW_OPEN = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*:\s+([\[{])")
_CLOSE = {"[": "]", "{": "}"}
_VALUE_QUOTE = re.compile(r"""^\s*(?:-\s+)?[^\s#'"][^:#]*:\s+(["'])""")


def full_width_colon(line: str) -> tuple[int, str, Msg] | None:
    """``key：value`` (the input method's colon where YAML needs ``:``): the colon's offset in
    ``line``, the key and the message; ``None`` for any other line."""
    found = _FULL_WIDTH_COLON.match(line)
    if not found or ":" in line[: found.end()]:
        return None
    value = line[found.end() :].strip()
    return (
        found.end() - 1,
        found[2],
        m(
            "a full-width colon '：' after '{key}': YAML needs the ASCII colon and a space, "
            "'{key}: {value}' (switch the input method to half-width)",
            key=found[2], value=value,
        ),
    )  # fmt: skip


def explain(
    text: str, first_line: int, first_col: int, at_line: int, what: str
) -> tuple[int, int, Msg] | None:
    """The mistake behind a YAML syntax error in an editor's words, at the place it was made
    (PyYAML names the place it noticed, often a line later): a full-width colon, a tab, a
    line indented out of step, a quote never closed. ``None`` when none of them is found."""
    lines = text.split("\n")
    upto = min(len(lines), at_line - first_line + 1)

    def col(line_index: int, offset: int) -> int:
        return offset + 1 + (first_col if line_index == 0 else 0)

    for i, line in enumerate(lines[:upto]):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return (first_line + i, col(i, line.index("\t")),
                    m("a tab in the indentation: YAML indents with spaces only (two per level)"))  # fmt: skip
        slip = full_width_colon(line)
        if slip:
            return (first_line + i, col(i, slip[0]), slip[2])
    for i, line in enumerate(lines[:upto]):
        quote = _VALUE_QUOTE.match(line)
        if quote and line.rstrip().count(quote[1]) == 1:
            return (first_line + i, col(i, line.index(quote[1])), m(
                "the quote {quote} opened here is never closed: close it at the end of the "
                "value, or leave the quotes out",
                quote=quote[1],
            ))  # fmt: skip
    if "flow sequence" in what or "flow mapping" in what:
        for i, line in enumerate(lines[:upto]):
            flow = _FLOW_OPEN.match(line)
            if flow and line.count(flow[1]) > line.count(_CLOSE[flow[1]]):
                opened = line.index(flow[1])
                return (first_line + i, col(i, opened), m(
                    "the {what} opened with '{open}' here is never closed: end it with '{close}' "
                    "on the same line",
                    what=m("list") if flow[1] == "[" else m("mapping"),
                    open=flow[1], close=_CLOSE[flow[1]],
                ))  # fmt: skip
    i = at_line - first_line
    if 0 < i < len(lines) and "mapping values are not allowed" in what:
        here, above = _KEY.match(lines[i]), _previous_key(lines, i)
        j = _previous_line(lines, i)
        before = _previous_key(lines, j) if j is not None else None
        if (
            here
            and above
            and before
            and j is not None
            and len(before[1]) == len(here[1]) > len(above[1])
        ):
            return (first_line + j, col(j, 0), m(
                "'{key}' is indented by {n} space(s), but '{before}' above it and '{after}' "
                "below it by {m}: indent '{key}' like them",
                key=above[2], n=len(above[1]), before=before[2], after=here[2], m=len(here[1]),
            ))  # fmt: skip
        if here and above and len(here[1]) > len(above[1]) and above[3]:
            return (first_line + i, col(i, len(here[1])), m(
                "'{key}' is indented more than '{above}' on the line above, which has a value "
                "of its own (nothing can sit under it); indent '{key}' like '{above}' ({n} spaces)",
                key=here[2], above=above[2], n=len(above[1]),
            ))  # fmt: skip
    if "expected key" in what or "expected <block end>" in what:
        for k in range(1, upto):
            here, above = _KEY.match(lines[k]), _previous_key(lines, k)
            if not here or not above:
                continue
            levels = _levels(lines, k)
            if len(here[1]) not in levels:
                return (first_line + k, col(k, len(here[1])), m(
                    "'{key}' is indented by {n} space(s), which matches no line above it (they "
                    "use {levels}); indent it like the other fields of its mapping",
                    key=here[2], n=len(here[1]), levels=sorted(levels),
                ))  # fmt: skip
    return None


def _previous_line(lines: list[str], i: int) -> int | None:
    """The line before ``i`` that holds something (not blank, not a comment)."""
    for k in range(i - 1, -1, -1):
        if lines[k].strip() and not lines[k].lstrip().startswith("#"):
            return k
    return None


def _previous_key(lines: list[str], i: int) -> re.Match[str] | None:
    k = _previous_line(lines, i)
    return _KEY.match(lines[k]) if k is not None else None


def _levels(lines: list[str], i: int) -> set[int]:
    """The indentations open at line ``i``: of the nearest line above at each smaller depth."""
    levels: set[int] = set()
    for k in range(i - 1, -1, -1):
        m = _KEY.match(lines[k])
        if not m:
            continue
        depth = len(m[1])
        if not levels or depth < min(levels):
            levels.add(depth)
            if not m[3]:  # a key that opens a mapping: its children one level in
                levels.add(_child_depth(lines, k) or depth + 2)
    return levels


def _child_depth(lines: list[str], k: int) -> int:
    for line in lines[k + 1 :]:
        m = _KEY.match(line)
        if m:
            return len(m[1])
    return 0


def _document(ev: _Events) -> Node | None:
    ev.next()  # StreamStart
    start = ev.next()
    if isinstance(start, yaml.StreamEndEvent):
        return None
    node = _node(ev)
    ev.next()  # DocumentEnd
    extra = ev.next()
    if not isinstance(extra, yaml.StreamEndEvent):
        raise YamlProblem(
            *_at(ev.pos(extra.start_mark)), m("expected one YAML document, found a second '---'")
        )
    return node


def _refuse_decorations(ev: _Events, event: yaml.Event, pos: Pos) -> None:
    anchor = getattr(event, "anchor", None)
    if isinstance(event, yaml.AliasEvent):
        ev.report(pos, m("YAML alias '*{name}' is not allowed; write the value out", name=anchor))
    elif anchor is not None:
        ev.report(pos, m("YAML anchor '&{name}' is not allowed; write the value out", name=anchor))
    tag = getattr(event, "tag", None)
    if tag is not None:
        ev.report(pos, m("YAML tag '{tag}' is not allowed; every value is read as text", tag=tag))


def _node(ev: _Events) -> Node:
    event = ev.next()
    pos = ev.pos(event.start_mark)
    _refuse_decorations(ev, event, pos)
    if isinstance(event, yaml.AliasEvent):  # never expanded: no alias bombs
        return Scalar("", pos, null=True)
    if isinstance(event, yaml.ScalarEvent):
        quoted = event.style in ("'", '"')
        return Scalar(event.value, pos, not event.style and event.value in _NULLS, quoted)
    if isinstance(event, yaml.SequenceStartEvent):
        items: list[Node] = []
        while not isinstance(peek := ev.next(), yaml.SequenceEndEvent):
            ev.peeked.append(peek)
            items.append(_node(ev))
        return Sequence(items, pos)
    if isinstance(event, yaml.MappingStartEvent):
        return _mapping(ev, pos)
    raise YamlProblem(
        *_at(pos), m("unexpected YAML event {name}", name=type(event).__name__)
    )  # pragma: no cover


def _mapping(ev: _Events, pos: Pos) -> Mapping:
    values: dict[str, Node] = {}
    keys: dict[str, Pos] = {}
    while not isinstance(peek := ev.next(), yaml.MappingEndEvent):
        ev.peeked.append(peek)
        key = _node(ev)
        if not isinstance(key, Scalar):
            raise YamlProblem(*_at(key.pos), m("keys must be plain text"))
        value = _node(ev)
        if key.text in values:
            first = keys[key.text]
            ev.report(key.pos, m(
                "duplicate key '{key}' (first at line {line})", key=key.text, line=first.line
            ))  # fmt: skip
            continue
        keys[key.text] = key.pos
        values[key.text] = value
    return Mapping(values, keys, pos)
