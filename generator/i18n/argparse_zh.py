"""argparse's own words (``usage:``, ``options``, its error messages) in the current language.

argparse looks its texts up through ``gettext`` at the moment it prints them (module names
``_`` and ``ngettext``); while ``argparse_in()`` is active they are looked up here instead.
Only the texts an editor can meet are translated; others stay as argparse writes them.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from generator import i18n

ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选 %(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "expected one argument": "后面需要一个值",
    "expected at least one argument": "后面至少需要一个值",
    "expected at most one argument": "后面最多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "ignored explicit argument %r": "多余的值 %r 被忽略",
    "one of the arguments %s is required": "参数 %s 之中必须给出一个",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
}
PLURAL_ZH = {"expected %s argument": "后面需要 %s 个值"}


def _gettext(text: str) -> str:
    return ZH.get(text, text) if i18n.language() == "zh" else text


def _ngettext(singular: str, plural: str, n: int) -> str:
    if i18n.language() == "zh" and singular in PLURAL_ZH:
        return PLURAL_ZH[singular]
    return singular if n == 1 else plural


@contextlib.contextmanager
def argparse_in() -> Iterator[None]:
    """argparse speaks the current language inside this block (help, usage and errors)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
