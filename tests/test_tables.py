"""The tables Python and the search page share (``generator/site/tables.py``) exist once: the
scripts hold no copy, and the page's engine reads them as Python wrote them."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from generator.content.schema import STATUSES
from generator.search.records import index_words, items_meta
from generator.site import tables
from generator.site.pages import STATIC
from tests.browsing import search_shown

SCRIPTS = ("search-engine.js", "search-page.js", "pagefind-index.js")


def test_the_scripts_keep_no_copy_of_a_shared_table():
    shared = [*STATUSES, *(name for _, name in tables.FILTERS), *tables.OVERDUE, "\\u4e00"]
    for script in SCRIPTS:
        text = (STATIC / script).read_text(encoding="utf-8")
        assert [word for word in shared if word in text] == [], script


def test_the_search_page_embeds_the_tables(example_site):
    html = (example_site / "search" / "index.html").read_text(encoding="utf-8")
    block = BeautifulSoup(html, "html.parser").select_one("script#portal-tables")
    assert block is not None and block.get("type") == "application/json"
    assert json.loads(block.string) == json.loads(tables.page_tables())
    assert json.loads(block.string)["statusClass"]["未说明"] == "unknown"


def test_item_meta_has_the_fields_the_tables_name(example_portal):
    notice = next(n for n in example_portal.notices if n.items)
    rows = items_meta(notice).split(tables.ITEM_SEPARATOR)
    assert len(rows) == len(notice.items)
    first = dict(zip(tables.ITEM_FIELDS, rows[0].split(tables.ITEM_FIELD_SEPARATOR), strict=True))
    item = notice.items[0]
    assert first == {"number": str(item.number), "status": item.status,
                     "overdue": "1" if item.overdue else "0", "problem": item.problem}  # fmt: skip


SAMPLES = [
    "3.2亿元",
    "区工信局",
    "2021年3月",
    "ABC-12 第三轮",
    "㐀〇々",
    "整改, 落实；推进",
    "22个",
]
NOTICE_TEXT = "共3.2亿元；区工信局于2021年3月对ABC-12 第三轮㐀〇々整改, 落实；推进22个问题"


@pytest.mark.browser
def test_the_page_engine_agrees_with_python(page, served_site):
    page.goto(served_site + "search/")
    search_shown(page)
    got = page.evaluate(
        """([samples, statuses]) => ({
            terms: samples.map(s => window.portalSearch.query(s)),
            shapes: ["整改工作", "22个", "整改，工作", "整"].map(s => window.portalSearch.query(s)),
            classes: statuses.map(s => window.portalSearch.statusClass(s)),
        })""",
        [SAMPLES, list(STATUSES) + ["不认识的状态"]],
    )
    # each sample, as a query term, asks for words the index holds where the sample occurs
    indexed = index_words(NOTICE_TEXT)
    for sample, term in zip(SAMPLES, got["terms"], strict=True):
        at = len(index_words(NOTICE_TEXT[: NOTICE_TEXT.index(sample)]))
        assert term["span"] == len(index_words(sample)), sample
        assert all(w in indexed[at + k] for k, w in enumerate(term["words"])), (sample, term)
    assert got["shapes"] == [
        {"words": ["整改", "改工", "工作"], "span": 4, "prefix": False},  # the bigrams hold 作
        {"words": ["22", "个"], "span": 2, "prefix": False},  # 个 alone, or first of 个问
        {"words": ["整改", "改", "工作"], "span": 4, "prefix": False},  # 改 ends a run there too
        {"words": ["整"], "span": 1, "prefix": True},  # any word starting with 整
    ]
    # an unknown or unstated status is never shown with the green "done" badge
    assert got["classes"] == [tables.STATUS_CLASS[s] for s in STATUSES] + ["unknown"]
