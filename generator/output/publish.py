"""Stage 7, publish: the staged site replaces the published one in one step, or not at all.

A build works in ``<site parent>/.portal/stage-*`` on the same file system as ``site/``; the
published folder is swapped with the staged one by ``renameat2(RENAME_EXCHANGE)``, so readers
and the web server see either the old site or the new one, never a mix or nothing. Where the
kernel or file system cannot exchange, two renames are used and a crash between them is
repaired by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.errors import PublishError
from generator.i18n import m
from generator.output.tree import Tree

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
WORK_DIR = ".portal"


def work_dir(site_dir: Path) -> Path:
    return site_dir.absolute().parent / WORK_DIR


def replaced_dir(site_dir: Path) -> Path:
    """Where the site a build replaced is kept for the next build (``staging``)."""
    return work_dir(site_dir) / f"replaced-{site_dir.name}"


@contextlib.contextmanager
def staging(site_dir: Path, keep_replaced: bool = False) -> Iterator[Path]:
    """A fresh staging folder next to ``site_dir``, removed afterwards whatever happens.

    Holds an exclusive lock so two builds never publish over each other, and first removes
    what killed builds left behind. With ``keep_replaced``, the site a build replaces is kept
    (``replaced-<name>``) and the next build starts with it as its ``site`` folder, to bring
    up to date rather than make anew (``tree.py``)."""
    work = work_dir(site_dir)
    work.mkdir(parents=True, exist_ok=True)
    with (work / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _recover(site_dir, work)
        stage = Path(tempfile.mkdtemp(prefix="stage-", dir=work))
        replaced = replaced_dir(site_dir)
        had = keep_replaced and replaced.is_dir()
        if had:
            os.rename(replaced, stage / "site")
        elif replaced.exists():
            shutil.rmtree(replaced, ignore_errors=True)
        done = False
        try:
            yield stage
            done = True
        finally:
            # after a failure, only a site that was kept before is worth keeping (a half-made
            # one may be what filled the disk)
            if keep_replaced and (done or had) and (stage / "site").is_dir():
                with contextlib.suppress(OSError):
                    os.rename(stage / "site", replaced)
            shutil.rmtree(stage, ignore_errors=True)


def prepare_replaced(site_dir: Path) -> None:
    """When the next build would have no replaced site to start from, make one: the published
    site as hard links (the preview does this while it waits, so that its first edit need not
    make 10,000 folders)."""
    work = work_dir(site_dir)
    replaced = replaced_dir(site_dir)
    if replaced.exists() or not site_dir.is_dir():
        return
    # Without the lock, so that a build never waits for this: a build started meanwhile
    # removes the folder (its leftovers check) or swaps the site under it, and this gives up;
    # whatever it made, a build brings up to date exactly (``tree.py``).
    making = Path(tempfile.mkdtemp(prefix="stage-", dir=work))
    try:
        tree = Tree(making / "site")
        tree.put_tree(site_dir, link=True)
        tree.finish()
        with (work / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not replaced.exists():
                os.rename(making / "site", replaced)
    except OSError:
        pass  # only time lost
    finally:
        shutil.rmtree(making, ignore_errors=True)


def _recover(site_dir: Path, work: Path) -> None:
    parked = work / f"parked-{site_dir.name}"
    if parked.exists() and not site_dir.exists():
        os.rename(parked, site_dir)  # a crash between the two fallback renames
    for stale in work.glob("stage-*"):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(parked, ignore_errors=True)


def publish(built: Path, site_dir: Path) -> None:
    """Make ``built`` the published ``site_dir``; the old site ends up at ``built``'s path."""
    if not site_dir.exists():
        os.rename(built, site_dir)
        return
    if not site_dir.is_dir() or site_dir.is_symlink():
        raise PublishError(
            m("{site_dir} exists and is not a folder; refusing to replace it", site_dir=site_dir)
        )
    if _exchange(built, site_dir):
        return
    parked = work_dir(site_dir) / f"parked-{site_dir.name}"
    os.rename(site_dir, parked)
    try:
        os.rename(built, site_dir)
    except OSError as exc:
        os.rename(parked, site_dir)
        raise PublishError(
            m("cannot publish into {site_dir}: {exc}", site_dir=site_dir, exc=exc)
        ) from exc
    os.rename(parked, built)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the system cannot (then the caller falls back)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise PublishError(
        m("cannot publish into {folder}: {strerror}", folder=b, strerror=os.strerror(err))
    )
