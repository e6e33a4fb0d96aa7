"""(Stage 4, generate) Tables the portal's Python and its page scripts share, written once here.

The search page reads them from a JSON block the generate stage puts into it
(``search.html.j2``: ``portal-tables``), so ``assets/search-page.js`` and
``assets/search-engine.js`` never keep a copy (a copy of ``STATUS_CLASS`` without 未说明 once
showed unstated items with the green "done" badge). ``tests/test_tables.py`` checks that the
scripts hold no copy of their own.
"""

from __future__ import annotations

import json

from generator.content.schema import STATUSES

STATUS_CLASS = {
    "已完成": "done",
    "基本完成": "mostly",
    "推进中": "ongoing",
    "长期坚持": "longterm",
    "未说明": "unknown",
}
"""Each status's badge class (``portal-badge--<class>`` in ``portal.css``)."""
assert tuple(STATUS_CLASS) == STATUSES

HAN = r"\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The CJK characters that are each a word position of their own in the search index
(``search.records``), as the inside of a regular-expression character class that Python and
JavaScript read alike. Not the radicals (U+2E80-2FDF): symbols, which Pagefind drops from a
word."""

INDEX_LANGUAGE = "und"
"""The search index's language: none. The text is cut into words already (``search.records``);
as ``zh``, Pagefind's indexer ran jieba over it again and the browser cut each query into its
own words."""

NEWEST_LANGUAGE = "newest"
"""The language, in the search bundle, of a second index holding only the newest notices
(``search.newest``): Pagefind picks an index by language, so the search page starts a second
Pagefind instance in this one for the first page of a newest-first search."""

EVERY_NOTICE = "qqeverynotice"
"""A word every notice's search record holds once, before its text: the search page browses
by facets alone as a search for it (Pagefind's own search without a query reads every index
chunk: 12 MB at 1,000 notices). No excerpt shows it."""

FACETS_ENTRY = "portal_facets"
"""The key of the search bundle's ``pagefind-entry.json`` that names its facets file
(``search.facets``; Pagefind ignores the key)."""

DATE_SORT = "date"
"""The search index's sort by publication date (``search.records.sort_value``)."""

TOP_ENTRY = "portal_top"
"""The key of ``pagefind-entry.json`` that names the list of the files of each word's most
frequent notices (``search.top``)."""

COUNTS_ENTRY = "portal_counts"
"""The key of ``pagefind-entry.json`` that names the list of the files of each word's pages and
counts (``search.counts``)."""

FILTERS = (
    ("issuer", "发布单位"),
    ("type", "巡视巡察"),
    ("team", "巡视巡察组"),
    ("year", "年度"),
    ("kind", "类别"),
    ("status", "状态"),
    ("overdue", "逾期"),
)
"""The search filters: URL parameter and the index's filter name, in the page's order."""

OVERDUE = ("逾期", "逾期未报", "未逾期")
"""The overdue filter's values: a notice with an overdue item (on its status date), one with an
item 逾期未报 (``content.model``), and one with items neither (a notice may have the first two)."""

BLOCK_END = "\ue001"
"""Ends each paragraph, heading or cell in a search record's text, and stands for a space
between two words (a private-use character, no word): the excerpt shows a space there, so a
heading, a status line and the text after it, or two badges, do not run together
(``search.records.record_text``)."""

ITEM_STATE = "事项"
"""A hidden filter that counts items, not notices: one value per status and lateness a notice's
items have, with how many (``推进中/逾期×3``). Pagefind counts the notices per value, so the
search page gets the number of items of each kind among any set of results from the counts
of one search, and filters items by status and lateness together (``search.records``)."""
STATE_SEPARATOR = "/"
COUNT_SEPARATOR = "×"

ITEM_FIELDS = ("number", "status", "overdue", "problem")
ITEM_FIELD_SEPARATOR = "~"
ITEM_SEPARATOR = "|"
"""A search result's items travel in its meta as ``number~status~overdue~problem``, joined by
``|`` (``search.records.items_meta``); ``overdue`` is 1 (逾期), 2 (逾期未报) or 0."""


def pagefind_format() -> str:
    """The Pagefind version whose bundle format the search page reads itself
    (``assets/pagefind-index.js``): the one the search package reads and writes."""
    from generator.search.bundle.format import SUPPORTED

    return SUPPORTED


def page_tables() -> str:
    """The tables as the JSON the search page embeds (``<`` escaped: it sits in a script)."""
    tables = {
        "statusClass": STATUS_CLASS,
        "han": HAN,
        "indexLanguage": INDEX_LANGUAGE,
        "newestLanguage": NEWEST_LANGUAGE,
        "facetsEntry": FACETS_ENTRY,
        "topEntry": TOP_ENTRY,
        "countsEntry": COUNTS_ENTRY,
        "everyNotice": EVERY_NOTICE,
        "pagefindFormat": pagefind_format(),
        "filters": [list(f) for f in FILTERS],
        "overdue": list(OVERDUE),
        "itemState": ITEM_STATE,
        "blockEnd": BLOCK_END,
        "stateSeparator": STATE_SEPARATOR,
        "countSeparator": COUNT_SEPARATOR,
        "itemFields": list(ITEM_FIELDS),
        "itemFieldSeparator": ITEM_FIELD_SEPARATOR,
        "itemSeparator": ITEM_SEPARATOR,
    }
    return json.dumps(tables, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
