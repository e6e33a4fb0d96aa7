"""(Stage 7, publish) A folder brought to hold exactly the files a build puts into it, from whatever it held.

A build of a large portal writes some 20,000 files in 10,000 folders, nearly all of them the
same as in the last build. Made from nothing, the site costs a folder and a link per page
(10,000 notices: seconds of file-system calls, more than anything else an edit changes) and,
after publishing, the removal of the old site. So a build that has an older site at hand
(``publish.staging`` keeps the one it replaced) brings that one up to date instead: a file
already holding the same bytes (the same inode as its source) is left alone, every other one
is replaced, and what this build did not put is removed at the end.

A file is never written in place: the older site shares inodes with the published one (its
unchanged pages are hard links), so each file is written under a temporary name and renamed
over its target, and the published site is never touched. Whatever state a killed build left
the folder in, the next ``Tree`` over it gives the same result, only slower.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

_TEMPORARY = ".portal-tmp"


class Tree:
    """``root`` as it is now; ``put_*`` says what it must hold, ``finish`` removes the rest."""

    def __init__(self, root: Path, keep: Iterable[str] = ()) -> None:
        """``keep``: top-level folders this tree leaves as they are (another stage fills them)."""
        self.root = str(root)
        self.keep = {name.strip("/") for name in keep}
        self.found: dict[str, int] = {}
        """Relative path -> inode of every file the folder held."""
        self.folders: set[str] = {""}
        self.put: set[str] = set()
        os.makedirs(self.root, exist_ok=True)
        self._scan("")

    def _scan(self, folder: str) -> None:
        with os.scandir(os.path.join(self.root, folder)) as entries:
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if not folder and entry.name in self.keep:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    self.folders.add(name)
                    self._scan(name)
                else:
                    self.found[name] = entry.inode()

    def _target(self, path: str) -> str:
        self.put.add(path)
        folder = os.path.dirname(path)
        if folder not in self.folders:
            missing = []
            while folder not in self.folders:
                missing.append(folder)
                folder = os.path.dirname(folder)
            for folder in reversed(missing):
                target = os.path.join(self.root, folder)
                if os.path.lexists(target):
                    os.unlink(target)  # a file where this build has a folder
                    self.found.pop(folder, None)
                os.mkdir(target)
                self.folders.add(folder)
        target = os.path.join(self.root, path)
        if path in self.folders:  # a folder where this build has a file
            shutil.rmtree(target)
            inside = path + "/"
            self.folders = {f for f in self.folders if f != path and not f.startswith(inside)}
            self.found = {f: i for f, i in self.found.items() if not f.startswith(inside)}
        return target

    def put_bytes(self, path: str, data: bytes) -> None:
        """The file with ``data``; one already holding them is left as it is (so, when it is a
        link to the published site's file, the next build finds the same inode there)."""
        target = self._target(path)
        if path in self.found and _holds(target, data):
            return
        temporary = target + _TEMPORARY
        if os.path.lexists(temporary):
            os.unlink(temporary)  # left by a killed build: maybe a link to a published file
        with open(temporary, "xb") as f:
            f.write(data)
        os.replace(temporary, target)

    def put_text(self, path: str, text: str) -> None:
        self.put_bytes(path, text.encode("utf-8"))

    def put_link(self, path: str, source: str) -> bool:
        """The file as a hard link to ``source``; whether it could be linked."""
        target = self._target(path)
        try:
            inode = os.stat(source).st_ino
            if self.found.get(path) == inode and os.lstat(target).st_ino == inode:
                return True
            temporary = target + _TEMPORARY
            if os.path.lexists(temporary):
                os.unlink(temporary)
            os.link(source, temporary)
        except OSError:
            self.put.discard(path)
            return False
        os.replace(temporary, target)
        return True

    def put_same(self, path: str, data: bytes, source: str) -> bool:
        """The file as a link to ``source`` if that holds ``data``; whether it did."""
        return _holds(source, data) and self.put_link(path, source)

    def put_moved(self, path: str, source: str) -> None:
        """The file ``source``, moved here (on the same file system)."""
        os.replace(source, self._target(path))

    def put_tree(self, source: Path, link: bool = False, skip: Iterable[str] = ()) -> None:
        """Every file under ``source`` at the same place here, moved or linked; but the
        top-level folders of ``source`` named in ``skip``."""
        base = str(source)
        for parent, subfolders, names in os.walk(base):
            relative = os.path.relpath(parent, base)
            if relative == ".":
                subfolders[:] = [name for name in subfolders if name not in skip]
            for name in names:
                path = name if relative == "." else f"{relative}/{name}"
                if link:
                    if not self.put_link(path, os.path.join(parent, name)):
                        raise OSError(f"cannot link {os.path.join(parent, name)}")
                else:
                    self.put_moved(path, os.path.join(parent, name))

    def finish(self) -> int:
        """Remove every file not put since the scan, and the folders left empty; how many."""
        gone = [path for path in self.found if path not in self.put]
        for path in gone:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                os.unlink(os.path.join(self.root, path))
        needed = {""}
        for path in self.put:
            folder = os.path.dirname(path)
            while folder not in needed:
                needed.add(folder)
                folder = os.path.dirname(folder)
        for folder in sorted(self.folders - needed, key=len, reverse=True):
            shutil.rmtree(os.path.join(self.root, folder), ignore_errors=True)
        return len(gone)


def _holds(path: str, data: bytes) -> bool:
    try:
        if os.path.islink(path) or os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False
