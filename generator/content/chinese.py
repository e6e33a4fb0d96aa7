"""Traditional -> simplified Chinese: the one OpenCC converter of the project (the importer
repairs imported text with it; the search page's query map is made with it)."""

from __future__ import annotations

import functools

import opencc


@functools.cache
def _converter() -> opencc.OpenCC:
    """Made on first use: a build that converts nothing does not load the tables."""
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC's phrase tables)."""
    return str(_converter().convert(text))
