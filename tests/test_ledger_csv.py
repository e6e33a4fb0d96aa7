"""The ledger round trip: ``portal ledger export`` then ``apply`` (issue 16, part 6).

Export then apply with no edits changes no byte; every editable column is written back into
its item block and nothing else in the file changes; a bad row stops everything, located at
``FILE.csv:row:column``; a CSV saved by Excel in GBK is read."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.history import problem_key
from generator.content.model import is_latest
from generator.ledger.table import COLUMNS, export_csv
from tests.helpers import AS_OF, project_copy, tree_digest

DAY = ["--as-of", AS_OF.isoformat()]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = project_copy(tmp_path / "p")
    monkeypatch.chdir(root)
    return root


def export(project: Path) -> list[list[str]]:
    assert main(["ledger", "export", "l.csv", *DAY]) == 0
    data = (project / "l.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # Excel and WPS read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def write(
    project: Path, rows: list[list[str]], name: str = "e.csv", encoding: str = "utf-8-sig"
) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    (project / name).write_bytes(out.getvalue().encode(encoding))
    return name


def edit(rows: list[list[str]], problem: str, column: str, value: str) -> None:
    col = rows[0].index(column)
    (row,) = [r for r in rows[1:] if r[0] == problem]
    row[col] = value


def test_the_export_has_one_row_per_problem_with_chinese_headers(project, example_portal):
    rows = export(project)
    assert rows[0] == [c.name for c in COLUMNS]
    assert [r[0] for r in rows[1:]] == [problem_key(i) for i in example_portal.problems]
    assert all(r[-1].startswith("https://portal.example.org/notices/") for r in rows[1:])
    assert len(rows) - 1 == len(example_portal.problems) < len(example_portal.items)
    # The same table the portal builds from.
    assert (
        export_csv(example_portal, "https://portal.example.org/")
        == (project / "l.csv").read_bytes()
    )


def test_export_then_apply_unedited_changes_no_byte(project, capsys):
    rows = export(project)
    before = tree_digest(project / "content")
    for name, encoding in (("l.csv", None), ("gbk.csv", "gb18030")):
        if encoding:
            write(project, rows, name, encoding)
        assert main(["ledger", "apply", name, *DAY]) == 0
        assert tree_digest(project / "content") == before
    assert "no cell differs from the notices; nothing to write" in capsys.readouterr().err


def test_every_editable_column_is_written_into_its_block_and_nothing_else(project, capsys):
    rows = export(project)
    target = project / "content/notices/2025/jiaotongju-xuncha-xubao.md"
    text = target.read_text(encoding="utf-8")
    pid = "jiaotongju-xuncha-3"
    for column, value in [
        ("整改状态", "已完成"), ("状态截至", "2025-06-10"), ("整改时限", "2025/6/30"),
        ("调整理由", "提前完成: 统一招标"), ("完成时间", "2025年6月8日"), ("销号日期", "2025-06-15"),
        ("销号依据", "市委巡察办销号意见"), ("责任单位", "运输管理处；科技信息科"),
    ]:  # fmt: skip
        edit(rows, pid, column, value)
    name = write(project, rows)
    assert main(["ledger", "apply", "--dry-run", name, *DAY]) == 0
    assert target.read_text(encoding="utf-8") == text  # a dry run writes nothing
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == (
        "content/notices/2025/jiaotongju-xuncha-xubao.md:46: 第3项 status: 推进中 → 已完成"
    )
    assert len(shown) == 8
    assert main(["ledger", "apply", name, *DAY]) == 0
    block = (
        "```item\nstatus: 已完成\ndeadline: 2025-06-30\nowner: [运输管理处, 科技信息科]\n"
        'as_of: 2025-06-10\ndeadline_reason: "提前完成: 统一招标"\ncompleted: 2025-06-08\n'
        "closed: 2025-06-15\nevidence: 市委巡察办销号意见\n```"
    )
    old_block = "```item\nstatus: 推进中\ndeadline: 2027-06-30\nowner: 运输管理处\n```"
    assert text.count(old_block) == 1
    assert target.read_text(encoding="utf-8") == text.replace(old_block, block)
    # Read back, the notices say what the cells said; exported again, the cells are the same.
    again = export(project)
    row = next(r for r in again if r[0] == pid)
    cells = dict(zip(again[0], row, strict=True))
    assert (cells["整改状态"], cells["完成时间"], cells["销号日期"], cells["责任单位"]) == (
        "已完成",
        "2025-06-08",
        "2025-06-15",
        "运输管理处；科技信息科",
    )
    assert cells["原定时限"] == "2027-06-30"


def test_comments_line_endings_and_a_bom_are_kept(project):
    target = project / "content/notices/2024/linjiang-xianwei-xunshi-disanci.md"
    text = target.read_text(encoding="utf-8").replace(
        "status: 推进中\n", "status: 推进中   # 年底前完成\n"
    )
    target.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    rows = export(project)
    edit(rows, "linjiang-xianwei-xunshi-3", "整改状态", "基本完成")
    assert main(["ledger", "apply", write(project, rows), *DAY]) == 0
    expected = text.replace("status: 推进中   # 年底前完成\n", "status: 基本完成  # 年底前完成\n")
    assert target.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()


def test_a_csv_saved_by_excel_in_gbk_is_applied(project):
    rows = export(project)
    edit(rows, "linjiang-xianwei-xunshi-3", "整改状态", "基本完成")
    edit(rows, "linjiang-xianwei-xunshi-3", "整改时限", "2024/12/31")
    assert main(["ledger", "apply", write(project, rows, "gbk.csv", "gb18030"), *DAY]) == 0
    text = (project / "content/notices/2024/linjiang-xianwei-xunshi-disanci.md").read_text(
        encoding="utf-8"
    )
    assert "follows: 3\nstatus: 基本完成\nowner: 县财政局\ndeadline: 2024-12-31\n```" in text


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([("linjiang-xianwei-xunshi-3", "整改状态", "差不多了")],
         "e.csv:{row}:8: error: 整改状态: expected one of 已完成, 基本完成, 推进中, 长期坚持, 未说明; got '差不多了'; choose by what the text says: 已完成: 整改任务全部完成; 基本完成: 主体任务完成，尚有收尾或巩固工作; 推进中: 正在整改，尚未完成; 长期坚持: 须长期坚持、持续推进，没有完成之日"),
        ([("linjiang-xianwei-xunshi-3", "整改时限", "2024-13-01")],
         "e.csv:{row}:10: error: 整改时限: expected a date YYYY-MM-DD, got '2024-13-01' (there is no month 13)"),
        ([("linjiang-xianwei-xunshi-3", "问题编号", "linjiang-xianwei-xunshi-99")],
         "e.csv:{row}:1: error: 问题编号: 问题编号 'linjiang-xianwei-xunshi-99' is not a problem of the portal (was the row added by hand?)"),
        ([("linjiang-xianwei-xunshi-3", "销号日期", "2024-03-01")],
         "e.csv:{row}:17: error: this row would make content/notices/2024/linjiang-xianwei-xunshi-disanci.md:33:9: error: items[2].closed: closed (销号) while the status is 推进中; only a finished problem (已完成) is closed"),
    ],
)  # fmt: skip
def test_a_bad_row_is_located_and_nothing_is_written(project, capsys, edits, expected):
    rows = export(project)
    row = next(n for n, r in enumerate(rows, 1) if r[0] == "linjiang-xianwei-xunshi-3")
    edit(rows, "jiaotongju-xuncha-3", "整改状态", "已完成")  # a good row beside the bad one
    for problem, column, value in edits:
        edit(rows, problem, column, value)
    before = tree_digest(project / "content")
    capsys.readouterr()
    assert main(["ledger", "apply", write(project, rows), *DAY]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == expected.format(row=row)
    assert tree_digest(project / "content") == before


def test_a_problem_twice_is_refused(project, capsys):
    rows = export(project)
    rows.append(list(rows[1]))
    capsys.readouterr()
    assert main(["ledger", "apply", write(project, rows), *DAY]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"e.csv:{len(rows)}:1: error: 问题编号: 问题编号 '{rows[1][0]}' is also on row 2"
    )


def test_the_exported_rows_are_the_latest_reports(example_portal):
    data = export_csv(example_portal).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    header = rows[0]
    latest = [i for n in example_portal.notices for i in n.items if is_latest(i)]
    assert [r[header.index("通报编号")] for r in rows[1:]] == [i.notice_id for i in latest]
    assert [r[header.index("整改状态")] for r in rows[1:]] == [i.status for i in latest]
