"""Importer: a readable file name (the notice's id and URL) from what the notice says.

``2022-wuhushi-yingjiguanliju-xuncha.md`` rather than the crawler's hash name: the year, the
issuer in pinyin (pypinyin reads 重庆 as chongqing, not zhongqing: its phrase dictionary
knows what a per-character table does not), the inspection type. A notice that names no
issuer keeps its input's name, made a valid id.
"""

from __future__ import annotations

import re

from generator.content.ids import slug
from generator.importer.recognise import Recognised

_PARTY = re.compile(r"^中共|^中国共产党|委员会$|党组$|党委$|党工委$")
_LEVEL = re.compile(r"(省|市|区|县|镇|乡|街道)")
MAX = 60


def draft_name(rec: Recognised, stem: str) -> str:
    """The file name (without ``.md``) for the draft of ``rec``, read from ``stem``."""
    issuer = _PARTY.sub("", rec.issuer or "")
    if not issuer:
        return slug(stem)[:MAX].strip("-") or "notice"
    place, *rest = _LEVEL.split(issuer, maxsplit=1) + [""]
    where, unit = (place + rest[0], "".join(rest[1:])) if place else (issuer, "")
    kind = {"巡视": "xunshi", "巡察": "xuncha"}.get(rec.inspection_type, "")
    parts = [rec.published[:4] if rec.published else "", slug(where), slug(unit), kind]
    return "-".join(p for p in parts if p)[:MAX].strip("-")
