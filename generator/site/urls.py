"""Where each page of the portal lives: the one place a URL is computed (Stage 4, generate).

Every URL is relative to the site root and ends in ``/`` for a page; pages link to each other
relatively (``relative``), so the portal works under any base path.
"""

from __future__ import annotations

import hashlib
import posixpath

NOTICES = "notices"
"""The folder of the notice pages."""


def notice_url(notice_id: str) -> str:
    """``notices/<id>/``: a notice's page."""
    return f"{NOTICES}/{notice_id}/"


def notice_path(notice_id: str) -> str:
    """The notice page's path in the docs tree (``page_url`` of it is ``notice_url``)."""
    return f"{NOTICES}/{notice_id}.md"


ROUNDS = "rounds"
"""The folder of the inspection rounds' pages."""


def round_url(round_id: str) -> str:
    """``rounds/<id>/``: a round's page (its id: its first notice's)."""
    return f"{ROUNDS}/{round_id}/"


def round_path(round_id: str) -> str:
    return f"{ROUNDS}/{round_id}.md"


def problem_url(round_id: str, problem_id: str) -> str:
    """A problem's history on its round's page."""
    return f"{round_url(round_id)}#{problem_id}"


def item_url(notice_id: str, anchor: str) -> str:
    """An item's place on its notice's page."""
    return f"{notice_url(notice_id)}#{anchor}"


def issuer_slug(issuer: str) -> str:
    """Stable ASCII slug for an issuer's page (names are Chinese; URLs stay plain)."""
    return "u-" + hashlib.sha256(issuer.encode()).hexdigest()[:10]


def page_url(path: str) -> str:
    """Directory URL of a Markdown page: ``notices/a.md`` -> ``notices/a/``, ``index.md`` -> ``""``."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative(from_url: str, to: str) -> str:
    """Link from the page at ``from_url`` to ``to`` (both relative to the site root)."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath("/" + to, "/" + base)
    if to.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel
