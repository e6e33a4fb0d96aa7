"""The built example portal, parsed as HTML (never grepped): real mkdocs-material + Pagefind."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.content.model import is_latest
from generator.content.settings import load_settings
from generator.site.urls import issuer_slug
from tests.helpers import ROOT

pytestmark = pytest.mark.slow


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def counts(page: BeautifulSoup) -> dict[str, int]:
    return {
        el["data-count"]: int(el.get_text()) for el in page.select(".portal-counts [data-count]")
    }


def test_every_page_type_exists(example_site, example_portal):
    for url in ["", "ledger/", "issuers/", "years/", "search/", "data/", "format/"]:
        assert (example_site / url / "index.html").is_file(), url
    for notice in example_portal.notices:
        assert (example_site / "notices" / notice.id / "index.html").is_file()
    for issuer in example_portal.issuers():
        assert (example_site / "issuers" / issuer_slug(issuer) / "index.html").is_file()
    for year in example_portal.years():
        assert (example_site / "years" / str(year) / "index.html").is_file()
    for name in [
        "404.html",
        "feed.xml",
        "data/notices.json",
        "data/items.csv",
        "data/notice.schema.json",
        "data/item.schema.json",
    ]:
        assert (example_site / name).is_file(), name
    assert any((example_site / "pagefind").glob("pagefind-entry.json"))


def test_pages_are_chinese(example_site):
    assert soup(example_site, "").html["lang"] == "zh"


def test_each_notice_page_lists_all_its_items_with_their_statuses(example_site, example_portal):
    for notice in example_portal.notices:
        page = soup(example_site, f"notices/{notice.id}")
        assert page.h1.get_text(strip=True) == notice.title
        rows = page.select("table.portal-items tbody tr")
        assert [r["data-status"] for r in rows] == [i.status for i in notice.items]
        assert [r["data-overdue"] == "true" for r in rows] == [i.overdue for i in notice.items]
        for row, item in zip(rows, notice.items, strict=True):
            assert row.select_one("a")["href"] == f"#{item.anchor}"
            heading = page.find(id=item.anchor)
            assert heading is not None and heading.name.startswith("h")
            badge = heading.find_next_sibling("p", class_="portal-item-status")
            assert badge["data-item-status"] == item.status
        if notice.items:
            assert counts(page)["total"] == len(notice.items)


def test_home_totals_count_each_problem_once_as_the_ledger_rows_do(example_site, example_portal):
    rows = soup(example_site, "ledger").select("table[data-ledger] tbody tr")
    from_rows: dict[str, int] = {"total": len(rows), "逾期": 0, "逾期未报": 0}
    for row in rows:
        from_rows[row["data-status"]] = from_rows.get(row["data-status"], 0) + 1
        from_rows["逾期"] += row["data-overdue"] == "1"
        from_rows["逾期未报"] += row["data-unreported"] == "1"
    home = counts(soup(example_site, ""))
    assert {k: v for k, v in home.items() if v} == {k: v for k, v in from_rows.items() if v}
    assert (
        home["total"]
        == len(example_portal.problems)
        == sum(home[s] for s in ("已完成", "基本完成", "推进中", "长期坚持"))
        < len(example_portal.items)
    )


def test_ledger_has_every_problem_once_with_filter_data(example_site, example_portal):
    rows = soup(example_site, "ledger").select("table[data-ledger] tbody tr")
    assert len(rows) == len(example_portal.problems)
    expected = [
        (n.issuer, str(n.year), i.status, "1" if i.overdue else "0", n.round_id)
        for n in example_portal.notices
        for i in n.items
        if is_latest(i)
    ]
    assert [
        (r["data-issuer"], r["data-year"], r["data-status"], r["data-overdue"], r["data-round"])
        for r in rows
    ] == expected


def test_issuer_and_year_pages_list_their_notices(example_site, example_portal):
    for issuer in example_portal.issuers():
        links = soup(example_site, f"issuers/{issuer_slug(issuer)}").select(".portal-notices a")
        assert {a["href"].split("/")[-2] for a in links} == {
            n.id for n in example_portal.notices if n.issuer == issuer
        }
    for year in example_portal.years():
        links = soup(example_site, f"years/{year}").select(".portal-notices a")
        assert {a["href"].split("/")[-2] for a in links} == {
            n.id for n in example_portal.notices if n.year == year
        }


def test_open_contact_channels_are_links_and_addresses(example_site, example_portal):
    notice = next(n for n in example_portal.notices if n.contacts.any and not n.contacts.closed)
    assert notice.contacts.phones and notice.contacts.postal and notice.contacts.emails
    page = soup(example_site, f"notices/{notice.id}")
    tel = [a["href"] for a in page.select(".portal-channels a[href^='tel:']")]
    assert tel == ["tel:" + p.number.replace(" ", "") for p in notice.contacts.phones]
    national = [a["href"] for a in page.select(".portal-national a[href^='tel:']")]
    assert national == ["tel:" + p.number for p in notice.national] == ["tel:12388"]
    mail = [a["href"] for a in page.select(".portal-feedback a[href^='mailto:']")]
    assert mail == ["mailto:" + e for e in notice.contacts.emails]
    assert len(page.select(".portal-feedback address")) == len(notice.contacts.postal)


def test_closed_channels_say_so_with_the_date(example_site, example_portal):
    closed = [n for n in example_portal.notices if n.contacts.closed]
    assert closed
    for notice in closed:
        section = soup(example_site, f"notices/{notice.id}").select_one(".portal-feedback")
        assert (
            section.select_one(".portal-closed time")["datetime"]
            == notice.contacts.until.isoformat()
        )
        own = {f"tel:{p.number}" for p in notice.contacts.phones} | {
            f"mailto:{e}" for e in notice.contacts.emails
        }
        offered = {a["href"] for a in section.select("a[href^='tel:'], a[href^='mailto:']")}
        assert offered and not (own & offered)  # the portal's standing lines, not the closed ones
        assert {"tel:0553-3110000", "mailto:xcb@example.org", "tel:12388"} <= offered


def test_every_notice_shows_its_feedback_panel(example_site, example_portal):
    for notice in example_portal.notices:
        page = soup(example_site, f"notices/{notice.id}")
        panel = page.select_one("section#feedback")
        assert panel is not None, notice.id
        forms = panel.select("form")
        offered = notice.standing if notice.contacts.closed else notice.contacts
        assert forms or panel.select("a[href^='tel:']"), notice.id  # always reaches someone
        assert [f.get("action") for f in forms if f.get("action")] == (
            [offered.web] if offered.web else []
        )
        assert not panel.select("form[action^='mailto']")  # never action="mailto:"


def test_notices_without_channels_use_the_portal_defaults(example_site, example_portal):
    notice = next(n for n in example_portal.notices if n.kind == "经验做法")
    panel = soup(example_site, f"notices/{notice.id}").select_one("section#feedback")
    assert [a["href"] for a in panel.select("a[href^='mailto:']")] == ["mailto:xcb@example.org"]
    assert (
        panel.select_one("form[data-feedback-form]")["action"]
        == "https://feedback.example.org/rectification"
    )


def test_open_data_agrees_with_the_model(example_site, example_portal):
    data = json.loads((example_site / "data/notices.json").read_text(encoding="utf-8"))
    assert [n["id"] for n in data["notices"]] == [n.id for n in example_portal.notices]
    assert sum(len(n["items"]) for n in data["notices"]) == len(example_portal.items)
    raw = (example_site / "data/items.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["通报编号"], r["整改状态"]) for r in rows] == [
        (i.notice_id, i.status) for i in example_portal.items
    ]
    assert {r["链接"].split("#")[0] for r in rows} == {
        f"https://portal.example.org/notices/{i.notice_id}/" for i in example_portal.items
    }
    postcodes = {p.postcode for n in example_portal.notices for p in n.contacts.postal}
    assert "014030" in postcodes  # leading zero kept through YAML, model and JSON


def test_atom_feed_is_well_formed(example_site, example_portal):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring((example_site / "feed.xml").read_bytes())
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == [n.title for n in example_portal.notices]


def test_sitemap_lists_every_notice(example_site, example_portal):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring((example_site / "sitemap.xml").read_bytes())
    locs = {urlsplit(loc.text or "").path for loc in root.findall("s:url/s:loc", ns)}
    assert {f"/notices/{n.id}/" for n in example_portal.notices} <= locs
    assert {el.text for el in root.findall("s:url/s:lastmod", ns)} == {"2026-11-22"}


def test_404_page_is_chinese(example_site):
    page = BeautifulSoup((example_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert "页面不存在" in page.h1.get_text()


def _is_external(url: str) -> bool:
    url = url.strip()
    return bool(urlsplit(url).scheme in ("http", "https") or url.startswith("//"))


def test_no_page_or_stylesheet_loads_anything_from_another_origin(example_site):
    """Fonts, CDNs and analytics are blocked or slow in mainland China: nothing external at all."""
    loads: list[str] = []
    for page in example_site.rglob("*.html"):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for el in doc.find_all(src=True):
            loads.append(el["src"])
        for el in doc.find_all("link", href=True):
            rels = set(el.get("rel", []))
            if rels & {
                "stylesheet",
                "preload",
                "preconnect",
                "dns-prefetch",
                "icon",
                "manifest",
                "modulepreload",
                "prefetch",
            }:
                loads.append(el["href"])
        for el in doc.find_all(style=True):
            loads += re.findall(r"url\(\s*['\"]?([^'\")]+)", el["style"])
        for el in doc.find_all("style"):
            loads += re.findall(r"url\(\s*['\"]?([^'\")]+)", el.get_text())
    for css in example_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        loads += re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        loads += re.findall(r"@import\s+(?:url\()?['\"]?([^'\");]+)", text)
    assert loads, "the scan found nothing at all: it is not looking"
    assert [u for u in loads if _is_external(u)] == []


def test_no_broken_internal_link_or_anchor(example_site):
    """Every relative or root-relative href/src resolves to a file, and every #fragment to an id."""
    from urllib.parse import unquote

    site = example_site.resolve()
    docs = {
        p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in sorted(site.rglob("*.html"))
    }
    ids = {p: {e["id"] for e in d.find_all(id=True)} for p, d in docs.items()}
    checked, broken = 0, []
    for page, doc in docs.items():
        for el in doc.find_all(["a", "link", "script", "img"]):
            ref = el.get("href") or el.get("src")
            parts = urlsplit(ref or "")
            if not ref or parts.scheme or ref.startswith("//"):
                continue
            path = unquote(parts.path)
            target = (
                (site / path.lstrip("/"))
                if path.startswith("/")
                else (page.parent / path if path else page)
            )
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.exists() or (
                parts.fragment and target.suffix == ".html" and parts.fragment not in ids[target]
            ):
                broken.append((str(page.relative_to(site)), ref))
    assert checked > 500
    assert broken == []


def test_source_fields_are_in_the_header_and_the_data(example_site, example_portal):
    """文号 and 原文链接 (issue 18, part 3): shown with the notice and kept in notices.json."""
    notice = next(n for n in example_portal.notices if n.id == "jiaotongju-xuncha")
    meta = soup(example_site, f"notices/{notice.id}").select_one(".portal-meta")
    terms = {dt.get_text(): dt.find_next_sibling("dd") for dt in meta.select("dt")}
    assert terms["文号"].get_text() == notice.doc_no == "江交党〔2024〕21号"
    assert terms["来源"].select_one("a")["href"] == notice.source
    data = json.loads((example_site / "data/notices.json").read_text(encoding="utf-8"))
    record = next(n for n in data["notices"] if n["id"] == notice.id)
    assert (record["doc_no"], record["source"]) == (notice.doc_no, notice.source)


def test_every_page_carries_the_sites_identity(example_site):
    """主办单位, 承办单位, contacts, 网站标识码 and the registration numbers, linked to their
    registers, at the foot of every page (portal.yml `site:`), kept out of the search index."""
    settings, problems = load_settings(ROOT / "portal.yml")
    who = settings.identity
    assert problems == [] and who is not None and who.icp and who.police and who.site_code
    pages = sorted(p for p in example_site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 30
    for path in pages:
        foot = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one(
            "footer .portal-footer[data-search-skip]"
        )
        assert foot is not None, path
        parts = [s.get_text() for s in foot.select(".portal-footer__part")]
        assert parts[:2] == [f"主办单位：{who.host}", f"承办单位：{who.operator}"], path
        assert f"网站标识码：{who.site_code}" in parts
        links = {a.get_text(): a["href"] for a in foot.select("a")}
        assert links[who.icp] == "https://beian.miit.gov.cn/"
        digits = "".join(c for c in who.police if c.isdigit())
        assert len(digits) == 14
        assert links[who.police] == f"https://beian.mps.gov.cn/#/query/webSearch?code={digits}"
        assert links[who.phone] == f"tel:{who.phone}"
