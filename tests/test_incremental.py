"""Incremental equals clean (issue 6): a build with a cache (``portal build`` and the preview)
reuses each unchanged notice's result and index shard, and after any sequence of edits, and on
any later date, its site is byte for byte the site a clean build makes."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.commands.build import BuildOptions, build, build_pages
from generator.errors import ContentError
from generator.incremental import reuse as reuse_module
from generator.incremental.memory import Memory
from generator.output.publish import prepare_replaced
from generator.site import notice as notice_module
from generator.site import pages as pages_module
from tests.conftest import serve
from tests.helpers import AS_OF, notice, project_copy, tree_digest, write_tree

pytestmark = pytest.mark.slow

GONE = "gongxinju-weihuapin-xuncha"
RENAMED = "nanxi-zhen-xuncha"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return project_copy(tmp_path / "project")


def cached(project: Path, as_of: dt.date = AS_OF) -> BuildOptions:
    return BuildOptions(project / "content", project / "site", project / "mkdocs.yml", as_of,
                        cache=project / ".portal" / "cache")  # fmt: skip


def clean_build(project: Path, where: Path, as_of: dt.date = AS_OF) -> Path:
    build(BuildOptions(project / "content", where / "site", project / "mkdocs.yml", as_of))
    return where / "site"


def one(root: Path, pattern: str) -> Path:
    (path,) = root.glob(f"content/**/{pattern}.md")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_incremental_builds_equal_clean_builds(project, tmp_path, monkeypatch, request):
    request.addfinalizer(notice_module.environment.cache_clear)  # no edited template after the test

    def template_edit() -> None:
        copy = tmp_path / "templates"
        shutil.copytree(notice_module.TEMPLATES, copy)
        edit(copy / "notice.html.j2", "通报全文", "通报全文（全文）")
        monkeypatch.setattr(notice_module, "TEMPLATES", copy)
        notice_module.environment.cache_clear()

    steps = [
        ("first build", lambda: None, 0),
        ("nothing changed", lambda: None, 12),
        ("add", lambda: write_tree(project, {"content/new.md": notice(issuer="中共新增区委")}), 12),
        ("change", lambda: edit(one(project, "qingshan*"), "title: ", "title: 修订："), 12),
        ("rename", lambda: one(project, RENAMED).rename(project / "content/renamed.md"), 12),
        ("delete", lambda: one(project, GONE).unlink(), 12),
        ("settings", lambda: edit(project / "portal.yml", "feedback.example.org", "fb.example.org"), 0),
        ("template", template_edit, 0),
    ]  # fmt: skip
    options = cached(project)
    for name, step, reused in steps:
        step()
        report = build(options)
        clean = tmp_path / f"clean-{len(name)}-{name}" / "site"
        build(BuildOptions(project / "content", clean, project / "mkdocs.yml", AS_OF))
        assert tree_digest(project / "site") == tree_digest(clean), name
        assert report.reused == reused, name
    site = project / "site"
    assert not (site / "notices" / GONE).exists() and not (site / "notices" / RENAMED).exists()
    assert (site / "notices/renamed/index.html").is_file()
    texts = [p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json", ".csv")]  # fmt: skip
    assert not any(f"/{GONE}/" in t or f"/{RENAMED}/" in t for t in texts)
    for fragment in (site / "pagefind/fragment").iterdir():
        url = json.loads(gzip.decompress(fragment.read_bytes())[12:])["url"]
        assert GONE not in url and RENAMED not in url


def test_a_bad_edit_then_its_fix_equals_a_clean_build(project, tmp_path):
    options = cached(project)
    build(options)
    target = one(project, "qingshan*")
    good = target.read_text(encoding="utf-8")
    edit(target, "status: 已完成", "status: 完成了")
    with pytest.raises(ContentError):
        build(options)
    target.write_text(good.replace("title: ", "title: 再改：", 1), encoding="utf-8")
    assert build(options).reused == 11
    clean = tmp_path / "clean" / "site"
    build(BuildOptions(project / "content", clean, project / "mkdocs.yml", AS_OF))
    assert tree_digest(project / "site") == tree_digest(clean)


def test_a_later_date_reuses_only_notices_on_which_nothing_turned_overdue(project, tmp_path):
    build(cached(project))
    later = [AS_OF + dt.timedelta(days=1), dt.date(2031, 1, 1), AS_OF]
    reused = []
    for i, day in enumerate(later):
        report = build(cached(project, day))
        assert tree_digest(project / "site") == tree_digest(
            clean_build(project, tmp_path / f"c{i}", day)
        ), day
        reused.append(report.reused)
    # five years on every open item is overdue: the notices with open items were rendered again
    assert reused[1] < 12
    # a day later: nothing in the example turns overdue, everything was reused
    assert reused[0] == 12


def test_a_date_error_is_kept_only_until_the_day_it_no_longer_holds(project):
    """A notice dated after the build date is an error until that day; the cached error must
    not outlive it, nor a cached success be reused on an earlier date."""
    target = one(project, "qingshan*")
    day = AS_OF + dt.timedelta(days=16)
    edit(target, "published: 2021-02-08", f"published: {day.isoformat()}")
    with pytest.raises(ContentError, match="1 error"):
        build(cached(project, day - dt.timedelta(days=1)))
    assert build(cached(project, day)).notices == 12
    with pytest.raises(ContentError, match="1 error"):
        build(cached(project, day - dt.timedelta(days=1)))


def test_an_unreadable_or_foreign_cache_costs_time_not_correctness(project, tmp_path, monkeypatch):
    build(cached(project))
    entries = [p for p in (project / ".portal" / "cache").rglob("*") if p.is_file()]
    assert len(entries) >= 10  # 9 notices and the shard
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    report = build(cached(project))
    assert (report.reused, report.shards_reused) == (0, "0/1")
    assert tree_digest(project / "site") == tree_digest(clean_build(project, tmp_path / "a"))
    assert build(cached(project)).reused == 12
    monkeypatch.setattr(reuse_module, "code_fingerprint", lambda templates: "other code")
    report = build(cached(project))
    assert (report.reused, report.shards_reused) == (0, "0/1")
    assert tree_digest(project / "site") == tree_digest(clean_build(project, tmp_path / "b"))


def test_the_cache_keeps_one_build_worth(project):
    build(cached(project))
    first = {p.name for p in (project / ".portal" / "cache").rglob("*") if p.is_file()}
    edit(one(project, "qingshan*"), "title: ", "title: 修订：")
    build(cached(project))
    second = {p.name for p in (project / ".portal" / "cache").rglob("*") if p.is_file()}
    assert len(second) == len(first)  # the edited notice's old entry and the old shard are gone
    assert len(second - first) == 2  # its new entry and the new shard


def test_worker_processes_keep_their_pages_in_the_cache(project, tmp_path, monkeypatch):
    """Workers store pages in their own processes; the build must still keep them."""
    monkeypatch.setenv("PORTAL_WORKERS", "2")
    build(cached(project))
    pages = [p for p in (project / ".portal" / "cache" / "pages").rglob("*") if p.is_file()]
    assert len(pages) == 13  # the example's draft is rendered too (the preview shows it)
    assert build(cached(project)).reused == 12
    edit(one(project, "qingshan*"), "title: ", "title: 修订：")
    assert build(cached(project)).reused == 11
    assert tree_digest(project / "site") == tree_digest(clean_build(project, tmp_path / "c"))


def test_parts_kept_in_files_join_to_what_generate_makes_in_memory(project, tmp_path):
    """A build keeps each notice's ledger rows and data rows in files and joins them when it
    writes the ledger and the data files: the bytes equal the in-memory generate stage's."""
    from generator.commands.check import check
    from generator.engine.markdown_page import source_of
    from generator.engine.mkdocs import read_site
    from generator.site.pages import generate

    build(cached(project))
    portal, problems = check([project / "content"], AS_OF, project / "portal.yml")
    assert portal is not None, problems
    made = {f.path: source_of(f) for f in generate(portal, read_site(project / "mkdocs.yml")).files}
    site = project / "site"
    for path in ("data/notices.json", "data/items.csv", "feed.xml"):
        assert (site / path).read_bytes() == made[path], path
    assert b"\r\n" in made["data/items.csv"]


def stamped_pages(site: Path) -> int:
    """Pages out of the navigation: notices, issuers, years, rounds and the editors' format page."""
    return (site / "format" / "index.html").is_file() + sum(
        1
        for folder in ("notices", "issuers", "years", "rounds")
        for p in (site / folder).glob("*/index.html")
    )


def test_unchanged_pages_are_linked_from_the_published_site(project, tmp_path):
    build(cached(project))
    site = project / "site"
    replaced = project / ".portal" / "replaced-site"
    published = tree_digest(site)
    report = build(cached(project))
    assert report.linked == stamped_pages(site) > 9
    assert tree_digest(site) == tree_digest(clean_build(project, tmp_path / "a"))
    # the site a build replaces is kept as it was, for the next build to bring up to date
    assert tree_digest(replaced) == published
    edit(one(project, "qingshan*"), "title: ", "title: 修订：")
    published = tree_digest(site)
    report = build(cached(project))
    # the notice, its issuer's page and its year's page changed
    assert report.linked == stamped_pages(site) - 3
    assert tree_digest(site) == tree_digest(clean_build(project, tmp_path / "b"))
    assert tree_digest(replaced) == published  # never written through a shared file
    # whatever the kept site holds, the next build's site is exactly the clean one
    (replaced / "notices" / "left-over" / "index.html").parent.mkdir()
    (replaced / "notices" / "left-over" / "index.html").write_text("旧", encoding="utf-8")
    (replaced / "index.html").write_text("改过", encoding="utf-8")
    shutil.rmtree(replaced / "years")
    (replaced / "years").write_text("文件", encoding="utf-8")
    one(project, GONE).unlink()
    published = tree_digest(site)
    build(cached(project))
    assert tree_digest(site) == tree_digest(clean_build(project, tmp_path / "c"))
    assert tree_digest(replaced) == published
    # a build without the cache publishes a site the cache does not describe: nothing linked
    build(BuildOptions(project / "content", site, project / "mkdocs.yml", AS_OF))
    assert not replaced.exists()
    assert build(cached(project)).linked == 0
    assert tree_digest(site) == tree_digest(clean_build(project, tmp_path / "d"))


def test_an_edit_reindexes_one_shard(project, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_SHARD_SIZE", "2")  # 12 notices > 2 x 2: shards of about 2
    build(cached(project))
    shards = int(build(cached(project)).shards_reused.split("/")[1])
    assert shards > 2
    assert build(cached(project)).shards_reused == f"{shards}/{shards}"
    edit(one(project, "qingshan*"), "title: ", "title: 修订：")
    assert build(cached(project)).shards_reused == f"{shards - 1}/{shards}"
    assert tree_digest(project / "site") == tree_digest(clean_build(project, tmp_path / "c"))


def test_unchanged_ledger_year_pages_are_linked(project, tmp_path, monkeypatch):
    monkeypatch.setattr(pages_module, "LEDGER_ONE_PAGE", 20)  # one ledger page per year
    build(cached(project))
    site = project / "site"
    inode = {p.parent.name: p.stat().st_ino for p in site.glob("ledger-*/index.html")}
    assert len(inode) == 5  # 2021 to 2025
    edit(one(project, "qingshan*"), "title: ", "title: 修订：")  # a notice of 2021
    build(cached(project))
    now = {p.parent.name: p.stat().st_ino for p in site.glob("ledger-*/index.html")}
    assert [year for year in sorted(now) if now[year] != inode[year]] == ["ledger-2021"]
    assert tree_digest(site) == tree_digest(clean_build(project, tmp_path / "a"))


def settle(project: Path) -> None:
    """Date every notice file back a minute: a memory keys settled files by their signature."""
    for path in (project / "content").rglob("*.md"):
        then = path.stat().st_mtime_ns - 60 * 10**9
        os.utime(path, ns=(then, then))


def test_a_preview_memory_sees_every_edit(project, tmp_path):
    settle(project)
    options = replace(cached(project), memory=Memory())
    build(options)
    # the next build reads no file and no cache entry it knows
    assert len(options.memory.files) == len(options.memory.entries) == 13  # with the draft
    report = build(options)
    assert report.reused == 12 and len(options.memory.entries) == 13
    # an edit that keeps the size and the modification time still shows (the change time)
    path = one(project, "qingshan*")
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    changed = title[:-2] + title[-1] + title[-2]  # two characters swapped
    path.write_text(text.replace(title, changed, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = build(options)
    assert report.reused == 11
    assert tree_digest(project / "site") == tree_digest(clean_build(project, tmp_path / "a"))


def test_a_preview_memory_is_dropped_when_another_build_used_the_cache(project, tmp_path):
    settle(project)
    options = replace(cached(project), memory=Memory())
    build(options)
    build(options)
    # another build (a later date) renders and prunes what the memory holds
    build(cached(project, dt.date(2031, 1, 1)))
    report = build(options)
    assert report.reused < 12
    assert tree_digest(project / "site") == tree_digest(clean_build(project, tmp_path / "a"))


def title_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if line.startswith("title: "))[7:].strip('"')


def searched(
    browser, site: Path, queries: list[str], filters: dict[str, str] | None = None
) -> list[list[tuple[str, str]]]:
    """(URL, title) of every notice the search page finds for each query (with ``filters``)."""
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + "search/")
        page.wait_for_function("window.portalSearch !== undefined")
        found = page.evaluate(
            """async ([queries, filters]) => {
                const out = [];
                for (const q of queries) {
                    const r = await window.portalSearch.search(q, filters, "relevance", 0);
                    out.push(r.groups.map(g => [g.url, g.meta.title]));
                }
                return out;
            }""",
            [queries, filters or {}],
        )
        page.close()
    return [[(url, title) for url, title in groups] for groups in found]


def test_the_preview_first_pass_searches_the_edit(project, tmp_path, browser):
    options = cached(project)
    build(options)
    site = project / "site"
    edited, gone = one(project, "qingshan*"), one(project, GONE)
    old_title, gone_title = title_of(edited), title_of(gone)
    new_title = "预览检索新标题甲乙"
    edit(edited, f"title: {old_title}", f"title: {new_title}")
    gone.unlink()
    url = f"notices/{edited.stem}/"
    queries = [new_title, old_title, gone_title]
    before = searched(browser, site, queries)
    assert before[0] == [] and (url, old_title) in before[1]
    assert f"notices/{GONE}/" in [u for u, _ in before[2]]
    joined = {name: (site / name).stat().st_ino for name in ("data/notices.json", "data/items.csv")}
    report = build_pages(options)  # the preview's first pass
    assert report.reused == 10  # the edited notice rendered again, the removed one gone
    assert (site / "pagefind" / "preview" / "preview.json").is_file()
    # the joined data files are taken as they were (the second pass makes them)
    assert {name: (site / name).stat().st_ino for name in joined} == joined
    new, old, removed = searched(browser, site, queries)
    assert new == [(url, new_title)]
    # the merged bundle's facets: the edited notice under its issuer, not under another's
    issuer = next(
        line[8:] for line in edited.read_text("utf-8").splitlines() if line.startswith("issuer: ")
    )
    assert searched(browser, site, [new_title], {"发布单位": issuer.strip('"')}) == [new]
    assert searched(browser, site, [new_title], {"发布单位": "不存在的单位"}) == [[]]
    assert (url, old_title) not in old and all(t != old_title for _, t in old)
    assert f"notices/{GONE}/" not in [u for u, _ in removed]
    build(options)  # the second pass: the whole index, as a clean build makes it
    assert not (site / "pagefind" / "preview").exists()
    assert tree_digest(site) == tree_digest(clean_build(project, tmp_path / "a"))
    assert searched(browser, site, queries) == [new, old, removed]


def test_a_site_to_start_from_is_prepared_from_the_published_one(project, tmp_path):
    build(cached(project))  # the first build replaced nothing
    site, replaced = project / "site", project / ".portal" / "replaced-site"
    assert not replaced.exists()
    prepare_replaced(site)  # what the preview does while it waits
    published = tree_digest(site)
    assert tree_digest(replaced) == published
    files = [p.relative_to(site) for p in site.rglob("*") if p.is_file()]
    assert all((replaced / f).stat().st_ino == (site / f).stat().st_ino for f in files)
    assert not list((project / ".portal").glob("stage-*"))
    edit(one(project, "qingshan*"), "title: ", "title: 修订：")
    build(cached(project))
    assert tree_digest(site) == tree_digest(clean_build(project, tmp_path / "a"))
    assert tree_digest(replaced) == published
