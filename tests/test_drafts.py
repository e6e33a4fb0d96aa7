"""Drafts (``draft: true``): checked like every notice, never published, shown in the preview
with a 草稿 banner; their placeholders are errors the moment the mark is removed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from bs4 import BeautifulSoup

from generator.cli import main
from generator.commands.build import BuildOptions, build
from generator.commands.check import check
from generator.content import placeholders
from generator.importer.run import import_file
from tests.helpers import AS_OF, ROOT, project_copy

DRAFT = "content/notices/2024/wenlvju-xuncha-caogao.md"
DRAFT_ID = "wenlvju-xuncha-caogao"
DRAFT_UNIT = "市文化和旅游局"
"""The example draft's unit: no published notice names it."""


def _readable(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # Pagefind's fragments and indexes are gzipped
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def test_the_example_portal_has_a_draft_no_published_notice_resembles():
    text = (ROOT / DRAFT).read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("draft: true")
    others = [p for p in (ROOT / "content").rglob("*.md") if p != ROOT / DRAFT]
    assert not [p for p in others if DRAFT_UNIT in p.read_text(encoding="utf-8")]


def test_a_build_leaves_the_draft_out_of_every_file(example_site, example_portal):
    assert DRAFT_ID not in {n.id for n in example_portal.notices}
    files = [p for p in example_site.rglob("*") if p.is_file()]
    assert len(files) > 50
    leaks = [p for p in files if DRAFT_ID in _readable(p) or DRAFT_UNIT in _readable(p)]
    assert leaks == []
    entry = json.loads((example_site / "pagefind/pagefind-entry.json").read_text())
    pages = sum(lang["page_count"] for lang in entry["languages"].values())
    assert pages == len(example_portal.notices)


def test_the_build_summary_says_which_drafts_it_left_out(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(project_copy(tmp_path / "p"))
    assert main(["build", "--no-cache", "--as-of", AS_OF.isoformat()]) == 0
    err = capsys.readouterr().err.splitlines()
    assert f"left out 1 draft(s) (draft: true): {DRAFT}" in err
    assert any(line.startswith("built 12 notice(s), 98 item(s)") for line in err)


def test_the_preview_shows_the_draft_with_its_banner(tmp_path):
    project = project_copy(tmp_path / "p")
    site = tmp_path / "preview"
    options = BuildOptions(project / "content", site, project / "mkdocs.yml", AS_OF, drafts=True)
    report = build(options)
    assert report.drafts == [] and report.drafts_shown == 1
    page = BeautifulSoup(
        (site / "notices" / DRAFT_ID / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    banner = page.select_one("article.portal-notice > .portal-draft")
    assert banner is not None and banner.get("role") == "note"
    assert banner.get_text().startswith("草稿")
    assert "日期待填写" in page.select_one(".portal-meta").get_text()
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [r for r in home.select(".portal-notice-row") if DRAFT_UNIT in r.get_text()]
    assert len(rows) == 1 and rows[0].select_one(".portal-badge").get_text() == "草稿"
    others = [n for n in (site / "notices").iterdir() if n.name != DRAFT_ID]
    assert all(not (n / "index.html").read_text().count("portal-draft") for n in others)


def test_removing_the_draft_mark_fails_on_each_placeholder_line(tmp_path):
    text = (ROOT / DRAFT).read_text(encoding="utf-8")
    path = tmp_path / "a.md"
    path.write_text(text.replace("draft: true", "draft: false", 1), encoding="utf-8")
    portal, problems = check([path], AS_OF, tmp_path / "none.yml")
    assert portal is None
    expected = {
        n for n, line in enumerate(text.splitlines(), 1) if placeholders.find(line.split("#")[0])
    }
    assert len(expected) == 3
    assert {p.line for p in problems if p.severity.value == "error"} == expected


def test_the_preview_shows_an_imported_draft_whose_kind_is_not_known(tmp_path):
    """``portal import`` leaves the kind of a text without numbered problems to the editor
    (（待填写类别）): the preview still builds and says so where the kind would be."""
    project = project_copy(tmp_path / "p")
    source = tmp_path / "gonggao.txt"
    source.write_text(
        "巡 察 公 告\n县委第一巡察组将对某某局开展巡察，受理来信、来电、来访。\n", encoding="utf-8"
    )
    draft, _ = import_file(source)
    (project / "content/notices/2024/gonggao.md").write_text(draft, encoding="utf-8")
    site = tmp_path / "preview"
    build(BuildOptions(project / "content", site, project / "mkdocs.yml", AS_OF, drafts=True))
    page = BeautifulSoup(
        (site / "notices" / "gonggao" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "类别待填写" in page.select_one(".portal-meta").get_text()
    assert "None" not in page.select_one(".portal-meta").get_text()
