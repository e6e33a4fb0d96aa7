"""The ledger past ``LEDGER_ONE_PAGE`` items: an overview of the years, one page per year.

The example portal has 84 items; these tests lower the limit to 20 so it takes the per-year
form, and check each page against the model (HTML parsed, never grepped)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page

from generator.commands.build import BuildOptions, build
from generator.content.model import Portal, Progress, is_latest
from generator.site import pages as pages_module
from tests.conftest import serve
from tests.helpers import AS_OF, project_copy
from tests.test_accessibility import RULES
from tests.test_html_valid import nu_errors


@pytest.fixture
def per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages_module, "LEDGER_ONE_PAGE", 20)


@pytest.fixture
def per_year_site(per_year: None, tmp_path: Path) -> Path:
    root = project_copy(tmp_path / "project")
    build(BuildOptions(root / "content", root / "site", root / "mkdocs.yml", AS_OF))
    return root / "site"


def page_of(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_a_small_portal_keeps_every_item_on_one_page(example_site, example_portal):
    rows = page_of(example_site, "ledger").select("table[data-ledger] tbody tr")
    assert len(rows) == len(example_portal.problems) > 0
    assert len(example_portal.problems) < len(example_portal.items)  # one row per problem
    assert not list(example_site.glob("ledger-*"))


def test_the_overview_counts_each_year_as_the_model_does(per_year_site, example_portal: Portal):
    overview = page_of(per_year_site, "ledger")
    assert overview.select("table[data-ledger]") == []
    rows = overview.select("table.portal-ledger-years tbody tr")
    years = example_portal.years()
    assert [r.th.get_text(strip=True) for r in rows] == [f"{y}年" for y in years]
    for row, year in zip(rows, years, strict=True):
        progress = Progress.of(
            i for n in example_portal.notices if n.year == year for i in n.items if is_latest(i)
        )
        cells = {td["data-label"]: td.get_text(strip=True) for td in row.select("td")}
        assert cells["事项"] == str(progress.total)
        assert all(cells[s] == str(n) for s, n in progress.counts)
        assert cells["逾期"] == str(progress.overdue)
        assert cells["逾期未报"] == str(progress.unreported)
        link = row.th.a["href"]
        assert (
            link == f"../ledger-{year}/" and (per_year_site / f"ledger-{year}/index.html").is_file()
        )
        overdue_link = row.select_one("td[data-label='逾期'] a")
        assert (overdue_link is not None) == (progress.overdue > 0)
        if overdue_link:
            assert overdue_link["href"] == f"../ledger-{year}/?overdue=1"
        unreported_link = row.select_one("td[data-label='逾期未报'] a")
        assert (unreported_link is not None) == (progress.unreported > 0)
        if unreported_link:
            assert unreported_link["href"] == f"../ledger-{year}/?unreported=1"


def test_each_year_page_lists_exactly_that_year_items(per_year_site, example_portal: Portal):
    for year in example_portal.years():
        notices = [n for n in example_portal.notices if n.year == year]
        latest = [(n, i) for n in notices for i in n.items if is_latest(i)]
        page = page_of(per_year_site, f"ledger-{year}")
        assert (
            page.h1 is not None
            and page.select_one("article h1, .portal-ledger h1").get_text() == f"{year}年整改台账"
        )
        rows = page.select("table[data-ledger] tbody tr")
        assert [r["data-year"] for r in rows] == [str(year)] * len(latest)
        links = [r.select_one("td a")["href"] for r in rows]
        assert links == [f"../notices/{n.id}/#{i.anchor}" for n, i in latest]
        issuers = [o.get_text() for o in page.select("select[name=issuer] option")][1:]
        assert issuers == sorted({n.issuer for n in notices})
        for link in {link.split("#")[0] for link in links}:
            assert (per_year_site / "ledger-x" / link / "index.html").resolve().is_file()


def test_year_pages_are_in_the_sitemap(per_year_site, example_portal: Portal):
    tree = ElementTree.parse(per_year_site / "sitemap.xml")
    locs = [el.text or "" for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert {loc.rsplit("/", 2)[-2] for loc in locs if "/ledger-" in loc} == {
        f"ledger-{y}" for y in example_portal.years()
    }


@pytest.mark.browser
def test_a_year_page_filters_overdue_from_a_shared_link(page: Page, per_year_site, example_portal):
    year = next(y for y in example_portal.years() if any(
        i.overdue for n in example_portal.notices if n.year == y for i in n.items if is_latest(i)))  # fmt: skip
    overdue = sum(
        i.overdue for n in example_portal.notices if n.year == year for i in n.items if is_latest(i)
    )
    with serve(per_year_site) as base:
        page.goto(f"{base}ledger/")
        page.get_by_role("link", name=f"{year}年").click()
        page.goto(page.url + "?overdue=1")
        assert page.get_by_label("只看逾期", exact=True).is_checked()
        assert page.locator("table[data-ledger] tbody tr:not([hidden])").count() == overdue


@pytest.mark.slow
def test_the_overview_and_year_pages_are_valid_html(per_year_site):
    checked, errors = nu_errors(per_year_site)
    assert checked > 25 and list(per_year_site.glob("ledger-*/index.html"))
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_the_overview_and_year_pages_have_no_wcag_violations(
    browser: Browser, per_year_site, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    found = {}
    with serve(per_year_site) as base:
        for url in ["ledger/", "ledger-2022/", "ledger-2021/?overdue=1"]:
            page = context.new_page()
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            violations = Axe().run(page, options=RULES).response["violations"]
            if violations:
                found[url] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
            page.close()
    context.close()
    assert found == {}
