"""Importer stage 2: clean lines -> the notice's structure, metadata, statuses and channels."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from generator import i18n
from generator.content.numbering import chinese_number
from generator.importer.clean import Line

CN = "一二三四五六七八九十"
SECTION = re.compile(rf"^([{CN}]+)、(.+)$")
CATEGORY = re.compile(rf"^[（(]([{CN}]+)[）)](.+)$")
ARABIC = re.compile(r"^(\d{1,3})[.．、]\s*(.+)$")
QUOTED = re.compile(r"(关于|针对)[“\"](.+)")
_NAMED = r"([^。；;，,]{3,80}?)(?:的)?问题(?:的整改(?:情况)?|整改(?:情况)?)?(?:[。.．:：]|$)"
NAMED = re.compile(r"(?:关于|针对)" + _NAMED)
"""``关于“三重一大”制度执行不严格的问题``: a problem named up to 问题 in the first sentence."""
UNQUOTED = re.compile(r"(?:关于|针对)(?![“\"])" + _NAMED)
"""``关于理论学习不够深入的问题。``: a problem named without quotes."""
LABELLED = re.compile(r"(?:存在的?问题|反馈问题|问题表现)[:：]\s*([^。；;]{3,80})[。；;]?")
"""``存在问题：专项资金拨付滞后。``"""
ISSUE = re.compile(rf"^问题\s*(\d{{1,3}}|[{CN}]+)\s*[:：.．、]\s*([^。；;]{{3,80}})(?:[。；;]|$)")
"""``问题4：公务接待审批不严格。``: the number after the word."""
STATUS_PHRASES = (
    (
        "已完成",
        re.compile(
            r"已(完成|整改到位|关停|关闭|取缔|办结|销号|全部(办结|完成|整改|清运))|整改完成|已于\d{4}年[^。]{0,20}(印发|出台|完成)"
        ),
    ),
    (
        "推进中",
        re.compile(
            r"正在(推进|编制|建设|调试|办理|实施|开展|制定|报批|完成)|推进中|尚未完成|仍在|预计\d{4}年"
        ),
    ),
    ("长期坚持", re.compile(r"长期坚持|持续(推进|巩固|深化|开展|加强)|常态化")),
)
_ORDINAL = rf"第?[{CN}]+"
_GROUPS = rf"{_ORDINAL}(?:[、，,和]{_ORDINAL})*"
_PLACE = r"(?:(?<=^)|(?<=[\s，,。；;：:“\"（(、]))(?![根按召配接支对向由经在将为与和会])[\u4e00-\u9fff]{2,3}?"
"""A place name printed before 市委/县委 (苏州市委), only at the start of a clause and not a
verb or preposition (根据市委…, 召开市委… keep no prefix)."""
TEAM = re.compile(
    rf"((?:{_PLACE}(?=[省市区县]委))?(?:[{CN}]+届)?(?:中央|自治区党委|学校党委|校党委|党委|[省市区县]委)"
    rf"(?:{_ORDINAL}轮)?(?:对[^，。；、\s]{{1,12}}?(?=提级|交叉|专项|巡))?"
    rf"(?:{_GROUPS}|专项)?(?:提级交叉|提级|交叉|专项)?巡[视察](?:[“\"]回头看[”\"])?"
    rf"(?:组|一组|{_GROUPS}组)"
    rf"(?:[，,、]{_GROUPS}巡[视察]组)?)"
)
"""A named inspection team as printed: 省委第二巡视组, 县委第二、第三、第四巡察组, 市委第三、四巡察组,
十一届市委第三提级交叉巡察组, 区委专项巡察组, 学校党委第一、第二巡视组，第五、第六巡视组,
十四届省委第三轮巡视第八组, 某州市委第三轮对村(社区)提级巡察“回头看”第一组."""
PERIOD = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?至((\d{4})年)?(\d{1,2})月(\d{1,2})日")
_WHEN = r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日?|[上中下]旬|初|底)?"
PERIOD_TEXT = re.compile(
    rf"((?:从)?{_WHEN}(?:(?:至|到|—|－|-){_WHEN}|开始|起)|\d{{4}}年\d{{1,2}}月[上中下]旬)"
)
"""A period as printed without two whole dates: 6月24日至7月26日, 2021年9月上旬至10月下旬,
从8月11日开始, 2020年11月下旬. Kept as text: a year the text does not print is not made up."""
FEEDBACK_TEXT = re.compile(r"(\d{1,2}月\d{1,2}(?:日?至\d{1,2})?日)[^。]{0,60}反馈")
FEEDBACK = re.compile(r"((\d{4})年)?(\d{1,2})月(\d{1,2})日[,，]?[^。]{0,30}反馈")
SIGN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日?)?$")
HEADER = re.compile(
    r"^[•·\s]*(文件名称|发布机构|成文日期|来源|时间|日期|信息索引号|索引号|文号|发文字号)\s*[:：]\s*(.*)$"
)
"""Header fields of government open-information pages and news pages."""
TOPIC = re.compile(r"(?:了|对|于[省市区县]委|[省市区县]委)([\u4e00-\u9fff]{2,10}?专项)巡[视察]")
_DIALLED = r"(?:(?:\d{3,4}[-－]?)?\d{7,8}|12\d{3})(?!\d)"
"""A landline (area code optional), a mobile, or a public service line such as 12388."""
PHONE = re.compile(rf"(?:电话|联系电话)[:：]?\s*({_DIALLED}(?:\s*[、,，/]\s*{_DIALLED})*)")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
POSTAL = re.compile(
    r"(?:专用邮政信箱|邮政专用信箱|邮政信箱|通信地址|通讯地址|来信地址|来信请寄|邮寄地址)(?:为)?[:：]?\s*([^；;。]+)"
)
ADDRESS = re.compile(r"\d|号|路|街|楼|室|座|信箱")
"""What an address holds (not "邮政信箱和电子邮箱，同时…": a sentence naming the channels)."""
CHANNEL = re.compile(r"电\s*话|手机|短信|热线")
NUMBER = re.compile(r"(?<![\d-])(?:0\d{2,3}[-－]?\d{7,8}|1[3-9]\d{9})(?![\d-])")
"""A landline with its area code or a mobile, anywhere after a channel word on the line."""
POSTCODE = re.compile(r"邮编[:：]?\s*(\d{6})")
DECLARED = re.compile(
    r"已完成整改(?:并持续推进)?的问题有(\d+)条[,，]\s*正在推进整改的问题有(\d+)条"
)
FIGURE = re.compile(r"排查发现(?:涉及)?([\u4e00-\u9fff]{2,8}?)的?(\d+)个[,，]\s*已整改(\d+)个")


@dataclass
class Item:
    number: int
    label: str
    problem: str
    heading: str
    category: str
    lines: list[Line]
    line: int
    """Input line of the item's heading."""
    status: str = ""
    evidence: str = ""
    """The phrase the status was inferred from."""
    owners: list[str] = field(default_factory=list)
    deadline: str = ""
    """YYYY-MM-DD, when the ledger table prints a whole date."""


@dataclass
class Block:
    """A body element in order: a heading (level 2-4) or a paragraph, or an item."""

    kind: str
    text: str
    item: Item | None = None


@dataclass
class Recognised:
    title: str = ""
    issuer: str = ""
    published: str = ""
    kind: str = "整改进展"
    """``""``: not known (a text without numbered problems: the editor chooses)."""
    reading: str = ""
    """What a text without numbered problems reads as (巡视巡察公告, 新闻报道或会议报道)."""
    inspection_type: str = ""
    team: str = ""
    topic: str = ""
    period: tuple[str, str] | None = None
    period_text: str = ""
    doc_no: str = ""
    index_no: str = ""
    feedback: str = ""
    feedback_text: str = ""
    phones: list[str] = field(default_factory=list)
    postal: list[dict[str, str]] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    figures: list[dict[str, str]] = field(default_factory=list)
    declared: tuple[int, int] | None = None
    blocks: list[Block] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    guessed: list[i18n.Msg] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    @property
    def names_inspection(self) -> bool:
        """The draft gets an ``inspection`` block: a rectification notice, or a text naming
        its team, period or feedback."""
        return bool(
            self.kind == "整改进展" or self.team or self.period or self.feedback
            or self.period_text or self.feedback_text
        )  # fmt: skip


def _iso(y: str | int, m: str | int, d: str | int | None) -> str:
    return f"{int(y):04d}-{int(m):02d}" + (f"-{int(d):02d}" if d else "")


DEEPER = re.compile(r"^[（(](\d{1,3})[）)]\s*(.+)$|^([\u2460-\u2473])\s*(.+)$")
"""``（1）`` and ``①``: items only in a notice that numbers them no other way (elsewhere they
are the points under an item, which are not counted)."""


def is_item_heading(text: str, deeper: bool = False) -> tuple[int, str, str] | None:
    """(number, label, rest) when the line starts an item: a number followed by 关于/针对“…”
    (with ``deeper``, also ``（1）`` and ``①``)."""
    if m := ISSUE.match(text):
        number = int(m[1]) if m[1].isdigit() else chinese_number(m[1])
        return number, m[1], f"存在问题：{text[m.start(2) :]}"
    if m := ARABIC.match(text):
        number, label, rest = int(m[1]), m[1], m[2]
    elif m := CATEGORY.match(text):
        number, label, rest = chinese_number(m[1]), f"（{m[1]}）", m[2]
    elif deeper and (m := DEEPER.match(text)):
        if m[1]:
            number, label, rest = int(m[1]), f"（{m[1]}）", m[2]
        else:
            number, label, rest = ord(m[3]) - 0x2460 + 1, m[3], m[4]
    else:
        return None
    named = QUOTED.match(rest) or UNQUOTED.match(rest) or LABELLED.match(rest)
    return (number, label, rest) if named else None


def problem_of(rest: str) -> tuple[str, str]:
    """(problem title, text on the same line after the heading) from "关于“…”问题…",
    "关于…的问题。…" or "存在问题：…。…"."""
    m = QUOTED.match(rest)
    if m is None:
        plain = UNQUOTED.match(rest) or LABELLED.match(rest)
        assert plain is not None
        return plain[1].strip(), rest[plain.end() :].strip()
    inner = m[2]
    if "”问题" not in inner and (named := NAMED.match(rest)) and "”" in named[1]:
        # 关于“三重一大”制度执行不严格的问题: the quote is a part of the problem's name
        return named[1].strip(), rest[named.end() :].strip()
    end = inner.find("”问题")
    if end < 0:
        end = inner.rfind("”")
    if end >= 0:
        title = inner[:end]
        after = inner[end + 1 :]
    else:  # quote never closed (seed 001): the title runs to the first 。 or 问题
        cut = min((i for i in (inner.find("。"), inner.find("问题")) if i >= 0), default=len(inner))
        title, after = inner[:cut], inner[cut:]
    after = re.sub(r"^问题(的整改|整改)?[。.．]?", "", after).strip()
    return title.strip("。. "), after


BOLD = re.compile(r"^\*\*(.+?)\*\*$")
SHORT_ITEM = re.compile(
    r"^(?!.*《)(?!.*(?:通知|意见|办法|方案|规定|细则|制度)$)[^。；;！？]{4,40}$"
)
"""A numbered line that names a problem area without a sentence (``1.在…上下功夫``); not a
document's name (``1.关于印发《…》的通知``)."""


FIELD = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*[:：]")
"""``巡察信箱：设在…``: a numbered field of an announcement, not a problem area."""


def unbold(text: str) -> str:
    """``**二、…**``: a heading written in bold Markdown, as its text."""
    m = BOLD.match(text)
    return m[1].strip() if m else text


def is_short_item(text: str) -> tuple[int, str, str] | None:
    """(number, label, rest) of a short numbered line: an item when it sits under a category
    (central inspections' ``1.在…上下功夫``); the numbered measures elsewhere are sentences."""
    if (m := ARABIC.match(text)) and SHORT_ITEM.match(m[2]) and not FIELD.match(m[2]):
        return int(m[1]), m[1], m[2]
    return None


ROW = re.compile(r"^\|(.*)\|$")
COLUMNS = (
    ("number", re.compile("序号|编号")),
    ("measures", re.compile("措施|做法|整改情况说明")),
    ("owner", re.compile("责任(单位|部门|科室|领导|人)|牵头")),
    ("deadline", re.compile("时限|期限|完成时间")),
    ("status", re.compile("完成情况|进展|状态|整改情况")),
    ("problem", re.compile("问题")),
)
"""The rectification ledger's columns (整改台账), by the words of their headers."""
DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def ledger_columns(cells: list[str]) -> dict[str, int] | None:
    """Which column holds what, when ``cells`` is the header row of a rectification ledger."""
    found: dict[str, int] = {}
    for n, cell in enumerate(cells):
        for name, words in COLUMNS:
            if name not in found and words.search(cell):
                found[name] = n
                break
    return found if "problem" in found and len(found) >= 3 else None


def ledger_item(
    cells: list[str], columns: dict[str, int], category: str, line: Line
) -> Item | None:
    """An item from one row of the ledger; None for a row that is not one (no number)."""

    def cell(name: str) -> str:
        at = columns.get(name)
        return cells[at].strip() if at is not None and at < len(cells) else ""

    number = cell("number")
    if not number.isdigit() or not cell("problem"):
        return None
    item = Item(
        int(number),
        number,
        cell("problem"),
        f"{number}.{cell('problem')}",
        category,
        [],
        line.source,
    )
    item.owners = [o for o in re.split(r"[、，,；;]", cell("owner")) if o.strip()]
    if m := DAY.fullmatch(cell("deadline")):
        item.deadline = _iso(m[1], m[2], m[3])
    facts = [f"{header}：{cell(name)}" for name, header in
             (("owner", "责任单位"), ("deadline", "完成时限"), ("status", "完成情况")) if cell(name)]  # fmt: skip
    item.lines = [Line(text, line.source) for text in (cell("measures"), "；".join(facts)) if text]
    return item


RUN = re.compile(rf"^([{CN}]+)是(.{{2,58}})$")
"""``一是在…方面存在的问题。``: a category when a run of them heads numbered items."""


def category_runs(texts: list[str], starts_item: Callable[[str], bool]) -> set[int]:
    """Indexes of the lines that are categories written as a run (一是…, 二是…): each one a
    single short sentence followed by an item, the run counting up from 一是 within its
    section, 一是 before the section's first item. The 一是…二是… measures under an item,
    which restart at 一是 for every item, are not."""
    found: set[int] = set()
    expected, items = 1, 0
    for n, text in enumerate(texts):
        if SECTION.match(text):
            expected, items = 1, 0
            continue
        m = RUN.match(text)
        heads = n + 1 < len(texts) and starts_item(texts[n + 1])
        if (
            m
            and heads
            and "。" not in text[:-1]
            and chinese_number(m[1]) == expected
            and (expected > 1 or not items)
        ):
            found.add(n)
            expected += 1
        elif starts_item(text):
            items += 1
    return found


def structure(lines: list[Line], rec: Recognised) -> None:
    section = ""
    category = ""
    current: Item | None = None
    # short numbered lines are items only in a text about rectification (not an announcement)
    rectifying = "整改" in rec.title or any("整改" in ln.text for ln in lines[:5])
    columns: dict[str, int] | None = None
    deeper = not any(is_item_heading(unbold(ln.text)) for ln in lines)
    texts = [unbold(ln.text) for ln in lines]
    runs = category_runs(
        texts, lambda t: bool(is_item_heading(t, deeper) or (rectifying and is_short_item(t)))
    )
    for index, line in enumerate(lines):
        text = texts[index]
        if row := ROW.match(text):
            cells = [re.sub(r"(?<=[，。；、：])\s+", "", c.strip()) for c in row[1].split("|")]
            if columns is None:
                columns = ledger_columns(cells)
                if columns is not None:
                    rec.blocks.append(Block("p", "整改台账：" + "、".join(c for c in cells if c)))
                    continue
            elif (item := ledger_item(cells, columns, category or section, line)) is not None:
                rec.items.append(item)
                rec.blocks.append(Block("item", item.heading, item))
                rec.blocks += [Block("p", ln.text) for ln in item.lines]
                current = None
                continue
        else:
            columns = None
        short = (
            rectifying and category and not is_item_heading(text, deeper) and is_short_item(text)
        )
        if short:
            number, label, rest = short
            current = Item(number, label, rest.strip(), text, category, [], line.source)
            rec.items.append(current)
            rec.blocks.append(Block("item", text, current))
        elif found := is_item_heading(text, deeper):
            number, label, rest = found
            title, after = problem_of(rest)
            heading = text if not after else text[: len(text) - len(after)].rstrip()
            current = Item(number, label, title, heading, category or section, [], line.source)
            rec.items.append(current)
            rec.blocks.append(Block("item", heading, current))
            if after:  # a one-line item: its body follows the heading on the same line
                current.lines.append(Line(after, line.source))
                rec.blocks.append(Block("p", after))
        elif SECTION.match(text):
            section, category, current = text, "", None
            rec.blocks.append(Block("h2", text))
        elif index in runs or (CATEGORY.match(text) and len(text) <= 60):
            category, current = text, None
            rec.blocks.append(Block("h3", text))
        elif current is not None:
            current.lines.append(line)
            rec.blocks.append(Block("p", text))
        else:
            rec.blocks.append(Block("p", line.text))
    for item in rec.items:
        item.status, item.evidence = infer_status(" ".join(ln.text for ln in item.lines))


def infer_status(text: str) -> tuple[str, str]:
    """The status the text states, and the phrase it was read from ("" when it says nothing)."""
    found = [
        (m.start(), status, m[0])
        for status, pattern in STATUS_PHRASES
        if (m := pattern.search(text))
    ]
    if not found:
        return "", ""
    # The last statement about progress wins ("目前，…正在推进" after what was done).
    _, status, phrase = max(found)
    return status, phrase


def metadata(lines: list[Line], rec: Recognised, page_date: str) -> None:
    opening = " ".join(ln.text for ln in lines[:3])
    whole = " ".join(ln.text for ln in lines)
    if m := TEAM.search(whole):
        rec.team = m[1]
        rec.inspection_type = "巡视" if "巡视" in m[1] else "巡察"
    if m := PERIOD.search(whole):
        rec.period = (_iso(m[1], m[2], m[3]), _iso(m[5] or m[1], m[6], m[7]))
    if not rec.period:
        rec.period_text = _near_inspection(PERIOD_TEXT, whole)
        if re.match(r"从.+[至到]", rec.period_text):  # 从6月9日至8月23日: the span itself
            rec.period_text = rec.period_text[1:]
    if not rec.inspection_type and ("巡视" in whole) != ("巡察" in whole):
        rec.inspection_type = "巡视" if "巡视" in whole else "巡察"
        rec.guessed.append(i18n.m(
            "type: {type}, the only one of 巡视/巡察 the text names", type=rec.inspection_type
        ))  # fmt: skip
    m = _teams_feedback(whole)
    if not m and (t := _teams_feedback(whole, FEEDBACK_TEXT)):
        rec.feedback_text = t[1]  # 5月17至18日…反馈
    if m:
        year = m[2] or (rec.period[1][:4] if rec.period else "")
        if not year and (t := _teams_feedback(whole, FEEDBACK_TEXT)):
            rec.feedback_text = t[1]
        if year:
            rec.feedback = _iso(year, m[3], m[4])
        if year and not m[2]:
            rec.guessed.append(i18n.m(
                "feedback: the text prints {day} without a year; {year} is the inspection period's",
                day=f"{m[3]}月{m[4]}日", year=year,
            ))  # fmt: skip
    headers = _headers(lines)
    rec.index_no = headers.get("信息索引号") or headers.get("索引号", "")
    rec.doc_no = headers.get("文号") or headers.get("发文字号", "")
    if not rec.doc_no and (m := DOC_NO.search(opening)):
        rec.doc_no = m[0]
    if (m := TOPIC.search(opening)) and not re.search(r"了|开展|进行|党委|党组|组", m[1]):
        rec.topic = m[1]
    first = unbold(lines[0].text) if lines else ""
    second = unbold(lines[1].text) if len(lines) > 1 else ""
    if _is_title(first):
        rec.title = first
        lines.pop(0)
    elif len(first) <= 40 and not re.search(r"[。，；：]$", first) and _is_title(first + second):
        rec.title = first + second  # a title printed over two lines
        del lines[:2]
    elif headers.get("文件名称"):
        rec.title = headers["文件名称"]
    _signature(lines, rec, page_date or _header_date(headers))
    if not rec.issuer and rec.title and "关于" in rec.title:
        issuer = rec.title.split("关于", 1)[0]
        if 2 <= len(issuer) <= 40:
            rec.issuer = issuer
            rec.guessed.append(i18n.m("issuer: the words of the title before 关于"))
    elif not rec.issuer and headers.get("来源"):
        rec.issuer = headers["来源"]
        rec.guessed.append(i18n.m("issuer: the page's 来源"))
    whole = " ".join(ln.text for ln in lines)
    if m := DECLARED.search(whole):
        rec.declared = (int(m[1]), int(m[2]))
    for m in FIGURE.finditer(whole):
        rec.figures.append({"name": m[1], "total": m[2], "done": m[3], "unit": "个"})


def _is_title(text: str) -> bool:
    return text.endswith(TITLE_ENDS) and len(text) <= 80 and not SECTION.match(text)


TITLE_ENDS = ("通报", "情况", "报告", "公告", "公示")


def _teams_feedback(text: str, pattern: re.Pattern[str] = FEEDBACK) -> re.Match[str] | None:
    """The date a team fed back to the unit (…组向…反馈): preferred over a meeting's
    (…召开…集中反馈会议), which may be the day before."""
    found = list(pattern.finditer(text))
    return next(
        (m for m in found if "向" in m[0] and "会议" not in m[0]), found[0] if found else None
    )


def _near_inspection(pattern: re.Pattern[str], text: str) -> str:
    """The first match of ``pattern`` in a sentence that speaks of the inspection."""
    for sentence in re.split(r"[。；]", text):
        if ("巡视" in sentence or "巡察" in sentence) and (m := pattern.search(sentence)):
            return m[1]
    return ""


DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")
"""A document number as printed: 婺文旅体党〔2023〕5号."""


def _headers(lines: list[Line]) -> dict[str, str]:
    """``文件名称: …`` and the like, the value on the same line or the next."""
    found: dict[str, str] = {}
    for n, line in enumerate(lines[:40]):
        if m := HEADER.match(line.text):
            value = m[2].strip() or (lines[n + 1].text.strip() if n + 1 < len(lines) else "")
            value = re.split(r"\s+|发布时间|来源|浏览", value)[0] if m[1] != "文件名称" else value
            found.setdefault(m[1], value)
    return found


def _header_date(headers: dict[str, str]) -> str:
    for key in ("成文日期", "时间", "日期"):
        if m := re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", headers.get(key, "")):
            return _iso(m[1], m[2], m[3])
    return ""


_CN_DATE = re.compile(
    r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?$"
)
"""A signature date in Chinese numerals: 二〇二四年三月十八日."""
_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")


def _sign_date(text: str) -> tuple[str, str, str | None] | None:
    """(year, month, day) of a signature date line, in Arabic or Chinese numerals."""
    if m := SIGN_DATE.match(text):
        return m[1], m[2], m[3]
    if m := _CN_DATE.match(text):
        day = str(chinese_number(m[3])) if m[3] else None
        return m[1].translate(_YEAR_DIGITS), str(chinese_number(m[2])), day
    return None


def _signature(lines: list[Line], rec: Recognised, page_date: str) -> None:
    """Issuer and date from the signature (``单位`` then ``2021年2月5日``), among the last
    lines: a short note may follow it (``（此件公开发布）``) and stays in the text."""
    for at in range(len(lines) - 1, max(len(lines) - 4, 0), -1):
        after = lines[at + 1 :]
        if (
            (date := _sign_date(lines[at].text))
            and len(lines[at - 1].text) <= 40
            and all(len(ln.text) <= 30 for ln in after)
        ):
            rec.published = _iso(*date)
            rec.issuer = lines[at - 1].text
            del lines[at - 1 : at + 1]
            return
    if page_date:
        rec.published = page_date
        rec.guessed.append(i18n.m("published: the web page's 发布时间 or 成文日期"))


def channels(lines: list[Line], rec: Recognised) -> None:
    for line in lines:
        text = line.text
        if not re.search(r"联系|电\s*话|手机|短信|信箱|邮箱|来信|地址", text):
            continue
        numbers = [
            p.strip().replace("－", "-")
            for m in PHONE.finditer(text)
            for p in re.split(r"[、,，/]", m[1])
            if p.strip()
        ]
        if heard := CHANNEL.search(text):
            numbers += [n.replace("－", "-") for n in NUMBER.findall(text, heard.start())]
        rec.phones += [n for n in dict.fromkeys(numbers) if n not in rec.phones]
        for m in POSTAL.finditer(text):
            for part in m[1].split("|"):  # a table row: one address per cell
                if (
                    ADDRESS.search(part)
                    and len(part.strip()) <= 80
                    and part.strip()[:1] not in "和及、，,"
                ):
                    rec.postal.append(_postal(part.strip(), text))
        for email in EMAIL.findall(text):
            if email not in rec.emails:
                rec.emails.append(email)


def _postal(value: str, text: str) -> dict[str, str]:
    """ "芜湖市皖江财富广场A3座4楼市应急管理局人教科(收)" -> address and recipient."""
    value = re.sub(r"[（(]收[）)]$", "", value).strip()
    postal = {"address": value}
    if m := re.match(r"(.+(?:号|楼|室|座|层))(.+)$", value):
        postal = {"address": m[1], "recipient": m[2]}
    if m := POSTCODE.search(text):
        postal["postcode"] = m[1]
    return postal


def recognise(lines: list[Line], page_date: str = "") -> Recognised:
    rec = Recognised()
    lines = list(lines)
    metadata(lines, rec, page_date)
    channels(lines, rec)
    structure(lines, rec)
    if not rec.items:
        rec.reading = reading(" ".join(ln.text for ln in lines[:60]))
        opening = " ".join(ln.text for ln in lines[:3])
        rec.kind = ""
        if rec.figures:
            rec.kind = "工作报告"
            rec.guessed.append(
                i18n.m("kind: 工作报告, for the counts it prints (no numbered problems)")
            )
        elif "经验做法" in opening:
            rec.kind = "经验做法"
            rec.guessed.append(
                i18n.m("kind: 经验做法, as the text calls itself (no numbered problems)")
            )
    return rec


ANNOUNCEMENT = re.compile(
    r"巡\s*[视察]\s*公\s*告|(?:受理|接受|反映).{0,30}(?:来信|来电|来访)|(?:来信|来电|来访).{0,15}受理"
)
NEWS = re.compile(
    r"网讯|日讯|本报讯|记者|通讯员|责编|责任编辑|编辑\s*[:：]|摄影|"
    r"召开.{0,30}(?:反馈会|动员会|推进会|汇报会|部署会|评估会|通报会|座谈会|会议)"
)


def reading(text: str) -> str:
    """What a text without numbered problems reads as, for the editor (never a kind)."""
    if NEWS.search(text):
        return "新闻报道或会议报道"
    if ANNOUNCEMENT.search(text):
        return "巡视巡察公告"
    return ""
