"""The whole archive's search read from Pagefind's index files in the page
(``assets/pagefind-index.js``), against Pagefind's own library over the same bundle, in
Chromium: the same notices, in the same order, with the same counts."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from pathlib import Path

import pytest

from generator.search.bundle import cbor, format
from generator.search.counts import CHUNK_BYTES, Counts, bound
from generator.search.index import SHARD_ENV
from generator.search.newest import NEWEST_ENV
from generator.site.tables import COUNTS_ENTRY, INDEX_LANGUAGE
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


def _searched(browser, site: Path, query: str) -> tuple[str, list[str]]:
    """The search page with ``query``, once it says what it found: its status line, and the
    files it requested from ``pagefind/``."""
    with serve(site) as base:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(base + "search/" + query)
        page.wait_for_function(
            "() => document.querySelector('[data-search-status]').textContent.includes('找到')"
        )
        status = page.locator("[data-search-status]").text_content() or ""
        page.close()
    return status, [url.split("/pagefind/")[1] for url in requested if "/pagefind/" in url]


def test_the_search_page_does_not_load_pagefinds_library(browser, merged_site):
    """A query's results and counts from the index files alone: neither Pagefind's script,
    nor its worker, nor its WebAssembly is requested."""
    status, from_bundle = _searched(browser, merged_site, "?q=推进中&sort=relevance")
    assert "份与“推进中”相关的通报" in status
    assert any(name.startswith("index/") for name in from_bundle)  # the whole index was read
    assert not [n for n in from_bundle if n.startswith("pagefind") and n.endswith(".js")]
    assert not [n for n in from_bundle if n.startswith("wasm.")]


def test_the_page_reads_the_pagefind_version_the_bundle_is_written_in(merged_site):
    """The reader's version (the page's tables) is the bundle's: a bundle of another version
    goes to Pagefind's library instead (``reader()`` in the engine)."""
    page = (merged_site / "search" / "index.html").read_text(encoding="utf-8")
    tables = json.loads(page.split('id="portal-tables">', 1)[1].split("</script>", 1)[0])
    assert tables["pagefindFormat"] == format.read_entry(bundle_files(merged_site))["version"]


def test_counts_without_positions_hold_what_the_chunks_hold():
    """A word's row (``search.counts``): its pages delta-coded and each page's count of
    positions, weights left out, a page holding it only in its meta counted 0; the files
    close at their size, never inside a row, each listed with the shortest prefix of its
    first word that sorts after the previous file's last word."""
    files: dict[str, bytes] = {}
    counts = Counts(files)
    # page 0: a weight, 2 positions; page 3: meta only; page 4: 3 positions, two weights
    postings = [[0, [-25, 1, 2], []], [3, [], [0]], [1, [-7, 4, -20, 1, 1], []]]
    counts.add("2024", [[2, [5], []]])  # in the index's word order
    counts.add("整改", postings)
    listing = counts.close()
    assert json.loads(files[listing]) == [["", next(p for p in files if p != listing)]]
    ((_, name),) = json.loads(files[listing])
    assert json.loads(gzip.decompress(files[name])) == [
        ["2024", [2], [1]],
        ["整改", [0, 3, 1], [2, 0, 3]],
    ]
    many: dict[str, bytes] = {}
    split = Counts(many)
    words = [f"词{n:04}" + "长" * 300 for n in range(400)]
    for word in words:
        split.add(word, [[1, list(range(60)), []]] * 100)
    row = len(json.dumps([words[0], [1] * 100, [60] * 100], ensure_ascii=False))
    rows = []
    listed = json.loads(many[split.close()])
    for n, (prefix, name) in enumerate(listed):
        text = gzip.decompress(many[name]).decode()  # sized in characters
        inside = [row[0] for row in json.loads(text)]
        assert inside[0].startswith(prefix) and (n == 0 or prefix > rows[-1])
        assert len(prefix) <= 5  # not the 305 characters of the word
        assert len(text) < CHUNK_BYTES + 2 * row
        assert n == len(listed) - 1 or len(text) >= CHUNK_BYTES
        rows += inside
    assert rows == words and len(listed) == 3
    assert bound("整改", "整改工作") == "整改工" and bound("2024", "3") == "3"
    assert bound("", "整") == "整"


def test_a_merged_bundle_counts_every_word_of_its_index(merged_site):
    files = bundle_files(merged_site)
    entry = format.read_entry(files)
    meta = format.read_meta(files[format.meta_path(entry["languages"][INDEX_LANGUAGE]["hash"])])
    held = {}
    for _first, _last, chunk in meta.index_chunks:
        (words,) = cbor.read(files[format.index_path(chunk)])
        for word, postings, _variants in words:
            pages, number = [], 0
            for posting in postings:
                number += posting[0]
                pages.append([number, len([v for v in posting[1] if v >= 0])])
            held[word] = pages
    counted = {}
    for _bound, name in json.loads(files[entry[COUNTS_ENTRY]]):
        for word, deltas, numbers in json.loads(gzip.decompress(files[name])):
            pages = list(itertools.accumulate(deltas))
            counted[word] = [list(pair) for pair in zip(pages, numbers, strict=True)]
    assert len(held) > 1000
    assert counted == held


def test_a_query_of_one_word_reads_its_counts_not_its_positions(browser, merged_site):
    """整改 (one bigram), by relevance: its results, their number and the facet counts come
    from the lists (first page) and the counts files; no index chunk is loaded."""
    status, from_bundle = _searched(browser, merged_site, "?q=整改&sort=relevance&状态=推进中")
    assert re.search(r"找到 \d+ 份与“整改”相关的通报", status)
    assert any(name.startswith("counts/") and name.endswith(".pf_counts") for name in from_bundle)
    assert not [name for name in from_bundle if name.startswith("index/")]
