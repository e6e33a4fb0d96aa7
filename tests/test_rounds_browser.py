"""Rounds, the per-problem ledger and the charts, in a real browser (issue 16)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from generator.content.model import Portal

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def visible_rows(page: Page) -> int:
    return page.locator("table[data-ledger] tbody tr:visible").count()


def column(page: Page, label: str) -> list[str]:
    """The data-sort values (or texts) of a column, in the order the rows show now."""
    return page.eval_on_selector_all(
        f"table[data-ledger] tbody tr td[data-label='{label}']",
        "cells => cells.map(c => c.hasAttribute('data-sort') ? c.dataset.sort : c.textContent.trim())",
    )


def test_the_ledger_sorts_by_a_column_both_ways_empty_cells_last(page, served_site):
    page.goto(served_site + "ledger/")
    header = page.locator("table[data-ledger] thead th", has_text="整改时限")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    up = column(page, "整改时限")
    dated = [d for d in up if d]
    assert dated == sorted(dated) and len(dated) > 10
    assert up == dated + [""] * (len(up) - len(dated))  # undated (长期坚持) last
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    down = column(page, "整改时限")
    assert [d for d in down if d] == sorted(dated, reverse=True)
    assert down[len(dated) :] == [""] * (len(up) - len(dated))


def test_the_ledger_filters_by_round_from_a_shared_link(page, served_site, example_portal: Portal):
    (linjiang,) = [r for r in example_portal.rounds if r.id == "linjiang-xianwei-xunshi"]
    page.goto(served_site + "ledger/")
    page.get_by_label("轮次").select_option(linjiang.id)
    expect(page).to_have_url(re.compile(r"round=linjiang-xianwei-xunshi"))
    assert visible_rows(page) == len(linjiang.problems) == 10
    page.get_by_label("只看逾期", exact=True).check()
    overdue = sum(p.latest.overdue for p in linjiang.problems)
    assert visible_rows(page) == overdue == 1
    shared = page.url
    page.goto(shared)
    assert page.get_by_label("轮次").input_value() == linjiang.id
    assert visible_rows(page) == overdue
    page.get_by_role("button", name="清除筛选").click()
    total = len(example_portal.problems)
    expect(page.locator("[data-ledger-count]")).to_have_text(f"显示 {total} / {total} 项")
    assert visible_rows(page) == total


def test_the_chart_has_its_numbers_as_a_table_and_a_summary(
    page, served_site, example_portal: Portal
):
    (jiaotong,) = [r for r in example_portal.rounds if r.id == "jiaotongju-xuncha"]
    page.goto(served_site + f"rounds/{jiaotong.id}/")
    chart = page.locator("figure.portal-chart")
    expect(chart.locator("svg")).to_have_attribute("aria-hidden", "true")
    rows = chart.get_by_role("table").locator("tbody tr")
    assert rows.count() == len(jiaotong.timeline) == 2
    cells = [rows.nth(k).locator("th, td").all_text_contents() for k in range(rows.count())]
    assert cells == [
        [f"{p.day.year}年{p.day.month}月{p.day.day}日", str(p.total), str(p.done), f"{p.percent}%"]
        for p in jiaotong.timeline
    ]
    first, last = jiaotong.timeline
    assert (first.total, first.done, last.done) == (6, 1, 2)
    summary = chart.locator(".portal-chart__summary").inner_text()
    assert (
        summary
        == f"完成率从 2024年11月18日 的 {first.percent}%（1/6）变为 2025年6月20日 的 {last.percent}%（2/6）。"
    )
    # The round's problems table sorts too; a problem's link leads to its timeline.
    page.locator("table[data-sortable] a[href='#jiaotongju-xuncha-4']").click()
    timeline = page.locator("#jiaotongju-xuncha-4 ol.portal-timeline > li")
    assert timeline.count() == 2
    expect(page.locator("#jiaotongju-xuncha-4")).to_contain_text("原定 2025年3月31日")


def test_an_earlier_notice_links_to_the_later_report(page, served_site):
    page.goto(served_site + "notices/linjiang-xianwei-xunshi/")
    status = (
        page.locator("#item-1 + .portal-item-status, .portal-item-status")
        .filter(has=page.locator("[data-feedback-item='1'], a[href$='#linjiang-xianwei-xunshi-1']"))
        .first
    )
    expect(status).to_contain_text("后续通报")
    status.get_by_role("link", name=re.compile("本问题整改全过程")).click()
    expect(page).to_have_url(
        re.compile(r"/rounds/linjiang-xianwei-xunshi/#linjiang-xianwei-xunshi-1$")
    )
