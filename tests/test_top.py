"""Each bigram's most frequent notices (``generator/search/top.py``): what the bundle holds, and
the first page of a search by relevance read from them alone."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from generator.search.bundle import cbor, format
from generator.search.index import SHARD_ENV
from generator.search.newest import NEWEST_ENV
from generator.search.top import TOP_ENV, Tops
from generator.site.tables import INDEX_LANGUAGE, NEWEST_LANGUAGE, TOP_ENTRY
from tests.browsing import FIRST_SHOWN, search_shown
from tests.conftest import serve
from tests.helpers import build_synthetic, bundle_files

NOTICES = 60
TOP = 8
"""A list of 8 notices a word: a page of 5 can come from them, one of 10 cannot."""


def test_a_list_keeps_the_most_frequent_pages_newest_first_among_equals():
    # pages 0-5; date order ascending 5 4 3 2 1 0: page 0 is the newest (rank 0)
    tops = Tops(3, [5, 4, 3, 2, 1, 0])
    # counts: page 0: 2, page 1: 3, page 2: 2, page 3: 3, page 4: 1 (and a weight), page 5: 2
    postings = [
        [0, [-25, 1, 2]],
        [1, [1, 1, 1]],
        [1, [4, 1]],
        [1, [2, 2, 2]],
        [1, [-7, 9]],
        [1, [3, 3]],
    ]
    tops.add("整改", postings)
    tops.add("2024", postings)  # not a bigram
    assert set(tops.words) == {"整改"}
    left, kept, held, newest = tops.words["整改"]
    assert kept == [[1, 1, 3], [3, 3, 3], [0, 0, 2]]  # page, rank, count
    assert left == [2, 2]  # the first left out: page 2 (twice, rank 2)
    assert held == 6
    assert newest == [[0, 0], [1, 1], [2, 2]]
    whole = Tops(6, [5, 4, 3, 2, 1, 0])
    whole.add("整改", postings)
    assert whole.words["整改"][0] is None  # none left out


PHRASE = "鑫淼焱"
"""Held once by ten notices that hold 淼焱 10 to 19 times more, twice by ten that hold 鑫淼 10 to
19 times more (``_phrases``): the list of 淼焱 (the word whose left-out notices hold it least
often) starts with notices that hold the phrase less often than others do."""


def _phrases(content: Path) -> None:
    """And each of its words alone in five notices more, which do not hold it."""
    files = sorted(content.rglob("*.md"))
    for i, file in enumerate(files[:30]):
        if i < 10:
            text = f"{PHRASE[1:]}。" * (10 + i) + f"{PHRASE}。"
        elif i < 20:
            text = f"{PHRASE}。" * 2 + f"{PHRASE[:2]}。" * i
        else:
            text = f"{PHRASE[:2] if i < 25 else PHRASE[1:]}。"
        file.write_text(file.read_text().replace("\n## 三、", f"\n{text}\n\n## 三、", 1))


@pytest.fixture(scope="module")
def top_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(NEWEST_ENV, "20")
        patch.setenv(SHARD_ENV, "10")
        patch.setenv(TOP_ENV, str(TOP))
        return build_synthetic(tmp_path_factory.mktemp("top"), NOTICES, seed=9, prepare=_phrases)


def _lists(files: dict[str, bytes]) -> dict[str, list]:
    listed = json.loads(files[format.read_entry(files)[TOP_ENTRY]])
    rows = {}
    for _first, _last, name in listed:
        for word, left, kept, held, newest in json.loads(gzip.decompress(files[name])):
            rows[word] = [left, kept, held, newest]
    return rows


def test_the_lists_hold_each_bigrams_most_frequent_notices_of_the_whole_index(top_site):
    """Sorted again from the published index's own postings: for each bigram, the notices
    holding it most often (newest first among equals), how often, and the first one left
    out."""
    files = bundle_files(top_site)
    meta = format.read_meta(
        files[format.meta_path(format.read_entry(files)["languages"][INDEX_LANGUAGE]["hash"])]
    )
    ids = [page for page, _ in meta.pages]
    dates = {}
    for page in ids:
        fragment = format.read_fragment(files[format.fragment_path(page)])
        dates[page] = f"{fragment['meta']['date']} {fragment['url'].lstrip('/')}"
    rank = {page: n for n, page in enumerate(sorted(ids, key=dates.get, reverse=True))}
    held: dict[str, dict[str, int]] = {}
    for _first, _last, chunk in meta.index_chunks:
        (words,) = cbor.read(files[format.index_path(chunk)])
        for word, postings, _variants in words:
            if not re.fullmatch(r"[\u4e00-\u9fff]{2}", word):
                continue
            number = 0
            for posting in postings:
                number += posting[0]
                count = len([value for value in posting[1] if value >= 0])  # weights < 0
                if count:
                    held.setdefault(word, {})[ids[number]] = count
    lists = _lists(files)
    assert len(held) > 500
    assert set(lists) == set(held)
    for word, pages in held.items():
        order = sorted(pages, key=lambda page: (-pages[page], rank[page]))
        left, kept, holding, newest = lists[word]
        assert kept == [[p, rank[p], pages[p]] for p in order[:TOP]]
        assert holding == len(pages)
        assert newest == [[p, rank[p]] for p in sorted(pages, key=rank.get)[:TOP]]
        out = order[TOP] if len(order) > TOP else None
        assert left == (None if out is None else [pages[out], rank[out]])


QUERIES = [
    "整改",
    "推进中",
    "举报奖励",
    "巡视",
    "隐患排查",
    "整改整改",
    "消防 隐患",
    "台账",
    "工作",
    PHRASE,
    PHRASE[1:],
]


def test_a_page_by_relevance_from_the_lists_is_the_whole_indexs_page(browser, top_site):
    """For every query, filter and page, a page the lists give is the whole index's page (the
    same notices in the same order, the same items and excerpts); they give one for a
    one-bigram query's first page, and none where they cannot know it."""
    with serve(top_site) as base:
        page = browser.new_page()
        page.goto(base + "search/")
        search_shown(page)
        got = page.evaluate(
            """async (queries) => {
                const e = window.portalSearch;
                const keep = (found) => found && found.groups.map((g) => [g.url, g.count,
                    g.items.map((i) => [i.url, i.hits.length]), g.notice && g.notice.hits.length]);
                const out = [];
                for (const q of queries) {
                    for (const filters of [{}, {"状态": "推进中"}, {"年度": "2016"}]) {
                        for (const [limit, offset] of [[5, 0], [3, 3], [2, 6], [10, 0]]) {
                            for (const sort of ["relevance", "date"]) {
                                const early = await e.first(q, filters, limit, offset, sort);
                                const whole = await e.search(q, filters, sort, limit, offset);
                                out.push([q, filters, limit, offset, sort, keep(early), keep(whole)]);
                            }
                        }
                    }
                }
                return out;
            }""",
            QUERIES,
        )
        page.close()
    answered = set()
    for query, filters, limit, offset, sort, early, whole in got:
        if early is None:
            continue
        answered.add((query, str(filters), limit, offset, sort))
        assert early == whole, (query, filters, limit, offset, sort)
        assert len(early) == limit
    for sort in ("relevance", "date"):
        for query in ("整改", "巡视", "台账"):  # one bigram, no filter: the list is the order
            assert (query, "{}", 5, 0, sort) in answered and (query, "{}", 3, 3, sort) in answered
        for query in ("推进中", "举报奖励", "隐患排查"):  # a phrase, counted in the notice's text
            assert (query, "{}", 5, 0, sort) in answered
        assert (PHRASE[1:], "{}", 5, 0, sort) in answered
    # by relevance, the lists alone (newest first, the newest notices' index may answer too)
    for query in ("整改整改", "消防 隐患"):  # a repeated character; two terms
        assert not any(q == query and o == "relevance" for q, _f, _n, _o, o in answered)
    assert not any(n == 10 and o == "relevance" for _q, _f, n, _o, o in answered)  # 10 > 8
    # its list's notices hold it once, others twice
    assert (PHRASE, "{}", 5, 0, "relevance") not in answered


@pytest.mark.parametrize(
    ("query", "sort", "said"),
    [("整改", "relevance", "已显示最相关的通报"), ("整改", "date", "已显示最新的通报"),
     (PHRASE, "date", "已显示最新的通报")],
)  # fmt: skip
def test_a_first_page_from_the_lists_shows_before_any_index(browser, big_site, query, sort, said):
    """With lists of 30 (the default), the first page shows before the whole index's meta is
    requested, busy; the same results stay when the counts come."""
    files = bundle_files(big_site)
    metas = [format.meta_path(format.read_entry(files)["languages"][INDEX_LANGUAGE]["hash"])]
    with serve(big_site) as base:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        requested: list[str] = []  # the worker's requests (Pagefind's) too
        context.on("request", lambda request: requested.append(request.url))
        loaded: list[list[str]] = []
        page.expose_binding("firstShown", lambda _source: loaded.append(list(requested)))
        page.add_init_script(FIRST_SHOWN)
        page.goto(base + f"search/?q={query}&sort={sort}")
        status = search_shown(page)
        first = page.evaluate("window.__firstShown")
        assert first["busy"] == "busy"
        assert first["status"].startswith(said)
        assert not any(url.endswith(meta) for url in loaded[0] for meta in metas)
        assert any("/pagefind/top/" in url for url in loaded[0])
        assert any(url.endswith(metas[0]) for url in requested)  # then, for the counts
        assert status.startswith("找到 ")
        assert (
            page.locator("[data-search-results] > li").first.get_attribute("data-first-shown")
            == "1"
        )
        assert page.locator("[data-search-results] > li").count() == 10
        context.close()


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lists of 30 notices a word (the default), from shards of about 25, and no newest
    notices' index (60 notices are not twice 500)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SHARD_ENV, "25")
        return build_synthetic(tmp_path_factory.mktemp("big"), NOTICES, seed=9, prepare=_phrases)


def test_the_lists_do_not_depend_on_the_shards(top_site, big_site):
    """The same notices merged from shards of about 25 or of about 10: the same lists, under
    their own ids."""
    assert NEWEST_LANGUAGE not in format.read_entry(bundle_files(big_site))["languages"]

    def by_url(site: Path) -> dict[str, list]:
        files = bundle_files(site)
        url = {}
        for path, content in files.items():
            if format.is_fragment(path):
                url[format.fragment_id(path)] = format.read_fragment(content)["url"]
        listed = {}
        for word, (left, kept, held, newest) in _lists(files).items():
            listed[word] = [[url[p] for p, *_ in kept], [url[p] for p, _ in newest], held, left]
        return listed

    many, one = by_url(top_site), by_url(big_site)
    assert set(many) == set(one)
    for word in ("整改", "推进", PHRASE[:2], PHRASE[1:]):  # lists of 8 in top_site, 30 here
        assert one[word][0][:TOP] == many[word][0] and one[word][1][:TOP] == many[word][1]
        assert one[word][2] == many[word][2]


def test_a_portal_of_one_shard_gets_no_lists(example_site):
    assert TOP_ENTRY not in format.read_entry(bundle_files(example_site))
