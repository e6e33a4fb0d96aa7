"""Traditional characters in a query find their simplified forms (the notices, the importer's
output included, are written in simplified characters).

The page loads a map of every traditional character OpenCC's character table turns into a
different simplified one (``assets/t2s.json``, fetched only when a query holds a character of
the map's range) and searches the simplified query. Character by character: OpenCC's phrase
tables decide a few one-to-many cases (乾/干, 著/着) by context a query rarely gives.
"""

from __future__ import annotations

import functools
import json

from generator.content.chinese import simplified

RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
"""CJK Unified Ideographs, Extension A and the compatibility block."""

PATH = "assets/t2s.json"
"""Where the map is written in the site (the search page names it)."""


@functools.cache
def traditional_map() -> dict[str, str]:
    """Each traditional character whose simplified form differs, to that form."""
    out: dict[str, str] = {}
    for lo, hi in RANGES:
        for code in range(lo, hi + 1):
            ch = chr(code)
            simple = simplified(ch)
            if simple != ch and len(simple) == 1:
                out[ch] = simple
    return out


def map_file() -> bytes:
    """The map as the page reads it: one string of pairs (traditional, simplified)."""
    pairs = "".join(t + s for t, s in sorted(traditional_map().items()))
    return json.dumps({"pairs": pairs}, ensure_ascii=False, separators=(",", ":")).encode()
