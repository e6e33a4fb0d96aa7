"""(Stages 4-7) The data every stage after the model hands on: the bottom of the import graph.

A build renders each notice into a ``RenderedNotice`` (its page, search record, listing card,
ledger rows and data rows); the generate stage joins those into the portal's ``OutputFile``\\ s;
the engine writes them and the indexer reads the search records. A page's body is HTML in one
of three forms: in memory (``PageBody``), waiting in a cache file (``StoredBody``), or made
when it is written (``LazyBody``). Nothing here knows MkDocs or Pagefind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Site:
    """Portal-wide settings read from the engine's configuration by the adapter."""

    name: str
    url: str = ""
    """Absolute base URL with a trailing slash, for the feed; empty when unknown."""


@dataclass(frozen=True)
class PageBody:
    """A page's title and its HTML body, in memory."""

    title: str
    html: str


@dataclass(frozen=True)
class StoredBody:
    """A page's title and its HTML body, which waits in a cache file until it is written."""

    title: str
    file: Path
    rendered_on: str = ""
    """The as-of date the stored body was rendered against: a later build may store another
    rendering of the same notice under the same name (``body_identity``)."""
    swap: tuple[str, str] | None = None
    """Text to replace in the stored body (the as-of sentence of another date)."""
    late: tuple[tuple[str, str], ...] = ()
    """Late parts to put in (``site.notice.bind``): what later notices changed."""

    @property
    def html(self) -> str:
        html = self.file.read_bytes().decode()
        html = html.replace(*self.swap) if self.swap else html
        return bind(html, dict(self.late)) if self.late else html


@dataclass(frozen=True)
class LazyBody:
    """A page's title and a function making its body when it is written (the ledger: every
    item of the portal, joined from each notice's rows, which wait in files until then)."""

    title: str
    render: Callable[[], str]
    identity: str | None = None
    """Names what it is made from (``body_identity``), when it is made from stored files."""

    @property
    def html(self) -> str:
        return self.render()


Body = PageBody | StoredBody | LazyBody

_LATE = re.compile(r"<!--late:([\w-]+)-->.*?<!--/late:\1-->", re.S)


def bind(html: str, parts: dict[str, str]) -> str:
    """``html`` with each late part in the form ``parts`` gives (``site.notice.late_parts``)."""
    return _LATE.sub(lambda m: parts.get(m[1], m[0]), html)


def body_identity(body: Body) -> str | None:
    """What names a page's body without reading it: its stored file and the text swapped in,
    or a digest of the body in memory; None for a body made when written."""
    if isinstance(body, StoredBody):
        late = hashlib.sha256(repr(body.late).encode()).hexdigest() if body.late else ""
        return f"{body.file.name}\0{body.rendered_on}\0{body.swap}\0{late}"
    if isinstance(body, PageBody):
        return hashlib.sha256(body.html.encode()).hexdigest()
    return body.identity


@dataclass(frozen=True)
class OutputFile:
    """One file of the docs tree: a page (a title and an HTML body, which the engine lays out),
    bytes, or a function making the bytes when the file is written."""

    path: str
    """POSIX path relative to the docs folder; pages end in ``.md``."""
    raw: bytes = b""
    body: Body | None = None
    make: Callable[[], bytes] | None = None

    @property
    def data(self) -> bytes:
        """The bytes of a file that is not a page."""
        assert self.body is None, f"{self.path} is a page: the engine lays it out"
        return self.make() if self.make else self.raw


@dataclass(frozen=True)
class SearchRecord:
    """What the indexer gets for one notice: HTML written for the indexer only."""

    url: str
    """Relative to the site root, e.g. ``notices/a/``."""
    html: str
    facets: tuple[tuple[str, str], ...] = ()
    """(facet name, value) pairs of the notice (``search.facets``); the HTML holds them too,
    so the digest covers them."""
    order: str = ""
    """The notice's value of the index's date sort (its date, then its URL: no two alike), as
    the HTML holds it; empty for a notice without a date (``search.newest``)."""

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.html.encode()).hexdigest()


@dataclass(frozen=True)
class StoredRecord:
    """A search record whose HTML waits in a cache file until the indexer gets it."""

    url: str
    file: Path
    digest: str
    """Of the HTML: what an index shard's cache key is made of."""
    facets: tuple[tuple[str, str], ...] = ()
    """As the ``SearchRecord``'s: the indexer takes them without reading the file."""
    order: str = ""
    """As the ``SearchRecord``'s."""

    @property
    def html(self) -> str:
        return self.file.read_bytes().decode()


Record = SearchRecord | StoredRecord


@dataclass(frozen=True)
class RenderedNotice:
    """Everything the portal shows of one notice, rendered from the notice alone.

    Builds render it for each notice as soon as the notice is checked, on every core, and may
    keep it between builds (``incremental``); the portal's listings and data files are then
    joins of these parts, in the portal's order."""

    page: OutputFile
    """The notice's page."""
    record: Record | None
    """Its search record; None once sent to the indexer (a build does not keep it)."""
    card: str
    """Its entry in a listing one folder deep (``issuers/…/``, ``years/…/``)."""
    ledger_rows: str | Path
    """Its items' rows of the ledger (or the file that holds them: ``STORED_PARTS``)."""
    json: str | Path
    """Its entry of ``data/notices.json``, indented as it stands there."""
    csv: str | Path
    """Its items' rows of ``data/items.csv``."""
    as_of: dt.date
    """The date it was rendered against (``site.notice.as_of``)."""
    names_as_of: bool
    """Whether the page has the as-of sentence (``site.notice.as_of_note``): pages with items do."""


STORED_PARTS = ("ledger_rows", "json", "csv")
"""The parts of a ``RenderedNotice`` a build may keep in files until they are joined."""


def text_of(part: str | Path) -> str:
    """A part as text, read from its file if it waits in one (``"\\r\\n"`` kept)."""
    return part if isinstance(part, str) else part.read_bytes().decode()


def bytes_of(part: str | Path) -> bytes:
    """``text_of`` as UTF-8."""
    return part.encode() if isinstance(part, str) else part.read_bytes()
