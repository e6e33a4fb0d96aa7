"""The build cache: work a build may skip because nothing it depends on changed.

Entries of a few kinds, each named by a digest of everything its value depends on:

- ``notices``: one notice's checked and rendered result (``build._one_file``), keyed by the
  file's bytes and path, the portal settings, the site, and the code and templates that made
  it (``code_fingerprint``). The as-of date is not in the key: the entry says on which dates it
  holds (``model.as_of_window``), so a build the next day reuses every notice whose items did
  not turn overdue overnight.
- ``pages``, ``records``, ``ledger_rows``, ``json``, ``csv``: under the same key, the notice's
  page body, search record, ledger rows and data rows as UTF-8 text, the bulk of it. The build
  keeps only their file names (``StoredPage``, ``StoredRecord``, ``generate.STORED_PARTS``) and
  reads each when it is written or indexed, so its memory does not grow with the portal's
  text. A build without a cache uses a scratch one in its staging folder.
- ``shards``: Pagefind's bundle for one shard of search records, keyed by the records
  themselves (``index.collect``); ``bundles``: the merged bundle, keyed by its shards.
- ``stamped``: per published site, what each of its stamped pages was made from
  (``engine.Earlier``: unchanged pages are linked, not written again).

A long-running process (``portal serve``) also keeps decoded entries and the keys of the files
it read in a ``Memory`` between its builds, trusted only while no other build used the cache.

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
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def code_fingerprint() -> str:
    """Changes whenever the generator's code, its templates or a library it renders or indexes
    with does."""
    from .generate import TEMPLATES  # read when called: a test may point it elsewhere

    package = Path(__file__).parent
    files = sorted(package.rglob("*.py")) + sorted(TEMPLATES.rglob("*"))
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


Signature = tuple[int, int, int, int, int]
"""A file's device, inode, size, modification and change times (``os.stat``)."""
SETTLED_NS = 2_000_000_000
"""A file's key is remembered by its signature only once it was last modified this long
before it was read: a later change then always shows in the modification time, however
coarse the file system's clock."""


@dataclass
class Memory:
    """What a long-running process keeps between its builds with one cache (``portal serve``):
    decoded entries (``Cache.remembered``) and the keys of files by their signature
    (``file_key``), so a build after one edit reads one file and one entry, not all of them
    (10,000 notices: about 4 s a build). It is dropped whenever another process used the cache
    since (``Cache.locked``)."""

    generation: str = ""
    entries: dict[tuple[str, str], Any] = field(default_factory=dict)
    files: dict[str, tuple[Signature, str, str]] = field(default_factory=dict)
    """path -> (signature, context, key)."""

    def clear(self) -> None:
        self.entries.clear()
        self.files.clear()

    def file_key(self, path: str, context: str) -> str | None:
        """The key learned for ``path`` and ``context``, if the file is unchanged since."""
        known = self.files.get(path)
        if known is None or known[1] != context:
            return None
        return known[2] if signature(path) == known[0] else None

    def learn_file(self, path: str, before: Signature | None, context: str, key: str) -> None:
        """Remember ``key`` for ``path``, whose signature was ``before`` when it was read."""
        if before is None or signature(path) != before:
            self.files.pop(path, None)  # changed while it was read
        elif before[3] < time.time_ns() - SETTLED_NS:
            self.files[path] = (before, context, key)


def signature(path: str) -> Signature | None:
    try:
        s = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns)


class Cache:
    """Entries by kind and key under ``root``; remembers which keys this build used.

    Keys are made with ``key``, which adds the code fingerprint: entries made by other code
    are never found. A ``scratch`` cache finds nothing: it only holds this build's pages."""

    def __init__(self, root: Path, scratch: bool = False, memory: Memory | None = None) -> None:
        self.root = root
        self.scratch = scratch
        self.code = code_fingerprint()
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
        except Exception:  # noqa: BLE001 — missing, truncated or from another version: a miss
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

    def _published(self, site: Path) -> dict[str, Any]:
        """What the last build with this cache recorded about the published ``site``, if that
        site is still the one it published."""
        if self.scratch:
            return {}
        kept = self.get("stamped", digest(str(site.absolute())))
        try:
            here = site.stat()
        except OSError:
            return {}
        if not isinstance(kept, dict) or kept.get("site") != (here.st_dev, here.st_ino):
            return {}  # another build (say, one without the cache) published since
        return kept

    def stamped(self, site: Path) -> dict[str, str] | None:
        """What each stamped page of the published ``site`` was made from (``engine.Earlier``)."""
        made = self._published(site).get("made")
        return made if isinstance(made, dict) else None

    def searched(self, site: Path) -> dict[str, tuple[str, str]] | None:
        """What the published ``site``'s search index holds: each notice's URL -> the digest
        of its search record and its page id in the index (``build._Delta``)."""
        searched = self._published(site).get("searched")
        return searched if isinstance(searched, dict) else None

    def keep_stamped(
        self, site: Path, made: dict[str, str], searched: dict[str, tuple[str, str]] | None
    ) -> None:
        """Record ``made`` and ``searched`` for the just published ``site`` (its folder's
        identity included)."""
        here = site.stat()
        value = {"site": (here.st_dev, here.st_ino), "made": made, "searched": searched}
        self.put("stamped", digest(str(site.absolute())), value)

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


@dataclass(frozen=True)
class StoredPage:
    """A page whose body waits in a ``pages`` entry until the engine writes it."""

    title: str
    file: Path
    rendered_on: str = ""
    """The as-of date the stored body was rendered against: a later build may store another
    rendering of the same notice under the same name (``generate.page_identity``)."""
    swap: tuple[str, str] | None = None
    """Text to replace in the stored body (the as-of sentence of another date)."""

    @property
    def block(self) -> str:
        block = self.file.read_bytes().decode()
        return block.replace(*self.swap) if self.swap else block


@dataclass(frozen=True)
class StoredRecord:
    """A search record whose HTML waits in a ``records`` entry until Pagefind gets it."""

    url: str
    file: Path
    digest: str
    """Of the HTML: what an index shard's cache key is made of."""

    @property
    def html(self) -> str:
        return self.file.read_bytes().decode()
