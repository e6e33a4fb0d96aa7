"""Feedback channels as forms, in headless Chromium (issue 4)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OPEN = "notices/jiaotongju-xuncha/"
"""Channels open until 2027-01-31: phone, postal, e-mail and a web endpoint."""
CLOSED = "notices/gongxinju-weihuapin-xuncha/"
TITLE = "市交通运输局党组关于市委巡察整改进展情况的通报"
COMMENT = "希望公开处罚结果 & 整改进度？\n另：监控平台何时全市接入"


@pytest.fixture
def no_print(page: Page) -> Page:
    """The print dialog replaced by a flag (headless Chromium has no printer)."""
    page.add_init_script("window.print = () => { window.__printed = true; };")
    return page


def by(page: Page, channel: str) -> Page:
    """The form's channel chosen as a person does: the radio button of that name."""
    page.get_by_role("radio", name=re.compile("^" + channel)).check()
    return page


def mailto_parts(href: str) -> tuple[str, str, str]:
    parts = urlsplit(href)
    query = parse_qs(parts.query, keep_blank_values=True)
    return unquote(parts.path), query["subject"][0], query["body"][0]


def test_item_form_composes_the_exact_mailto(page, served_site, example_portal):
    notice = next(n for n in example_portal.notices if n.id == "jiaotongju-xuncha")
    page.goto(served_site + OPEN)
    by(page, "电子邮件")
    page.locator("a[data-feedback-item='2']").click()
    assert page.locator("#fb-item").input_value() == "2"
    expect(page.locator("#fb-comment")).to_be_focused()
    page.locator("#fb-comment").fill(COMMENT)
    page.get_by_label("姓名（选填）").fill("张三")
    page.get_by_label("联系方式（选填，电话或邮箱）").fill("13800000000")
    page.get_by_role("button", name="用电子邮件发送").click()
    link = page.locator("[data-mailto]")
    expect(link).to_be_visible()
    recipient, subject, body = mailto_parts(link.get_attribute("href") or "")
    assert recipient == "jtj-zhenggai@example.org"
    assert subject == f"对《{TITLE}》第2项的意见建议"
    assert body == "\r\n".join([
        f"通报：{TITLE}",
        "链接：https://portal.example.org/notices/jiaotongju-xuncha/#item-2",
        f"涉及事项：第2项 {notice.items[1].problem}",
        "",
        "意见建议：",
        COMMENT,
        "",
        "姓名：张三",
        "联系方式：13800000000",
    ])  # fmt: skip
    assert "%E5%B8%8C%E6%9C%9B" in (link.get_attribute("href") or "")  # UTF-8 percent-encoded


def test_empty_comment_is_refused_and_announced(page, served_site):
    page.goto(served_site + OPEN)
    by(page, "电子邮件")
    page.get_by_role("button", name="用电子邮件发送").click()
    error = page.locator("#fb-error-comment")
    expect(error).to_have_text("请填写意见建议。")
    assert page.locator("#fb-comment").get_attribute("aria-invalid") == "true"
    assert "fb-error-comment" in (
        page.locator("#fb-comment").get_attribute("aria-describedby") or ""
    )
    expect(page.locator("#fb-comment")).to_be_focused()
    expect(page.locator("[data-mailto-fallback]")).to_be_hidden()


def test_postal_letter_has_the_address_block_and_the_comment(no_print, served_site):
    page = no_print
    page.goto(served_site + OPEN)
    page.get_by_label("涉及事项").select_option("3")
    page.locator("#fb-comment").fill(COMMENT)
    by(page, "来信")
    page.get_by_role("button", name="打印信件").click()
    letter = page.locator("[data-letter]")
    expect(letter).to_be_visible()
    assert page.evaluate("window.__printed") is True
    to = letter.locator(".portal-letter-to").inner_text()
    assert "241000" in to and "江滨市交通大厦12楼" in to and "市交通运输局巡察整改办（收）" in to
    assert letter.locator("[data-letter-comment]").inner_text() == COMMENT
    assert letter.locator("[data-letter-item]").inner_text().startswith("涉及事项：第3项 ")
    assert TITLE in letter.inner_text()
    page.emulate_media(media="print")
    printed = page.locator(".portal-letter-print")
    expect(printed).to_be_visible()
    assert printed.locator("[data-letter-comment]").inner_text() == COMMENT
    # The printout is the letter alone, from the top of page one (not blank pages first).
    assert page.evaluate("document.querySelector('.portal-letter-print').offsetTop") < 20
    expect(page.locator("h1").first).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_keyboard_only(page, served_site):
    page.goto(served_site + OPEN)
    page.get_by_role("radio", name="在线提交").focus()
    page.keyboard.press("ArrowDown")  # a radio group moves with the arrow keys
    expect(page.get_by_role("radio", name=re.compile("^电子邮件"))).to_be_checked()
    page.locator("a[data-feedback-item='1']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#fb-comment")).to_be_focused()
    page.keyboard.type("键盘填写的意见")
    page.keyboard.press("Tab")
    expect(page.locator("#fb-name")).to_be_focused()
    page.keyboard.type("李四")
    page.keyboard.press("Tab")
    expect(page.locator("#fb-contact")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="用电子邮件发送")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-mailto]")).to_be_visible()
    _, subject, body = mailto_parts(page.locator("[data-mailto]").get_attribute("href") or "")
    assert subject.endswith("第1项的意见建议") and "键盘填写的意见" in body and "姓名：李四" in body


def test_after_its_channels_close_a_notice_offers_the_standing_ones(
    page, served_site, example_portal
):
    """Feedback always reaches someone: the closing date said plainly, then the portal's
    standing channels (portal.yml) with their form, the item link preselecting the item."""
    notice = next(n for n in example_portal.notices if n.id == "gongxinju-weihuapin-xuncha")
    assert notice.contacts.closed and notice.standing.any
    page.goto(served_site + CLOSED)
    panel = page.locator("#feedback")
    expect(panel.locator(".portal-closed")).to_have_text(
        "本通报的意见征集已于 2021年3月10日 截止。对整改落实情况仍有意见建议的，请通过以下常设渠道反映："
    )
    expect(panel.locator("a[href='tel:0553-3110000']")).to_be_visible()
    assert panel.locator("[data-feedback-form]").get_attribute("data-emails") == "xcb@example.org"
    page.locator("a[data-feedback-item='3']").click()
    assert page.locator("#fb-item").input_value() == "3"
    by(page, "电子邮件")
    page.locator("#fb-comment").fill("请说明后续进展。")
    page.get_by_role("button", name="用电子邮件发送").click()
    assert (page.locator("[data-mailto]").get_attribute("href") or "").startswith(
        "mailto:xcb@example.org?"
    )


def test_national_reporting_lines_are_on_every_notice(page, served_site):
    for url in (OPEN, CLOSED):
        page.goto(served_site + url)
        expect(page.locator("#feedback .portal-national a[href='tel:12388']")).to_have_text("12388")


def test_phone_and_address_work_without_javascript(browser: Browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(served_site + OPEN)
    assert pg.locator("#feedback a[href='tel:0553-3112345']").inner_text() == "0553-3112345"
    expect(pg.locator("#feedback address")).to_contain_text("江滨市交通大厦12楼")
    expect(pg.locator("#feedback a[href='mailto:jtj-zhenggai@example.org']")).to_be_visible()
    # Composing mail needs JavaScript; the web channel is a plain POST and works without it.
    expect(pg.locator("[data-feedback-form]")).to_be_visible()
    expect(pg.locator("[data-channel-choice]")).to_be_hidden()
    expect(pg.locator("[data-feedback-form] [data-send]")).to_have_text("提交")
    context.close()


@pytest.fixture
def web_page(browser: Browser, served_site: str) -> Iterator[tuple[Page, list[dict[str, str]]]]:
    """A page whose web form posts to a stand-in for the unit's endpoint (nothing leaves)."""
    context = browser.new_context()
    posted: list[dict[str, str]] = []

    def endpoint(route) -> None:  # type: ignore[no-untyped-def]
        fields = parse_qs(route.request.post_data or "")
        posted.append({k: v[0] for k, v in fields.items()})
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body="<p>已收到</p>")

    context.route("https://jtj.example.org/**", endpoint)
    pg = context.new_page()
    pg.goto(served_site + OPEN)
    yield pg, posted
    context.close()


def test_web_form_honeypot_is_hidden_from_people_and_screen_readers(web_page):
    page, _ = web_page
    trap = page.locator("[data-feedback-form] input[name=website]")
    assert trap.get_attribute("tabindex") == "-1"
    assert page.locator("[data-feedback-form] .portal-hp").get_attribute("aria-hidden") == "true"
    box = trap.bounding_box()
    assert box is None or box["x"] + box["width"] < 0
    labels = page.locator(
        "[data-feedback-form] textarea, [data-feedback-form] select, "
        "[data-feedback-form] input:not([type=hidden]):not([name=website])"
    )
    assert labels.count() == 7  # three channels, item, comment, name, contact
    for i in range(labels.count()):
        assert labels.nth(i).evaluate("el => el.labels.length") == 1


def test_web_form_refuses_too_fast_and_empty_then_posts(web_page):
    page, posted = web_page
    form = page.locator("[data-feedback-form]")
    expect(form.get_by_role("radio", name="在线提交")).to_be_checked()  # the default channel
    form.get_by_role("button", name="提交").click()
    expect(form.locator("#fb-error-comment")).to_have_text("请填写意见建议。")
    form.locator("#fb-comment").fill("网上提交的意见")
    form.get_by_role("button", name="提交").click()
    status = form.locator("[data-feedback-status]")
    assert status.get_attribute("role") == "status"
    expect(status).to_have_text("提交过快，请稍候几秒再提交。")
    assert posted == []
    # the minimum fill time (feedback.js, MIN_FILL_MS) passes on the page's own clock
    page.clock.install()
    page.clock.fast_forward(3_100)
    form.get_by_role("button", name="提交").click()
    expect(page.locator("body")).to_contain_text("已收到")
    assert posted[-1]["comment"] == "网上提交的意见" and posted[-1]["notice"] == "jiaotongju-xuncha"
    assert posted[-1]["channel"] == "web" and posted[-1].get("website", "") == ""


def test_a_comment_too_long_for_a_mail_link_is_not_reported_as_sent(page, served_site):
    """Past the bound mail programs accept, the form says so and offers copy and print."""
    page.goto(served_site + OPEN)
    by(page, "电子邮件")
    page.locator("#fb-comment").fill("希望加快推进整改工作，" * 60)  # 660 characters
    page.get_by_role("button", name="用电子邮件发送").click()
    status = page.locator("[data-feedback-status]")
    expect(status).to_contain_text("意见较长")
    assert "已生成邮件" not in (status.text_content() or "")
    expect(status).to_contain_text("jtj-zhenggai@example.org")
    expect(page.locator("[data-mailto-fallback]")).to_be_hidden()


def test_the_recipient_is_written_plainly(page, served_site):
    page.goto(served_site + OPEN)
    by(page, "电子邮件")
    page.locator("#fb-comment").fill("请公开整改台账。")
    page.get_by_role("button", name="用电子邮件发送").click()
    href = page.locator("[data-mailto]").get_attribute("href") or ""
    assert href.startswith("mailto:jtj-zhenggai@example.org?subject=")


def test_one_form_with_the_channel_chosen_in_it(page, served_site):
    """One form for every channel the notice has; the button and the note follow the choice."""
    page.goto(served_site + OPEN)
    panel = page.locator("#feedback")
    assert panel.locator("form").count() == 1
    choice = panel.get_by_role("group", name="提交方式")
    expect(choice).to_be_visible()
    names = [choice.get_by_role("radio").nth(i).evaluate("r => r.labels[0].textContent.trim()")
             for i in range(choice.get_by_role("radio").count())]  # fmt: skip
    assert names == ["在线提交", "电子邮件（jtj-zhenggai@example.org）", "来信（打印后寄出）"]
    send = panel.locator("[data-send]")
    copy = panel.get_by_role("button", name="复制意见文本")
    for channel, label in (
        ("电子邮件", "用电子邮件发送"),
        ("来信", "打印信件"),
        ("在线提交", "提交"),
    ):
        by(page, channel)
        expect(send).to_have_text(label)
        expect(panel.locator("[data-channel-note]:visible")).to_have_count(1)
    expect(copy).to_be_hidden()  # the web channel sends the text itself
    by(page, "电子邮件")
    expect(copy).to_be_visible()
    expect(panel.locator("[data-channel-note]:visible")).to_contain_text("打开您的邮件程序")


def test_the_item_is_preselected_from_another_page(page, served_site):
    """An address ending in #feedback-<number> opens the form with that item chosen."""
    page.goto(served_site + "ledger/")
    page.goto(served_site + OPEN + "#feedback-4")
    expect(page.locator("#fb-item")).to_have_value("4")
    expect(page.locator("#fb-comment")).to_be_focused()
    page.goto(served_site + "ledger/")
    page.goto(served_site + OPEN + "#feedback-999")  # no such item: the whole notice
    expect(page.locator("[data-channel-choice]")).to_be_visible()  # the script has run
    assert page.locator("#fb-item").input_value() == ""
    page.evaluate("location.hash = '#feedback-2'")  # a link within the page
    expect(page.locator("#fb-item")).to_have_value("2")
