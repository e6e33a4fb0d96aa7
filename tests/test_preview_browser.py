"""`portal serve` as an editor sees it in the browser (issue 19, part 5): a bad save shows the
errors on the page, the fix reloads it; the terminal puts the changed file's errors first."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from generator.commands.check import check
from tests.helpers import AS_OF, ROOT, free_port, notice, wait_for, write_tree

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _status(base: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(base + "__portal/status", timeout=2) as response:
            return dict(json.loads(response.read()))
    except OSError:
        return None


SAYS = {
    "zh": {"ready": "搜索已更新", "error": ": 错误: items[1].status: ", "pages": "页面已更新",
           "others": "其他文件还有 {n} 处警告"},
    "en": {"ready": "search updated", "error": ": error: items[1].status: ", "pages": "pages updated",
           "others": "and {n} warning(s) in other files"},
}  # fmt: skip
"""What the preview prints, in the editor's language (Chinese unless asked otherwise)."""


@pytest.fixture
def preview(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, Path, dict[str, str]]]:
    """``portal serve`` on a project of two notices, in Chinese unless the test asks for
    another language; yields its base URL, folder and what it says."""
    language = getattr(request, "param", "zh")
    says = SAYS[language]
    warned = notice(
        title="另一份通报", text="一是加强监管,二是完善制度。"
    )  # ASCII comma: a warning
    write_tree(tmp_path, {"content/a.md": notice(title="第一版标题"), "content/b.md": warned})
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--port", str(port), "--as-of", "2026-11-22"],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PORTAL_LANG": language},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: says["ready"] in (tmp_path / "serve.log").read_text("utf-8"), 90)
        yield base, tmp_path, says
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.mark.parametrize("preview", ["zh", "en"], indirect=True)
def test_a_bad_save_shows_the_errors_and_the_fix_reloads_the_page(browser: Browser, preview):
    base, project, says = preview
    page = browser.new_page()
    page.goto(base + "notices/a/")
    expect(page.locator("h1")).to_have_text("第一版标题")
    expect(page.locator("[data-preview-errors]")).to_have_count(0)
    page.evaluate("window.__before = true")  # gone once the page reloads

    bad = notice(title="第二版标题").replace("已完成", "完成了", 1)
    (project / "content/a.md").write_text(bad, encoding="utf-8")
    banner = page.locator("[data-preview-errors]")
    expect(banner).to_be_visible(timeout=60_000)
    assert banner.get_attribute("role") == "alert"
    lines = banner.locator("li").all_text_contents()
    assert lines and lines[0].startswith("content/a.md:")
    assert says["error"] in lines[0]
    _, found = check([project / "content"], AS_OF, project / "portal.yml")
    warnings = sum(d.severity.value == "warning" for d in found)
    assert warnings >= 1 and all(
        d.path.endswith("b.md") for d in found if d.severity.value == "warning"
    )
    expect(banner).to_contain_text(f"另有 {warnings} 条警告")
    assert page.evaluate("window.__before") is True  # the last good page stays, not reloaded
    expect(page.locator("h1")).to_have_text("第一版标题")
    log = (project / "serve.log").read_text("utf-8")
    report = log[log.rindex(says["pages"]) :] if says["pages"] in log else log
    assert "content/a.md:" in report and says["others"].format(n=warnings) in report
    assert "b.md" not in report  # the other file's warnings are counted, not listed

    (project / "content/a.md").write_text(notice(title="第三版标题"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("第三版标题", timeout=60_000)  # reloaded by itself
    assert page.evaluate("window.__before") is None
    expect(page.locator("[data-preview-errors]")).to_have_count(0)
    page.close()


def test_the_preview_script_is_served_not_built(preview):
    """The built preview stays a clean build's bytes: the script is added as pages are served."""
    base, project, _ = preview
    with urllib.request.urlopen(base + "notices/a/", timeout=5) as response:
        served = response.read().decode("utf-8")
    assert '<script src="/__portal/preview.js"></script></body>' in served
    built = (project / ".portal/preview/notices/a/index.html").read_text(encoding="utf-8")
    assert "__portal" not in built
    status = _status(base)
    assert status is not None and status["ok"] is True and status["errors"] == []
