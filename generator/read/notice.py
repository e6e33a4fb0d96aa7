"""Stages 1-4 for one notice file: load, validate, model and (for a build) render."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from generator.content.load import load_file, markdown
from generator.content.model import Notice, make_notice
from generator.content.validate import IdClaim, id_claim, validate_file
from generator.errors import Diagnostic, errors_in
from generator.site.files import RenderedNotice, Site
from generator.site.notice import render_notice


@dataclass(frozen=True)
class StoredAs:
    """Where and for which dates a worker stored a result in the cache."""

    key: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class NoticeResult:
    """What reading one file gave: its problems and, as far as it got, the notice."""

    problems: list[Diagnostic]
    claim: IdClaim | None = None
    """The notice's id and where it is written, for the rule across files."""
    notice: Notice | None = None
    rendered: RenderedNotice | None = None
    stored: StoredAs | None = None
    """Set by a worker that stored this result (``read.notices``)."""
    turns: tuple[dt.date, ...] = ()
    """The days on which the rules about dates judge the file differently
    (``content.validate.Validated.turns``)."""


@functools.cache
def _markdown() -> MarkdownIt:
    return markdown()


def read_notice(
    path: Path,
    as_of: dt.date,
    contacts: dict[str, Any] | None,
    site: Site | None,
    keep_body: bool,
    data: bytes | None = None,
) -> NoticeResult:
    """Load, validate and model one notice; render its parts given a ``site``. Without
    ``keep_body`` (and without a site) the notice keeps no Markdown tokens."""
    source, problems = load_file(path, _markdown(), data)
    if source is None:
        return NoticeResult(problems)
    validated = validate_file(source, as_of)
    checked, turns = validated.notice, validated.turns
    problems += validated.problems
    if checked is None:
        return NoticeResult(problems, turns=turns)
    if errors_in(problems):
        return NoticeResult(problems, id_claim(checked), turns=turns)
    notice = make_notice(checked, as_of, contacts)
    if site is None:
        kept = notice if keep_body else replace(notice, tokens=None)
        return NoticeResult(problems, id_claim(checked), kept, turns=turns)
    rendered = render_notice(notice, as_of, site)
    return NoticeResult(problems, id_claim(checked), replace(notice, tokens=None), rendered,
                        turns=turns)  # fmt: skip
