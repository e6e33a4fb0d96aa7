"""What a person does in a browser, in a real headless Chromium (Debian's, via Playwright)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from generator.content.model import is_latest
from tests.browsing import search_runs, search_shown
from tests.test_search_recall import ground_truth, occurrences

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def result_ids(page: Page) -> list[str]:
    hrefs = page.locator("[data-search-results] .portal-result-title a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    return [re.sub(r".*/notices/([^/]+)/.*", r"\1", h) for h in hrefs]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("危险废物", {"qingshan-quwei-xunshi", "shengtai-huanjingju-xuncha"}),
        ("消防通道", {"nanxi-zhen-xuncha"}),
        ("重大隐患", {"donghu-anquan-zhengzhi-baogao", "qingshan-quwei-xunshi"}),
        # Pagefind alone missed these (its issue 1237: jieba indexed other word boundaries
        # than the browser's query segmenter); records.py makes them findable.
        ("举报", {"gongxinju-weihuapin-xuncha"}),
        ("举报奖励", {"gongxinju-weihuapin-xuncha"}),
    ],
)
def test_search_finds_chinese_words(page, served_site, query, expected):
    page.goto(served_site + "search/?q=" + query)
    assert search_shown(page).startswith("找到")
    assert expected <= set(result_ids(page))
    assert page.locator("[data-search-results] mark").count() > 0


def test_results_read_from_their_fragment_files_hold_what_pagefind_gives(page, served_site):
    """The search page reads a result's fragment itself (no excerpts worked out): the same
    URL, text, meta and anchors as Pagefind's own ``data()``."""
    page.goto(served_site + "search/")
    search_shown(page)
    pairs = page.evaluate(
        """async () => {
            const pf = await import(new URL(document.querySelector("[data-pagefind]").dataset.pagefind, location.href).href);
            const found = await pf.search("整改");
            return Promise.all(found.results.slice(0, 5).map(async (r) => {
                const [ours, theirs] = [await window.portalSearch.pageData(r), await r.data()];
                const keep = (d) => ({url: d.url, content: d.content, meta: d.meta,
                    anchors: d.anchors.map((a) => [a.id, a.location, a.text])});
                return [keep(ours), keep(theirs)];
            }));
        }"""
    )
    assert len(pairs) == 5
    for ours, theirs in pairs:
        assert ours == theirs
        assert ours["content"] and ours["anchors"]


def test_browsing_by_a_facet_alone_reads_one_index_chunk(page, served_site, example_portal):
    """Without a query the page searches the word every record holds (tables.EVERY_NOTICE):
    Pagefind's own search without a query read every chunk of the index."""
    chunks: list[str] = []
    page.on("request", lambda r: chunks.append(r.url) if "/pagefind/index/" in r.url else None)
    issuer = example_portal.notices[0].issuer
    page.goto(served_site + "search/?issuer=" + issuer)
    assert search_shown(page).startswith("找到")
    want = sum(n.issuer == issuer for n in example_portal.notices)
    assert len(result_ids(page)) == want
    assert len(chunks) == 1


def test_search_says_when_nothing_matches(page, served_site):
    page.goto(served_site + "search/?q=zzqxv")
    assert search_shown(page) == "没有找到与“zzqxv”相关的通报。"
    assert page.locator("[data-search-results] li").count() == 0


def test_header_search_box_leads_to_results(page, served_site):
    page.goto(served_site + "notices/nanxi-zhen-xuncha/")
    page.get_by_role("searchbox", name="搜索通报").fill("小作坊")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/search/"))
    assert search_shown(page).startswith("找到")
    assert "nanxi-zhen-xuncha" in result_ids(page)
    assert urlsplit(page.url).path.endswith("/search/")


def visible_rows(page: Page) -> int:
    return page.locator("table[data-ledger] tbody tr:visible").count()


def test_ledger_filters_by_status_issuer_year_and_overdue(page, served_site, example_portal):
    items = [(n, i) for n in example_portal.notices for i in n.items if is_latest(i)]
    page.goto(served_site + "ledger/")
    assert visible_rows(page) == len(items)
    page.get_by_label("状态").select_option("推进中")
    assert visible_rows(page) == sum(i.status == "推进中" for _, i in items)
    page.get_by_label("只看逾期", exact=True).check()
    assert visible_rows(page) == sum(i.status == "推进中" and i.overdue for _, i in items)
    expect(page.locator("[data-ledger-count]")).to_have_text(
        f"显示 {visible_rows(page)} / {len(items)} 项"
    )
    assert "status=" in page.url and "overdue=1" in page.url
    page.get_by_role("button", name="清除筛选").click()
    page.get_by_label("发布单位").select_option("中共临江县委")
    page.get_by_label("年度").select_option("2022")
    assert visible_rows(page) == sum(
        n.issuer == "中共临江县委" and n.year == 2022 for n, _ in items
    )


@pytest.mark.parametrize(
    ("key", "label"), [("overdue", "只看逾期"), ("unreported", "只看逾期未报")]
)
def test_ledger_filters_come_from_a_shared_link(page, served_site, example_portal, key, label):
    wanted = sum(getattr(i, key) for i in example_portal.problems)
    page.goto(served_site + f"ledger/?{key}=1")
    assert page.get_by_label(label, exact=True).is_checked()
    assert visible_rows(page) == wanted > 0


def test_item_link_in_the_table_jumps_to_the_item(page, served_site):
    page.goto(served_site + "notices/qingshan-quwei-xunshi/")
    page.locator("table.portal-items a[href='#item-6']").click()
    assert page.url.endswith("#item-6")
    expect(page.locator("#item-6")).to_be_in_viewport()


def test_pages_work_on_a_phone_width(browser, served_site):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    pg = context.new_page()
    pg.goto(served_site + "notices/jiangbin-yingjiju-xuncha/")
    # Only the items table may scroll sideways (inside its own region), never the page.
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    # Rows become cards: the problem text gets the card's width, not one character's.
    cell = pg.locator("table.portal-items td[data-label='问题']").first.bounding_box()
    assert cell is not None and cell["width"] > 250
    context.close()


def wait_results(page: Page, after: int = 0) -> str:
    """The status line once a run later than the ``after``-th is shown."""
    return search_shown(page, after)


def test_browse_by_facets_without_a_query(page, served_site, example_portal):
    """Every item still 推进中 after its deadline, with counts in the facets."""
    page.goto(served_site + "search/?status=推进中&overdue=逾期")
    wanted = [
        (n, i)
        for n in example_portal.notices
        for i in n.items
        if i.status == "推进中" and i.overdue
    ]
    notices = {n.id for n, _ in wanted}
    assert wait_results(page) == (
        f"找到 {len(notices)} 份符合条件的通报，其中符合条件的整改事项 {len(wanted)} 个。"
    )
    assert set(result_ids(page)) == notices
    assert page.get_by_label("状态").input_value() == "推进中"
    option = page.locator("select[name=status] option[value='推进中']")
    assert option.text_content() == f"推进中（{len(wanted)}）"  # items, not notices
    items = page.locator(".portal-result-item")
    assert items.count() == len(wanted)

    for i in range(items.count()):
        badges = items.nth(i).locator(".portal-badge").all_text_contents()
        assert badges == ["推进中", "逾期"]


def test_search_filters_items_late_since_their_report(page, served_site, example_portal):
    """逾期未报: open on the notice's date, due since; a filter value and badge of its own."""
    page.goto(served_site + "search/?overdue=逾期未报")
    wanted = [(n, i) for n in example_portal.notices for i in n.items if i.unreported]
    notices = {n.id for n, _ in wanted}
    assert len(notices) > 1
    assert wait_results(page) == (
        f"找到 {len(notices)} 份符合条件的通报，其中符合条件的整改事项 {len(wanted)} 个。"
    )
    assert set(result_ids(page)) == notices
    badges = page.locator(".portal-result-item .portal-badge--unreported")
    assert badges.count() == len(wanted)
    assert page.locator(".portal-result-item .portal-badge--overdue").count() == 0


def test_query_with_a_filter(page, served_site):
    page.goto(served_site + "search/?q=整改&issuer=中共临江县委")
    wait_results(page)
    # Newest first: the round's three notices, all by this issuer.
    assert result_ids(page) == [
        "linjiang-xianwei-xunshi-disanci",
        "linjiang-xianwei-xunshi-xubao",
        "linjiang-xianwei-xunshi",
    ]


def test_sort_by_date_and_by_relevance(page, served_site, example_portal, example_site):
    page.goto(served_site + "search/?q=整改")
    wait_results(page)
    dates = {n.id: n.published.iso() for n in example_portal.notices}
    by_date = [dates[i] for i in result_ids(page)]
    assert by_date == sorted(by_date, reverse=True) and len(by_date) == 10  # a page of 12
    runs = search_runs(page)
    page.get_by_label("排序").select_option("relevance")
    expect(page).to_have_url(re.compile("sort=relevance"))
    wait_results(page, runs)
    matches = page.locator(".portal-result-meta").all_text_contents()
    counts = [int(m.group(1)) if (m := re.search(r"出现 (\d+) 次", t)) else 0 for t in matches]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    # "出现 N 次" counts the notice's own text (the page's labels and tables are not searched):
    # the first result is the notice whose text says 整改 most, as many times as it says it
    truth = ground_truth(example_site).notices
    said = {url.strip("/").split("/")[-1]: occurrences("整改", text) for url, text in truth.items()}
    top = max(said, key=lambda n: said[n])
    assert result_ids(page)[0] == top and counts[0] == said[top]


def test_query_and_filters_live_in_the_url_and_back_works(page, served_site):
    page.goto(served_site + "search/")
    search_shown(page)
    runs = search_runs(page)
    page.get_by_label("关键词").fill("隐患")
    page.get_by_label("关键词").press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=%E9%9A%90%E6%82%A3$"))
    first = wait_results(page, runs)
    all_years = result_ids(page)
    runs = search_runs(page)
    page.get_by_label("年度").select_option("2021")
    expect(page).to_have_url(re.compile("year=2021"))
    wait_results(page, runs)
    in_2021 = result_ids(page)
    assert 0 < len(in_2021) < len(all_years)
    runs = search_runs(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=%E9%9A%90%E6%82%A3$"))
    assert wait_results(page, runs) == first
    assert result_ids(page) == all_years
    assert page.get_by_label("年度").input_value() == ""


def test_search_by_keyboard_alone(page, served_site):
    page.goto(served_site + "search/")
    assert search_shown(page).startswith("请输入关键词")
    runs = search_runs(page)
    page.locator("#portal-q").focus()
    page.keyboard.type("消防")
    page.keyboard.press("Enter")
    wait_results(page, runs)
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # first facet: 发布单位
    assert page.evaluate("document.activeElement.name") == "issuer"
    link = page.locator(".portal-result-title a").first
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/notices/"))


def test_search_page_on_a_phone(browser, served_site):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    pg = context.new_page()
    pg.goto(served_site + "search/?q=整改")
    wait_results(pg)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable by Tab")


def test_elderly_mode_and_ledger_filters_by_keyboard_alone(page, served_site):
    page.goto(served_site + "ledger/")
    tab_to(page, "[data-care-toggle]")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-care", "on")
    tab_to(page, "[data-ledger-filters] select[name=status]")
    for _ in range(3):  # 全部 -> 已完成 -> 基本完成 -> 推进中
        page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"status=%E6%8E%A8%E8%BF%9B%E4%B8%AD"))
    tab_to(page, "[data-ledger-filters] input[name=overdue]")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"overdue=1"))
    tab_to(page, "[data-ledger] a")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/notices/"))
    expect(page.locator("html")).to_have_attribute("data-care", "on")


def test_type_is_chinese_dark_upright_and_keeps_dates_whole(page, served_site):
    """A system CJK face first (no web font), bold dark headings, no faux-italic Chinese, dates
    never broken inside themselves (issue 18, part 5)."""
    page.goto(served_site + "notices/jiaotongju-xuncha/")
    style = page.evaluate("""() => {
        const get = (sel) => getComputedStyle(document.querySelector(sel));
        return {font: get("body").fontFamily, weight: get("h1").fontWeight, color: get("h1").color,
                address: get("#feedback address").fontStyle, time: get(".portal-meta time").whiteSpace};
    }""")
    families = [f.strip().strip('"') for f in style["font"].split(",")]
    assert "PingFang SC" in families[:3] and "Noto Sans CJK SC" in families
    assert int(style["weight"]) >= 700
    red, green, blue = map(int, style["color"][4:-1].split(",")[:3])
    assert max(red, green, blue) <= 0x33  # near black, not Material's light grey
    assert style["address"] == "normal"
    assert style["time"] == "nowrap"
