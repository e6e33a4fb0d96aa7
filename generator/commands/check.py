"""``portal check``: stages 1-3 (load, validate, model) of every notice; writes nothing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from generator.content import garbled, texts
from generator.content.load import find_files, load_file
from generator.content.model import Portal
from generator.errors import Diagnostic
from generator.i18n import Msg, m
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


def fix_punctuation(paths: list[Path]) -> list[Msg]:
    """``portal check --fix``: ASCII ``,:;()`` in Chinese text made full-width, in place, in
    every field and body line (never in YAML syntax: a list ``[甲,乙]`` stays a list). One
    line per file changed."""
    files, _ = find_files(paths)
    said: list[Msg] = []
    for path in files:
        source, _ = load_file(path)
        if source is None:
            continue
        lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
        changed = 0
        for text in texts.all_texts(source):
            fixed = garbled.fix_punctuation(text.text)
            row, start = text.line - 1, text.col - 1
            if fixed != text.text and lines[row][start : start + len(text.text)] == text.text:
                lines[row] = lines[row][:start] + fixed + lines[row][start + len(text.text) :]
                changed += sum(a != b for a, b in zip(fixed, text.text, strict=True))
        if changed:
            temporary = path.with_name(path.name + ".fixing")
            temporary.write_text("\n".join(lines), encoding="utf-8")
            os.replace(temporary, path)
            said.append(m(
                "{path}: {n} ASCII punctuation mark(s) made full-width", path=source.path, n=changed
            ))  # fmt: skip
    return said
