"""The editor's commands: `portal new` and `portal serve` (a real server and rebuilds)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request

import pytest

from generator.cli import main
from generator.commands.build import BuildOptions, build
from generator.commands.check import check
from generator.content import placeholders
from tests.helpers import AS_OF, ROOT, free_port, notice, tree_digest, wait_for, write_tree


@pytest.mark.parametrize("kind", ["整改进展", "工作报告", "经验做法"])
def test_new_writes_a_draft_that_passes_check_with_its_placeholders(
    tmp_path, capsys, monkeypatch, kind
):
    monkeypatch.chdir(tmp_path)
    args = ["new", "content/2025/x.md", "--title", "标题", "--issuer", "中共某区委", "--kind", kind]
    assert main([*args, "--published", "2025-03-01"]) == 0
    capsys.readouterr()
    assert main(["check", "content"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "ok: 0 notice(s), 0 item(s); 1 draft(s), not published"
    assert err[:-1], "the skeleton's placeholders are listed"
    assert all(": warning: " in line for line in err[:-1])


def test_the_skeleton_holds_no_made_up_value(tmp_path, monkeypatch):
    """Every value but the ones given on the command line is a placeholder: once ``draft:
    true`` is removed, each is an error on its own line."""
    monkeypatch.chdir(tmp_path)
    main(["new", "content/x.md", "--title", "标题", "--issuer", "中共某区委"])
    path = tmp_path / "content/x.md"
    text = path.read_text(encoding="utf-8")
    assert "draft: true" in text.splitlines()[1]
    front = text.split("---")[1]
    values = [line.split(":", 1)[1] for line in front.splitlines()[2:] if ":" in line]
    for value in values:
        for part in re.split(r"[{},\[\]]|\w+:", value.split("#")[0]):
            part = part.strip().strip('"')
            assert (
                not part
                or part in ("标题", "中共某区委", "整改进展")
                or placeholders.is_placeholder(part)
            ), part
    path.write_text(text.replace("draft: true", "draft: false", 1), encoding="utf-8")
    portal, problems = check([path], settings=tmp_path / "none.yml")
    assert portal is None
    lines_with_placeholders = {
        n for n, line in enumerate(text.splitlines(), 1) if placeholders.find(line)
    } - {2}  # the draft line's comment says what to fill in
    assert {p.line for p in problems if p.severity.value == "error"} == lines_with_placeholders


def test_new_never_overwrites(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"content/x.md": "mine"})
    assert main(["new", "content/x.md", "--title", "t", "--issuer", "i"]) == 1
    assert (tmp_path / "content/x.md").read_text() == "mine"
    assert "content/x.md exists" in capsys.readouterr().err


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


@pytest.mark.slow
def test_serve_rebuilds_on_change_and_keeps_the_last_good_preview(tmp_path):
    write_tree(tmp_path, {"content/a.md": notice(title="第一版标题")})
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    port = free_port()
    url = f"http://127.0.0.1:{port}/notices/a/"
    log = (tmp_path / "serve.log").open("w")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--port", str(port), "--as-of", "2026-11-22"],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    searched = lambda: (tmp_path / "serve.log").read_text().count("search updated")  # noqa: E731
    try:
        assert wait_for(lambda: "第一版标题" in (_get(url) or ""))
        assert wait_for(lambda: searched() == 1)
        (tmp_path / "content/a.md").write_text(notice(title="第二版标题"), encoding="utf-8")
        assert wait_for(lambda: "第二版标题" in (_get(url) or ""))
        # the page first, then the search index: in the end the preview is a clean build's site
        assert wait_for(lambda: searched() == 2)
        assert "pages updated in" in (tmp_path / "serve.log").read_text()
        clean = tmp_path / "clean"
        build(BuildOptions(tmp_path / "content", clean, tmp_path / "mkdocs.yml", AS_OF))
        assert tree_digest(tmp_path / ".portal" / "preview") == tree_digest(clean)
        (tmp_path / "content/a.md").write_text(
            notice(title="第三版").replace("已完成", "完成了"), encoding="utf-8"
        )
        assert wait_for(lambda: "preview not updated" in (tmp_path / "serve.log").read_text())
        assert "第二版标题" in (_get(url) or "")
        assert "items[1].status" in (tmp_path / "serve.log").read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_new_refuses_a_file_name_that_cannot_be_an_id_and_proposes_one(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "content/中文通报.md", "--title", "t", "--issuer", "i"]) == 1
    assert not (tmp_path / "content").exists()
    assert capsys.readouterr().err.splitlines() == [
        "portal: error: content/中文通报.md: the file name is the notice's id and address, so "
        "lower-case letters, digits and '-' only; for example content/zhongwentongbao.md"
    ]
