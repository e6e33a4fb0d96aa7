"""Item numbers as notices write them: ``1.``, ``1、``, ``（一）``, ``一、``, ``（1）``, ``①``
(Stages 2-3 and the importer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMBERED = re.compile(
    r"\s*(?:(?P<arabic>\d{1,3})\s*[.．、]"
    r"|(?P<bracket>[（(](?P<cn1>[一二三四五六七八九十〇零两]{1,4})[）)])"
    r"|(?P<paren>[（(](?P<ar2>\d{1,3})[）)])"
    r"|(?P<circled>[\u2460-\u2473])"
    r"|(?P<cn2>[一二三四五六七八九十]{1,4})、)\s*"
)


def chinese_number(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 三十六 -> 36 (enough for item numbers)."""
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


@dataclass(frozen=True)
class ItemNumber:
    """The item number a heading starts with."""

    number: int
    label: str
    """As written: ``1`` or ``（一）``."""
    rest: str
    """The heading after the number."""


def item_number(heading: str) -> ItemNumber | None:
    """The number when the heading starts with an item number (``1.``, ``（一）``, ``一、``)."""
    match = _NUMBERED.match(heading)
    if not match:
        return None
    rest = heading[match.end() :]
    if match["arabic"]:
        return ItemNumber(int(match["arabic"]), match["arabic"], rest)
    if match["bracket"]:
        return ItemNumber(chinese_number(match["cn1"]), match["bracket"], rest)
    if match["paren"]:
        return ItemNumber(int(match["ar2"]), match["paren"], rest)
    if match["circled"]:
        return ItemNumber(ord(match["circled"]) - 0x2460 + 1, match["circled"], rest)
    return ItemNumber(chinese_number(match["cn2"]), match["cn2"], rest)
