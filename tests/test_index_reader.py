"""The whole archive's search read from Pagefind's index files in the page
(``assets/pagefind-index.js``), against Pagefind's own library over the same bundle, in
Chromium: the same notices, in the same order, with the same counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.search.bundle import format
from generator.search.index import SHARD_ENV
from generator.search.newest import NEWEST_ENV
from tests.browsing import search_shown
from tests.conftest import serve
from tests.helpers import build_synthetic, bundle_files

QUERIES = [
    "整改",
    "推进中",
    "举报奖励",
    "整改工作领导小组",
    "巡察组",
    "整",  # one character: every word beginning with it
    "患",
    "整改整改",  # a repeated character
    "消防 隐患",  # two terms
    "工作 整",
    "2016",  # a number: whole
    "2024",
    "2016年",
    "2015年3月",  # numbers and characters in one term
    "2024年4月",
    "不存在的词语",
    "",  # no query: the filters alone
]
ONE_TERM = {"整改", "推进中", "举报奖励", "整改工作领导小组", "巡察组", "整", "患"}
ONE_TERM |= {"2016", "2024", "不存在的词语"}
"""Queries whose relevance both count alike; the library counts a query of two terms, or of a
repeated character, from the positions of all its words together (``ordered()``)."""
FILTERS = [{}, {"状态": "推进中"}, {"年度": "2016"}, {"逾期": "逾期"}]

COMPARE = """async (queries) => {
    const tables = JSON.parse(document.getElementById("portal-tables").textContent);
    const { createEngine } = await import(new URL("../assets/search-engine.js", location.href).href);
    const bundle = new URL("../pagefind/pagefind.js", location.href).href;
    const engines = [createEngine(bundle, null, tables), createEngine(bundle, null, tables, { library: true })];
    const out = [];
    for (const q of queries) {
        const row = { q, engines: [] };
        for (const e of engines) {
            const got = { date: await e.matches(q, "date"), relevance: await e.matches(q, "relevance"), pages: [], counts: [] };
            for (const filters of %s) {
                const found = await e.search(q, filters, "date", 5, 2);
                got.pages.push([found.notices, found.groups.map((g) => [g.url, g.count, g.items.length])]);
                if (q || Object.keys(filters).length) got.counts.push(await e.counts(q, filters, "date"));
            }
            row.engines.push(got);
        }
        out.push(row);
    }
    return out;
}"""


def _compare(browser, site: Path) -> list[dict]:
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + "search/")
        search_shown(page)
        got = page.evaluate(COMPARE % json.dumps(FILTERS, ensure_ascii=False), QUERIES)
        page.close()
    return got


def _check(got: list[dict]) -> None:
    for row in got:
        ours, library = row["engines"]
        assert ours["date"] == library["date"], row["q"]
        if row["q"] in ONE_TERM:
            assert ours["relevance"] == library["relevance"], row["q"]
        else:
            assert sorted(ours["relevance"]) == sorted(library["relevance"]), row["q"]
        assert ours["pages"] == library["pages"], row["q"]
        assert ours["counts"] == library["counts"], row["q"]
    found = {row["q"]: len(row["engines"][0]["date"]) for row in got}
    # the queries reach what they are for: nothing, some, a prefix wider than its words
    assert found["不存在的词语"] == 0 and found["整改工作领导小组"] > 0 and found["巡察组"] > 0
    assert found["整"] >= found["整改"] > 0 and found["消防 隐患"] > 0
    assert found["2016"] + found["2024"] > 0 and found["2015年3月"] + found["2024年4月"] > 0


@pytest.fixture(scope="module")
def merged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Indexed in shards of 10 and merged, with an index of the 20 newest notices."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(NEWEST_ENV, "20")
        patch.setenv(SHARD_ENV, "10")
        return build_synthetic(tmp_path_factory.mktemp("reader"), 60, seed=5)


def test_the_index_read_in_the_page_finds_what_pagefind_finds_in_a_merged_index(
    browser, merged_site
):
    _check(_compare(browser, merged_site))


def test_the_index_read_in_the_page_finds_what_pagefind_finds_in_the_example(browser, example_site):
    _check(_compare(browser, example_site))


def test_the_search_page_does_not_load_pagefinds_library(browser, merged_site):
    """A query's results and counts from the index files alone: neither Pagefind's script,
    nor its worker, nor its WebAssembly is requested."""
    with serve(merged_site) as base:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(base + "search/?q=推进中&sort=relevance")
        page.wait_for_function(
            "() => document.querySelector('[data-search-status]').textContent.includes('找到')"
        )
        status = page.locator("[data-search-status]").text_content() or ""
        page.close()
    assert "份与“推进中”相关的通报" in status
    from_bundle = [url.split("/pagefind/")[1] for url in requested if "/pagefind/" in url]
    assert any(name.startswith("index/") for name in from_bundle)  # the whole index was read
    assert not [n for n in from_bundle if n.startswith("pagefind") and n.endswith(".js")]
    assert not [n for n in from_bundle if n.startswith("wasm.")]


def test_the_page_reads_the_pagefind_version_the_bundle_is_written_in(merged_site):
    """The reader's version (the page's tables) is the bundle's: a bundle of another version
    goes to Pagefind's library instead (``reader()`` in the engine)."""
    page = (merged_site / "search" / "index.html").read_text(encoding="utf-8")
    tables = json.loads(page.split('id="portal-tables">', 1)[1].split("</script>", 1)[0])
    assert tables["pagefindFormat"] == format.read_entry(bundle_files(merged_site))["version"]
