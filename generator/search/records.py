"""(Stage 6, index) Search records from the model: one per notice (its own text) and one per item.

Why records and not a crawl of the built HTML: Pagefind's extended indexer cuts Chinese with
jieba's precise mode, while the browser cuts the query with ``Intl.Segmenter`` (ICU words in
some browsers, single characters in others). Where the two disagree a word is unreachable:
on the example portal "举报" found nothing although "安全生产举报奖励制度" is in a notice
(Pagefind issue 1237). So we decide the segmentation on both sides ourselves:

- the index has one word position per CJK character (and per number or Latin word), holding
  the character with the next one of its run: overlapping bigrams, the standard of CJK
  indexing (Lucene's CJK bigram filter, Elasticsearch's ``cjk_bigram``). 整改工作 is indexed
  整改 改工 工作 作 (``index_words``); no substring is hidden inside a dictionary word;
- the search page asks for a query term's own bigrams as an exact phrase, so Pagefind's phrase
  matching enforces adjacency, and a single character as every word starting with it
  (Pagefind's prefix matching), so any substring stays findable.

Why bigrams and not a token per character (what the index held before): a query reads the
posting lists of its words across the whole archive, and a character's list holds every
position of it in every notice. 整改 read the lists of 整 and of 改 (1,000 synthetic notices:
206,000 positions, 259 KB); the bigram's list holds only the positions of 整改 (95,657, 108 KB),
and a rare phrase's bigrams are rare where its characters were not (举报奖励: 报 alone was
72 KB). Relevance is counted from the positions Pagefind returns (``search-engine.js``), so no
notice text is loaded to rank.

A domain dictionary (巡视, 销号, 立行立改 …) is then unnecessary: every phrase of the text is
findable by construction, and ``tests/test_search_recall.py`` proves it against ground truth;
``tests/test_bundle.py`` checks that the real binary holds ``index_words`` at each position.

Pagefind gets one page per notice (its work per query grows with the pages that match: one
record per item made a broad query at 1,000 notices take 28 s). Each item's section becomes a
heading anchor, so the search page can point straight at items; item numbers, statuses and
problems travel in the page's meta. The text is taken from our own rendered notice HTML (each
``<section class="portal-item">`` for its item, the rest for the notice), so the index holds
exactly what the page shows.

The index language is ``und`` (no language, ``tables.INDEX_LANGUAGE``), not ``zh``: the text
is already cut into words, and for ``zh`` the extended indexer still ran jieba over it, which
changed nothing but took half of the indexing time (1,000 synthetic notices: 18.0 s as ``zh``,
9.6 s as ``und``). The search page starts Pagefind in ``und`` too: for a ``zh`` page Pagefind
cuts the query with the browser's word segmenter (已完 完成 became 已 完 完成 and found
nothing). Word positions advance by one per token, block ends included (``search-engine.js``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape, unescape

from generator.content.model import Item, Notice
from generator.search.facets import spans as facet_spans
from generator.site.files import SearchRecord
from generator.site.tables import (
    BLOCK_END,
    COUNT_SEPARATOR,
    DATE_SORT,
    EVERY_NOTICE,
    FILTERS,
    HAN,
    INDEX_LANGUAGE,
    ITEM_FIELD_SEPARATOR,
    ITEM_FIELDS,
    ITEM_SEPARATOR,
    ITEM_STATE,
    OVERDUE,
    STATE_SEPARATOR,
)
from generator.site.urls import notice_url

_RUN = re.compile(rf"([{HAN}]+)|([^\W_{HAN}]+)")
"""A run of units of text, each unit one word position in the index: a run of CJK characters
(a unit each), or one run of other letters and digits (a unit)."""
ALSO = "-"
"""Joins the second word of a position to its first (``个问-个``): Pagefind indexes a word
holding an ASCII punctuation mark as the whole and as each part, at the same position."""
LANGUAGE = INDEX_LANGUAGE
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


def _positions(text: str) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """Each position of ``text``: (the gap of punctuation before it, its words, its unit).

    A CJK character followed directly by another is indexed as the two (overlapping bigrams:
    ``整改工作`` -> 整改 改工 工作 作); the last one of such a run, or a character alone, as
    itself. Any character that is not a unit (punctuation, a space, a block's end) ends a run.
    The first character of a run that follows a number or Latin word directly (``22个问题``)
    is indexed as itself too, so that ``22个`` is found there: ``search-engine.js`` looks
    for a query's last character alone when something comes before it in the same term."""
    at = 0
    latin_end = -1  # where the last number or Latin word ended
    for m in _RUN.finditer(text):
        start, end = m.span()
        gap = text[at:start]
        at = end
        run = m[1]
        if run is None:
            yield gap, (m[2],), m[2]
            latin_end = end
            continue
        last = len(run) - 1
        if not last:
            yield gap, (run,), run
            continue
        pair = run[:2]
        yield gap, ((pair, run[0]) if latin_end == start else (pair,)), run[0]
        for i in range(1, last):
            yield "", (run[i : i + 2],), run[i]
        yield "", (run[last],), run[last]


def index_words(text: str) -> list[tuple[str, ...]]:
    """The words Pagefind indexes at each position of ``text`` (``_positions``), as
    ``assets/search-engine.js`` looks them up: ``3.2亿元`` -> (3) (2) (亿元, 亿) (元)."""
    return [tuple(word.lower() for word in words) for _, words, _ in _positions(text)]


def record_text(text: str) -> str:
    """What Pagefind is given for ``text``: a token per position, its words with the text's
    punctuation kept on them (``部署，`` -> ``部署 署，``, ``2020年度`` -> ``2020 年度-年 度``),
    so that a result's excerpt reads like the notice. Pagefind indexes each token's letters
    and digits (and each part of a token joined by ``ALSO``): the words of ``index_words``.
    The page shows each position's own unit with its punctuation (``search-engine.js``,
    ``words``). An ASCII '.' goes onto the next token (``5 .关于``): Pagefind ends a block
    with a '.' of its own. A space between two units becomes ``BLOCK_END`` on the first (the
    excerpt shows a space there: 推进中 逾期未报, not 推进中逾期未报).

    The positions of ``_positions``, worked out a run of units at a time (per character, the
    records took 35 ms a notice, more than the rest of its rendering)."""
    tokens: list[str] = []
    at = 0
    latin_end = -1
    for m in _RUN.finditer(text):
        start, end = m.span()
        pending = ""  # punctuation before the token (a '.' or the text's first)
        if start > at:
            gap = text[at:start]
            kept = "".join(gap.split())
            space = BLOCK_END if kept != gap and BLOCK_END not in kept else ""
            if tokens and "." not in kept:
                tokens[-1] += kept + space
            else:
                if tokens:
                    tokens[-1] += space
                pending = kept
        at = end
        run = m[1]
        if run is None:
            tokens.append(pending + m[2])
            latin_end = end
        elif len(run) == 1:
            tokens.append(pending + run)
        else:
            alone = ALSO + run[0] if latin_end == start else ""
            tokens.append(pending + run[:2] + alone)
            tokens += [run[i : i + 2] for i in range(1, len(run) - 1)]
            tokens.append(run[-1])
    if tokens:
        tokens[-1] += "".join(text[at:].split())
    return " ".join(tokens)


VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}


_MARKUP = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|<!--.*?-->|<![^>]*>|([^<]+|<)",
    re.S,
)
_ATTR = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


class _Splitter:
    """Visible text of a notice page, split into the notice's own text and each item's.

    The page is our own output (escaped by Jinja and markdown-it), so a tokenizer of tags and
    text is enough, and four times faster than ``html.parser``."""

    def __init__(self) -> None:
        self.parts: dict[int, list[str]] = {0: []}
        self.headings: dict[int, list[str]] = {}
        self.open: list[tuple[str, int, bool]] = []  # (tag, item it is in, skipped)
        self.in_heading = 0
        self.gap = False
        """A "…" ends the notice's own text so far (items were left out after it)."""

    def feed(self, html: str) -> None:
        open_ = self.open
        for m in _MARKUP.finditer(html):
            text = m[4]
            if text is not None:
                if open_ and open_[-1][2]:
                    continue
                self._text(unescape(text) if "&" in text else text)
            elif m[1]:
                self._end(m[2].lower())
            elif m[2]:
                rest = m[3]
                attrs = (
                    {
                        a[1].lower(): unescape(a[2] if a[2] is not None else a[3] or a[4] or "")
                        for a in _ATTR.finditer(rest)
                    }
                    if rest and any(name in rest for name in _NOTED)
                    else {}
                )
                self._start(m[2].lower(), attrs)

    def _start(self, tag: str, values: dict[str, str]) -> None:
        if tag in BLOCKS:
            self._text(" ")
        if tag in VOID:
            return
        parent = self.open[-1] if self.open else None
        skipped = (
            (parent is not None and parent[2])
            or tag in ("script", "style")
            or "hidden" in values
            or "data-search-skip" in values
        )
        item = parent[1] if parent else 0
        if tag == "section" and "data-item" in values:
            if not self.gap:  # the notice's text goes on after items: not contiguous
                self.parts[0].append("…")
                self.gap = True
            item = int(values["data-item"] or 0)
            self.parts.setdefault(item, [])
            self.headings.setdefault(item, [])
        if "portal-item-heading" in values.get("class", "").split():
            self.in_heading = parent[1] if parent else 0
        self.open.append((tag, item, skipped))

    def _end(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.open and self.open.pop()[0] != tag:
            pass
        if tag in BLOCKS:  # inside a heading too: its end separates it from what follows
            self._text(BLOCK_END + " ")
        if tag in _HEADINGS:
            self.in_heading = 0

    def _text(self, text: str) -> None:
        if self.in_heading:
            self.headings[self.in_heading].append(text)
            return
        item = self.open[-1][1] if self.open else 0
        self.parts[item].append(text)
        if not item and text.strip(BLOCK_END + " \n\t"):
            self.gap = False


_NOTED = ("hidden", "data-search-skip", "data-item", "portal-item-heading")
"""Attributes the splitter looks at: a tag with none of them needs no attribute parsing."""


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class Section:
    """An item's section: heading text and the rest (status line, narrative)."""

    heading: str
    text: str


def split_text(html: str) -> tuple[str, dict[int, Section]]:
    """(text outside item sections, {item number: its section})."""
    splitter = _Splitter()
    splitter.feed(html)

    def flat(parts: list[str]) -> str:
        return " ".join("".join(parts).split())

    sections = {
        n: Section(flat(splitter.headings.get(n, [])), flat(parts))
        for n, parts in splitter.parts.items()
        if n
    }
    return flat(splitter.parts[0]), sections


def _meta_value(text: str) -> str:
    """Pagefind splits meta on ASCII commas; our item list uses ~ and |."""
    return text.replace(",", "，").replace("~", "～").replace("|", "｜")


def _item_fields(item: Item) -> dict[str, str]:
    return {
        "number": str(item.number),
        "status": item.status,
        "overdue": "1" if item.overdue else "2" if item.unreported else "0",
        "problem": _meta_value(item.problem),
    }


def items_meta(notice: Notice) -> str:
    """Each item's ``ITEM_FIELDS`` (``number~status~overdue~problem``), joined by ``|``."""
    return ITEM_SEPARATOR.join(
        ITEM_FIELD_SEPARATOR.join(_item_fields(item)[name] for name in ITEM_FIELDS)
        for item in notice.items
    )


_FILTER_NAME = dict(FILTERS)
"""URL parameter -> the index's filter name (``site.tables.FILTERS``)."""


def _filters(notice: Notice) -> list[tuple[str, str]]:
    ins = notice.inspection
    pairs = [("issuer", notice.issuer)] + [("kind", notice.kind)] * bool(notice.kind)
    if notice.year:
        pairs.insert(1, ("year", str(notice.year)))
    if ins:
        pairs.append(("type", ins.type))
        if ins.team:
            pairs.append(("team", ins.team))
    # status and lateness are the items': the item-state values carry them, with counts
    return [(_FILTER_NAME[key], value) for key, value in pairs] + _item_states(notice)


def _item_states(notice: Notice) -> list[tuple[str, str]]:
    """``(事项, 推进中/逾期×3)``: how many of the notice's items have each status and lateness."""
    late, unreported, neither = OVERDUE
    kinds = Counter(
        (i.status, late if i.overdue else unreported if i.unreported else neither)
        for i in notice.items
    )
    return [
        (ITEM_STATE, f"{status}{STATE_SEPARATOR}{lateness}{COUNT_SEPARATOR}{n}")
        for (status, lateness), n in sorted(kinds.items())
    ]


def search_record(notice: Notice, page_html: str) -> SearchRecord:
    """The indexer's page for a notice, from the notice page's own HTML."""
    outside, sections = split_text(page_html)
    progress = notice.progress
    meta = {
        "title": notice.title,
        "issuer": notice.issuer,
        "date": notice.published.iso() if notice.published else "",
        "kind": notice.kind or "",  # an imported draft's may be unknown
        "progress": f"{progress.done}/{progress.total}" if progress.total else "",
        "items": items_meta(notice),
    }
    parts = ['<!doctype html><html lang="zh"><body><main data-pagefind-body>']
    parts += [
        f'<span data-pagefind-meta="{escape(k + ":" + v.replace(",", "，"))}"></span>'
        for k, v in meta.items()
    ]
    facets = tuple((k, _meta_value(v)) for k, v in _filters(notice))
    parts += facet_spans(facets)
    order = sort_value(notice)
    if order:
        parts.append(f'<span data-pagefind-sort="{DATE_SORT}:{escape(order)}"></span>')
    parts.append(f"<p>{EVERY_NOTICE}</p>")
    parts.append(f"<p>{escape(record_text(outside))}</p>")
    for item in notice.items:
        section = sections.get(item.number, Section("", ""))
        parts.append(f'<h2 id="{escape(item.anchor)}">{escape(record_text(section.heading))}</h2>')
        parts.append(f"<p>{escape(record_text(section.text))}</p>")
    parts.append("</main></body></html>")
    html = "\n".join(parts)
    return SearchRecord(url=notice_url(notice.id), html=html, facets=facets, order=order)


def sort_value(notice: Notice) -> str:
    """The notice's value of the date sort: its date, then its URL, so that no two notices
    tie and every index of them (the whole one, the newest notices') sorts them alike."""
    return f"{notice.published.iso()} {notice_url(notice.id)}" if notice.published else ""
