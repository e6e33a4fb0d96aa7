"""(Stage 2, validate) Personal data that must not be published: resident ID numbers (check
digit verified), bank card numbers (Luhn), mobile numbers that are not one of the notice's own
contact channels, and the names that follow 举报人/信访人/反映人/投诉人/来信人.

Inspection notices must not disclose the people who reported problems, nor anyone's personal
identifiers. IDs and card numbers are errors; mobiles and names are warnings (an official's
work mobile may be meant). An editor who means a value to be public lists it, exactly as
written, under ``disclose:`` in the front matter; the message names that mark.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.i18n import Msg, m

ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-8][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

CARD = re.compile(r"(?<![0-9])(?:[3-6][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[0-9]{1,3})?)(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")

ROLES = "举报人|信访人|反映人|投诉人|来信人|检举人|控告人"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔汤康施牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿焦俞左柳甘祝包尚符"
    "舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍喻祁蒲房滕屈饶牟艾尤穆卓缪岑窦戚"
)
"""Common surnames, without the ones that are also everyday words after a role (和、于、向、
时、全、成、高、方、关、安、文、明、常、应、单、解…): ``举报人和证人`` names nobody."""
NAME = re.compile(
    f"(?:{ROLES})[：:\\s]*(?:为|是|系)?([{SURNAMES}][\u4e00-\u9fff]{{1,2}}?)"
    "(?=[，。、；：,;:\\s（(）)]|同志|先生|女士|等|反映|举报|称|来信|来电|$)"
)


CHANNEL = re.compile("值班电话|举报电话|监督电话|受理电话|意见电话|热线|短信|电话[:：]")
"""How notices introduce their own feedback lines (a person's 联系手机 is not one)."""
_ROLE = re.compile(ROLES)


def _channel(text: str, at: int) -> bool:
    """The number is introduced as a feedback line of the unit (值班电话：…, 接收短信手机号码为…)
    within the 40 characters before it, and no reporter is named in between."""
    before = text[max(0, at - 40) : at]
    heard = [hit.end() for hit in CHANNEL.finditer(before)]
    return bool(heard) and not _ROLE.search(before, heard[-1] - 4 if heard[-1] >= 4 else 0)


@dataclass(frozen=True)
class Finding:
    offset: int
    value: str
    """Exactly as written (what ``disclose:`` must list)."""
    kind: Msg
    serious: bool
    """An error (ID, card) rather than a warning (mobile, name)."""


def id_number_valid(text: str) -> bool:
    """The 18th character is the ISO 7064 MOD 11-2 check of the first 17, and the birth date
    in characters 7-14 exists."""
    digits = text.upper()
    try:
        dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17]


def luhn_valid(digits: str) -> bool:
    total = 0
    for n, d in enumerate(reversed(digits)):
        value = int(d) * (2 if n % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def findings(text: str, own_phones: frozenset[str]) -> Iterator[Finding]:
    """Personal data in ``text``; mobiles among ``own_phones`` (digits only) are the unit's."""
    ids = set()
    for hit in ID_NUMBER.finditer(text):
        if id_number_valid(hit[0]):
            ids.add(hit.start())
            yield Finding(hit.start(), hit[0], m("a resident ID number (居民身份证号码)"), True)
    for hit in CARD.finditer(text):
        digits = re.sub("[ -]", "", hit[0])
        if hit.start() not in ids and 16 <= len(digits) <= 19 and luhn_valid(digits):
            yield Finding(hit.start(), hit[0], m("a bank card number (银行卡号)"), True)
    for hit in MOBILE.finditer(text):
        if re.sub("[ -]", "", hit[0]) not in own_phones and not _channel(text, hit.start()):
            yield Finding(hit.start(), hit[0], m("a mobile number that is not one of this notice's contact channels"), False)  # fmt: skip
    for hit in NAME.finditer(text):
        if "某" not in hit[1]:
            yield Finding(
                hit.start(1), hit[1], m("the name of a person who reported a problem"), False
            )


def message(found: Finding) -> Msg:
    return m(
        "'{value}' looks like {kind}: inspection notices must not disclose it; remove it (write "
        "张某, or the unit's own line), or, if it is meant to be public, list it under "
        "'disclose:' in the front matter",
        value=found.value, kind=found.kind,
    )  # fmt: skip


def digits_of(number: str) -> str:
    return re.sub("[^0-9]", "", number)
