"""Make Pagefind's bundle reproducible (index stage helper).

Pagefind writes each filter's values in the order of a Rust ``HashMap`` whose seed changes per
process, so two builds of the same content gave different filter files; their names are content
hashes, so ``pf_meta`` and ``pagefind-entry.json`` changed too (13 of 107 files differed between
two builds of the example portal). We sort the values, name the files by their new content, and
rewrite the references. The files are ``pagefind_dcd`` + CBOR, gzip-compressed; only the CBOR
types Pagefind uses are handled, and everything we do not change is written back unchanged.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import json
import re
import struct
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise ValueError(n)


def encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        return bytes([0xF5 if value is True else 0xF4 if value is False else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode()
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise TypeError(type(value))


def decode(data: bytes) -> Any:
    stream = io.BytesIO(data)
    value = _decode(stream)
    if stream.read(1):
        raise ValueError("trailing bytes")
    return value


def _decode(s: io.BytesIO) -> Any:
    first = s.read(1)[0]
    major, info = first >> 5, first & 31
    if major == 7:
        return {20: False, 21: True, 22: None}[info]
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n = int.from_bytes(s.read(size), "big")
    if major == 0:
        return n
    if major == 1:
        return -1 - n
    if major == 2:
        return s.read(n)
    if major == 3:
        return s.read(n).decode()
    if major == 4:
        return [_decode(s) for _ in range(n)]
    if major == 5:
        return {_decode(s): _decode(s) for _ in range(n)}
    raise ValueError(f"CBOR major type {major} is not used by Pagefind")


def _read(content: bytes) -> Any:
    raw = gzip.decompress(content)
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a Pagefind data file")
    return decode(raw[len(SIGNATURE) :])


def _write(value: Any) -> bytes:
    return gzip.compress(SIGNATURE + encode(value), mtime=0)


def _hash(content: bytes, length: int) -> str:
    return hashlib.sha256(content).hexdigest()[:length]


_URL = re.compile(rb'^pagefind_dcd\{"url":"((?:[^"\\]|\\.)*)"')


def page_ids(files: dict[str, bytes]) -> dict[str, str]:
    """Each page's URL (without the leading slash) -> its id in the bundle (its fragment's
    name, what the browser's results carry as ``id``). Only the start of each fragment is
    decompressed: the URL comes first."""
    ids = {}
    for path, content in files.items():
        if path.startswith("fragment/") and path.endswith(".pf_fragment"):
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(content, 4096)
            found = _URL.match(head)
            if found:
                url = json.loads(b'"' + found[1] + b'"')
                ids[url.lstrip("/")] = path.removeprefix("fragment/").removesuffix(".pf_fragment")
    return ids


def reproducible(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same bundle with filter values sorted and file names/references following suit."""
    out = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    renamed: dict[str, str] = {}
    for path in sorted(p for p in files if p.startswith("filter/") and p.endswith(".pf_filter")):
        name, values = _read(files[path])
        canonical = _write([name, sorted(values, key=lambda v: v[0])])
        language = path.split("/")[1].split("_")[0]
        new = f"{language}_{_hash(canonical, 7)}"
        renamed[path.split("/")[1].removesuffix(".pf_filter")] = new
        del out[path]
        out[f"filter/{new}.pf_filter"] = canonical
    for language, info in entry["languages"].items():
        old = f"pagefind.{info['hash']}.pf_meta"
        meta = _read(files[old])
        for i, part in enumerate(meta):
            if (
                isinstance(part, list)
                and part
                and all(
                    isinstance(x, list)
                    and len(x) == 2
                    and isinstance(x[1], str)
                    and x[1] in renamed
                    for x in part
                )
            ):
                meta[i] = sorted([[n, renamed[h]] for n, h in part])
        content = _write(meta)
        info["hash"] = f"{language}_{_hash(content, 10)}"
        del out[old]
        out[f"pagefind.{info['hash']}.pf_meta"] = content
    out["pagefind-entry.json"] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return out


CHUNK_BYTES = 150_000
"""Uncompressed size at which a merged index chunk is closed (Pagefind's own chunks of the
example portals are 37 KB to 1.1 MB uncompressed; a word's postings are never split)."""


def merge(shards: list[dict[str, bytes]]) -> dict[str, bytes]:
    """One bundle searching like Pagefind's index of all the shards' pages together.

    Pagefind cannot add to an index, and its memory grows by about 1 MB per notice, so a big
    portal is indexed in shards; their pages are appended in shard order, each word's postings
    concatenated (page numbers are delta-coded, so only each shard's first posting changes),
    filter pages renumbered, sort orders merged by the page's own sort value (kept in its meta),
    and the words cut into fresh chunks. Words stream through a k-way merge, one chunk per
    shard in memory at a time; the index chunks go through cbor2's C codec (ours is 10 times
    slower: 30 s for the index of 1,000 notices)."""
    if len(shards) == 1:
        return shards[0]
    entries = [json.loads(s["pagefind-entry.json"]) for s in shards]
    languages = {lang for e in entries for lang in e["languages"]}
    if len(languages) != 1:
        raise ValueError(f"shards in several languages: {sorted(languages)}")
    language = languages.pop()
    metas = [
        _read(s[f"pagefind.{e['languages'][language]['hash']}.pf_meta"])
        for s, e in zip(shards, entries, strict=True)
    ]
    out = {
        path: content
        for path, content in shards[0].items()
        if not path.startswith(("index/", "filter/", "fragment/"))
        and not path.endswith(".pf_meta")
        and path != "pagefind-entry.json"
    }
    pages: list[Any] = []
    offsets: list[int] = []
    filters: dict[str, dict[str, list[int]]] = {}
    for shard, meta in zip(shards, metas, strict=True):
        offsets.append(len(pages))
        pages += meta[1]
        out.update((p, c) for p, c in shard.items() if p.startswith("fragment/"))
        for name, chunk in meta[3]:
            _name, values = _read(shard[f"filter/{chunk}.pf_filter"])
            into = filters.setdefault(name, {})
            for value, numbers in values:
                into.setdefault(value, []).extend(offsets[-1] + n for n in numbers)
    streams = [
        _words(shard, meta, offset)
        for shard, meta, offset in zip(shards, metas, offsets, strict=True)
    ]
    meta = [metas[0][0], pages, _chunks(heapq.merge(*streams, key=lambda w: w[0]), language, out)]
    meta.append([])
    for name in sorted(filters):
        content = _write([name, [[v, sorted(n)] for v, n in sorted(filters[name].items())]])
        chunk = f"{language}_{_hash(content, 7)}"
        out[f"filter/{chunk}.pf_filter"] = content
        meta[3].append([name, chunk])
    sort_names = sorted({name for m in metas for name, _ in m[4]})
    meta.append([[name, _sort_order(name, pages, out)] for name in sort_names])
    meta.append(sorted({field for m in metas for field in m[5]}))
    content = _write(meta)
    entry = entries[0]
    entry["languages"] = {
        language: {
            "hash": f"{language}_{_hash(content, 10)}",
            "wasm": entries[0]["languages"][language]["wasm"],
            "page_count": len(pages),
        }
    }
    out[f"pagefind.{entry['languages'][language]['hash']}.pf_meta"] = content
    out["pagefind-entry.json"] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return out


def _words(
    shard: dict[str, bytes], meta: list[Any], offset: int
) -> Iterator[tuple[str, int, list[Any]]]:
    """A shard's words in order: (word, the shard's first page number, its postings)."""
    for _first, _last, chunk in meta[2]:
        raw = gzip.decompress(shard[f"index/{chunk}.pf_index"])
        if not raw.startswith(SIGNATURE):
            raise ValueError("not a Pagefind data file")
        for word, plist, extra in cbor2.loads(raw[len(SIGNATURE) :])[0]:
            if extra:
                raise ValueError(f"unexpected word variants for {word!r}")
            yield word, offset, plist


def _chunks(
    words: Iterable[tuple[str, int, list[Any]]], language: str, out: dict[str, bytes]
) -> list[Any]:
    """Write the merged words into chunks of about ``CHUNK_BYTES``; their [first, last, name]."""
    listed: list[Any] = []
    encoded: list[bytes] = []
    first = last = ""
    size = 0

    def close() -> None:
        nonlocal encoded, size
        content = gzip.compress(
            SIGNATURE + _head(4, 1) + _head(4, len(encoded)) + b"".join(encoded),
            compresslevel=6,  # level 9 took a quarter of the merge for 1 % less
            mtime=0,
        )
        chunk = f"{language}_{_hash(content, 7)}"
        out[f"index/{chunk}.pf_index"] = content
        listed.append([first, last, chunk])
        encoded, size = [], 0

    def add(word: str, postings: list[Any]) -> None:
        nonlocal first, last, size
        if not encoded:
            first = word
        last = word
        encoded.append(cbor2.dumps([word, postings, []]))
        size += len(encoded[-1])
        if size >= CHUNK_BYTES:
            close()

    current: str | None = None
    postings: list[Any] = []
    previous = 0  # the last page number in ``postings``
    for word, offset, plist in words:
        if word != current:
            if current is not None:
                add(current, postings)
            current, postings, previous = word, [], 0
        last_page = offset + sum(p[0] for p in plist)
        plist[0][0] += offset - previous
        postings += plist
        previous = last_page
    if current is not None:
        add(current, postings)
    if encoded:
        close()
    return listed


def _sort_order(name: str, pages: list[Any], files: dict[str, bytes]) -> list[int]:
    """Page numbers in ascending order of the sort value, read from each page's meta."""
    values = []
    for number, (fragment, _count) in enumerate(pages):
        data = json.loads(gzip.decompress(files[f"fragment/{fragment}.pf_fragment"])[12:])
        values.append((data["meta"][name], number))
    return [number for _value, number in sorted(values)]
