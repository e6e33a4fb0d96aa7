"""Shards of Pagefind's index merged into one bundle (Stage 6, index).

Pagefind cannot add to an index, and its memory grows by about 1 MB per notice, so a big
portal is indexed in shards (``search.index``); the browser then loads one bundle that
searches like Pagefind's index of all the shards' pages together.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from typing import Any

import cbor2

from generator.search.bundle import cbor, format
from generator.search.bundle.format import Meta
from generator.search.bundle.reproducible import content_hash, kept, named
from generator.search.counts import Counts
from generator.search.top import WORKING, Tops
from generator.site.tables import COUNTS_ENTRY, DATE_SORT

CHUNK_BYTES = 150_000
"""Uncompressed size at which a merged index chunk is closed (Pagefind's own chunks of the
example portals are 37 KB to 1.1 MB uncompressed; a word's postings are never split)."""

Word = tuple[str, int, list[Any]]
"""A shard's word: the word, the shard's first page number in the merged bundle, its postings."""


def merge(shards: list[dict[str, bytes]], top: int = 0) -> dict[str, bytes]:
    """The shards' pages appended in shard order, each word's postings concatenated (page
    numbers are delta-coded, so only each shard's first posting changes), filter pages
    renumbered, sort orders merged by the page's own sort value (kept in its fragment's meta),
    and the words cut into fresh chunks. Words stream through a k-way merge, one chunk per
    shard in memory at a time, through cbor2's C codec (a pure-Python one took 30 s for the
    index of 1,000 notices). With ``top``, the bundle also holds each bigram's lists of its
    ``top`` most frequent and newest pages (``search.top``) and every word's pages and counts
    without positions (``search.counts``), taken from the words as they stream by (a single
    shard is returned as it is)."""
    if len(shards) == 1:
        return shards[0]
    entries = [format.read_entry(s) for s in shards]
    languages = {lang for e in entries for lang in e["languages"]}
    if len(languages) != 1:
        raise format.FormatError(f"shards in several languages: {sorted(languages)}")
    language = languages.pop()
    metas = [
        format.read_meta(s[format.meta_path(e["languages"][language]["hash"])])
        for s, e in zip(shards, entries, strict=True)
    ]
    out = {path: content for path, content in shards[0].items() if _shared(path)}
    offsets, pages = _pages(shards, metas, out)
    sort_names = sorted({name for m in metas for name, _ in m.sorts})
    sorts = [[name, _sort_order(name, pages, out)] for name in sort_names]
    tops = Tops(top, dict(sorts).get(DATE_SORT, [])) if top else None
    counts = Counts(out) if top else None
    words = [_words(s, m, o) for s, m, o in zip(shards, metas, offsets, strict=True)]
    merged = Meta(
        version=metas[0].version,
        pages=pages,
        index_chunks=_chunks(heapq.merge(*words, key=lambda w: w[0]), language, out, tops, counts),
        filters=_filters(shards, metas, offsets, language, out),
        sorts=sorts,
        meta_fields=sorted({name for m in metas for name in m.meta_fields}),
    )
    if tops:
        out[WORKING] = tops.encode()
    content = merged.encode()
    entry = entries[0]
    if counts:
        entry[COUNTS_ENTRY] = counts.close()
    entry["languages"] = {
        language: {
            "hash": f"{language}_{content_hash(content, 10)}",
            "wasm": entry["languages"][language]["wasm"],
            "page_count": len(pages),
        }
    }
    out[format.meta_path(entry["languages"][language]["hash"])] = content
    out[format.ENTRY] = format.write_entry(entry)
    return out


def _shared(path: str) -> bool:
    """Whether a shard's file is the same in every shard (the library, its WebAssembly)."""
    return (
        not path.startswith(("index/", "filter/", "fragment/"))
        and not path.endswith(".pf_meta")
        and path != format.ENTRY
    )


def _pages(
    shards: list[dict[str, bytes]], metas: list[Meta], out: dict[str, bytes]
) -> tuple[list[int], list[list[Any]]]:
    """Every shard's pages in shard order, their fragments copied (one whose name another
    shard's fragment took renamed: each shard's Pagefind names its own apart only); each
    shard's first number."""
    pages: list[list[Any]] = []
    offsets: list[int] = []
    for shard, meta in zip(shards, metas, strict=True):
        offsets.append(len(pages))
        for fragment, count in meta.pages:
            content = shard[format.fragment_path(fragment)]
            fragment = kept(out, format.fragment_path, fragment, content)
            out[format.fragment_path(fragment)] = content
            pages.append([fragment, count])
    return offsets, pages


def _filters(
    shards: list[dict[str, bytes]],
    metas: list[Meta],
    offsets: list[int],
    language: str,
    out: dict[str, bytes],
) -> list[list[str]]:
    """Each filter's values with their pages renumbered, written as one file per filter."""
    filters: dict[str, dict[str, list[int]]] = {}
    for shard, meta, offset in zip(shards, metas, offsets, strict=True):
        for name, chunk in meta.filters:
            _name, values = cbor.read(shard[format.filter_path(chunk)])
            into = filters.setdefault(name, {})
            for value, numbers in values:
                into.setdefault(value, []).extend(offset + n for n in numbers)
    listed = []
    for name in sorted(filters):
        content = cbor.write([name, [[v, sorted(n)] for v, n in sorted(filters[name].items())]])
        chunk = named(out, format.filter_path, f"{language}_", content)
        out[format.filter_path(chunk)] = content
        listed.append([name, chunk])
    return listed


def _words(shard: dict[str, bytes], meta: Meta, offset: int) -> Iterator[Word]:
    """A shard's words in order."""
    for _first, _last, chunk in meta.index_chunks:
        (words,) = cbor.read(shard[format.index_path(chunk)])
        for word, plist, variants in words:
            if variants:
                raise format.FormatError(f"unexpected word variants for {word!r}")
            yield word, offset, plist


def _chunks(
    words: Iterable[Word],
    language: str,
    out: dict[str, bytes],
    tops: Tops | None = None,
    counts: Counts | None = None,
) -> list[list[str]]:
    """Write the merged words into chunks of at most ``CHUNK_BYTES``, or of one word that
    alone is larger (a broad word's chunk holds that word alone, so a phrase of broad words
    loads their positions and no others); their [first, last, name]."""
    listed: list[list[str]] = []
    encoded: list[bytes] = []
    first = last = ""
    size = 0

    def close() -> None:
        nonlocal encoded, size
        # level 9 took a quarter of the merge for 1 % less
        content = cbor.pack(array_of_one(encoded), compresslevel=6)
        chunk = named(out, format.index_path, f"{language}_", content)
        out[format.index_path(chunk)] = content
        listed.append([first, last, chunk])
        encoded, size = [], 0

    def add(word: str, postings: list[Any]) -> None:
        nonlocal first, last, size
        row = cbor2.dumps([word, postings, []])
        if encoded and size + len(row) > CHUNK_BYTES:
            close()  # a query of this word loads no neighbours it would take past the size
        if not encoded:
            first = word
        last = word
        encoded.append(row)
        size += len(row)
        if size >= CHUNK_BYTES:
            close()

    for word, postings in _joined(words):
        if tops:
            tops.add(word, postings)
        if counts:
            counts.add(word, postings)
        add(word, postings)
    if encoded:
        close()
    return listed


def array_of_one(encoded: list[bytes]) -> bytes:
    """``[[e1, e2, …]]`` from the elements' own encodings: an index chunk's layout."""
    return cbor.array_head(1) + cbor.array_head(len(encoded)) + b"".join(encoded)


def _joined(words: Iterable[Word]) -> Iterator[tuple[str, list[Any]]]:
    """Each word once, with the postings of every shard, delta-coded across shards."""
    current: str | None = None
    postings: list[Any] = []
    previous = 0  # the last page number in ``postings``
    for word, offset, plist in words:
        if word != current:
            if current is not None:
                yield current, postings
            current, postings, previous = word, [], 0
        last_page = offset + sum(p[0] for p in plist)
        plist[0][0] += offset - previous
        postings += plist
        previous = last_page
    if current is not None:
        yield current, postings


def _sort_order(name: str, pages: list[list[Any]], files: dict[str, bytes]) -> list[int]:
    """Page numbers in ascending order of the sort value, read from each page's fragment: its
    meta value of that name, then its URL (``search.records.sort_value``: the date, then the
    URL, which the fragment does not hold as one; a date is digits and '-', so comparing
    the pair orders like comparing the two joined by a space, as Pagefind does)."""
    values = []
    for number, (fragment, _count) in enumerate(pages):
        data = format.read_fragment(files[format.fragment_path(fragment)])
        values.append(((data["meta"][name], data["url"].lstrip("/")), number))
    return [number for _value, number in sorted(values)]
