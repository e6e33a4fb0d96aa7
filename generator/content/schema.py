"""(Stage 2, validate) The notice format: one declarative schema that types the YAML strings, exports JSON Schema
and writes the editors' format reference, so the three cannot drift apart (STYLE.md 17)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.content import placeholders, yamltree
from generator.content.phrases import inspection_hint, status_hint
from generator.errors import Diagnostic, Severity, did_you_mean
from generator.i18n import Msg, m

STATUSES = ("已完成", "基本完成", "推进中", "长期坚持", "未说明")
"""Item statuses, in the words editors already use (DESIGN.md). 未说明 is what the importer writes
when the text says nothing: accepted, but ``portal check`` warns until an editor decides."""
UNSTATED = "未说明"
STATUS_ALIASES = {"正在推进": "推进中", "持续推进": "长期坚持", "已整改": "已完成"}
KINDS = ("整改进展", "工作报告", "经验做法")
INSPECTION_TYPES = ("巡视", "巡察")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date; ``day`` is 0 when only the month is known (signatures like 2023年3月)."""

    year: int
    month: int
    day: int = 0

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def chinese(self) -> str:
        return f"{self.year}年{self.month}月" + (f"{self.day}日" if self.day else "")


@dataclass
class Checker:
    """Collects diagnostics while typing one file's YAML."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    draft: bool = False
    """The notice is a draft: its placeholders are warnings, not errors."""

    def error(self, pos: yamltree.Pos, where: str, message: Msg) -> None:
        self.diagnostics.append(Diagnostic(self.path, pos.line, pos.col, message, where))

    def at(
        self,
        line: int,
        col: int,
        message: Msg,
        where: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        """A problem at ``line``:``col`` of the file (``where``: the field, if any)."""
        self.diagnostics.append(Diagnostic(self.path, line, col, message, where, severity))

    def placeholder(self, line: int, col: int, found: str, where: str = "") -> None:
        """A placeholder (``placeholders.py``): a warning in a draft, else an error."""
        severity = Severity.WARNING if self.draft else Severity.ERROR
        self.at(line, col, placeholders.message(found, self.draft), where, severity)


def _describe_got(node: yamltree.Node) -> Msg:
    if isinstance(node, yamltree.Mapping):
        return m("a mapping")
    if isinstance(node, yamltree.Sequence):
        return m("a list")
    return m("'{text}'", text=node.text)


class Spec:
    """How one value is written, typed and documented."""

    def check(self, node: yamltree.Node, where: str, ck: Checker) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self) -> Msg:
        raise NotImplementedError

    def scalar(self, node: yamltree.Node, where: str, ck: Checker, expected: Msg) -> str | None:
        if isinstance(node, yamltree.Scalar):
            return node.text.strip()
        ck.error(
            node.pos, where, m("expected {what}, got {got}", what=expected, got=_describe_got(node))
        )
        return None


@dataclass(frozen=True)
class Text(Spec):
    """Free text on one line, optionally matching a pattern."""

    pattern: str = ""
    hint: Msg = m("text")
    max_length: int = 300

    def check(self, node: yamltree.Node, where: str, ck: Checker) -> str | None:
        text = self.scalar(node, where, ck, self.hint)
        if text is None:
            return None
        found = placeholders.find(text)
        if found:
            ck.placeholder(node.pos.line, node.pos.col, found[0], where)
            return text
        quoted = isinstance(node, yamltree.Scalar) and node.quoted
        if len(text) > 2 and (text[0], text[-1]) in (("“", "”"), ("‘", "’")) and not quoted:
            ck.at(node.pos.line, node.pos.col, m(
                "the value is wrapped in full-width quotes {quotes}: they are published as part "
                "of the text; write it without them (or with ASCII quotes \"…\")",
                quotes=text[0] + text[-1],
            ), where, Severity.WARNING)  # fmt: skip
        if not text:
            ck.error(node.pos, where, m("expected {what}, got an empty value", what=self.hint))
        elif len(text) > self.max_length:
            ck.error(node.pos, where, m(
                "expected at most {most} characters, got {got}", most=self.max_length, got=len(text)
            ))  # fmt: skip
        elif self.pattern and not re.fullmatch(self.pattern, text):
            ck.error(node.pos, where, m("expected {what}, got '{got}'", what=self.hint, got=text))
        else:
            return text
        return None

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern})$"
        return schema

    def describe(self) -> Msg:
        return self.hint


_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


@dataclass(frozen=True)
class Date(Spec):
    """``YYYY-MM-DD``; with ``month_ok`` also ``YYYY-MM``. Impossible dates are located errors."""

    month_ok: bool = False

    @property
    def hint(self) -> Msg:
        return m("a date YYYY-MM-DD or YYYY-MM") if self.month_ok else m("a date YYYY-MM-DD")

    def check(self, node: yamltree.Node, where: str, ck: Checker) -> PartialDate | None:
        text = self.scalar(node, where, ck, self.hint)
        if text is None:
            return None
        if placeholders.is_placeholder(text):
            ck.placeholder(node.pos.line, node.pos.col, text, where)
            return None  # not known yet: the model has no date for it
        match = _DATE.fullmatch(text)
        if not match or (match[3] is None and not self.month_ok):
            meant = _written_otherwise(text, self.month_ok)
            hint = m("; write it as {date}", date=meant) if meant else ""
            ck.error(node.pos, where, m(
                "expected {what}, got '{got}'{hint}", what=self.hint, got=text, hint=hint
            ))  # fmt: skip
            return None
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 0)
        if not 1 <= month <= 12:
            ck.error(node.pos, where, m(
                "expected {what}, got '{got}' (there is no month {month})",
                what=self.hint, got=text, month=month,
            ))  # fmt: skip
            return None
        last = calendar.monthrange(year, month)[1]
        if match[3] is not None and not 1 <= day <= last:
            ck.error(node.pos, where, m(
                "expected {what}, got '{got}' ({month} has {last} days)",
                what=self.hint, got=text, month=f"{year}-{month:02d}", last=last,
            ))  # fmt: skip
            return None
        return PartialDate(year, month, day)

    def json_schema(self) -> dict[str, Any]:
        pattern = r"^\d{4}-\d{2}(-\d{2})?$" if self.month_ok else r"^\d{4}-\d{2}-\d{2}$"
        return {"type": "string", "pattern": pattern}

    def describe(self) -> Msg:
        return self.hint


_OTHER_DATE = re.compile(
    r"(\d{4})\s*(?:年|/|\.|-)\s*(\d{1,2})\s*(?:月|/|\.|-)\s*(?:(\d{1,2})\s*日?)?"
)


def _written_otherwise(text: str, month_ok: bool) -> str:
    """``2025-03-01`` for a date written ``2025年3月1日``, ``2025/3/1`` or ``2025.3.1``."""
    found = _OTHER_DATE.fullmatch(text)
    if not found or (found[3] is None and not month_ok):
        return ""
    return f"{found[1]}-{int(found[2]):02d}" + (f"-{int(found[3]):02d}" if found[3] else "")


@dataclass(frozen=True)
class Closing(Spec):
    """销号: the day a problem was closed, or ``是`` when the source says it was closed but not
    when (kept as ``True``; ``portal check`` warns)."""

    hint = m("a date YYYY-MM-DD (or 是 when the day is not known)")

    def check(self, node: yamltree.Node, where: str, ck: Checker) -> PartialDate | bool | None:
        if isinstance(node, yamltree.Scalar) and node.text.strip() in ("是", "true"):
            return True
        return Date().check(node, where, ck)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2}|是)$"}

    def describe(self) -> Msg:
        return self.hint


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed list of words; ``aliases`` are accepted and normalised."""

    values: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)
    suggest: Callable[[str], Msg | None] | None = None
    """What to say of a word that is not a value (default: the closest spelling): for words
    with meaning, a table of what editors write (``phrases.py``)."""

    def check(self, node: yamltree.Node, where: str, ck: Checker) -> str | None:
        expected = m("one of {words}", words=list(self.values))
        text = self.scalar(node, where, ck, expected)
        if text is None:
            return None
        if text in self.values:
            return text
        if placeholders.is_placeholder(text):
            ck.placeholder(node.pos.line, node.pos.col, text, where)
            return None  # not chosen yet
        if text in self.aliases:
            return self.aliases[text]
        if self.suggest:
            hint = self.suggest(text)
        else:
            hint = did_you_mean(text, [*self.values, *self.aliases])
        ck.error(node.pos, where, m(
            "expected {what}; got '{got}'{hint}", what=expected, got=text, hint=hint or ""
        ))  # fmt: skip
        return None

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": [*self.values, *self.aliases]}

    def describe(self) -> Msg:
        if not self.aliases:
            return m("one of {words}", words=list(self.values))
        aliases = [f"{a}→{v}" for a, v in self.aliases.items()]
        return m(
            "one of {words} (also accepted: {aliases})", words=list(self.values), aliases=aliases
        )


@dataclass(frozen=True)
class Flag(Spec):
    """``true`` or ``false``."""

    def check(self, node: yamltree.Node, where: str, ck: Checker) -> bool | None:
        text = self.scalar(node, where, ck, m("true or false"))
        if text in ("true", "false"):
            return text == "true"
        if text is not None:
            ck.error(node.pos, where, m("expected true or false, got '{got}'", got=text))
        return None

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def describe(self) -> Msg:
        return m("true or false")


@dataclass(frozen=True)
class Field:
    """A named field of a mapping."""

    name: str
    spec: Spec
    doc: Msg
    """One line for the format reference."""
    required: bool = False


_SEPARATORS = re.compile(r"[、，；;]|,\s")
"""Between values an editor wrote in one line of text: 、 ， ； ; and ', '."""


@dataclass(frozen=True)
class Obj(Spec):
    """A mapping with known fields; unknown fields are errors with a suggestion."""

    fields: tuple[Field, ...]
    title: Msg = m("a mapping")
    example: Msg | str = ""
    """The shape written out, shown in the message when a value is not a mapping."""

    def check(self, node: yamltree.Node, where: str, ck: Checker) -> dict[str, Any] | None:
        if not isinstance(node, yamltree.Mapping):
            text = node.text if isinstance(node, yamltree.Scalar) else ""
            slip = yamltree.full_width_colon(text)
            if slip and slip[1] in {f.name for f in self.fields}:
                ck.at(node.pos.line, node.pos.col + slip[0], slip[2], where)
                return None
            shape = m("; write it as {example}", example=self.example) if self.example else ""
            ck.error(node.pos, where, m(
                "expected {what}, got {got}{shape}", what=self.title, got=_describe_got(node), shape=shape
            ))  # fmt: skip
            return None
        known = {f.name: f for f in self.fields}
        prefix = f"{where}." if where else ""
        for key, pos in node.keys.items():
            if key not in known:
                parent = self._parent_of(key, node)
                hint = did_you_mean(key, known)
                if parent:
                    ck.error(pos, prefix + key, m(
                        "'{key}' is a field of '{parent}' (line {line}): indent it under "
                        "'{parent}' like the fields there, by {spaces} spaces",
                        key=key, parent=parent[0], line=parent[1].line, spaces=parent[1].col + 1,
                    ))  # fmt: skip
                    continue
                expected = m("; expected one of {names}", names=list(known))
                ck.error(pos, prefix + key, m("unknown field{hint}", hint=hint or expected))
        out: dict[str, Any] = {}
        for f in self.fields:
            value = node.items.get(f.name)
            if value is None or (isinstance(value, yamltree.Scalar) and value.null):
                if f.required:
                    ck.error(
                        node.pos, prefix + f.name, m("required field is missing ({doc})", doc=f.doc)
                    )
                continue
            out[f.name] = f.spec.check(value, prefix + f.name, ck)
        return out

    def _parent_of(self, key: str, node: yamltree.Mapping) -> tuple[str, yamltree.Pos] | None:
        """The field above ``key`` in this mapping whose own mapping has a field ``key``: the
        line lost its indentation (``team:`` at column 1 under ``inspection:``)."""
        before = [(k, p) for k, p in node.keys.items() if p.line < node.keys[key].line]
        for name, pos in reversed(before):
            spec = next((f.spec for f in self.fields if f.name == name), None)
            inner = spec.item if isinstance(spec, ListOf) else spec
            if isinstance(inner, Obj) and any(f.name == key for f in inner.fields):
                return name, pos
        return None

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [f.name for f in self.fields if f.required],
            "properties": {
                f.name: {"description": str(f.doc), **f.spec.json_schema()} for f in self.fields
            },
        }

    def describe(self) -> Msg:
        return self.title


@dataclass(frozen=True)
class ListOf(Spec):
    """A list; with ``single_ok`` a lone value is read as a list of one."""

    item: Spec
    single_ok: bool = True
    length: int = 0
    """Exact length when non-zero (a period is two dates)."""

    def check(self, node: yamltree.Node, where: str, ck: Checker) -> list[Any] | None:
        if not isinstance(node, yamltree.Sequence):
            if self.single_ok and not self.length:
                if isinstance(node, yamltree.Scalar) and isinstance(self.item, Text):
                    self._written_as_a_sentence(node, where, ck)
                value = self.item.check(node, where, ck)
                return None if value is None else [value]
            ck.error(node.pos, where, m(
                "expected {what}, got {got}", what=self.describe(), got=_describe_got(node)
            ))  # fmt: skip
            return None
        commas = [n for n in node.items if isinstance(n, yamltree.Scalar) and "，" in n.text]
        if commas:
            parts = [p.strip() for n in node.items if isinstance(n, yamltree.Scalar)
                     for p in n.text.split("，") if p.strip()]  # fmt: skip
            wrong = bool(self.length) and len(parts) == self.length
            ck.at(commas[0].pos.line, commas[0].pos.col, m(
                "a full-width comma '，' inside the list: YAML separates values with an ASCII "
                "comma and a space; if they are separate values, write [{values}]",
                values=", ".join(parts),
            ), where, Severity.ERROR if wrong else Severity.WARNING)  # fmt: skip
            if wrong:
                return None
        if self.length and len(node.items) != self.length:
            ck.error(node.pos, where, m(
                "expected {what}, got {n} values", what=self.describe(), n=len(node.items)
            ))  # fmt: skip
            return None
        values = [self.item.check(n, f"{where}[{i}]", ck) for i, n in enumerate(node.items, 1)]
        return None if any(v is None for v in values) else values

    @staticmethod
    def _written_as_a_sentence(node: yamltree.Scalar, where: str, ck: Checker) -> None:
        """Several values in one text (区工信局、区发改局): the list it was meant to be."""
        parts = [p.strip() for p in _SEPARATORS.split(node.text) if p.strip()]
        if len(parts) > 1 and not placeholders.find(node.text):
            ck.at(node.pos.line, node.pos.col, m(
                "{n} values written as one text; if they are {n}, write them as a list: [{values}]",
                n=len(parts), values=", ".join(parts),
            ), where, Severity.WARNING)  # fmt: skip

    def json_schema(self) -> dict[str, Any]:
        array: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.length:
            array |= {"minItems": self.length, "maxItems": self.length}
        if self.single_ok and not self.length:
            return {"anyOf": [self.item.json_schema(), array]}
        return array

    def describe(self) -> Msg:
        if self.length:
            return m("a list of {n}: {what}", n=self.length, what=self.item.describe())
        if self.single_ok:
            return m("{what}, or a list of them", what=self.item.describe())
        return m("a list of {what}", what=self.item.describe())


PHONE = Text(
    r"\+?[0-9][0-9 ()\-]{2,24}(?:(?:转|-|ext\.?)\s?[0-9]{1,6})?",
    m("a phone number such as 0510-83890000"),
)
POSTCODE = Text(r"[0-9]{6}", m("a six-digit postcode"))
EMAIL = Text(
    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", m("an e-mail address")
)
HTTPS_URL = Text(
    r"https://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:/[^\s<>\"'`]*)?",
    m("an https:// address"),
    max_length=500,
)
COUNT = Text(r"[0-9]+(?:\.[0-9]+)?", m("a number"))
SOURCE_URL = Text(
    r"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:/[^\s<>\"'`]*)?",
    m("an http:// or https:// address"),
    max_length=500,
)
SLUG = Text(r"[a-z0-9][a-z0-9\-]{0,79}", m("lower-case letters, digits and '-'"))

INSPECTION = Obj(
    (
        Field(
            "type",
            Choice(INSPECTION_TYPES, suggest=inspection_hint),
            m("巡视 (provincial/central) or 巡察 (city/county)"),
            required=True,
        ),
        Field("team", Text(), m("the inspection team, e.g. 省委第二巡视组")),
        Field("round", Text(), m("the round, e.g. 十四届省委第三轮")),
        Field("topic", Text(), m("a special inspection's topic, e.g. 危化品安全生产专项")),
        Field(
            "period",
            ListOf(Date(), single_ok=False, length=2),
            m("first and last day of the inspection"),
        ),
        Field("feedback", Date(), m("the day the team gave its feedback")),
        Field(
            "period_text",
            Text(max_length=60),
            m(
                "the period as printed, when it names no whole dates, e.g. 2021年12月上旬至2022年1月上旬"
            ),
        ),
        Field(
            "feedback_text",
            Text(max_length=30),
            m("the feedback day as printed, when it has no year, e.g. 9月3日"),
        ),
    ),
    m("a mapping of the inspection"),
    m("lines indented under it, such as '  type: 巡察' and '  team: 市委第二巡察组'"),
)

CONTACTS = Obj(
    (
        Field(
            "phone",
            ListOf(
                Obj(
                    (
                        Field("number", PHONE, m("the number exactly as published"), required=True),
                        Field("hours", Text(), m("when it is answered, e.g. 工作日 8:30-17:30")),
                        Field("label", Text(), m("whose line it is, when there are several")),
                    ),
                    m("a phone mapping"),
                    "{number: 0553-1234567, hours: 工作日 8:30-17:30}",
                )
            ),
            m("phone line(s) for feedback"),
        ),
        Field(
            "postal",
            ListOf(
                Obj(
                    (
                        Field("address", Text(), m("postal address"), required=True),
                        Field("recipient", Text(), m("who receives the letters, e.g. 区委巡察办")),
                        Field("postcode", POSTCODE, m("six digits, kept as written")),
                    ),
                    m("a postal mapping"),
                    "{address: 江滨市人民路1号, recipient: 市委巡察办, postcode: '241000'}",
                )
            ),
            m("postal mailbox(es)"),
        ),
        Field("email", ListOf(EMAIL), m("e-mail address(es)")),
        Field("web", HTTPS_URL, m("the unit's own feedback endpoint (HTTPS), posted to by a form")),
        Field("until", Date(), m("last day the channels take feedback")),
    ),
    m("a mapping of contact channels"),
    m(
        "lines indented under it, such as '  phone: {{number: 0553-1234567}}' and '  email: xcb@example.org'"
    ),
)

FIGURE = Obj(
    (
        Field("name", Text(), m("what is counted, e.g. 重大隐患"), required=True),
        Field("total", COUNT, m("how many were found"), required=True),
        Field("done", COUNT, m("how many are dealt with")),
        Field("unit", Text(max_length=8), m("unit word, e.g. 个、家、项")),
    ),
    m("a figure mapping"),
)

NOTICE = Obj(
    (
        Field("id", SLUG, m("stable id used in the URL; defaults to the file name")),
        Field(
            "draft",
            Flag(),
            m(
                "true: not published (left out of every page, list, feed, data file and search); "
                "shown in the preview with a 草稿 banner"
            ),
        ),
        Field("title", Text(), m("the notice's title as published"), required=True),
        Field("issuer", Text(), m("the publishing unit, e.g. 中共某某区委"), required=True),
        Field("published", Date(month_ok=True), m("publication (signature) date"), required=True),
        Field(
            "kind", Choice(KINDS), m("整改进展 has items; 工作报告 may have figures"), required=True
        ),
        Field("summary", Text(max_length=500), m("one or two sentences for listings")),
        Field(
            "follows",
            SLUG,
            m(
                "the id of the earlier notice of the same inspection round that this one reports on "
                "again (整改进展 after 整改进展); its items report on the earlier notice's items with "
                "the same numbers unless an item says otherwise (item field ``follows``)"
            ),
        ),
        Field("source", SOURCE_URL, m("原文链接: where the notice was first published")),
        Field("doc_no", Text(max_length=60), m("文号, e.g. 婺文旅体党〔2023〕5号")),
        Field(
            "index_no", Text(max_length=60), m("信息索引号 of a government open-information page")
        ),
        Field(
            "inspection",
            INSPECTION,
            m("the inspection this notice answers (required for 整改进展)"),
        ),
        Field("contacts", CONTACTS, m("feedback channels of the closing paragraph")),
        Field(
            "figures", ListOf(FIGURE, single_ok=False), m("progress figures (found / dealt with)")
        ),
        Field(
            "disclose",
            ListOf(Text()),
            m(
                "values that look like personal data but are meant to be public (an official's work "
                "mobile), each exactly as written"
            ),
        ),
    ),
    m("front matter"),
)

ITEM = Obj(
    (
        Field(
            "status",
            Choice(STATUSES, STATUS_ALIASES, suggest=status_hint),
            m("progress of this item"),
            required=True,
        ),
        Field("deadline", Date(), m("promised completion date; overdue is derived from it")),
        Field("completed", Date(), m("the day the item was completed")),
        Field(
            "as_of",
            Date(),
            m("the day the status was true (状态截至), when not the notice's date, e.g. 截至5月底"),
        ),
        Field("owner", ListOf(Text()), m("responsible unit(s), e.g. 区工信局")),
        Field(
            "no",
            Text(r"[0-9]{1,3}", m("a whole number")),
            m("item number, when the heading has none"),
        ),
        Field("problem", Text(), m("short problem title for tables, when the heading's is long")),
        Field(
            "follows",
            Text(r"[0-9]{1,3}|新增", m("an earlier item's number, or 新增")),
            m(
                "in a follow-up notice: the number of the earlier notice's item this one reports on "
                "again, when it is not this item's own number; 新增 for a problem first reported here"
            ),
        ),
        Field(
            "deadline_reason",
            Text(max_length=200),
            m("why the deadline differs from the one reported before (调整理由)"),
        ),
        Field("closed", Closing(), m("销号: the day the problem was closed (已完成 only)")),
        Field(
            "evidence",
            Text(max_length=300),
            m("what the closing rests on (销号依据), e.g. a document"),
        ),
        Field(
            "note",
            Text(max_length=300),
            m("a remark on this report, e.g. why a problem reported finished is open again"),
        ),
    ),
    m("an item mapping"),
)
