"""``portal serve``: a live preview on 127.0.0.1 that rebuilds when content or theme change.

Rebuilds go through the same checked, staged pipeline as ``portal build`` into
``.portal/preview``; a failing edit prints its diagnostics and the last good preview stays up.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from generator.commands.build import BuildOptions, BuildReport, build, build_pages
from generator.errors import ContentError, PortalError
from generator.incremental.memory import Memory
from generator.output.publish import prepare_replaced
from generator.search.index import FOLDER

POLL_SECONDS = 0.5


def _snapshot(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file's modification time and size (10,000 notices: 0.1 s, every half second)."""
    seen: dict[str, tuple[int, int]] = {}
    for root in roots:
        if not root.is_dir():
            with contextlib.suppress(OSError):
                s = root.lstat()
                seen[str(root)] = (s.st_mtime_ns, s.st_size)
            continue
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    s = os.lstat(path)
                    seen[path] = (s.st_mtime_ns, s.st_size)
    return seen


def _rebuild(options: BuildOptions) -> None:
    _rebuild_passes(options)
    if options.cache:  # while the editor reads, a site for the next build to start from
        threading.Thread(target=prepare_replaced, args=(options.site,), daemon=True).start()


def _rebuild_passes(options: BuildOptions) -> None:
    """Two passes once a preview is up: the pages, with the search index as it was plus a small
    index of the changed notices (an edit shows, and is found, in seconds: ``build_pages``),
    then the whole build, search index included (which then equals a clean build's site). The
    cache and the memory make each pass redo only what changed."""
    started = time.perf_counter()
    up = (options.site / FOLDER).is_dir()
    passes = [build_pages, build] if up else [build]
    for one in passes:
        try:
            report: BuildReport = one(options)
        except ContentError as exc:
            for d in exc.diagnostics:
                print(d, file=sys.stderr)
            print("preview not updated: fix the errors above", file=sys.stderr)
            return
        except PortalError as exc:
            print(f"portal: error: {exc}; preview not updated", file=sys.stderr)
            return
        took = f"{time.perf_counter() - started:.1f}s"
        if one is build_pages:
            print(f"pages updated in {took}, search has the changed notices; merging the whole"
                  " search index", file=sys.stderr)  # fmt: skip
        else:
            drafts = (
                f" ({report.drafts_shown} draft(s), shown with a 草稿 banner)"
                if report.drafts_shown
                else ""
            )
            print(f"rebuilt {report.notices} notice(s){drafts}, search updated in {took}",
                  file=sys.stderr)  # fmt: skip


def serve(options: BuildOptions, host: str, port: int) -> int:
    if options.cache:
        options = replace(options, memory=Memory())  # what one rebuild hands to the next
    watched = [options.content, Path("theme"), options.config]
    before = _snapshot(watched)  # before the first build: an edit made during it is not lost
    _rebuild(options)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(options.site))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"preview on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = _snapshot(watched)
            if now != before:
                before = now
                _rebuild(options)
    except KeyboardInterrupt:
        server.shutdown()
    return 0
