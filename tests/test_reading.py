"""Reading the public site as citizens do: print, text size, phones (issue 18), in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.content.model import Portal

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OPEN = "notices/jiaotongju-xuncha/"
PLAIN = (
    "<style>@page { size: A4; margin: 25mm 20mm; }"
    " body { margin: 0; font: 11pt/1.6 sans-serif; white-space: pre-wrap; }</style><body></body>"
)
"""The same text as plain lines on A4: what the print stylesheet must not exceed."""


def pdf_pages(page: Page) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))


def test_print_this_page_opens_the_print_dialog(page, served_site):
    page.add_init_script(
        "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"
    )
    page.goto(served_site + OPEN)
    page.get_by_role("button", name="打印本页").click()
    assert page.evaluate("window.__printed") == 1


def test_a_notice_prints_as_text_with_its_address(page, served_site, example_portal: Portal):
    """The notice, its items and its channels as text; no forms, navigation or controls; the
    page's address; and no more A4 pages than the same text set as plain lines."""
    page.goto(served_site + OPEN)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", "#feedback form",
                   "[data-tools]", ".portal-feedback-link"):  # fmt: skip
        for i in range(page.locator(hidden).count()):
            expect(page.locator(hidden).nth(i)).to_be_hidden()
    expect(page.locator(".portal-print-only")).to_have_text(
        "本页地址：https://portal.example.org/notices/jiaotongju-xuncha/"
    )
    expect(page.locator("#feedback a[href='tel:0553-3112345']")).to_be_visible()
    expect(page.locator("#feedback address")).to_be_visible()
    expect(page.locator("table.portal-items")).to_be_visible()
    assert (
        page.locator("button:visible, input:visible, select:visible, textarea:visible").count() == 0
    )
    for notice in example_portal.notices:
        page.goto(served_site + f"notices/{notice.id}/")
        page.emulate_media(media="print")
        printed = pdf_pages(page)
        text = page.evaluate("document.body.innerText")
        assert notice.title in text
        plain = page.context.new_page()
        plain.set_content(PLAIN)
        plain.evaluate("t => { document.body.textContent = t; }", text)
        assert printed <= pdf_pages(plain), notice.id
        plain.close()


def test_text_size_is_chosen_and_remembered(page, served_site):
    page.goto(served_site + OPEN)
    size = "parseFloat(getComputedStyle(document.querySelector('.portal-body p')).fontSize)"
    standard = page.evaluate(size)
    group = page.get_by_role("group", name="字号")
    expect(group.get_by_role("button", name="中")).to_have_attribute("aria-pressed", "true")
    group.get_by_role("button", name="大").click()
    expect(page.locator("html")).to_have_attribute("data-size", "large")
    expect(group.get_by_role("button", name="大")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(size) == pytest.approx(standard * 1.25, rel=0.02)
    page.goto(served_site + "ledger/")  # remembered, applied before the first paint
    assert page.evaluate("document.documentElement.dataset.size") == "large"
    page.goto(served_site + OPEN)
    page.get_by_role("group", name="字号").get_by_role("button", name="小").click()
    expect(page.locator("html")).to_have_attribute("data-size", "small")
    assert page.evaluate(size) < standard
    page.get_by_role("group", name="字号").get_by_role("button", name="中").click()
    expect(page.locator("html")).not_to_have_attribute("data-size", re.compile("."))
    assert page.evaluate(size) == pytest.approx(standard)


def test_the_tools_need_javascript_and_hide_without_it(browser: Browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(served_site + OPEN)
    expect(pg.locator("h1")).to_be_visible()
    expect(pg.locator("[data-tools]")).to_be_hidden()
    context.close()


PHONE_PAGES = ["", OPEN, "notices/gongxinju-weihuapin-xuncha/", "ledger/", "search/?q=整改",
               "rounds/", "rounds/linjiang-xianwei-xunshi/", "issuers/", "years/2024/", "data/"]  # fmt: skip
SMALL_TARGETS = """() => {
  const small = [];
  const controls = "button, select, textarea, summary, label.md-header__button, .md-header a, "
    + "input:not([type=hidden]):not([type=radio]):not([type=checkbox]), "
    + "label:has(> input[type=radio]), label:has(> input[type=checkbox]), .md-nav--primary a";
  for (const el of document.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || el.closest("[aria-hidden=true]")) continue;  // not shown
    if (r.width < 44 || r.height < 44)
      small.push(`${el.tagName} ${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 10)} ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return small;
}"""
CLIPPED = """() => {
  const cut = [];
  for (const el of document.querySelectorAll("body *")) {
    const s = getComputedStyle(el);
    if (el.closest(".portal-visually-hidden, .portal-hp, thead") || el.clientWidth <= 1) continue;
    const x = ["auto", "scroll", "hidden", "clip"].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const y = ["hidden", "clip"].includes(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (x || y) cut.push(`${el.tagName}.${el.className} ${el.clientWidth}/${el.scrollWidth}`);
  }
  return cut;
}"""


@pytest.mark.parametrize("width", [375, 320])
def test_phones_every_control_44px_nothing_clipped(browser: Browser, served_site, width):
    """Every control at least 44x44 px, the drawer's links included; no page wider than the
    screen and nothing cut off inside it, down to 320 px."""
    context = browser.new_context(viewport={"width": width, "height": 700}, locale="zh-CN")
    small, clipped = {}, {}
    for url in PHONE_PAGES:
        pg = context.new_page()
        pg.goto(served_site + url)
        pg.wait_for_load_state("networkidle")
        assert pg.evaluate("document.documentElement.scrollWidth") <= width, url
        if found := pg.evaluate(CLIPPED):
            clipped[url] = found
        pg.locator("header label[for='__drawer']").click()
        expect(pg.locator(".md-nav--primary a").first).to_be_in_viewport()
        if found := pg.evaluate(SMALL_TARGETS):
            small[url] = found
        pg.close()
    context.close()
    assert small == {} and clipped == {}


def first_on_screen(page: Page, url: str, first: str) -> float:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expect(page.locator(first).first).to_be_visible()
    box = page.locator(first).first.bounding_box()
    assert box is not None
    return box["y"]


@pytest.mark.parametrize("care", [False, True])
def test_phones_filters_fold_behind_one_button(browser: Browser, served_site, care):
    """On a phone (375x667) the filters sit behind one button and the first result is on the
    first screen, in 长辈模式 too; a filter chosen in the address keeps them open; wide
    screens show them with no button."""
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN")
    if care:
        context.add_init_script("localStorage.setItem('portal-care', 'on')")
    page = context.new_page()
    y = first_on_screen(page, served_site + "search/?q=整改", ".portal-search-results > li")
    assert y < 667
    fold = page.locator("details[data-fold]")
    expect(fold).not_to_have_attribute("open", "")
    expect(page.get_by_label("排序")).to_be_hidden()
    fold.locator("summary").click()
    expect(page.get_by_label("排序")).to_be_visible()
    if not care:  # the ledger's sort buttons and its explanations fill a phone in 长辈模式
        assert first_on_screen(page, served_site + "ledger/", "table[data-ledger] tbody tr") < 667
        expect(page.get_by_label("状态")).to_be_hidden()
    page.goto(served_site + "ledger/?status=推进中")
    expect(page.get_by_label("状态")).to_be_visible()
    expect(page.get_by_label("状态")).to_have_value("推进中")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served_site + "ledger/")
    expect(page.get_by_label("状态")).to_be_visible()
    expect(page.locator("details[data-fold] > summary")).to_be_hidden()
    context.close()


def test_a_citizen_sees_who_runs_the_site_and_where_a_notice_came_from(page, served_site):
    """Site identity at the foot, the notice's 文号 and 原文链接 in its header, titles whole
    where they must be, and the editors' pages out of the public menu (a real browser)."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(served_site + OPEN)
    meta = page.locator(".portal-meta")
    expect(meta.locator("dt", has_text="文号")).to_be_visible()
    expect(meta.locator("dd", has_text="江交党〔2024〕21号")).to_be_visible()
    expect(meta.get_by_role("link", name="原文链接")).to_have_attribute(
        "href", re.compile("^https?://")
    )
    foot = page.locator("footer .portal-footer")
    foot.scroll_into_view_if_needed()
    expect(foot).to_contain_text("主办单位：中共江滨市委巡察工作领导小组办公室")
    expect(foot.get_by_role("link", name=re.compile("ICP备"))).to_be_visible()
    expect(foot.get_by_role("link", name=re.compile("公网安备"))).to_be_visible()
    page.goto(served_site)
    tail = page.locator("h1 .portal-nobr")
    expect(tail).to_have_text("（示例）")
    assert tail.evaluate("el => el.getClientRects().length") == 1  # not broken as （示 / 例）
    page.locator("header label[for='__drawer']").click()
    menu = page.locator(".md-nav--primary")
    expect(menu.get_by_role("link", name="开放数据")).to_be_visible()
    assert menu.get_by_role("link", name=re.compile("格式")).count() == 0
