"""(Stage 6, index) The parts of Pagefind's bundle format we read and write, named in one place.

Written for Pagefind 1.5.2 (the version ``pyproject.toml`` pins), from the files it writes:

- ``pagefind-entry.json``: ``{"version", "languages": {lang: {"hash", "wasm", "page_count"}},
  "include_characters"}``; ``hash`` names the language's meta file.
- ``pagefind.<hash>.pf_meta``: an array ``[version, pages, index_chunks, filters, sorts,
  meta_fields]`` (``Meta``): pages ``[fragment hash, word count]``, index chunks ``[first word,
  last word, chunk hash]``, filters ``[name, chunk hash]``, sorts ``[name, page numbers in
  ascending order of the sort value]``, and the names of the pages' meta fields.
- ``index/<hash>.pf_index``: ``[[word, postings, variants], …]`` in one array; a posting is
  ``[page number delta, locations, meta locations]``, the delta from the previous posting's
  page; a location is the delta from the previous one, a negative number a weight for the
  ones after it, which count from 0 again (a page's locations come grouped by weight;
  ``search.top`` counts the others).
- ``filter/<hash>.pf_filter``: ``[name, [[value, [page numbers]], …]]``.
- ``fragment/<hash>.pf_fragment``: ``pagefind_dcd`` + JSON (``url``, ``meta``, …), the URL first.

A bundle of another version is refused (``check_version``): a field added or moved would
otherwise be dropped or misread without a word. To support a new Pagefind, read its
``index_metadata.rs``, update this module and ``SUPPORTED``, and run ``tests/test_bundle.py``
and the merged-index recall test.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from typing import Any

from generator.search.bundle import cbor

SUPPORTED = "1.5.2"
"""The Pagefind version whose bundle format this module reads."""
ENTRY = "pagefind-entry.json"
META_FIELDS = 6
"""Elements of a 1.5.2 meta file."""


class FormatError(ValueError):
    """The bundle is not in the format this module was written for."""


@dataclass
class Meta:
    """A language's meta file (``pagefind.<hash>.pf_meta``), field by field."""

    version: str
    pages: list[list[Any]]
    """``[fragment hash, word count]`` per page; a page's number is its position here."""
    index_chunks: list[list[str]]
    """``[first word, last word, chunk hash]`` per index chunk, in word order."""
    filters: list[list[str]]
    """``[filter name, chunk hash]``."""
    sorts: list[list[Any]]
    """``[sort name, page numbers]``."""
    meta_fields: list[str]
    """The names of the pages' meta fields."""

    def encode(self) -> bytes:
        fields = [self.version, self.pages, self.index_chunks, self.filters, self.sorts]
        return cbor.write([*fields, self.meta_fields])


def check_version(version: object) -> None:
    if version != SUPPORTED:
        raise FormatError(
            f"Pagefind {version} wrote this bundle; the merge and the reproducible rewrite "
            f"read Pagefind {SUPPORTED}'s format only (generator/search/bundle/format.py)"
        )


def read_entry(files: dict[str, bytes]) -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(files[ENTRY])
    check_version(entry.get("version"))
    return entry


def write_entry(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()


def meta_path(language_hash: str) -> str:
    return f"pagefind.{language_hash}.pf_meta"


def read_meta(content: bytes) -> Meta:
    value = cbor.read(content)
    if not isinstance(value, list) or len(value) != META_FIELDS:
        raise FormatError(f"expected a meta file of {META_FIELDS} fields")
    check_version(value[0])
    return Meta(*value)


def index_path(chunk: str) -> str:
    return f"index/{chunk}.pf_index"


def filter_path(chunk: str) -> str:
    return f"filter/{chunk}.pf_filter"


FRAGMENT_PREFIX, FRAGMENT_SUFFIX = "fragment/", ".pf_fragment"


def fragment_path(page_hash: str) -> str:
    return f"{FRAGMENT_PREFIX}{page_hash}{FRAGMENT_SUFFIX}"


def is_fragment(path: str) -> bool:
    return path.startswith(FRAGMENT_PREFIX) and path.endswith(FRAGMENT_SUFFIX)


def fragment_id(path: str) -> str:
    """A fragment's page id: what the browser's results carry as ``id``."""
    return path.removeprefix(FRAGMENT_PREFIX).removesuffix(FRAGMENT_SUFFIX)


def read_fragment(content: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gzip.decompress(content)[len(cbor.SIGNATURE) :])
    return data
