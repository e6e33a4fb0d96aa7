"""Pagefind's bundle made reproducible, and the page ids it gives (Stage 6, index).

Pagefind writes each filter's values in the order of a Rust ``HashMap`` whose seed changes per
process, so two builds of the same content gave different filter files; their names are content
hashes, so the meta file and ``pagefind-entry.json`` changed too (13 of 107 files differed
between two builds of the example portal). We sort the values, name the files by their new
content, and rewrite the references; everything else is written back unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable, Mapping

from generator.search.bundle import cbor, format


def content_hash(content: bytes, length: int) -> str:
    """A data file's name part, as Pagefind names them: a prefix of its content's hash."""
    return hashlib.sha256(content).hexdigest()[:length]


def named(
    files: Mapping[str, bytes],
    path_of: Callable[[str], str],
    stem: str,
    content: bytes,
    length: int = 7,
) -> str:
    """A data file's name: ``stem`` and the shortest prefix, of at least ``length`` digits,
    of its content's hash that names no other content in ``files`` (as Pagefind lengthens a
    fragment's name on a clash). Seven hex digits are 28 bits: among 30,000 fragments two
    share them 1.7 times in a build on average, among 3,400 index chunks once in 45 builds."""
    digest = hashlib.sha256(content).hexdigest()
    for end in range(length, len(digest) + 1):
        held = files.get(path_of(stem + digest[:end]))
        if held is None or held == content:
            return stem + digest[:end]
    raise format.FormatError(f"two files named {path_of(stem + digest)} in the search bundle")


def kept(
    files: Mapping[str, bytes], path_of: Callable[[str], str], name: str, content: bytes
) -> str:
    """``name`` (Pagefind's ``<language>_<hash>``) unless ``files`` holds other content under it
    (another shard's or index's file), else a name ``named`` gives it, as long."""
    if files.get(path_of(name), content) == content:
        return name
    stem = name.rsplit("_", 1)[0] + "_"
    return named(files, path_of, stem, content, len(name) - len(stem))


WORD_COUNT = 1
"""Every page's word count in the published meta file. Pagefind reads word counts only for
BM25's length normalisation, which the search page turns off (``ranking.pageLength: 0`` in
``search-engine.js``: raw frequency, no length penalty), and for a term-frequency scale that
``termFrequency: 1`` weights by zero; the counts were 18% of the meta file every query loads
(10,000 notices: 22 of 124 KB)."""


def reproducible(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same bundle with filter values sorted and file names and references following suit."""
    filters = sorted(p for p in files if p.startswith("filter/") and p.endswith(".pf_filter"))
    out = {path: content for path, content in files.items() if path not in filters}
    entry = format.read_entry(files)
    renamed: dict[str, str] = {}
    for path in filters:
        name, values = cbor.read(files[path])
        canonical = cbor.write([name, sorted(values, key=lambda v: v[0])])
        chunk = path.removeprefix("filter/").removesuffix(".pf_filter")
        renamed[chunk] = named(out, format.filter_path, f"{chunk.split('_')[0]}_", canonical)
        out[format.filter_path(renamed[chunk])] = canonical
    for language, info in entry["languages"].items():
        meta = format.read_meta(files[format.meta_path(info["hash"])])
        meta.filters = sorted([name, renamed[chunk]] for name, chunk in meta.filters)
        meta.pages = [[page, WORD_COUNT] for page, _count in meta.pages]
        _put_meta(out, language, info, meta)
    out[format.ENTRY] = format.write_entry(entry)
    return out


def _put_meta(
    out: dict[str, bytes], language: str, info: dict[str, str], meta: format.Meta
) -> None:
    """A language's rewritten meta file in place of its old one, named by its new content."""
    del out[format.meta_path(info["hash"])]
    content = meta.encode()
    info["hash"] = f"{language}_{content_hash(content, 10)}"
    out[format.meta_path(info["hash"])] = content


_URL = re.compile(rb'^pagefind_dcd\{"url":"((?:[^"\\]|\\.)*)"')


def page_ids(files: dict[str, bytes]) -> dict[str, str]:
    """Each page's URL (without the leading slash) -> its id in the bundle. Only the start of
    each fragment is decompressed: the URL comes first."""
    ids = {}
    for path, content in files.items():
        if format.is_fragment(path):
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(content, 4096)
            found = _URL.match(head)
            if found:
                url = json.loads(b'"' + found[1] + b'"')
                ids[url.lstrip("/")] = format.fragment_id(path)
    return ids


def ordinal(files: dict[str, bytes], prefix: str = "") -> dict[str, bytes]:
    """The same bundle with each fragment named by its page number: ``<prefix><number in
    hex>_<4 hex digits of its content's hash>`` (the hash so that a browser's cached fragment
    is never taken for a changed page). A result's id then tells the search page its row in
    the facets file (``search.facets``); ``prefix`` tells a merged bundle's rows apart."""
    out = dict(files)
    entry = format.read_entry(files)
    for language, info in entry["languages"].items():
        meta = format.read_meta(files[format.meta_path(info["hash"])])
        pages = []
        for number, (page, count) in enumerate(meta.pages):
            content = out.pop(format.fragment_path(page))
            name = f"{prefix}{number:x}_{content_hash(content, 4)}"
            out[format.fragment_path(name)] = content
            pages.append([name, count])
        meta.pages = pages
        _put_meta(out, language, info, meta)
    out[format.ENTRY] = format.write_entry(entry)
    return out


def page_order(files: dict[str, bytes], ids: dict[str, str]) -> list[str]:
    """The pages' URLs (without the leading slash) in the bundle's page order; ``ids``: its
    ``page_ids``."""
    entry = format.read_entry(files)
    urls = {page: url for url, page in ids.items()}
    return [
        urls[page]
        for info in entry["languages"].values()
        for page, _count in format.read_meta(files[format.meta_path(info["hash"])]).pages
    ]
