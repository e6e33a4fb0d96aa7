"""Stage 6, index: Pagefind's extended binary over the built HTML.

Only the extended binary segments Chinese (DESIGN.md lesson 8); it comes from PyPI with the
``pagefind[extended]`` dependency, so nothing is downloaded at build time.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .diagnostics import PortalError

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


def index_site(site_dir: Path) -> str:
    """Write the search index into ``site_dir/pagefind``; returns Pagefind's summary output."""
    binary = pagefind_binary()
    if not binary.is_file():
        raise SearchIndexError(f"Pagefind binary not found at {binary}")
    try:
        done = subprocess.run(
            [str(binary), "--site", str(site_dir)],
            capture_output=True,
            text=True,
            check=False,
            timeout=3600,
        )
    except OSError as exc:
        raise SearchIndexError(f"cannot run Pagefind ({binary}): {exc}") from exc
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )
    return done.stdout
