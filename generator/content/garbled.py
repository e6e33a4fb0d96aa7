"""(Stage 2, validate) Garbled text, as real imports carry it: characters lost as ``?`` or
U+FFFD, pinyin with tone marks left in brackets after the characters it reads, and UTF-8
read as GBK (mojibake). Each is a located problem (an error in a notice to be published, a
warning in a draft: search would miss the real words). ASCII ``,:;()`` between Chinese
characters is only a warning, which ``portal check --fix`` corrects in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.i18n import Msg, m

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN = re.compile(f"[{HAN}]")

LOST = re.compile(f"(?<=[{HAN}])\\?+(?=[{HAN};,:.?？，。；：、）)]|$)|\ufffd+")
"""A ``?`` straight after a Chinese character and before another one or punctuation (a
character the page's encoding could not hold); U+FFFD anywhere."""

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = re.compile(
    f"(?<=[\u2e80-\u9fff\uf900-\ufaff])\\\\?[（(]\\s*[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*\\s*\\\\?[）)]"
)
"""``(yùn)`` or ``\\(yùn\\)`` after a character: a reading aid the source page showed as ruby."""

ASCII_PUNCT = re.compile(
    f"(?<=[{HAN}”）])[,:;](?=[{HAN}0-9“（])|(?<=[0-9])[,:;](?=[{HAN}])|\\(([{HAN}]{{1,12}})\\)"
)
"""``,`` ``:`` ``;`` in Chinese text (after a Chinese character or closing quote and before a
Chinese character, digit or opening quote; or between a digit and a Chinese character: never
between digits, ``1,000`` and ``8:30`` stay), or ``(`` ``)`` around Chinese only."""
FULL_WIDTH = {",": "，", ":": "：", ";": "；"}


def _full_width(hit: re.Match[str]) -> str:
    return f"（{hit[1]}）" if hit[1] else FULL_WIDTH[hit[0]]


@dataclass(frozen=True)
class Garble:
    offset: int
    found: str
    message: Msg
    serious: bool = True
    """False: a warning even in a notice to be published (ASCII punctuation)."""


QUESTION = re.compile("吗|呢|么|是否|有没有|有无|能否|可否|何|哪|谁|几|多少|怎|否|还是")
"""Words that make a clause a question: a ``?`` after them is a question mark (pages that
turn full-width punctuation into ASCII write ``是否继续?``), not a lost character."""
_CLAUSE_END = re.compile("[。；;！!？?，,：:\n]")


def _asks(text: str, at: int) -> bool:
    """The clause ending at ``at`` is a question."""
    start = max((hit.end() for hit in _CLAUSE_END.finditer(text, 0, at)), default=0)
    return QUESTION.search(text, start, at) is not None


def garbles(text: str) -> Iterator[Garble]:
    """Every garbled stretch of ``text``, in order."""
    for hit in LOST.finditer(text):
        if hit[0] == "?" and _asks(text, hit.start()):
            continue
        yield Garble(hit.start(), hit[0], (
            m("lost character(s) '{found}' in '{around}': the source could not hold them; copy the words from the original document", found=hit[0], around=_around(text, hit.start(), hit.end()))
        ))  # fmt: skip
    for hit in PINYIN.finditer(text):
        yield Garble(hit.start(), hit[0], (
            m("pinyin '{found}' left after a character in '{around}' (the source page's reading aid); delete it", found=hit[0], around=_around(text, hit.start(), hit.end()))
        ))  # fmt: skip
    for start, end, meant in _mojibake(text):
        yield Garble(start, text[start:end], (
            m("garbled text '{text}' (UTF-8 read as GBK): it reads '{meant}'; import the original file again, or retype the words", text=text[start:end], meant=meant)
        ))  # fmt: skip
    for hit in ASCII_PUNCT.finditer(text):
        yield Garble(hit.start(), hit[0], (
            m("ASCII '{found}' in Chinese text; write '{full_width}' (portal check --fix does it in place)", found=hit[0], full_width=_full_width(hit))
        ), serious=False)  # fmt: skip


def _around(text: str, start: int, end: int, width: int = 6) -> str:
    return text[max(0, start - width) : end + width]


def _lead_characters() -> str:
    """The characters that can begin such a run: two GBK bytes, a UTF-8 lead byte of a
    Chinese character (E3-E9) and a continuation byte (80-BF). Only three two-byte GBK
    characters make the six bytes of two three-byte UTF-8 ones (an ASCII character or a
    four-byte GB18030 one puts a byte there that UTF-8 refuses)."""
    chars = []
    for lead in range(0xE3, 0xEA):
        for trail in range(0x80, 0xC0):
            try:
                chars.append(bytes([lead, trail]).decode("gb18030"))
            except UnicodeDecodeError:
                continue
    return "".join(c for c in chars if len(c) == 1)


_LEADS = re.compile(f"[{re.escape(_lead_characters())}]")


def _mojibake(text: str) -> Iterator[tuple[int, int, str]]:
    """Runs of characters whose GBK bytes are UTF-8 Chinese: three GBK characters (six bytes)
    spell two UTF-8 ones. Real Chinese text almost never does (none of the 118,000 characters
    of the corpus in ``../shared/corpus``). Only where a run can begin (``_LEADS``) is a
    window tried: trying each character took a third of a notice's validation."""
    i, n = 0, len(text)
    while i <= n - 3:
        lead = _LEADS.search(text, i, n - 2)
        if lead is None:
            return
        i = lead.start()
        meant = _as_utf8(text[i : i + 3])
        if not meant:
            i += 1
            continue
        end = i + 3
        while end <= n - 3 and (more := _as_utf8(text[end : end + 3])):
            meant += more
            end += 3
        yield i, end, meant
        i = end


def _as_utf8(window: str) -> str:
    try:
        data = window.encode("gb18030")
        meant = data.decode("utf-8") if len(data) == 6 else ""
    except (UnicodeEncodeError, UnicodeDecodeError):
        return ""
    return meant if len(meant) == 2 and all(_HAN.match(c) for c in meant) else ""


def fix_punctuation(text: str) -> str:
    """``text`` with ASCII ``,:;()`` in Chinese text made full-width."""
    return ASCII_PUNCT.sub(_full_width, text)
