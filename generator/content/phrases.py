"""(Stage 2, validate) What editors write instead of the format's words, and what they mean.

A suggestion for a status must never turn an unfinished item into a finished one (edit
distance made 未完成 -> 已完成 and 正在整改 -> 已整改). So enums with meaning suggest from this
table of the phrasings units actually publish; a phrase whose meaning is open (未完成: not
done, but how far?) gets no single guess but every value with what it means, and a word the
table does not know gets the same, never the nearest spelling.
"""

from __future__ import annotations

from generator.i18n import Clauses, Msg, m

STATUS_MEANING = {
    "已完成": "整改任务全部完成",
    "基本完成": "主体任务完成，尚有收尾或巩固工作",
    "推进中": "正在整改，尚未完成",
    "长期坚持": "须长期坚持、持续推进，没有完成之日",
    "未说明": "原文没有说明进度（导入时填写，发布前须选定）",
}

OPEN = None
"""The answer for a phrase that says "not finished" without saying how far."""

STATUS_PHRASES: dict[str, str | None] = {
    # finished
    "完成": "已完成", "完成了": "已完成", "已完成整改": "已完成", "完成整改": "已完成",
    "整改完成": "已完成", "已整改完成": "已完成", "整改到位": "已完成", "已整改到位": "已完成",
    "全面完成": "已完成", "已全面完成": "已完成", "已办结": "已完成", "办结": "已完成",
    "已销号": "已完成", "销号": "已完成", "已落实": "已完成", "落实到位": "已完成",
    "已解决": "已完成", "完毕": "已完成", "已完结": "已完成", "整改完毕": "已完成",
    # mostly
    "基本完成整改": "基本完成", "基本整改到位": "基本完成", "基本到位": "基本完成",
    "基本整改": "基本完成", "基本解决": "基本完成", "阶段性完成": "基本完成",
    "基本落实": "基本完成", "大部分完成": "基本完成",
    # under way
    "整改中": "推进中", "正在整改": "推进中", "正在推进": "推进中", "推进": "推进中",
    "进行中": "推进中", "在推进": "推进中", "正在落实": "推进中", "有序推进": "推进中",
    "逐步推进": "推进中", "稳步推进": "推进中", "加快推进": "推进中", "部分完成": "推进中",
    "初步完成": "推进中", "取得阶段性成效": "推进中", "阶段性成效": "推进中", "正在办理": "推进中",
    "持续推进中": "推进中",
    # long-term
    "持续整改": "长期坚持", "持续推进": "长期坚持", "长期推进": "长期坚持",
    "长期坚持整改": "长期坚持", "常态化推进": "长期坚持", "持续深化": "长期坚持",
    "久久为功": "长期坚持", "长期": "长期坚持", "常态长效": "长期坚持",
    # open: not finished, but how far is not said
    "未完成": OPEN, "尚未完成": OPEN, "未整改": OPEN, "未整改到位": OPEN, "没有完成": OPEN,
    "待整改": OPEN, "未落实": OPEN,
}  # fmt: skip
"""A phrasing -> the status it means, or ``OPEN``."""

DONE_WORDS = ("已完成",)
"""Statuses that say the work is finished: a suggestion may lead to one only from a phrase
that says so too (``tests/test_phrases.py`` checks every entry)."""

INSPECTION_PHRASES = {
    "巡查": "巡察",
    "巡查组": "巡察",
    "巡察组": "巡察",
    "巡视组": "巡视",
    "市委巡察": "巡察",
    "县委巡察": "巡察",
    "省委巡视": "巡视",
    "中央巡视": "巡视",
}
"""巡查 is the homophone of 巡察 (city and county inspections), not a near-spelling of 巡视."""


def status_hint(got: str) -> Msg:
    """What to say to an editor who wrote ``got`` as a status."""
    meant = STATUS_PHRASES.get(got.strip("。． "), OPEN)
    if meant is not None:
        return m(
            "; '{got}' means '{meant}' ({meaning}): write '{meant}'",
            got=got, meant=meant, meaning=STATUS_MEANING[meant],
        )  # fmt: skip
    listed = Clauses(
        m("{status}: {meaning}", status=s, meaning=means)
        for s, means in STATUS_MEANING.items()
        if s != "未说明"
    )
    return m("; choose by what the text says: {listed}", listed=listed)


def inspection_hint(got: str) -> Msg:
    meant = INSPECTION_PHRASES.get(got.strip())
    if meant:
        return m("; did you mean '{close}'?", close=meant)
    return m("; 巡视: by a central or provincial Party committee; 巡察: by a city or county one")
