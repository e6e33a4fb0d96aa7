"""The newest notices' index (``generator/search/newest.py``): what the bundle holds, and the
search page's first page of a newest-first search read from it alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.search.bundle import format
from generator.search.index import SHARD_ENV
from generator.search.newest import NEWEST_ENV, Newest
from generator.search.top import TOP_ENV
from generator.site.files import SearchRecord
from generator.site.tables import INDEX_LANGUAGE, NEWEST_LANGUAGE
from tests.browsing import FIRST_SHOWN, search_shown
from tests.conftest import serve
from tests.helpers import build_synthetic, bundle_files

NOTICES = 60
NEWEST = 20
"""A portal of 60 notices with an index of its 20 newest: more than twice as many, so it has one,
and more than a page of results (10), so the search page can use it."""


@given(st.lists(st.tuples(st.sampled_from(["", "2021", "2021-03", "2021-03-02", "2022"]),
                          st.integers(0, 5))), st.integers(0, 6))  # fmt: skip
def test_newest_keeps_the_records_with_the_greatest_sort_values(pairs, limit):
    records = [SearchRecord(f"n{k}/", "", order=f"{d} n{k}/" if d else "") for d, k in pairs]
    newest = Newest(limit)
    for record in records:
        newest.add(record)
    dated = sorted((r for r in records if r.order), key=lambda r: r.order, reverse=True)
    assert [r.order for r in newest.records()] == [r.order for r in dated[:limit]]


def _same_dates(content: Path) -> None:
    """The 15 newest notices all published on one day: the date sort's ties."""
    files = sorted(content.rglob("*.md"))
    dated = sorted(((_PUBLISHED.search(f.read_text())[1], f) for f in files), reverse=True)  # type: ignore[index]
    for day, file in dated[1:15]:
        file.write_text(
            file.read_text().replace(f"published: {day}", f"published: {dated[0][0]}", 1)
        )


_PUBLISHED = re.compile(r"^published: (\S+)", re.M)


@pytest.fixture(scope="module")
def newest_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Its whole index merged from shards of about 10 notices (as a big portal's is)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(NEWEST_ENV, str(NEWEST))
        patch.setenv(SHARD_ENV, "10")
        patch.setenv(TOP_ENV, "0")  # no lists of each word's notices (tests/test_top.py)
        root = tmp_path_factory.mktemp("newest")
        return build_synthetic(root, NOTICES, seed=5, prepare=_same_dates)


def test_the_bundle_holds_the_newest_notices_under_their_ids_in_the_whole_index(newest_site):
    files = bundle_files(newest_site)
    entry = format.read_entry(files)
    whole, newest = (
        format.read_meta(files[format.meta_path(entry["languages"][lang]["hash"])])
        for lang in (INDEX_LANGUAGE, NEWEST_LANGUAGE)
    )
    assert entry["languages"][NEWEST_LANGUAGE]["page_count"] == NEWEST
    # every notice's sort value, by its id in the whole index (date, then URL)
    order = {}
    for page, _ in whole.pages:
        fragment = format.read_fragment(files[format.fragment_path(page)])
        order[page] = f"{fragment['meta']['date']} {fragment['url'].lstrip('/')}"
    assert len(order) == NOTICES
    expected = sorted(order, key=order.get, reverse=True)[:NEWEST]
    pages = [page for page, _ in newest.pages]
    assert sorted(pages) == sorted(expected)  # the whole index's ids, its fragments
    ((name, ascending),) = newest.sorts
    assert name == "date"
    assert [pages[n] for n in reversed(ascending)] == expected
    for _first, _last, chunk in newest.index_chunks:
        assert format.index_path(chunk) in files


def test_a_small_portal_gets_no_newest_index(example_site):
    assert NEWEST_LANGUAGE not in format.read_entry(bundle_files(example_site))["languages"]


QUERIES = ["整改", "推进中", "举报奖励", "", "消防 隐患"]


def test_the_newest_index_gives_the_whole_indexs_first_page(browser, newest_site):
    """For every query (and with a filter), a page from the newest notices' index is the whole
    index's page: the same notices in the same order, the same items and excerpts; and it
    says so (null) when it does not hold the whole page."""
    with serve(newest_site) as base:
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
                        for (const [limit, offset] of [[10, 0], [5, 10], [30, 0]]) {
                            const early = await e.first(q, filters, limit, offset);
                            const whole = await e.search(q, filters, "date", limit, offset);
                            out.push([q, filters, limit, offset, keep(early), keep(whole)]);
                        }
                    }
                }
                return out;
            }""",
            QUERIES,
        )
        page.close()
    answered = 0
    for query, filters, limit, offset, early, whole in got:
        if early is None:
            continue
        answered += 1
        assert early == whole, (query, filters, limit, offset)
        assert len(early) == limit
    assert answered >= len(QUERIES) * 2  # no filter, then 推进中: the newest hold a page
    refused = {(q, str(f), n, o) for q, f, n, o, early, _ in got if early is None}
    assert all((q, "{}", 30, 0) in refused for q in QUERIES)  # 30 > 20 newest notices


def test_a_newest_first_search_shows_its_first_page_before_the_whole_index(browser, newest_site):
    """The first results come from the newest notices' index alone (the whole index's meta
    not yet read), while the page is still busy counting; when the counts come the same
    results stay (the same elements), with the whole index's number of results."""
    files = bundle_files(newest_site)
    whole_meta = format.meta_path(format.read_entry(files)["languages"][INDEX_LANGUAGE]["hash"])
    newest_meta = format.meta_path(format.read_entry(files)["languages"][NEWEST_LANGUAGE]["hash"])
    with serve(newest_site) as base:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        requested: list[str] = []  # the worker's requests (Pagefind's) too
        context.on("request", lambda request: requested.append(request.url))
        loaded: list[list[str]] = []  # what was requested when the first results showed
        page.expose_binding("firstShown", lambda _source: loaded.append(list(requested)))
        page.add_init_script(FIRST_SHOWN)
        page.goto(base + "search/?q=整改")
        status = search_shown(page)
        first = page.evaluate("window.__firstShown")
        assert first["busy"] == "busy"
        assert first["status"].startswith("已显示最新的通报")
        assert any(url.endswith(newest_meta) for url in loaded[0])
        assert not any(url.endswith(whole_meta) for url in loaded[0])
        assert any(url.endswith(whole_meta) for url in requested)  # then, for the counts
        assert status.startswith(f"找到 {NOTICES} 份")
        assert (
            page.locator("[data-search-results] > li").first.get_attribute("data-first-shown")
            == "1"
        )
        assert page.locator("[data-search-results] > li").count() == 10
        # relevance order never asks the newest notices' index (a first page may come from
        # each word's most frequent notices: tests/test_top.py)
        before = len(requested)
        page.goto(base + "search/?q=整改&sort=relevance")
        search_shown(page)
        assert not page.evaluate("window.__firstShown")["status"].startswith("已显示最新的通报")
        assert not any(url.endswith(newest_meta) for url in requested[before:])
        context.close()
