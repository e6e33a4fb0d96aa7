"""Derived data: progress counts and overdue as of the build date."""

import datetime as dt

from generator.commands.check import as_of_date, check
from tests.helpers import notice, write_tree


def portal_of(tmp_path, as_of, items):
    write_tree(tmp_path, {"a.md": notice(items=items)})
    portal, problems = check([tmp_path / "a.md"], as_of)
    assert problems == []
    assert portal is not None
    return portal


def test_overdue_is_judged_on_the_status_date_and_unreported_after_it(tmp_path):
    """The notice is dated 2021-02-05: its statuses are known as of that day, not later."""
    items = (
        ("已完成", "2021-01-31"),  # done: neither
        ("推进中", "2021-01-31"),  # past due on the status date: 逾期
        ("基本完成", "2021-06-30"),  # due after the status date, passed by the build: 逾期未报
        ("推进中", "2021-07-01"),  # due on the build date: not yet late
        ("长期坚持", "2021-01-01"),  # no end by nature: neither
    )
    portal = portal_of(tmp_path, dt.date(2021, 7, 1), items)
    got = [(i.overdue, i.unreported) for i in portal.notices[0].items]
    assert got == [(False, False), (True, False), (False, True), (False, False), (False, False)]
    assert [i.status_as_of.iso() for i in portal.notices[0].items] == ["2021-02-05"] * 5
    progress = portal.notices[0].progress
    assert (progress.overdue, progress.unreported) == (1, 1)


def test_an_items_own_status_date_wins(tmp_path):
    text = notice(items=(("推进中", "2021-01-31"),)).replace(
        "status: 推进中", "status: 推进中\nas_of: 2021-01-20", 1
    )
    write_tree(tmp_path, {"a.md": text})
    portal, problems = check([tmp_path / "a.md"], dt.date(2021, 7, 1))
    assert problems == [] and portal is not None
    item = portal.notices[0].items[0]
    assert item.status_as_of.iso() == "2021-01-20"
    assert (item.overdue, item.unreported) == (False, True)  # due after 01-20, passed since


def test_progress_counts_every_status_in_order(tmp_path):
    items = (
        ("已完成", "2021-01-31"),
        ("正在推进", "2021-01-31"),
        ("持续推进", "2021-01-31"),
        ("已完成", "2021-01-31"),
    )
    progress = portal_of(tmp_path, dt.date(2021, 3, 1), items).progress
    assert progress.counts == (
        ("已完成", 2),
        ("基本完成", 0),
        ("推进中", 1),
        ("长期坚持", 1),
        ("未说明", 0),
    )
    assert (progress.total, progress.done, progress.percent_done, progress.overdue) == (4, 2, 50, 1)


def test_problem_title_is_the_quoted_text(tmp_path):
    item = portal_of(tmp_path, dt.date(2021, 3, 1), (("已完成", "2021-01-31"),)).notices[0].items[0]
    assert (item.label, item.problem, item.anchor, item.category) == (
        "1",
        "第1个问题",
        "item-1",
        "（一）问题类别",
    )


def test_as_of_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13 UTC = 11-15 in China
    assert as_of_date() == dt.date(2023, 11, 15)
    assert as_of_date(dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
