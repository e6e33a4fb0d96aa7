"""What a person does in a browser, in a real headless Chromium (Debian's, via Playwright)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium phones home at start; this machine's closed network refuses it.
QUIET = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=QUIET, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, served_site: str) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    pg.external_requests = []  # type: ignore[attr-defined]
    pg.on(
        "request",
        lambda r: (
            urlsplit(r.url).hostname not in ("127.0.0.1", None)
            and pg.external_requests.append(r.url)
        ),
    )  # type: ignore[attr-defined]
    yield pg
    assert pg.external_requests == []  # type: ignore[attr-defined]
    context.close()


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
    expect(page.locator("[data-search-status]")).to_contain_text("找到", timeout=10_000)
    assert expected <= set(result_ids(page))
    assert page.locator("[data-search-results] mark").count() > 0


def test_search_says_when_nothing_matches(page, served_site):
    page.goto(served_site + "search/?q=zzqxv")
    expect(page.locator("[data-search-status]")).to_have_text(
        "没有找到与“zzqxv”相关的通报。", timeout=10_000
    )
    assert page.locator("[data-search-results] li").count() == 0


def test_header_search_box_leads_to_results(page, served_site):
    page.goto(served_site + "notices/nanxi-zhen-xuncha/")
    page.get_by_role("searchbox", name="搜索通报").fill("小作坊")
    page.keyboard.press("Enter")
    expect(page.locator("[data-search-status]")).to_contain_text("找到", timeout=10_000)
    assert "nanxi-zhen-xuncha" in result_ids(page)
    assert urlsplit(page.url).path.endswith("/search/")


def visible_rows(page: Page) -> int:
    return page.locator("table[data-ledger] tbody tr:visible").count()


def test_ledger_filters_by_status_issuer_year_and_overdue(page, served_site, example_portal):
    items = [(n, i) for n in example_portal.notices for i in n.items]
    page.goto(served_site + "ledger/")
    assert visible_rows(page) == len(items)
    page.get_by_label("状态").select_option("推进中")
    assert visible_rows(page) == sum(i.status == "推进中" for _, i in items)
    page.get_by_label("只看逾期").check()
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


def test_ledger_filters_come_from_a_shared_link(page, served_site, example_portal):
    overdue = sum(i.overdue for i in example_portal.items)
    page.goto(served_site + "ledger/?overdue=1")
    assert page.get_by_label("只看逾期").is_checked()
    assert visible_rows(page) == overdue > 0


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
