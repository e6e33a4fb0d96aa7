"""(Stage 2, validate) The one list of placeholders: what ``portal new`` and ``portal import``
write where nobody has given a value yet, and how ``portal check`` recognises them.

A placeholder is a value that says it is missing: ``（待填写）``, ``（填写问题）``,
``（待填写发布日期）``. No command ever writes a made-up value instead (a 1970 date, a
``0000-00000000`` phone, a composed title): a made-up value passes every check and is
published as if someone had written it, a placeholder cannot be. In a draft (``draft: true``)
each placeholder is a warning; in a notice to be published, an error on its line.
"""

from __future__ import annotations

import re

from generator.i18n import Msg, m

PATTERN = re.compile(r"[（(]\s*(?:待填写|待补充|待确认|填写)[^（）()\n]{0,40}[）)]")
"""Full-width or ASCII brackets around 填写/待填写/待补充/待确认 and what is to be written."""


def fill(what: str) -> str:
    """The placeholder asking for ``what``: ``fill("发布日期")`` -> ``（待填写发布日期）``."""
    return f"（待填写{what}）"


def write_in(what: str) -> str:
    """The skeleton's instruction to write ``what``: ``write_in("问题")`` -> ``（填写问题）``."""
    return f"（填写{what}）"


def find(text: str) -> re.Match[str] | None:
    """The first placeholder in ``text``."""
    return PATTERN.search(text)


def is_placeholder(text: str) -> bool:
    """``text`` is a placeholder and nothing else (a date or choice that is not yet known)."""
    return PATTERN.fullmatch(text.strip()) is not None


def message(found: str, draft: bool) -> Msg:
    if draft:
        return m("placeholder '{found}' to fill in before the draft is published", found=found)
    return m(
        "placeholder '{found}': write the real value before publishing, or mark the notice "
        "'draft: true' until it is known",
        found=found,
    )
