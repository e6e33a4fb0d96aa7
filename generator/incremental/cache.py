"""(Stages 1-7, reuse) The build cache: work a build may skip because nothing it depends on changed.

Entries of a few kinds, each named by a digest of everything its value depends on:

- ``notices``: one notice's checked and rendered result (``read.notices``), keyed by the
  file's bytes and path, the portal settings, the site, and the code and templates that made
  it (``code_fingerprint``). The as-of date is not in the key: the entry says on which dates it
  holds (``content.model.as_of_window``), so a build the next day reuses every notice whose items did
  not turn overdue overnight.
- ``pages``, ``records``, ``ledger_rows``, ``json``, ``csv``: under the same key, the notice's
  page body, search record, ledger rows and data rows as UTF-8 text, the bulk of it. The build
  keeps only their file names (``site.files.StoredBody``, ``StoredRecord``, ``STORED_PARTS``) and
  reads each when it is written or indexed, so its memory does not grow with the portal's
  text. A build without a cache uses a scratch one in its staging folder.
- ``shards``: Pagefind's bundle for one shard of search records, keyed by the records
  themselves (``search.index.collect``); ``bundles``: the merged bundle, keyed by its shards.
- ``stamped``: per published site, what each of its stamped pages was made from
  (``engine.stamp.Earlier``: unchanged pages are linked, not written again) and what its
  search index holds (``incremental.reuse.Published``).

``incremental.reuse`` decides what to look up and keep; this module only stores.

A long-running process (``portal serve``) also keeps decoded entries and the keys of the files
it read in a ``Memory`` (``memory.py``) between its builds, trusted only while no other build used the cache.

Entries are pickles written whole or not at all (a temporary file renamed into place), so a
killed or failing build leaves the cache usable; an entry that cannot be read is a miss, and a
cache that cannot be written only costs speed. After a successful build, entries it did not
use are removed (``prune``): the cache holds one build's worth. A cache is trusted like the
code is: it lives in the project's ``.portal`` folder, which only the project's users write.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from generator.incremental.memory import Memory

CACHE_DIR = "cache"
"""The cache's folder inside the build's work folder (``publish.WORK_DIR``)."""
PACKAGES = ("markdown-it-py", "PyYAML", "Jinja2", "MarkupSafe", "pagefind_bin_extended", "cbor2")
"""Libraries whose output ends up in cached values."""


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def code_fingerprint(templates: Path) -> str:
    """Changes whenever the generator's code, its ``templates`` or a library it renders or
    indexes with does."""
    package = Path(__file__).parent.parent  # the generator package
    files = sorted(package.rglob("*.py")) + sorted(templates.rglob("*"))
    parts: list[bytes | str] = [sys.version]
    for name in PACKAGES:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(name)
    for path in files:
        if path.is_file():
            parts += [path.name, path.read_bytes()]
    return digest(*parts)


class Cache:
    """Entries by kind and key under ``root``; remembers which keys this build used.

    Keys are made with ``key``, which adds the code fingerprint: entries made by other code
    are never found. A ``scratch`` cache finds nothing: it only holds this build's pages."""

    def __init__(
        self, root: Path, code: str, scratch: bool = False, memory: Memory | None = None
    ) -> None:
        """``code``: the ``code_fingerprint`` every key includes."""
        self.root = root
        self.scratch = scratch
        self.code = code
        self.used: dict[str, set[str]] = {}
        self.memory = None if scratch else memory

    def __getstate__(self) -> dict[str, Any]:
        # Sent with every task to the worker processes, which need no record of use nor the
        # parent's memory: with the record, each task carried the keys of the whole portal
        # (10,000 notices: 70,000 keys).
        return {**self.__dict__, "used": {}, "memory": None}

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One build at a time uses the cache (a preview and a build may share it). Each build
        gives the cache a new generation; a memory of another generation is dropped."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not self.scratch:
                self._next_generation()
            yield

    def _next_generation(self) -> None:
        generation = self.root / "generation"
        try:
            found = generation.read_bytes()
        except OSError:
            found = b""
        new = uuid.uuid4().hex.encode()
        written = self.put_bytes_at(generation, new)
        if self.memory is not None:
            if not found or found.decode(errors="replace") != self.memory.generation:
                self.memory.clear()
            self.memory.generation = new.decode() if written else ""

    def path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def mark(self, kind: str, key: str) -> None:
        """Keep the entry through ``prune``."""
        self.used.setdefault(kind, set()).add(key)

    def key(self, *parts: bytes | str) -> str:
        return digest(self.code, *parts)

    def get(self, kind: str, key: str) -> Any:
        """The entry, or None if there is none or it cannot be read."""
        self.mark(kind, key)
        if self.scratch:
            return None
        try:
            with self.path(kind, key).open("rb") as f:
                return pickle.load(f)
        except Exception:  # missing, truncated or from another version: a miss
            return None

    def put(self, kind: str, key: str, value: Any) -> bool:
        """Store an entry whole, or not at all (a full disk only costs the next build time);
        whether it was stored."""
        return self.put_bytes(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def remembered(self, kind: str, key: str) -> Any:
        """The entry as this process last got or gave it (``remember``), or None."""
        self.mark(kind, key)
        return self.memory.entries.get((kind, key)) if self.memory is not None else None

    def remember(self, kind: str, key: str, value: Any) -> None:
        if self.memory is not None:
            self.memory.entries[(kind, key)] = value

    def put_bytes(self, kind: str, key: str, data: bytes) -> bool:
        """``put`` for an entry that is just bytes (read back with ``Path.read_bytes``)."""
        self.mark(kind, key)
        return self.put_bytes_at(self.path(kind, key), data)

    def put_bytes_at(self, target: Path, data: bytes) -> bool:
        temporary = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temporary, target)
        except OSError:
            if temporary:
                Path(temporary).unlink(missing_ok=True)
            return False
        return True

    def prune(self, kinds: Iterable[str]) -> None:
        """Remove the entries of ``kinds`` this build did not use, and leftover temporary files."""
        for kind in kinds:
            keep = self.used.get(kind, set())
            if self.memory is not None:
                for name in [n for n in self.memory.entries if n[0] == kind and n[1] not in keep]:
                    del self.memory.entries[name]
            folder = self.root / kind
            if not folder.is_dir():
                continue
            for sub in folder.iterdir():
                for entry in sub.iterdir() if sub.is_dir() else ():
                    if entry.name not in keep:
                        entry.unlink(missing_ok=True)
