"""``portal check``: stages 1-3 (load, validate, model) of every notice; writes nothing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from generator.content.model import Portal
from generator.errors import Diagnostic
from generator.read.notices import read_notices

CHINA = dt.timezone(dt.timedelta(hours=8))


def as_of_date(explicit: dt.date | None = None) -> dt.date:
    """The date overdue is computed against: ``explicit``, else ``SOURCE_DATE_EPOCH``, else
    today in China."""
    if explicit:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), CHINA).date()
    return dt.datetime.now(CHINA).date()


def check(
    paths: list[Path],
    as_of: dt.date | None = None,
    settings: Path = Path("portal.yml"),
    keep_bodies: bool = True,
    drafts: bool = False,
) -> tuple[Portal | None, list[Diagnostic]]:
    """Load and validate notices and portal settings; the model when there is no error.
    Never writes anything. Without ``keep_bodies`` the model cannot be rendered (it is
    smaller: ``portal check`` only counts). With ``drafts`` the model holds the drafts too."""
    reading = read_notices(
        paths, as_of_date(as_of), settings, keep_bodies=keep_bodies, drafts=drafts
    )
    return reading.portal, reading.problems
