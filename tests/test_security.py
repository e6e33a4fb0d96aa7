"""Content-Security-Policy and zero external requests on every page type (issue 7, in part)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

from tests.browsing import search_shown

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    ("", "home"),
    ("notices/jiaotongju-xuncha/", "feedback"),
    ("ledger/", "ledger"),
    ("issuers/", None),
    ("years/", None),
    ("years/2022/", None),
    ("search/?q=举报", "search"),
    ("data/", None),
    ("format/", None),
    ("404.html", None),
]


def test_every_page_carries_a_strict_policy_first_in_head(example_site):
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        first = head.find(True)
        assert first.name == "meta" and first.get("http-equiv") == "Content-Security-Policy", page
        directives = dict(d.strip().split(" ", 1) for d in first["content"].split(";"))
        assert directives["default-src"] == "'self'"
        script = directives["script-src"].split()
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
        assert "'wasm-unsafe-eval'" in script
        assert all(
            s in ("'self'", "'wasm-unsafe-eval'") or s.startswith("'sha256-") for s in script
        )
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"


def exercise(page: Page, what: str | None) -> None:
    if what == "home":
        page.get_by_role("button", name="长辈模式").click()
        expect(page.locator("html")).to_have_attribute("data-care", "on")
        page.mouse.wheel(0, 3000)
        if page.viewport_size["width"] < 600:
            page.locator("header label[for='__drawer']").click()
            expect(page.locator("#__drawer")).to_be_checked()
    elif what == "feedback":
        page.locator("a[data-feedback-item='1']").click()
        page.locator("#fb-comment").fill("测试意见")
        page.get_by_role("radio", name=re.compile("^电子邮件")).check()
        page.get_by_role("button", name="复制意见文本").click()
        expect(page.locator("[data-feedback-status]")).to_contain_text("已复制")
    elif what == "ledger":
        if page.viewport_size["width"] < 600:  # filters fold behind one button on phones
            page.locator("details[data-fold] > summary").click()
        page.get_by_label("状态").select_option("推进中")
        expect(page.locator("[data-ledger-count]")).to_contain_text("显示")
    elif what == "search":
        assert search_shown(page).startswith("找到")


@pytest.mark.parametrize("width", [1280, 375])
def test_no_violation_and_no_external_request_on_any_page(browser: Browser, served_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    external: list[str] = []
    errors: list[str] = []
    context.on(
        "request", lambda r: urlsplit(r.url).hostname != "127.0.0.1" and external.append(r.url)
    )
    for url, what in PAGES:
        page = context.new_page()
        page.on(
            "console", lambda m, url=url: m.type == "error" and errors.append(f"{url}: {m.text}")
        )
        page.goto(served_site + url)
        exercise(page, what)
        page.wait_for_load_state("networkidle")  # every request the exercise caused has ended
        assert page.evaluate("window.__csp") == [], url
        page.close()
    context.close()
    assert external == []
    assert errors == []
