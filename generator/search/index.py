"""Stage 6, index: our search records -> Pagefind's index in ``site/pagefind``.

Pagefind's extended binary (from PyPI, no download at build time) runs as a service
(``service.py``); we give it one page per notice built from the model (``records.py`` says
why) rather than letting it crawl the HTML. The binary also ships the search bundle the
browser loads.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.errors import SearchIndexError
from generator.i18n import m
from generator.incremental.cache import Cache, digest
from generator.output.tree import Tree
from generator.search.bundle import format
from generator.search.bundle.merge import merge
from generator.search.bundle.reproducible import ordinal, page_ids, page_order, reproducible
from generator.search.facets import ENTRY_KEY, Facets, columns, file_name
from generator.search.newest import Newest, with_newest
from generator.search.newest import size as newest_size
from generator.search.records import LANGUAGE
from generator.search.service import Service, pagefind_binary
from generator.search.top import size as top_size
from generator.search.top import with_top
from generator.site.files import Record

FOLDER = "pagefind"
"""The search bundle's folder in the site."""
SHARD_ENV = "PORTAL_SHARD_SIZE"
SHARD_SIZE = 500
"""Notices per Pagefind process, on average (at most one and a half times as many): its memory
grows by about 1 MB per notice, so a big portal is indexed in shards, one at a time, and the
shards merged (``bundle.merge``)."""
Bundle = dict[str, bytes]
"""A search bundle's files by path."""


@dataclass(frozen=True)
class Collected:
    """The index of every record, merged from its shards."""

    files: Bundle
    shards: int
    reused: int
    """Shards whose bundle came from the cache."""
    newest: Bundle | None = None
    """Pagefind's bundle of the newest notices alone (``search.newest``), if the portal gets
    one."""


@dataclass(frozen=True)
class Shard:
    """One shard's bundle and the cache key that names its records."""

    key: str
    files: Bundle
    reused: bool
    """Taken from the cache."""


def _unreadable(exc: Exception) -> SearchIndexError:
    return SearchIndexError(m("unexpected Pagefind bundle layout: {exc}", exc=exc))


def collect(
    pages: Iterable[Record], cache: Cache | None = None, total: int = 0, newest: bool = False
) -> Collected:
    """Index ``pages`` (in a stable order), in shards; and, if ``newest`` and there are more
    than twice ``search.newest.size()`` of them, the newest alone (one more shard, cached
    alike); if ``newest`` and in shards, each word's lists of its most frequent and its
    newest pages (``search.top``, taken as the shards merge: from one shard they cost a
    quarter more build time at 1,000 notices).

    Needs nothing from the engine, so a build runs it beside the rest, feeding pages as they
    are rendered; each shard goes to a Pagefind process as soon as it is complete. A shard ends
    after a page whose URL hashes to a multiple of the shard size (or at 1.5 times the size), so an
    edit, addition or removal changes one shard and leaves the others, and their cached
    bundles, as they were. A portal of ``total`` <= twice the shard size notices is one shard
    (a merge costs more than it saves there: 1,000 notices, 22.6 s in one, 28.4 s in two)."""
    binary = pagefind_binary()
    if not binary.is_file():
        raise SearchIndexError(m("Pagefind binary not found at {binary}", binary=binary))
    size = int(os.environ.get(SHARD_ENV) or SHARD_SIZE)
    whole = 0 < total <= 2 * size
    latest = Newest(newest_size() if newest and total > 2 * newest_size() else 0)
    with ThreadPoolExecutor(1) as pool:
        shards: list[Future[Shard]] = []
        batch: list[Record] = []
        for page in pages:
            batch.append(page)
            latest.add(page)
            if not whole and (_ends_shard(page, size) or len(batch) >= size * 3 // 2):
                shards.append(pool.submit(_shard, binary, batch, cache))
                batch = []
        if batch or not shards:
            shards.append(pool.submit(_shard, binary, batch, cache))
        chosen = latest.records()
        extra = pool.submit(_shard, binary, chosen, cache) if chosen else None
        done = [shard.result() for shard in shards]
        newest_files = extra.result().files if extra else None
    top = top_size() if newest and not whole else 0  # computed as the shards merge
    merged = _merged(done, cache, top)
    return Collected(merged, len(done), sum(s.reused for s in done), newest_files)


def _merged(shards: list[Shard], cache: Cache | None, top: int = 0) -> Bundle:
    """The shards' bundles as one, from the cache when the same shards were merged before;
    with each bigram's ``top`` most frequent pages (``search.top``) if ``top``."""
    key = digest("merged", str(top), *(s.key for s in shards))  # shard keys include the code's
    keep = cache is not None and not cache.scratch and len(shards) > 1
    merged = cache.get("bundles", key) if cache and keep else None
    if isinstance(merged, dict):
        return merged
    try:
        merged = merge([s.files for s in shards], top)
    except (KeyError, ValueError, TypeError, IndexError) as exc:  # format.FormatError too
        raise _unreadable(exc) from exc
    if cache and keep:
        cache.put("bundles", key, merged)
    return merged


def _ends_shard(page: Record, size: int) -> bool:
    return int.from_bytes(hashlib.sha256(page.url.encode()).digest()[:8], "big") % size == 0


def _shard(binary: Path, pages: list[Record], cache: Cache | None) -> Shard:
    """One shard's bundle, from the cache if the same records were indexed before."""
    records = (part for p in pages for part in (p.url, p.digest))
    key = cache.key(str(binary), *records) if cache else ""
    files = cache.get("shards", key) if cache else None
    if isinstance(files, dict):
        return Shard(key, files, True)
    files = _index(binary, pages)
    if cache and not cache.scratch:
        cache.put("shards", key, files)
    return Shard(key, files, False)


def _index(binary: Path, pages: list[Record]) -> Bundle:
    """One Pagefind process indexes ``pages``; the bundle's files by path."""
    with Service(binary) as service:
        new = service.call({"type": "NewIndex", "config": {"force_language": LANGUAGE}})
        index_id = new["index_id"]
        service.stream(
            {"type": "AddFile", "index_id": index_id, "url": "/" + p.url, "file_contents": p.html}
            for p in pages
        )
        # GetFiles, not WriteFiles: the service answers WriteFiles before its buffered writes
        # reach the disk, and exits on end of input; 1 build in 30 left a zero-byte file.
        files: list[dict[str, str]] = service.call({"type": "GetFiles", "index_id": index_id})[
            "files"
        ]
    return {
        f["path"]: base64.b64decode(f["content"]) for f in files if not f["path"].startswith(UNUSED)
    }


UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
"""Pagefind's prebuilt UIs: our search page uses its JS API only."""


def write_bundle(
    contents: Bundle,
    output: Path,
    published: Path | None = None,
    facets: Mapping[str, Facets] | None = None,
    prefix: str = "",
    newest: Bundle | None = None,
) -> dict[str, str]:
    """Write the bundle, made reproducible (``bundle.reproducible``); every file must be
    non-empty and stay inside ``output``. A file the ``published`` bundle holds with the same
    bytes is linked from there (so the preview's next pass, which links that bundle, finds it
    in place). Fragments are named by page number (``bundle.reproducible.ordinal``, ids
    beginning with ``prefix``) and ``facets`` (record URL -> its facet values) written beside
    them (``search.facets``), each bigram's most frequent pages if the bundle was merged with
    them (``search.top``), and the ``newest`` notices' bundle as its second index
    (``search.newest``). Returns each page's id in it (``bundle.reproducible.page_ids``)."""
    try:
        contents = ordinal(reproducible(contents), prefix)
        ids = page_ids(contents)
        if facets is not None:
            data = columns(page_order(contents, ids), facets)
            contents[file_name(data)] = data
            entry = format.read_entry(contents)
            entry[ENTRY_KEY] = file_name(data)
            contents[format.ENTRY] = format.write_entry(entry)
        contents = with_top(contents)
        if newest is not None:
            contents = with_newest(contents, newest, ids)
    except (KeyError, ValueError, TypeError) as exc:
        raise _unreadable(exc) from exc
    tree = Tree(output)
    root = output.resolve()
    for path, content in sorted(contents.items()):
        target = (output / path).resolve()
        if not target.is_relative_to(root) or target == root or not content:
            raise SearchIndexError(m("Pagefind returned an unusable file: {path!r}", path=path))
        path = target.relative_to(root).as_posix()
        if not (published and tree.put_same(path, content, str(published / path))):
            tree.put_bytes(path, content)
    tree.finish()
    return ids
