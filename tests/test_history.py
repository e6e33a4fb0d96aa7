"""Problems followed across notices (``content.history``): rounds, the latest report wins,
revised deadlines, 销号, and every link the editor can get wrong, located word for word."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.commands.check import check
from generator.content.history import completion, trace
from generator.content.model import Portal
from tests.helpers import AS_OF, ROOT, write_tree

FIRST = """---
title: 测试区委关于巡视整改进展情况的通报
issuer: 中共测试区委
published: 2022-04-15
kind: 整改进展
inspection:
  type: 巡视
  team: 省委第一巡视组
  round: 十四届省委第一轮
  period: [2021-10-11, 2021-12-10]
  feedback: 2022-01-20
---

## 整改落实情况

### （一）第一类问题

#### 1.关于“村级集体经济薄弱”问题的整改

```item
status: 推进中
deadline: 2022-12-31
```

正在推进。

#### 2.关于“债务风险化解不力”问题的整改

```item
status: 推进中
deadline: 2023-06-30
```

正在推进。

#### 3.关于“营商环境仍有短板”问题的整改

```item
status: 已完成
deadline: 2022-03-31
completed: 2022-03-25
```

已完成。
"""


def follow_up(published: str, follows: str, items: str, front: str = "") -> str:
    return (
        f"---\ntitle: 测试区委关于巡视整改进展情况的第二次通报\nissuer: 中共测试区委\n"
        f"published: {published}\nkind: 整改进展\nfollows: {follows}\n{front}---\n\n"
        f"## 整改落实情况\n{items}"
    )


def item(number: int, problem: str, block: str) -> str:
    return f"\n#### {number}.关于“{problem}”问题的整改\n\n```item\n{block}```\n\n进展情况。\n"


BOTH = item(1, "村级集体经济薄弱", "status: 已完成\ncompleted: 2022-11-30\n") + item(
    2, "债务风险化解不力", "status: 推进中\ndeadline: 2023-12-31\ndeadline_reason: 展期谈判\n"
)


def content(tmp_path: Path, **files: str) -> Path:
    return write_tree(tmp_path / "content", {f"{k}.md": v for k, v in files.items()})


def checked(tmp_path: Path, **files: str) -> tuple[Portal | None, list[str]]:
    portal, problems = check([content(tmp_path, **files)], AS_OF, ROOT / "portal.yml")
    return portal, [str(p).replace(str(tmp_path) + "/", "") for p in problems]


def test_a_follow_up_costs_one_line_and_its_items_follow_by_number(tmp_path):
    portal, problems = checked(tmp_path, a=FIRST, b=follow_up("2023-01-18", "a", BOTH))
    assert problems == []
    assert portal is not None
    (round_,) = portal.rounds
    assert round_.id == "a" and [n.id for n in round_.notices] == ["a", "b"]
    assert round_.name == "十四届省委第一轮巡视 · 中共测试区委"
    ids = {p.id: p for p in round_.problems}
    assert set(ids) == {"a-1", "a-2", "a-3"}
    assert [r.notice_id for r in ids["a-1"].reports] == ["a", "b"]
    # The follow-up left out `inspection`: it inherits the round's.
    b = next(n for n in portal.notices if n.id == "b")
    assert b.inspection is not None and b.inspection.team == "省委第一巡视组"


def test_the_latest_report_is_the_problem_and_earlier_ones_never_claim_unreported(tmp_path):
    portal, _ = checked(tmp_path, a=FIRST, b=follow_up("2023-01-18", "a", BOTH))
    assert portal is not None
    a = next(n for n in portal.notices if n.id == "a")
    first_debt = a.items[1]
    # On its own, a's item 2 (open, due 2023-06-30, reported 2022-04-15) is 逾期未报 by
    # AS_OF; b reported on it since, so a's report no longer claims it.
    assert first_debt.unreported is False and first_debt.history is not None
    assert first_debt.history.later is not None and first_debt.history.later.notice_id == "b"
    latest = {p.id: p.latest for p in portal.rounds[0].problems}
    assert latest["a-1"].status == "已完成" and latest["a-1"].notice_id == "b"
    # b's item 2: open on 2023-01-18, due 2023-12-31, nothing since: 逾期未报.
    assert latest["a-2"].unreported is True and latest["a-2"].overdue is False
    assert latest["a-2"].history.deadline_was == dt.date(2023, 6, 30)
    assert latest["a-2"].deadline_reason == "展期谈判"
    # Item 3 was finished in a and not reported again: a still holds its latest report.
    assert latest["a-3"].notice_id == "a"
    # Portal-wide: each problem once.
    assert portal.progress.total == 3 and portal.progress.done == 2
    assert portal.progress.unreported == 1
    assert len(portal.items) == 5 and len(portal.problems) == 3


def test_without_the_follow_up_the_earlier_report_is_unreported(tmp_path):
    portal, _ = checked(tmp_path, a=FIRST)
    assert portal is not None and portal.rounds == ()
    assert [i.unreported for i in portal.notices[0].items] == [True, True, False]


def test_a_deadline_not_restated_is_carried_on(tmp_path):
    items = item(2, "债务风险化解不力", "status: 推进中\n")
    portal, problems = checked(tmp_path, a=FIRST, b=follow_up("2024-03-01", "a", items))
    assert portal is not None
    latest = {p.id: p.latest for p in portal.rounds[0].problems}["a-2"]
    assert latest.deadline == dt.date(2023, 6, 30)
    # Open on 2024-03-01 with the carried deadline 2023-06-30 passed: 逾期 on its status date.
    assert (
        latest.overdue is True
        and latest.days_late == (dt.date(2024, 3, 1) - dt.date(2023, 6, 30)).days
    )
    assert latest.history is not None and latest.history.deadline_was is None
    assert problems == [
        "content/b.md:6:1: warning: follows: 1 open problem(s) of 'a' are not reported here: "
        "第1项; report their progress, or say they are closed"
    ]


def test_explicit_follows_and_new_problems(tmp_path):
    items = (
        item(1, "债务风险化解不力", "follows: 2\nstatus: 已完成\ncompleted: 2023-05-01\n")
        + item(2, "村级集体经济薄弱", "follows: 1\nstatus: 已完成\ncompleted: 2023-05-01\n")
        + item(3, "回头看发现的新问题", "follows: 新增\nstatus: 推进中\ndeadline: 2024-06-30\n")
    )
    portal, problems = checked(tmp_path, a=FIRST, b=follow_up("2023-06-01", "a", items))
    assert problems == []
    assert portal is not None
    by_id = {
        p.id: [r.notice_id + "#" + str(r.number) for r in p.reports]
        for p in portal.rounds[0].problems
    }
    assert by_id == {"a-1": ["a#1", "b#2"], "a-2": ["a#2", "b#1"], "a-3": ["a#3"], "b-3": ["b#3"]}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"b": follow_up("2023-01-18", "a-typo", BOTH)},
            ["content/b.md:6:1: error: follows: follows 'a-typo', but no notice has that id"],
            id="unknown-notice",
        ),
        pytest.param(
            {"b": follow_up("2021-01-18", "a", BOTH)},
            [
                "content/b.md:6:1: error: follows: follows 'a', published 2022-04-15, after this "
                "notice (2021-01-18); a notice follows an earlier one"
            ],
            id="later-notice",
        ),
        pytest.param(
            {"b": follow_up("2023-01-18", "a", item(7, "村级集体经济薄弱", "status: 已完成\n"))},
            [
                "content/b.md:6:1: warning: follows: 2 open problem(s) of 'a' are not reported "
                "here: 第1项、第2项; report their progress, or say they are closed",
                "content/b.md:11:1: error: item 7: item 7 reports on item 7 of 'a', which has no "
                "item 7 (did you mean 'follows: 1', “村级集体经济薄弱”?); or write 'follows: 新增' "
                "for a problem first reported here",
            ],
            id="no-such-item",
        ),
        pytest.param(
            {
                "b": follow_up(
                    "2023-01-18",
                    "a",
                    item(1, "债务风险化解不力", "status: 已完成\n")
                    + item(2, "村级集体经济薄弱", "status: 已完成\n"),
                )
            },
            [
                "content/b.md:11:1: warning: item 1: item 1 (“债务风险化解不力”) reports on item 1 of "
                "'a' by its number, but reads like its item 2 (“债务风险化解不力”): write 'follows: "
                "2' in its block, or 'follows: 1' to confirm",
                "content/b.md:19:1: warning: item 2: item 2 (“村级集体经济薄弱”) reports on item 2 of "
                "'a' by its number, but reads like its item 1 (“村级集体经济薄弱”): write 'follows: "
                "1' in its block, or 'follows: 2' to confirm",
            ],
            id="numbers-swapped",
        ),
        pytest.param(
            {
                "b": follow_up(
                    "2023-01-18",
                    "a",
                    BOTH + item(5, "村级集体经济薄弱", "follows: 1\nstatus: 已完成\n"),
                )
            },
            ["content/b.md:33:1: error: item 5: item 5 reports on the same problem as item 1"],
            id="two-items-one-problem",
        ),
        pytest.param(
            {
                "b": follow_up("2023-01-18", "a", BOTH),
                "c": follow_up(
                    "2023-06-18",
                    "b",
                    item(1, "村级集体经济薄弱", "status: 推进中\n")
                    + item(2, "债务风险化解不力", "status: 已完成\n"),
                ),
            },
            [
                "content/c.md:11:1: warning: item 1: item 1 was reported 已完成 before and is 推进中 "
                "now: say why in a note (note: …)"
            ],
            id="reopened-without-note",
        ),
    ],
)
def test_every_wrong_link_is_located(tmp_path, files, expected):
    portal, problems = checked(tmp_path, a=FIRST, **files)
    assert problems == expected
    assert (portal is None) == any(": error:" in p for p in expected)


def test_a_mistyped_id_gets_a_suggestion(tmp_path):
    _, problems = checked(tmp_path, first=FIRST, b=follow_up("2023-01-18", "frist", BOTH))
    assert problems == [
        "content/b.md:6:1: error: follows: follows 'frist', but no notice has that id; did you "
        "mean 'first'?"
    ]


def test_notices_that_follow_each_other_in_a_circle_are_refused(tmp_path):
    a = FIRST.replace("kind: 整改进展\n", "kind: 整改进展\nfollows: b\n")
    _, problems = checked(tmp_path, a=a, b=follow_up("2022-04-15", "a", BOTH))
    assert problems == [
        "content/a.md:6:1: error: follows: the notices this one follows lead back to it: a "
        "notice follows an earlier one",
        "content/b.md:6:1: error: follows: the notices this one follows lead back to it: a "
        "notice follows an earlier one",
    ]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "status: 推进中\nclosed: 2023-01-10\n",
            "content/b.md:15:9: error: items[1].closed: closed (销号) while the status is 推进中; "
            "only a finished problem (已完成) is closed",
        ),
        (
            "status: 已完成\nclosed: 是\n",
            "content/b.md:15:9: warning: items[1].closed: closed (销号) without a date: write the "
            "day it was closed, e.g. closed: 2025-03-31",
        ),
        (
            "status: 已完成\nevidence: 销号通知\n",
            "content/b.md:15:11: warning: items[1].evidence: evidence (销号依据) without closed: "
            "write the day the problem was closed",
        ),
        (
            "status: 已完成\ncompleted: 2023-01-10\nclosed: 2023-01-01\n",
            "content/b.md:16:9: error: items[1].closed: closed on 2023-01-01, before it was "
            "completed on 2023-01-10",
        ),
    ],
)
def test_closing_rules(tmp_path, block, expected):
    items = item(1, "村级集体经济薄弱", block) + item(2, "债务风险化解不力", "status: 推进中\n")
    _, problems = checked(tmp_path, a=FIRST, b=follow_up("2023-01-18", "a", items))
    assert expected in problems, problems


def test_an_item_follows_only_in_a_follow_up(tmp_path):
    a = FIRST.replace(
        "status: 推进中\ndeadline: 2022-12-31", "follows: 3\nstatus: 推进中\ndeadline: 2022-12-31"
    )
    _, problems = checked(tmp_path, a=a)
    assert problems[0] == (
        "content/a.md:21:10: error: items[1].follows: the item follows item 3 of an earlier "
        "notice, but the notice names none: add 'follows: <id of the earlier notice>' to the "
        "front matter"
    )


def test_follows_must_be_written_on_its_own_line(tmp_path):
    b = follow_up("2023-01-18", "a", BOTH).replace("follows: a\n", "follows:\n  a\n")
    _, problems = checked(tmp_path, a=FIRST, b=b)
    assert problems[0].startswith(
        "content/b.md:7:3: error: follows: write 'follows: <id>' on a line of its own"
    )


def test_completion_counts_each_problem_by_its_latest_report_by_then(tmp_path):
    portal, _ = checked(tmp_path, a=FIRST, b=follow_up("2023-01-18", "a", BOTH))
    assert portal is not None
    points = portal.rounds[0].timeline
    assert [(p.day.isoformat(), p.total, p.done) for p in points] == [
        ("2022-04-15", 3, 1),
        ("2023-01-18", 3, 2),
    ]
    # Reopened problems count down again.
    reports = [
        ("p", _Item("已完成"), dt.date(2022, 1, 1)),
        ("p", _Item("推进中"), dt.date(2022, 6, 1)),
    ]
    assert [
        (p.total, p.done) for p in completion(reports, [dt.date(2022, 3, 1), dt.date(2022, 7, 1)])
    ] == [(1, 1), (1, 0)]  # type: ignore[arg-type]


class _Item:
    def __init__(self, status: str) -> None:
        self.status = status


def test_the_example_portal_has_two_rounds_as_written(example_portal: Portal):
    rounds = {r.id: r for r in example_portal.rounds}
    assert set(rounds) == {"jiaotongju-xuncha", "linjiang-xianwei-xunshi"}
    linjiang = rounds["linjiang-xianwei-xunshi"]
    assert [n.id for n in linjiang.notices] == [
        "linjiang-xianwei-xunshi",
        "linjiang-xianwei-xunshi-xubao",
        "linjiang-xianwei-xunshi-disanci",
    ]
    debt = {p.id: p for p in linjiang.problems}["linjiang-xianwei-xunshi-3"]
    assert [r.notice_id for r in debt.reports][-1] == "linjiang-xianwei-xunshi-disanci"
    # Its deadline (2023-12-31) not restated on 2024-03-20: carried on, and passed: 逾期.
    assert debt.latest.overdue and debt.latest.deadline == dt.date(2023, 12, 31)
    staff = {p.id: p for p in linjiang.problems}["linjiang-xianwei-xunshi-8"]
    assert staff.reports[1].history.deadline_was == dt.date(2022, 12, 31)
    jiaotong = rounds["jiaotongju-xuncha"]
    (change,) = jiaotong.changes
    assert change.dropped == ("jiaotongju-xuncha-6",)
    assert "jiaotongju-xuncha-2" in change.finished
    assert {p.id: p for p in jiaotong.problems}["jiaotongju-xuncha-1"].latest.closed == dt.date(
        2025, 3, 1
    )
    revised = {p.id: p for p in jiaotong.problems}["jiaotongju-xuncha-4"].latest
    assert revised.unreported and revised.history.deadline_was == dt.date(2025, 3, 31)


def test_tracing_is_one_pass(example_portal: Portal):
    """Tracing the traced notices again changes nothing (the adjusted items are stable)."""
    again = trace(example_portal.notices, example_portal.as_of)
    assert [n.items for n in again.notices] == [n.items for n in example_portal.notices]


def test_following_a_notice_with_errors_is_not_a_second_error(tmp_path):
    """The earlier notice's own error says what is wrong; the follow-up does not add a
    misleading "no notice has that id" (it did: the broken notice was simply missing)."""
    broken = FIRST.replace("status: 已完成", "status: 完成了", 1)
    assert broken != FIRST
    _, problems = checked(tmp_path, a=broken, b=follow_up("2023-01-18", "a", BOTH))
    errors = [p for p in problems if ": error: " in p]
    assert errors and all(p.startswith("content/a.md:") for p in errors), errors
    _, problems = checked(tmp_path, a=FIRST, b=follow_up("2023-01-18", "a-typo", BOTH))
    assert any("no notice has that id" in p for p in problems)  # a real unknown id still is
