"""WCAG 2.1 A/AA with axe-core in Chromium on every page type at 1280 and 375 px (issue 7, in part)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["", "notices/jiaotongju-xuncha/", "notices/gongxinju-weihuapin-xuncha/", "ledger/",
         "issuers/", "years/2022/", "rounds/", "rounds/linjiang-xianwei-xunshi/", "search/?q=举报", "search/?status=推进中", "data/", "format/", "404.html"]  # fmt: skip
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
"""WCAG 2.1 A/AA and 2.2 AA: the last adds target-size (2.5.8, 24x24 px or spaced)."""


@pytest.mark.parametrize("width", [1280, 375])
def test_no_wcag_violations(browser: Browser, served_site, width):
    axe = Axe()
    # axe is injected through the DevTools protocol; the page's own policy stays in force for the
    # page itself (test_security.py proves it has no violations).
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    found = {}
    for url in PAGES:
        page = context.new_page()
        page.goto(served_site + url)
        page.wait_for_load_state("networkidle")
        violations = axe.run(page, options=RULES).response["violations"]
        if violations:
            found[url] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
        page.close()
    context.close()
    assert found == {}


def test_feedback_form_with_errors_has_no_violations(browser: Browser, served_site):
    axe = Axe()
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(served_site + "notices/jiaotongju-xuncha/")
    page.get_by_role("button", name="提交", exact=True).click()  # empty: refused, announced
    expect(page.locator("#fb-error-comment")).to_be_visible()
    page.get_by_role("radio", name="来信（打印后寄出）").check()  # the letter channel's controls
    violations = axe.run(page, options=RULES).response["violations"]
    context.close()
    assert [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations] == []


@pytest.mark.parametrize("width", [1280, 375])
def test_elderly_friendly_mode(browser: Browser, served_site, width):
    """适老化: larger text, line spacing of at least 1.3, remembered across pages, no breakage."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.goto(served_site + "notices/jiaotongju-xuncha/")
    size = "parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)"
    standard = page.evaluate(size)
    toggle = page.get_by_role("button", name="长辈模式")
    toggle.click()
    assert page.get_by_role("button", name="标准模式").get_attribute("aria-pressed") == "true"
    for url in ("ledger/", "search/?q=整改", "notices/nanxi-zhen-xuncha/"):
        page.goto(served_site + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.dataset.care") == "on", url
        larger = page.evaluate(size)
        spacing = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).lineHeight)"
        )
        assert larger >= 1.3 * standard and spacing >= 1.3 * larger, url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
        for control in ("[data-care-toggle]", ".portal-header-search button"):
            hit = page.evaluate(
                f"""(() => {{ const el = document.querySelector('{control}'); const r = el.getBoundingClientRect();
                     return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }})()"""
            )
            assert hit, f"{control} is covered on {url}"
        violations = Axe().run(page, options=RULES).response["violations"]
        assert [v["id"] for v in violations] == [], url
    page.get_by_role("button", name="标准模式").click()
    page.reload()
    assert page.evaluate("document.documentElement.dataset.care") is None
    context.close()
