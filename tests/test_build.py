"""Whole builds with the real engine: a failed build leaves the published site untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.commands.build import BuildOptions, build
from generator.errors import ContentError, EngineError, SearchIndexError
from generator.output.publish import WORK_DIR
from generator.search.service import PAGEFIND_ENV
from tests.helpers import AS_OF, ROOT, notice, project_copy, tree_digest, write_tree

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project folder with one good notice, built once into site/."""
    write_tree(tmp_path, {"content/a.md": notice(), "content/b.md": notice(issuer="中共另一区委")})
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    build(options(tmp_path))
    return tmp_path


def options(root: Path) -> BuildOptions:
    return BuildOptions(root / "content", root / "site", root / "mkdocs.yml", AS_OF)


def assert_untouched(root: Path, before: dict[str, str]) -> None:
    assert tree_digest(root / "site") == before
    assert [p.name for p in (root / WORK_DIR).iterdir() if p.name not in ("lock", "cache")] == []


def test_bad_content_fails_before_anything_is_written(project):
    before = tree_digest(project / "site")
    write_tree(project, {"content/c.md": notice().replace("status: 已完成", "status: 完成了")})
    with pytest.raises(ContentError) as exc:
        build(options(project))
    assert [d.field for d in exc.value.diagnostics] == ["items[1].status"]
    assert_untouched(project, before)


def test_engine_failure_leaves_the_site(project):
    before = tree_digest(project / "site")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"),
        encoding="utf-8",
    )
    with pytest.raises(EngineError):
        build(options(project))
    assert_untouched(project, before)


def test_missing_pagefind_leaves_the_site(project, monkeypatch):
    before = tree_digest(project / "site")
    write_tree(project, {"content/c.md": notice(issuer="中共第三区委")})
    monkeypatch.setenv(PAGEFIND_ENV, str(project / "no-such-pagefind"))
    with pytest.raises(SearchIndexError, match="Pagefind binary not found"):
        build(options(project))
    assert_untouched(project, before)


def test_cli_build_failure_exits_1_with_located_errors(project, capsys, monkeypatch):
    before = tree_digest(project / "site")
    write_tree(
        project,
        {"content/c.md": notice().replace("published: 2021-02-05", "published: 2021-02-30")},
    )
    monkeypatch.chdir(project)
    assert main(["build", "--as-of", "2026-11-22"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "content/c.md:4:12: error: published: expected a date YYYY-MM-DD or YYYY-MM, got '2021-02-30' (2021-02 has 28 days)",
        "1 error(s), 0 warning(s) in 1 file(s); nothing was published",
    ]
    assert_untouched(project, before)


def test_a_good_rebuild_replaces_the_site_and_cleans_up(project):
    write_tree(project, {"content/c.md": notice(issuer="中共第三区委")})
    (project / "content/a.md").unlink()
    build(options(project))
    notices = sorted(p.name for p in (project / "site/notices").iterdir())
    assert notices == ["b", "c"]
    assert [p.name for p in (project / WORK_DIR).iterdir() if p.name != "lock"] == []


def test_leftovers_of_a_killed_build_are_removed_by_the_next(project):
    (project / WORK_DIR / "stage-killed").mkdir()
    (project / WORK_DIR / "stage-killed" / "junk.html").write_text("x")
    build(options(project))
    assert not (project / WORK_DIR / "stage-killed").exists()


PAYLOAD = "</title><script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


def test_front_matter_values_are_escaped_in_every_page(tmp_path):
    """Title, issuer and summary carry markup; the built pages show it as text only."""
    text = notice(title="通报" + PAYLOAD, issuer="单位" + PAYLOAD).replace(
        "kind: 整改进展", "kind: 整改进展\nsummary: '摘要" + PAYLOAD.replace("'", "''") + "'"
    )
    write_tree(tmp_path, {"content/x.md": text})
    site = tmp_path / "site"
    build(BuildOptions(tmp_path / "content", site, ROOT / "mkdocs.yml", AS_OF))
    scripts_inline = []
    for page in site.rglob("*.html"):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert doc.find_all("img", onerror=True) == [], page
        assert not any(a.startswith("on") for el in doc.find_all(True) for a in el.attrs), page
        scripts_inline += [s.get_text() for s in doc.find_all("script") if not s.get("src")]
    assert not any("alert(" in s for s in scripts_inline)
    page = BeautifulSoup((site / "notices/x/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.title.get_text() == "通报" + PAYLOAD + " - 整改进展公开平台（示例）"
    assert page.h1.get_text() == "通报" + PAYLOAD


def test_two_builds_in_different_folders_are_byte_identical(tmp_path):
    """Reproducible builds, search index and its facets file included (set order, hash seeds
    and Pagefind's own filter order cannot leak)."""
    first = project_copy(tmp_path / "a")
    build(options(first))
    # the other in another process with another hash seed: set order cannot leak either
    other = project_copy(tmp_path / "b" / "deeper")
    command = [
        sys.executable,
        "-m",
        "generator.cli",
        "build",
        "--as-of",
        AS_OF.isoformat(),
        "--no-cache",
    ]
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run(command, cwd=other, env=env, check=True, capture_output=True)
    digests = [tree_digest(first / "site"), tree_digest(other / "site")]
    assert digests[0] == digests[1]
    assert any(name.startswith("pagefind/facets.") for name in digests[0])


def test_stamped_pages_are_the_bytes_mkdocs_renders(tmp_path, monkeypatch):
    """Pages out of the navigation are stamped from one MkDocs-rendered shell per folder; the
    site must equal the one MkDocs renders page by page, sitemap included. Payload titles and
    bodies (tests/test_injection.py) are in the mix."""
    from generator.engine.mkdocs import STAMP_ENV
    from tests.test_injection import PAYLOADS, payload_notice

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    write_tree(content, {f"p{n:02d}.md": payload_notice(n, p) for n, p in enumerate(PAYLOADS)})
    digests = []
    for mode in ("0", "1"):
        monkeypatch.setenv(STAMP_ENV, mode)
        site = tmp_path / mode / "site"
        build(BuildOptions(content, site, ROOT / "mkdocs.yml", AS_OF))
        digests.append(tree_digest(site))
    assert digests[0] == digests[1]
    assert not any("portal-shell" in path for path in digests[1])
    sitemap = (tmp_path / "1/site/sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("/notices/") == 12 + len(PAYLOADS) and "portal-shell" not in sitemap


def test_notices_checked_on_every_core_give_the_same_site(tmp_path, monkeypatch):
    """Workers check and render notices in parallel; the site equals a one-process build."""
    from generator.read.notices import WORKERS_ENV

    digests = []
    for workers in ("1", "2"):
        monkeypatch.setenv(WORKERS_ENV, workers)
        site = tmp_path / workers / "site"
        build(BuildOptions(ROOT / "content", site, ROOT / "mkdocs.yml", AS_OF))
        digests.append(tree_digest(site))
    assert digests[0] == digests[1]


def test_diagnostics_from_every_core_are_the_same(monkeypatch):
    """The whole bad-input corpus, checked at once: the same diagnostics in the same order."""
    from generator.commands.check import check
    from generator.read.notices import WORKERS_ENV

    found = []
    for workers in ("1", "2"):
        monkeypatch.setenv(WORKERS_ENV, workers)
        portal, problems = check([ROOT / "tests/fixtures/invalid"], AS_OF)
        assert portal is None
        found.append([str(d) for d in problems])
    assert found[0] == found[1]
    assert len(found[0]) >= 40
