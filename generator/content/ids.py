"""Notice ids: the page's address, so lower-case letters, digits and '-' (``schema.SLUG``);
one proposed from any text, Chinese in pinyin (pypinyin reads 重庆 as chongqing: its phrase
dictionary knows what a per-character table does not)."""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

from generator.content.schema import SLUG


def slug(text: str) -> str:
    """Lower-case letters, digits and '-', from any text (Chinese in pinyin)."""
    words = "-".join(
        "".join(lazy_pinyin(part)) for part in re.split(r"[^\w\u4e00-\u9fff]+", text) if part
    )
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", words.lower())).strip("-")


def is_id(text: str) -> bool:
    return re.fullmatch(SLUG.pattern, text) is not None


def proposed(text: str) -> str:
    """An id for ``text`` (at most 80 characters), or "notice" when nothing is left."""
    return slug(text)[:80].strip("-") or "notice"
