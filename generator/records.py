"""Search records from the model: one per notice (its own text) and one per item.

Why records and not a crawl of the built HTML: Pagefind's extended indexer cuts Chinese with
jieba's precise mode, while the browser cuts the query with ``Intl.Segmenter`` (ICU words in
some browsers, single characters in others). Where the two disagree a word is unreachable:
on the example portal "举报" found nothing although "安全生产举报奖励制度" is in a notice
(Pagefind issue 1237). So we decide the segmentation on both sides ourselves:

- indexed text has every CJK character as its own token (``index_text``), so no substring is
  ever hidden inside a longer dictionary word;
- the search page sends each query term as an exact phrase of the same tokens, so Pagefind's
  phrase matching enforces adjacency (precision) and no browser segmenter can merge the spaced
  characters again.

A domain dictionary (巡视, 销号, 立行立改 …) is then unnecessary: every phrase of the text is
findable by construction, and ``tests/test_search_recall.py`` proves it against ground truth.

Items are records of their own, so a result can point straight at an item and the status and
overdue filters apply to items, not to whole notices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown_it.token import Token

from .load import ITEM_INFO
from .model import Item, Notice, Portal

_HAN = re.compile(
    r"([\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
)
_SPACES = re.compile(r"\s+")
LANGUAGE = "zh"


@dataclass(frozen=True)
class SearchRecord:
    """One findable unit for Pagefind."""

    url: str
    """Relative to the site root, e.g. ``notices/a/#item-3``."""
    content: str
    """Indexed text, already passed through ``index_text``."""
    meta: dict[str, str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


def index_text(text: str) -> str:
    """Every CJK character becomes its own token; other text keeps its words."""
    return _SPACES.sub(" ", _HAN.sub(r" \1 ", text)).strip()


def _date(value: object) -> str:
    if value is None:
        return ""
    iso = value.isoformat()  # type: ignore[attr-defined]
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year}年{month}月{day}日 {iso}"


def _join(parts: Iterable[str]) -> str:
    return " ".join(p for p in parts if p)


def _section_spans(notice: Notice) -> dict[int, tuple[int, int]]:
    """Token index range ``[start, end)`` of each item's section: its heading up to the next
    heading of the same or a higher level."""
    tokens = notice.tokens
    spans = {}
    for item in notice.items:
        start = item.heading_token
        level = int(tokens[start].tag[1])
        end = next(
            (
                i
                for i in range(start + 1, len(tokens))
                if tokens[i].type == "heading_open" and int(tokens[i].tag[1]) <= level
            ),
            len(tokens),
        )
        spans[item.number] = (start, end)
    return spans


def _text(tokens: list[Token]) -> str:
    parts = []
    for token in tokens:
        if (
            token.type == "inline"
            or token.type in ("fence", "code_block")
            and token.info.strip() != ITEM_INFO
        ):
            parts.append(token.content)
    return _join(parts)


def _common_filters(notice: Notice) -> dict[str, list[str]]:
    ins = notice.inspection
    filters = {"发布单位": [notice.issuer], "年度": [str(notice.year)], "类别": [notice.kind]}
    if ins:
        filters["巡视巡察"] = [ins.type]
        if ins.team:
            filters["巡视巡察组"] = [ins.team]
    return filters


def notice_record(notice: Notice, outside_items: str) -> SearchRecord:
    ins = notice.inspection
    progress = notice.progress
    c = notice.contacts
    text = [
        notice.title,
        "发布单位",
        notice.issuer,
        "发布日期",
        notice.published.chinese(),
        notice.published.iso(),
        "类别",
        notice.kind,
    ]
    if ins:
        text += [
            "巡视巡察",
            ins.type,
            ins.team,
            ins.round,
            ins.topic,
            _date(ins.start),
            _date(ins.end),
            _date(ins.feedback),
        ]
    text.append(notice.summary)
    if progress.total:
        text += [
            "整改进度",
            f"共 {progress.total} 项",
            *(f"{s} {n} 项" for s, n in progress.counts),
            f"逾期 {progress.overdue} 项",
        ]
    text += [_join((f.name, f.total + f.unit, f.done + f.unit)) for f in notice.figures]
    text.append(outside_items)
    text += [_join((p.label, p.number, p.hours)) for p in c.phones]
    text += [_join((m.postcode, m.address, m.recipient)) for m in c.postal]
    text += list(c.emails)
    return SearchRecord(
        url=f"notices/{notice.id}/",
        content=index_text(_join(text)),
        meta={
            "title": notice.title,
            "type": "notice",
            "issuer": notice.issuer,
            "date": notice.published.iso(),
            "kind": notice.kind,
            "progress": f"{progress.done}/{progress.total}" if progress.total else "",
            "overdue": str(progress.overdue),
        },
        filters=_common_filters(notice),
        sort={"date": notice.published.iso()},
    )


def item_record(notice: Notice, item: Item, narrative: str) -> SearchRecord:
    text = [
        item.heading, item.category, item.problem, "整改状态", item.status, "逾期" if item.overdue else "",
        "整改时限" if item.deadline else "", _date(item.deadline), "完成时间" if item.completed else "",
        _date(item.completed), "责任单位" if item.owners else "", *item.owners, narrative,
    ]  # fmt: skip
    filters = _common_filters(notice) | {
        "状态": [item.status],
        "逾期": ["逾期" if item.overdue else "未逾期"],
    }
    return SearchRecord(
        url=f"notices/{notice.id}/#{item.anchor}",
        content=index_text(_join(text)),
        meta={
            "title": item.problem,
            "type": "item",
            "label": item.label,
            "status": item.status,
            "overdue": "1" if item.overdue else "0",
            "notice": notice.title,
            "notice_url": f"notices/{notice.id}/",
            "issuer": notice.issuer,
            "date": notice.published.iso(),
        },
        filters=filters,
        sort={"date": notice.published.iso()},
    )


def search_records(portal: Portal) -> list[SearchRecord]:
    """All records, notices newest first, each notice followed by its items."""
    records = []
    for notice in portal.notices:
        spans = _section_spans(notice)
        inside = {i for start, end in spans.values() for i in range(start, end)}
        outside = [t for i, t in enumerate(notice.tokens) if i not in inside]
        records.append(notice_record(notice, _text(outside)))
        for item in notice.items:
            start, end = spans[item.number]
            narrative = _text(notice.tokens[start + 3 : end])  # after the heading's three tokens
            records.append(item_record(notice, item, narrative))
    return records
