"""Search results people can read (issue 17, parts 4 and 5), in Chromium: a few items per
notice, help when nothing is found, traditional characters finding the simplified text."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from generator.search.variants import traditional_map
from tests.browsing import search_shown

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def notice_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        ".portal-result-title a",
        "links => links.map(a => a.pathname.split('/').filter(Boolean).pop())",
    )


def test_traditional_characters_find_the_simplified_text(page, served_site):
    assert traditional_map()["進"] == "进" and traditional_map()["處"] == "处"
    page.goto(served_site + "search/?q=整改进展")
    simplified = search_shown(page)
    found = sorted(notice_ids(page))
    assert simplified.startswith("找到") and found
    page.goto(served_site + "search/?q=整改進展")
    shown = search_shown(page)
    assert shown == "已按简体字“整改进展”搜索。" + simplified
    assert sorted(notice_ids(page)) == found
    assert page.locator("[data-search-results] mark").count() > 0
    expect(page.locator("[data-search-help]")).to_be_hidden()


def suggestions(page) -> dict[str, dict[str, list[str]]]:
    links = page.locator("[data-search-help] a")
    out = {}
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        out[links.nth(i).inner_text()] = parse_qs(urlsplit(href).query)
    return out


def test_nothing_found_offers_each_filter_dropped_and_a_shorter_query(page, served_site):
    page.goto(served_site + "search/?q=危化品&status=已完成&overdue=逾期")
    assert (
        search_shown(page) == "没有与“危化品”相关、同时符合“状态：已完成”和“逾期：逾期”的整改事项。"
    )
    offered = suggestions(page)
    assert offered["去掉筛选条件“状态：已完成”"] == {"q": ["危化品"], "overdue": ["逾期"]}
    assert offered["去掉筛选条件“逾期：逾期”"] == {"q": ["危化品"], "status": ["已完成"]}
    assert offered["去掉全部筛选条件"] == {"q": ["危化品"]}
    assert offered["用较短的关键词“危化”"] == {
        "q": ["危化"],
        "status": ["已完成"],
        "overdue": ["逾期"],
    }
    assert {"整改台账", "按年份"} <= set(offered)
    page.get_by_role("link", name="去掉筛选条件“逾期：逾期”").click()  # a suggestion that works
    page.wait_for_url(lambda url: "overdue" not in url)  # the new page, not the old one
    assert search_shown(page).startswith("找到")
    expect(page.locator("[data-search-help]")).to_be_hidden()
    assert page.get_by_label("状态").input_value() == "已完成"


def test_a_query_of_several_words_offers_each_word(page, served_site):
    page.goto(served_site + "search/?q=危化品 zzqxv")
    assert search_shown(page) == "没有找到与“危化品 zzqxv”相关的通报。"
    offered = suggestions(page)
    assert offered["只搜“危化品”"] == {"q": ["危化品"]}
    assert offered["只搜“zzqxv”"] == {"q": ["zzqxv"]}


def test_a_broad_query_shows_a_few_items_per_notice_and_the_rest_on_request(page, served_site):
    page.goto(served_site + "search/?q=整改")
    assert search_shown(page).startswith("找到")
    group = page.locator(".portal-result", has=page.locator(".portal-result-expand")).first
    items = group.locator(".portal-result-item")
    total = items.count()
    assert total > 3
    expect(group.locator(".portal-result-item:visible")).to_have_count(3)
    button = group.locator(".portal-result-expand")
    expect(button).to_have_text(f"还有 {total - 3} 项")
    expect(button).to_have_attribute("aria-expanded", "false")
    assert button.get_attribute("aria-controls") == group.locator("ul").get_attribute("id")
    button.click()
    expect(group.locator(".portal-result-item:visible")).to_have_count(total)
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(button).to_have_text("收起")
    button.click()
    expect(group.locator(".portal-result-item:visible")).to_have_count(3)
    page.set_viewport_size({"width": 375, "height": 800})
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44


def test_options_that_would_find_nothing_are_disabled_and_filters_reset(page, served_site):
    page.goto(served_site + "search/?q=小作坊&status=已完成")
    assert search_shown(page).startswith("找到")
    options = page.locator("[data-facets] select option:not([value=''])")
    seen = []
    for i in range(options.count()):
        o = options.nth(i)
        count = int(o.inner_text().rsplit("（", 1)[1].rstrip("）"))
        chosen = o.evaluate("o => o.selected")
        seen.append((o.get_attribute("value"), count, chosen, o.is_disabled()))
    assert any(c == 0 for _, c, _, _ in seen) and any(c > 0 for _, c, _, _ in seen)
    for value, count, chosen, disabled in seen:
        assert disabled == (count == 0 and not chosen), value
    reset = page.get_by_role("link", name="清除全部筛选条件")
    expect(reset).to_be_visible()
    assert parse_qs(urlsplit(reset.get_attribute("href") or "").query) == {"q": ["小作坊"]}
    reset.click()
    page.wait_for_url(lambda url: "status" not in url)
    assert search_shown(page).startswith("找到")
    expect(page.get_by_label("状态")).to_have_value("")
    expect(page.get_by_role("link", name="清除全部筛选条件")).to_be_hidden()


def _options(page, name: str) -> dict[str, tuple[str, bool]]:
    """Each option of a filter: its text and whether it can be chosen."""
    return {
        o.get_attribute("value"): (o.text_content(), o.is_disabled())
        for o in page.locator(f"select[name={name}] option").all()
        if o.get_attribute("value")
    }


def _lateness(item) -> str:
    return "逾期" if item.overdue else "逾期未报" if item.unreported else "未逾期"


def test_status_and_lateness_filters_count_and_choose_items(page, served_site, example_portal):
    """Part 3: the status and overdue facets count items (not notices), each counted with the
    other one chosen; a combination no item meets says so; notices and items both counted."""
    items = [(n, i) for n in example_portal.notices for i in n.items]
    page.goto(served_site + "search/?status=推进中")
    ongoing = [(n, i) for n, i in items if i.status == "推进中"]
    notices = {n.id for n, _ in ongoing}
    assert search_shown(page) == (
        f"找到 {len(notices)} 份符合条件的通报，其中符合条件的整改事项 {len(ongoing)} 个。"
    )
    statuses = _options(page, "status")
    for status in ("已完成", "推进中", "长期坚持"):
        n = sum(i.status == status for _, i in items)
        assert statuses[status] == (f"{status}（{n}）", n == 0)
    lateness = _options(page, "overdue")
    for value in ("逾期", "逾期未报", "未逾期"):  # among the 推进中 items
        n = sum(_lateness(i) == value for _, i in ongoing)
        assert lateness[value] == (f"{value}（{n}）", n == 0)
    assert sum(int(text.split("（")[1][:-1]) for text, _ in lateness.values()) == len(ongoing)
    assert page.get_by_text("状态（按事项计）").count() == 1

    page.goto(served_site + "search/?status=已完成&overdue=逾期")
    assert not [i for _, i in items if i.status == "已完成" and i.overdue]
    assert search_shown(page) == "没有同时符合“状态：已完成”和“逾期：逾期”的整改事项。"
    assert page.locator(".portal-result").count() == 0
    assert _options(page, "overdue")["逾期"] == ("逾期（0）", False)  # chosen: it can be undone

    page.goto(served_site + "search/?q=整改")
    total = {n.id: len(n.items) for n in example_portal.notices}
    shown = search_shown(page)
    found = int(shown.split(" ")[1])
    assert found == len(example_portal.notices)  # every notice says 整改
    assert shown == (
        f"找到 {found} 份与“整改”相关的通报（共 {sum(total.values())} 个整改事项）。第 1 页，共 2 页。"
    )


def test_excerpts_read_like_the_notice(page, served_site, example_site):
    """Part 4: an excerpt is a stretch of the notice's own text, punctuation kept and the
    page's labels (整改状态, 整改时限, 对此项整改提意见 …) left out."""
    from tests.test_search_recall import ground_truth

    truth = ground_truth(example_site)
    texts = [" ".join(t.split()) for t in [*truth.notices.values(), *truth.items.values()]]
    page.goto(served_site + "search/?q=隐患&sort=relevance")
    assert search_shown(page).startswith("找到")
    excerpts = [e.strip("…") for e in page.locator(".portal-result-excerpt").all_text_contents()]
    assert len(excerpts) >= 5
    assert any(mark in e for e in excerpts for mark in "，。；、")
    for label in ("整改状态", "整改时限", "对此项整改提意见", "责任单位：", "状态截至"):
        assert not any(label in e for e in excerpts), label
    squeeze = lambda t: re.sub(r"\s+", "", t)  # noqa: E731
    whole = [squeeze(t) for t in texts]
    for e in excerpts:  # each stretch between "…" (where an item's text was left out)
        for stretch in filter(None, e.split("…")):
            assert any(squeeze(stretch) in t for t in whole), stretch
    # an item's excerpt stays within that item: a stretch of its own section's text
    sections = {url: squeeze(t) for url, t in truth.items.items()}
    rows = page.locator(".portal-result-item").all()
    assert sum(row.locator(".portal-result-excerpt").count() for row in rows) >= 5
    for row in rows:
        url = row.locator("a").first.get_attribute("href").removeprefix(served_site)
        for text in row.locator(".portal-result-excerpt").all_text_contents():
            for stretch in filter(None, text.split("…")):
                assert squeeze(stretch) in sections[url], (url, stretch)


@pytest.mark.parametrize("sort", ["date", "relevance"])
def test_results_come_in_numbered_pages_that_live_in_the_url(
    page, served_site, example_portal, sort
):
    """Part 4: ten notices a page, numbered links (上一页/下一页, the current one marked), the
    page in the URL; together the pages hold every notice found, each once; back works."""
    order = "" if sort == "date" else "&sort=relevance"
    page.goto(served_site + "search/?q=整改" + order)
    total = len(example_portal.notices)  # every notice says 整改
    assert search_shown(page).endswith("第 1 页，共 2 页。")
    first = notice_ids(page)
    assert len(first) == 10
    pager = page.locator("[data-search-pages]")
    assert pager.locator("a").all_text_contents() == ["1", "2", "下一页"]
    assert pager.locator("[aria-current=page]").all_text_contents() == ["1"]
    runs = int(page.locator("[data-search-results]").get_attribute("data-search-runs"))
    pager.get_by_text("下一页").click()
    expect(page.locator(f"[data-search-results][data-search-runs='{runs + 1}']")).to_have_count(1)
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    assert search_shown(page).endswith("第 2 页，共 2 页。")
    second = notice_ids(page)
    assert len(second) == total - 10 and not set(first) & set(second)
    assert sorted(first + second) == sorted(n.id for n in example_portal.notices)
    assert pager.locator("a").all_text_contents() == ["上一页", "1", "2"]
    assert page.evaluate("document.activeElement.hasAttribute('data-search-status')")
    page.go_back()
    expect(page.locator(f"[data-search-results][data-search-runs='{runs + 2}']")).to_have_count(1)
    assert notice_ids(page) == first


def test_a_page_past_the_last_one_says_so(page, served_site):
    page.goto(served_site + "search/?q=整改&page=9")
    assert search_shown(page).startswith("共 12 份与“整改”相关的通报，没有第 9 页。")
    assert page.locator("[data-search-pages] a").first.text_content() == "1"
