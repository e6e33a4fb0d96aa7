"""Every message in the editors' language: 简体中文 by default, English on request.

The catalogue (``generator/i18n/zh.py``) is checked against the code itself: every message the
code can show has its Chinese, with the same fields, and the catalogue holds nothing the code
no longer says. The fixtures (tests/test_diagnostics.py), the help texts and the importer's
report are compared word for word in both languages.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from generator import i18n
from generator.cli import main
from generator.i18n import zh
from tests.helpers import ROOT

GENERATOR = ROOT / "generator"
HELP = ROOT / "tests" / "golden" / "help"
COMMANDS = ["", "check", "build", "serve", "schema", "import", "ledger", "ledger export",
            "ledger apply", "new"]  # fmt: skip


def _messages_in_code() -> dict[str, str]:
    """Every ``m("…")`` (or ``i18n.m("…")``) of the code: text -> where."""
    found: dict[str, str] = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = (
                node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            )
            if name == "m" and isinstance(node.args[0], ast.Constant):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_message_of_the_code_has_its_chinese_with_the_same_fields():
    code = _messages_in_code()
    assert len(code) > 300
    missing = {text: where for text, where in code.items() if text not in zh.TEXTS}
    assert missing == {}
    differ = {t: zh.TEXTS[t] for t in code if i18n.fields_of(t) != i18n.fields_of(zh.TEXTS[t])}
    assert differ == {}


def test_the_catalogue_holds_nothing_the_code_no_longer_says():
    assert sorted(set(zh.TEXTS) - set(_messages_in_code())) == []


def test_every_chinese_text_renders_with_its_fields():
    for text, chinese in zh.TEXTS.items():
        values = dict.fromkeys(i18n.fields_of(text), "〇")
        rendered = i18n.Msg(text, tuple(values.items())).render("zh")
        assert rendered == chinese.format_map(values) and "〇" * bool(values) in rendered, text


def test_a_message_is_rendered_when_shown_in_the_language_then_current():
    message = i18n.m("expected {what}, got '{got}'", what=i18n.m("a number"), got="十")
    i18n.use("zh")
    assert str(message) == "应为数字，实际是“十”"
    i18n.use("en")
    assert str(message) == "expected a number, got '十'"
    assert i18n.show(["甲", "乙"], "zh") == "甲、乙" and i18n.show(["a", "b"], "en") == "a, b"


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"PORTAL_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        ({"PORTAL_LANG": "en"}, "en"),
    ],
)
def test_the_language_comes_from_the_environment_chinese_by_default(environ, language):
    assert i18n.from_environment(environ) == language


def _portal(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PORTAL_LANG", "LANG", "LC_ALL", "LC_MESSAGES")
    }
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True, text=True, cwd=ROOT, env={**clean, "COLUMNS": "100", **env},
    )  # fmt: skip


def test_a_new_editor_gets_chinese_without_asking_and_english_by_option_or_locale():
    bad = "tests/fixtures/invalid/bad-phone.md"
    chinese = _portal("check", bad)
    assert chinese.returncode == 1
    assert chinese.stderr.splitlines() == [
        f"{bad}:12:19: 错误: contacts.phone.number: 应为电话号码，例如 0510-83890000，实际是“请拨打热线”",
        "共 1 个文件，1 处错误，0 处警告",
    ]
    english = [f"{bad}:12:19: error: contacts.phone.number: expected a phone number such as "
               "0510-83890000, got '请拨打热线'", "1 error(s), 0 warning(s) in 1 file(s)"]  # fmt: skip
    assert _portal("check", "--lang", "en", bad).stderr.splitlines() == english
    assert _portal("--lang", "en", "check", bad).stderr.splitlines() == english
    assert _portal("check", bad, LANG="en_US.UTF-8").stderr.splitlines() == english
    ok = _portal("check", "content")
    assert ok.returncode == 0 and ok.stderr.splitlines()[-1].startswith(
        "检查通过：12 份通报，98 个整改事项"
    )


def test_usage_mistakes_are_explained_in_chinese():
    wrong = _portal("check", "--nope")
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines()[-1] == "portal：错误：无法识别的参数：--nope"
    missing = _portal("new", "x.md")
    assert missing.stderr.splitlines()[-1] == "portal new：错误：缺少必需的参数：--title, --issuer"
    assert _portal("build", "--as-of", "2025-13-01").stderr.splitlines()[-1] == (
        "portal build：错误：参数 --as-of：应为日期 YYYY-MM-DD，实际是“2025-13-01”"
    )


def help_text(command: str, language: str) -> str:
    return _portal(*command.split(), "--help", "--lang", language).stdout


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("command", COMMANDS)
def test_help_word_for_word(command, language):
    """``portal [command] --help`` as it reads at 100 columns (tests/golden/help/)."""
    name = (command.replace(" ", "-") or "portal") + f".{language}.txt"
    assert help_text(command, language) == (HELP / name).read_text(encoding="utf-8")


def test_chinese_help_has_no_english_sentence_left():
    for command in COMMANDS:
        text = help_text(command, "zh")
        assert "usage:" not in text and "show this help" not in text and "options:" not in text
        sentences = [line for line in text.splitlines() if " the " in line or " a " in line]
        assert sentences == [], command


def test_the_format_reference_in_chinese_and_english(capsys):
    assert main(["schema", "--reference", "--lang", "zh"]) == 0
    chinese = capsys.readouterr().out
    assert "| 字段 | | 取值 | 含义 |" in chinese
    assert "| `inspection.team` |  | 文本 | 巡视巡察组，例如 省委第二巡视组 |" in chinese
    assert " the " not in chinese and "required" not in chinese
    assert main(["schema", "--reference", "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert "| `inspection.team` |  | text | the inspection team, e.g. 省委第二巡视组 |" in english


def write_help_goldens() -> None:
    HELP.mkdir(parents=True, exist_ok=True)
    for command in COMMANDS:
        for language in ("zh", "en"):
            name = (command.replace(" ", "-") or "portal") + f".{language}.txt"
            (HELP / name).write_text(help_text(command, language), encoding="utf-8")


if __name__ == "__main__":
    write_help_goldens()


IMPORT_REPORT = {
    "zh": [
        "tests/fixtures/import/saved_page_with_other_notices.html：已导入为 整改进展（UTF-8）",
        "  保留：原文的 348 个汉字和数字全部在草稿里",
        "  识别出：类别 2 个，整改事项 3 个，电话 1 个，通信地址 0 个，电子邮箱 1 个，统计数字 0 项",
        "  基本信息：title=中共某某区农业农村局党组关于区委巡察整改进展情况的通报, issuer=中共某某区农业农村局党组, "
        "published=2024-05-20, type=巡察, team=区委第二巡察组, topic=—, period=2023-10-09/2023-12-08, "
        "feedback=2024-01-16",
        "  删去了网页的栏目、导航等内容，在第 5、11、13-15、18、21、35、37-38、42、44、48-49、51、53-54 行",
        "  已写成草稿（draft: true）：编辑删去这一行之前不会发布",
    ],
    "en": [
        "tests/fixtures/import/saved_page_with_other_notices.html: imported as 整改进展 (UTF-8)",
        "  kept: all 348 Chinese characters and digits of the text",
        "  found: categories 2, items 3, phones 1, postal 0, emails 1, figures 0",
        "  metadata: title=中共某某区农业农村局党组关于区委巡察整改进展情况的通报, issuer=中共某某区农业农村局党组, "
        "published=2024-05-20, type=巡察, team=区委第二巡察组, topic=—, period=2023-10-09/2023-12-08, "
        "feedback=2024-01-16",
        "  removed web-page furniture at lines 5, 11, 13-15, 18, 21, 35, 37-38, 42, 44, 48-49, 51, 53-54",
        "  written as a draft (draft: true): not published until an editor removes it",
    ],
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(IMPORT_REPORT))
def test_the_importers_report_word_for_word(tmp_path, language):
    done = _portal("import", "tests/fixtures/import/saved_page_with_other_notices.html", "-o",
                   str(tmp_path), "--lang", language)  # fmt: skip
    wrote = {"zh": "  已写入 ", "en": "  wrote "}[language]
    assert done.stderr.splitlines() == [
        *IMPORT_REPORT[language],
        f"{wrote}{next(tmp_path.iterdir())}",
    ]


def test_build_and_ledger_summaries_in_chinese(tmp_path, capsys, monkeypatch):
    from tests.helpers import AS_OF, project_copy

    monkeypatch.chdir(project_copy(tmp_path / "p"))
    i18n.use("zh")
    monkeypatch.delenv("PORTAL_LANG")
    assert main(["build", "--no-cache", "--as-of", AS_OF.isoformat()]) == 0
    said = capsys.readouterr().err.splitlines()
    assert any(line.startswith("已生成 12 份通报、98 个整改事项到 site/（") for line in said), said
    assert "未发布 1 份草稿（draft: true）：content/notices/2024/wenlvju-xuncha-caogao.md" in said
    assert main(["ledger", "export", "ledger.csv", "--as-of", AS_OF.isoformat()]) == 0
    assert capsys.readouterr().err.splitlines() == ["已写入 ledger.csv：84 个问题，每个一行"]
    assert main(["ledger", "apply", "ledger.csv", "--as-of", AS_OF.isoformat()]) == 0
    assert capsys.readouterr().err.splitlines() == ["ledger.csv：没有单元格与通报不同，无需写入"]
