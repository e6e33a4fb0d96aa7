"""Importer check: every Chinese character and digit of the source reaches the draft.

Counted as multisets, after the importer's own repairs (traditional -> simplified), with the
年/月/日 of dates left out (a signature date becomes ``published: 2021-02-05``), and without
the draft's ``item`` blocks and YAML comments (they repeat the text: a loss must not hide
behind a copy). Lines the report lists as removed page furniture are not expected.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from generator.content.chinese import simplified

KEPT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff0-9]")
_FENCE = re.compile(r"^```item\n.*?^```$", re.M | re.S)
_COMMENT = re.compile(r"(?m)^(?!#)(.*?)\s+#\s.*$")


@dataclass(frozen=True)
class Conservation:
    source: int
    """Characters and digits expected in the draft."""
    missing: Counter[str]

    @property
    def kept(self) -> int:
        return self.source - sum(self.missing.values())


def _undated(text: str) -> str:
    return re.sub(r"(?<=\d)[年月日]", "", text)


def counted(text: str) -> Counter[str]:
    return Counter(KEPT.findall(_undated(text)))


def conservation(source: str, draft: str, removed: set[int]) -> Conservation:
    """What of ``source`` (its lines but the ``removed`` ones, 1-based) the draft holds."""
    lines = simplified(source).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    want = counted("\n".join(line for n, line in enumerate(lines, 1) if n not in removed))
    have = counted(_COMMENT.sub(r"\1", _FENCE.sub("", draft)))
    return Conservation(sum(want.values()), want - have)
