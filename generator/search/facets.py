"""(Stage 6, index) The search page's facets, beside Pagefind's index and not in it.

Pagefind keeps a filter as each value's list of page numbers, and the search page must load
every filter before it can count one facet (``pagefind.filters()``): 19 KB at 1,000 notices,
206 KB at 10,000, on every first search. A column per facet, one value number per page in the
index's page order, holds the same in 7.6 KB at 1,000 notices (gzip), and the page counts and
filters its results itself. So a notice's record carries its facet values in attributes Pagefind
does not read (``spans``: they make the record's digest cover them) and travel with the
record itself (``SearchRecord.facets``) to the indexer, and the bundle gets
``facets.<hash>.json`` (``columns``), named in ``pagefind-entry.json`` (``ENTRY_KEY``) so that a
browser never pairs an index with another build's facets.

The page knows a result's row from its id: the bundle's fragments are renamed by page number
(``bundle.reproducible.ordinal``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from html import escape

from generator.search.bundle.reproducible import content_hash
from generator.site.tables import FACETS_ENTRY

ATTRIBUTE = "data-portal-facet"
ENTRY_KEY = FACETS_ENTRY

Facets = list[tuple[str, str]]
"""(facet name, value) pairs of one notice; a name may come more than once."""


def spans(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """A record's facet values, as empty spans."""
    return [f'<span {ATTRIBUTE}="{escape(name + ":" + value)}"></span>' for name, value in pairs]


def columns(pages: list[str], facets: Mapping[str, Facets]) -> bytes:
    """The facets file: each facet's values in order, and per page (``pages``: URLs in the
    index's page order) the numbers of its values: one number, or a list where a page has
    several (or none) of that facet.
    ``{"values": {name: [value, …]}, "pages": {name: [number or [numbers], …]}}``"""
    names = sorted({name for pairs in facets.values() for name, _ in pairs})
    values = {
        name: sorted({v for pairs in facets.values() for n, v in pairs if n == name})
        for name in names
    }
    number = {name: {v: i for i, v in enumerate(vs)} for name, vs in values.items()}
    rows: dict[str, list[int | list[int]]] = {name: [] for name in names}
    for url in pages:
        held = facets.get(url, [])
        for name in names:
            mine = [number[name][v] for n, v in held if n == name]
            rows[name].append(mine[0] if len(mine) == 1 else mine)
    data = {"values": values, "pages": rows}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def file_name(content: bytes) -> str:
    return f"facets.{content_hash(content, 10)}.json"
