"""(Stages 1-7, reuse) What a long-running preview keeps in memory between its builds (``portal serve``)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Signature:
    """What ``os.stat`` says of a file: a change to it changes one of these."""

    device: int
    inode: int
    size: int
    modified_ns: int
    changed_ns: int


SETTLED_NS = 2_000_000_000
"""A file's key is remembered by its signature only once it was last modified this long
before it was read: a later change then always shows in the modification time, however
coarse the file system's clock."""


def signature(path: str) -> Signature | None:
    try:
        s = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return Signature(s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns)


@dataclass(frozen=True)
class KnownFile:
    """A file's cache key, learned when the file had ``signature``."""

    signature: Signature
    context: str
    """The settings the key was made with (``incremental.reuse``)."""
    key: str


@dataclass
class Memory:
    """Decoded cache entries (``Cache.remembered``) and the keys of files by their signature
    (``file_key``), so a build after one edit reads one file and one entry, not all of them
    (10,000 notices: about 4 s a build). It is dropped whenever another process used the cache
    since (``Cache.locked``)."""

    generation: str = ""
    entries: dict[tuple[str, str], Any] = field(default_factory=dict)
    """(kind, key) -> the entry as this process last got or gave it."""
    files: dict[str, KnownFile] = field(default_factory=dict)
    """By path."""

    def clear(self) -> None:
        self.entries.clear()
        self.files.clear()

    def file_key(self, path: str, context: str) -> str | None:
        """The key learned for ``path`` and ``context``, if the file is unchanged since."""
        known = self.files.get(path)
        if known is None or known.context != context:
            return None
        return known.key if signature(path) == known.signature else None

    def learn_file(self, path: str, before: Signature | None, context: str, key: str) -> None:
        """Remember ``key`` for ``path``, whose signature was ``before`` when it was read."""
        if before is None or signature(path) != before:
            self.files.pop(path, None)  # changed while it was read
        elif before.modified_ns < time.time_ns() - SETTLED_NS:
            self.files[path] = KnownFile(before, context, key)
