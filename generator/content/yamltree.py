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

    def report(self, pos: Pos, message: str) -> None:
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
        return None, [
            Diagnostic(
                path, pos.line, pos.col, f"YAML syntax: {what}{_quote_hint(text, first_line)}"
            )
        ]
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        return None, [Diagnostic(path, first_line, 1, f"YAML: {exc}")]


_VALUE_QUOTE = re.compile(r"""^\s*(?:-\s+)?[^\s#'"][^:#]*:\s+(["'])""")


def _quote_hint(text: str, first_line: int) -> str:
    """Name the line whose quoted value never closes: PyYAML only notices lines later."""
    for number, line in enumerate(text.split("\n"), first_line):
        match = _VALUE_QUOTE.match(line)
        if match and line.rstrip().count(match[1]) == 1:
            return f" (the quote {match[1]} opened on line {number} is not closed)"
    return ""


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
            *_at(ev.pos(extra.start_mark)), "expected one YAML document, found a second '---'"
        )
    return node


def _refuse_decorations(ev: _Events, event: yaml.Event, pos: Pos) -> None:
    anchor = getattr(event, "anchor", None)
    if isinstance(event, yaml.AliasEvent):
        ev.report(pos, f"YAML alias '*{anchor}' is not allowed; write the value out")
    elif anchor is not None:
        ev.report(pos, f"YAML anchor '&{anchor}' is not allowed; write the value out")
    tag = getattr(event, "tag", None)
    if tag is not None:
        ev.report(pos, f"YAML tag '{tag}' is not allowed; every value is read as text")


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
        *_at(pos), f"unexpected YAML event {type(event).__name__}"
    )  # pragma: no cover


def _mapping(ev: _Events, pos: Pos) -> Mapping:
    values: dict[str, Node] = {}
    keys: dict[str, Pos] = {}
    while not isinstance(peek := ev.next(), yaml.MappingEndEvent):
        ev.peeked.append(peek)
        key = _node(ev)
        if not isinstance(key, Scalar):
            raise YamlProblem(*_at(key.pos), "keys must be plain text")
        value = _node(ev)
        if key.text in values:
            first = keys[key.text]
            ev.report(key.pos, f"duplicate key '{key.text}' (first at line {first.line})")
            continue
        keys[key.text] = key.pos
        values[key.text] = value
    return Mapping(values, keys, pos)
