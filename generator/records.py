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
overdue filters apply to items, not to whole notices. Record text is the text of our own rendered
notice HTML (each ``<section class="portal-item">`` for its item, the rest for the notice), so the
index holds exactly what the page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .model import Item, Notice

_HAN = re.compile(
    r"([\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
)
_SEPARATORS = re.compile(r"[^\w]+|_+")
LANGUAGE = "zh"
BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "br",
    "table",
    "ul",
    "ol",
    "address",
    "pre",
    "blockquote",
}


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
    """Every CJK character becomes its own token; anything but letters and digits separates
    tokens (``3.2亿元`` -> ``3 2 亿 元``). ``assets/search.js`` applies the same rule to queries."""
    return " ".join(_HAN.sub(r" \1 ", _SEPARATORS.sub(" ", text)).split())


VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}


class _Splitter(HTMLParser):
    """Visible text of a notice page, split into the notice's own text and each item's."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: dict[int, list[str]] = {0: []}
        self.open: list[tuple[str, int | None, bool]] = []  # (tag, item it opens, skipped)

    def _item(self) -> int:
        return next((item for _, item, _ in reversed(self.open) if item is not None), 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in BLOCKS:
            self._text(" ")
        if tag in VOID:
            return
        skipped = (
            bool(self.open and self.open[-1][2]) or tag in ("script", "style") or "hidden" in values
        )
        item = int(values["data-item"] or 0) if tag == "section" and "data-item" in values else None
        if item is not None:
            self.parts.setdefault(item, [])
        self.open.append((tag, item, skipped))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass
        if tag in BLOCKS:
            self._text(" ")

    def handle_data(self, data: str) -> None:
        if not (self.open and self.open[-1][2]):
            self._text(data)

    def _text(self, text: str) -> None:
        self.parts[self._item()].append(text)


def split_text(html: str) -> tuple[str, dict[int, str]]:
    """(text outside item sections, {item number: text of its section})."""
    splitter = _Splitter()
    splitter.feed(html)
    splitter.close()
    texts = {n: " ".join("".join(parts).split()) for n, parts in splitter.parts.items()}
    return texts.pop(0), texts


NOTICE_FILTER = "通报"
"""Hidden filter on every record, valued ``<published>#<id>``: Pagefind's counts per value then
say how many records of each notice match (our relevance), and sorting the values sorts the
notices by date, without loading any record's data."""


def _filters(notice: Notice) -> dict[str, list[str]]:
    ins = notice.inspection
    filters = {
        NOTICE_FILTER: [f"{notice.published.iso()}#{notice.id}"],
        "发布单位": [notice.issuer],
        "年度": [str(notice.year)],
        "类别": [notice.kind],
    }
    if ins:
        filters["巡视巡察"] = [ins.type]
        if ins.team:
            filters["巡视巡察组"] = [ins.team]
    return filters


def notice_record(notice: Notice, text: str) -> SearchRecord:
    progress = notice.progress
    return SearchRecord(
        url=f"notices/{notice.id}/",
        content=index_text(text),
        meta={
            "title": notice.title,
            "type": "notice",
            "issuer": notice.issuer,
            "date": notice.published.iso(),
            "kind": notice.kind,
            "progress": f"{progress.done}/{progress.total}" if progress.total else "",
            "overdue": str(progress.overdue),
        },
        filters=_filters(notice),
        sort={"date": notice.published.iso()},
    )


def item_record(notice: Notice, item: Item, text: str) -> SearchRecord:
    return SearchRecord(
        url=f"notices/{notice.id}/#{item.anchor}",
        content=index_text(text),
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
        filters=_filters(notice)
        | {"状态": [item.status], "逾期": ["逾期" if item.overdue else "未逾期"]},
        sort={"date": notice.published.iso()},
    )


def notice_records(notice: Notice, page_html: str) -> list[SearchRecord]:
    """The notice's record, then one per item, from the notice page's own HTML."""
    outside, sections = split_text(page_html)
    records = [notice_record(notice, outside)]
    records += [item_record(notice, item, sections.get(item.number, "")) for item in notice.items]
    return records
