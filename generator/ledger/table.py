"""The ledger's columns and rows: what ``portal ledger export`` writes and ``apply`` reads.

One row per problem: its latest report (``content.history``). The editable columns are the
item block's fields as that report states them; what a report carries on from an earlier one
(a deadline not restated) is shown, and an unchanged cell is never written back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from generator.content.history import problem_key
from generator.content.model import Item, Notice, Portal, is_latest
from generator.site.urls import item_url


@dataclass(frozen=True)
class Column:
    name: str
    """The header, in Chinese (the file is opened in Excel or WPS)."""
    meaning: str
    field: str = ""
    """The item block's field this column edits ("" for a column that is only read)."""


COLUMNS = (
    Column(
        "问题编号",
        "问题在本网站的编号（首次报告它的通报编号-事项序号）；据此找到要修改的事项，请勿修改",
    ),
    Column("轮次", "整改轮次的编号；只有一份通报的为空"),
    Column("发布单位", "发布通报的单位"),
    Column("通报编号", "最近一次报告该问题的通报（修改写入此通报）"),
    Column("事项编号", "该通报中的事项编号"),
    Column("问题类别", "事项所属的问题类别"),
    Column("问题", "问题简称"),
    Column("整改状态", "已完成、基本完成、推进中、长期坚持或未说明", "status"),
    Column("状态截至", "整改状态对应的日期（年-月-日）", "as_of"),
    Column("整改时限", "承诺完成的日期（年-月-日）", "deadline"),
    Column("原定时限", "时限调整过的，首次报告的时限"),
    Column("调整理由", "时限调整的理由", "deadline_reason"),
    Column("逾期天数", "截至状态日期超过时限的天数"),
    Column("逾期", "是：截至状态日期已过整改时限而未完成"),
    Column("逾期未报", "是：状态日期时未完成、整改时限其后已过，且此后未见进展通报"),
    Column("完成时间", "实际完成的日期（年-月-日）", "completed"),
    Column("销号日期", "问题销号的日期（年-月-日），或“是”", "closed"),
    Column("销号依据", "销号所依据的文件或说明", "evidence"),
    Column("责任单位", "多个单位以“；”分隔", "owner"),
    Column("链接", "该事项在本网站的网址"),
)
OWNER_SEPARATOR = "；"
KEY = COLUMNS[0].name


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def cell(text: str) -> str:
    """A spreadsheet never reads the cell as a formula (CSV injection): ``'`` before = + - @."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def uncell(text: str) -> str:
    """``cell`` undone."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def editable(item: Item, notice: Notice) -> dict[str, str]:
    """The editable columns' values as the export writes them, by field."""
    status_day = item.status_as_of or notice.published
    closed = _iso(item.closed) or ("是" if item.closed_undated else "")
    return {
        "status": item.status,
        "as_of": status_day.iso() if status_day else "",
        "deadline": _iso(item.deadline),
        "deadline_reason": item.deadline_reason,
        "completed": _iso(item.completed),
        "closed": closed,
        "evidence": item.evidence,
        "owner": OWNER_SEPARATOR.join(item.owners),
    }


def row(item: Item, notice: Notice, base: str) -> list[str]:
    h = item.history
    fields = editable(item, notice)
    values = {
        "问题编号": problem_key(item),
        "轮次": h.round_id if h else "",
        "发布单位": notice.issuer,
        "通报编号": notice.id,
        "事项编号": str(item.number),
        "问题类别": item.problem_category,
        "问题": item.problem,
        "原定时限": _iso(h.deadline_was) if h else "",
        "逾期天数": "" if item.days_late is None else str(item.days_late),
        "逾期": "是" if item.overdue else "否",
        "逾期未报": "是" if item.unreported else "否",
        "链接": base + item_url(notice.id, item.anchor),
    }
    return [cell(fields[c.field] if c.field else values[c.name]) for c in COLUMNS]


def export_csv(portal: Portal, base: str = "") -> bytes:
    """The ledger as CSV: UTF-8 with a byte-order mark (Excel and WPS read it as UTF-8), CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.name for c in COLUMNS)
    for notice in portal.notices:
        for item in notice.items:
            if is_latest(item):
                writer.writerow(row(item, notice, base))
    return out.getvalue().encode("utf-8-sig")
