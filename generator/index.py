"""Stage 6, index: our search records -> Pagefind's index in ``site/pagefind``.

Pagefind's extended binary (from PyPI, no download at build time) runs as a service; we give
it one page per notice built from the model (see ``records.py`` for why) rather than
letting it crawl the HTML. The binary also ships the search bundle the browser loads.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bundle import merge, page_ids, reproducible
from .cache import Cache, StoredRecord, digest
from .diagnostics import PortalError
from .records import LANGUAGE, SearchPage
from .tree import Tree

FOLDER = "pagefind"
"""The search bundle's folder in the site."""
PAGEFIND_ENV = "PORTAL_PAGEFIND"
"""Override of the Pagefind binary's path (tests use it to prove a missing binary fails safely)."""


class SearchIndexError(PortalError):
    """Pagefind failed or is missing; nothing was published."""


def pagefind_binary() -> Path:
    override = os.environ.get(PAGEFIND_ENV)
    if override:
        return Path(override)
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:
        raise SearchIndexError(
            "Pagefind's extended binary is not installed (pip package pagefind[extended])"
        ) from exc
    return Path(get_executable())


SHARD_ENV = "PORTAL_SHARD_SIZE"
SHARD_SIZE = 500
"""Notices per Pagefind process, on average (at most one and a half times as many): its memory
grows by about 1 MB per notice, so a big portal is indexed in shards, one at a time, and the
shards merged (``bundle.merge``)."""


@dataclass(frozen=True)
class Collected:
    files: dict[str, bytes]
    """The bundle's files by path."""
    shards: int
    reused: int
    """Shards whose bundle came from the cache."""


def collect(
    pages: Iterable[SearchPage | StoredRecord], cache: Cache | None = None, total: int = 0
) -> Collected:
    """Index ``pages`` (in a stable order), in shards.

    Needs nothing from the engine, so a build runs it beside the rest, feeding pages as they
    are rendered; each shard goes to a Pagefind process as soon as it is complete. A shard ends
    after a page whose URL hashes to a multiple of the shard size (or at 1.5 times the size), so an
    edit, addition or removal changes one shard and leaves the others, and their cached
    bundles, as they were. A portal of ``total`` <= twice the shard size notices is one shard
    (a merge costs more than it saves there: 1,000 notices, 22.6 s in one, 28.4 s in two)."""
    binary = pagefind_binary()
    if not binary.is_file():
        raise SearchIndexError(f"Pagefind binary not found at {binary}")
    size = int(os.environ.get(SHARD_ENV) or SHARD_SIZE)
    whole = 0 < total <= 2 * size
    with ThreadPoolExecutor(1) as pool:
        shards: list[Future[tuple[str, dict[str, bytes], bool]]] = []
        batch: list[SearchPage | StoredRecord] = []
        for page in pages:
            batch.append(page)
            if not whole and (_ends_shard(page, size) or len(batch) >= size * 3 // 2):
                shards.append(pool.submit(_shard, binary, batch, cache))
                batch = []
        if batch or not shards:
            shards.append(pool.submit(_shard, binary, batch, cache))
        done = [shard.result() for shard in shards]
    key = digest("merged", *(k for k, _, _ in done))  # shard keys include the code's
    keep = cache is not None and not cache.scratch and len(done) > 1
    merged = cache.get("bundles", key) if cache and keep else None
    if not isinstance(merged, dict):
        try:
            merged = merge([files for _, files, _ in done])
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise SearchIndexError(f"unexpected Pagefind bundle layout: {exc}") from exc
        if cache and keep:
            cache.put("bundles", key, merged)
    return Collected(merged, len(done), sum(reused for _, _, reused in done))


def _ends_shard(page: SearchPage | StoredRecord, size: int) -> bool:
    return int.from_bytes(hashlib.sha256(page.url.encode()).digest()[:8], "big") % size == 0


def _shard(
    binary: Path, pages: list[SearchPage | StoredRecord], cache: Cache | None
) -> tuple[str, dict[str, bytes], bool]:
    """(key, bundle, taken from the cache) for one shard; the key names its records."""
    records = (part for p in pages for part in (p.url, p.digest))
    key = cache.key(str(binary), *records) if cache else ""
    files = cache.get("shards", key) if cache else None
    if isinstance(files, dict):
        return key, files, True
    files = _index(binary, pages)
    if cache and not cache.scratch:
        cache.put("shards", key, files)
    return key, files, False


def _index(binary: Path, pages: list[SearchPage | StoredRecord]) -> dict[str, bytes]:
    """One Pagefind process indexes ``pages``; the bundle's files by path."""
    with _Service(binary) as service:
        index_id = service.call({"type": "NewIndex", "config": {"force_language": LANGUAGE}})[
            "index_id"
        ]
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
    contents: dict[str, bytes], output: Path, published: Path | None = None
) -> dict[str, str]:
    """Write the bundle, made reproducible (``bundle.py``); every file must be non-empty and
    stay inside ``output``. A file the ``published`` bundle holds with the same bytes is linked
    from there (so the preview's next pass, which links that bundle, finds it in place).
    Returns each page's id in it (``bundle.page_ids``)."""
    try:
        contents = reproducible(contents)
    except (KeyError, ValueError, TypeError) as exc:
        raise SearchIndexError(f"unexpected Pagefind bundle layout: {exc}") from exc
    tree = Tree(output)
    root = output.resolve()
    for path, content in sorted(contents.items()):
        target = (output / path).resolve()
        if not target.is_relative_to(root) or target == root or not content:
            raise SearchIndexError(f"Pagefind returned an unusable file: {path!r}")
        path = target.relative_to(root).as_posix()
        if not (published and tree.put_same(path, content, str(published / path))):
            tree.put_bytes(path, content)
    tree.finish()
    return page_ids(contents)


class _Service:
    """Pagefind's ``--service`` protocol: base64 JSON messages ended by ``,`` on stdin/stdout.

    Pagefind's own Python wrapper sleeps 0.1 s before reading each response (93 records took
    9.5 s; 200,000 would take hours), so we speak the protocol directly: one thread writes the
    requests while this one reads the answers, and neither pipe can fill up and deadlock.
    """

    def __init__(self, binary: Path) -> None:
        try:
            self.proc = subprocess.Popen(
                [str(binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise SearchIndexError(f"cannot run Pagefind ({binary}): {exc}") from exc
        self.next_id = 0
        self.buffer = b""

    def __enter__(self) -> _Service:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        if self.proc.stderr:
            self.proc.stderr.close()

    def _send(self, payload: dict[str, Any]) -> None:
        self.next_id += 1
        message = {"message_id": self.next_id, "payload": payload}
        assert self.proc.stdin is not None
        self.proc.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")

    def _receive(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        while b"," not in self.buffer:
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise SearchIndexError(f"Pagefind stopped unexpectedly: {err.strip()}")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b",")
        payload: dict[str, Any] = json.loads(base64.b64decode(message))["payload"]
        if payload.get("type") == "Error":
            raise SearchIndexError(f"Pagefind failed: {payload.get('message')}")
        return payload

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._send(payload)
        assert self.proc.stdin is not None
        self.proc.stdin.flush()
        return self._receive()

    def stream(self, payloads: Iterable[dict[str, Any]]) -> int:
        """Send many requests while reading their answers; returns how many were answered.

        ``payloads`` may be slow to come (a build feeds records as it renders pages), so the
        reader waits for each request to be sent before it waits for its answer."""
        events: queue.SimpleQueue[bool] = queue.SimpleQueue()  # True: one sent; False: the end
        failure: list[BaseException] = []

        def write() -> None:
            try:
                for payload in payloads:
                    self._send(payload)
                    assert self.proc.stdin is not None
                    self.proc.stdin.flush()
                    events.put(True)
            except BaseException as exc:  # surfaced below, after the reader stops
                failure.append(exc)
            finally:
                events.put(False)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answered = 0
        while events.get():
            self._receive()
            answered += 1
        writer.join()
        if failure:
            raise SearchIndexError(f"cannot send records to Pagefind: {failure[0]}")
        return answered
