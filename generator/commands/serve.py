"""``portal serve``: a live preview on 127.0.0.1 that rebuilds when content or theme change.

Rebuilds go through the same checked, staged pipeline as ``portal build`` into
``.portal/preview``; a failing edit prints its diagnostics (the files just changed first,
warnings elsewhere as a count) and the last good preview stays up, with the errors in a banner
on every page (``preview``); pages reload themselves when a rebuild has finished.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from generator.commands.build import BuildOptions, BuildReport, build, build_pages
from generator.commands.preview import PreviewState, first_the_changed, handler
from generator.errors import ContentError, Diagnostic, PortalError, Severity
from generator.i18n import m
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


def _changed(before: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]]) -> set[str]:
    return {p for p in before.keys() | now.keys() if before.get(p) != now.get(p)}


def _rebuild(options: BuildOptions, state: PreviewState, changed: set[str] | None = None) -> None:
    _rebuild_passes(options, state, changed or set())
    if options.cache:  # while the editor reads, a site for the next build to start from
        threading.Thread(target=prepare_replaced, args=(options.site,), daemon=True).start()


def _report(diagnostics: tuple[Diagnostic, ...], changed: set[str]) -> None:
    """Errors in full, the files just changed first; their warnings too; other files'
    warnings as a count (``portal check`` lists them)."""
    mine = {os.path.abspath(p) for p in changed}
    others = 0
    for d in first_the_changed(list(diagnostics), changed):
        if d.severity is Severity.ERROR or os.path.abspath(d.path) in mine:
            print(d, file=sys.stderr)
        else:
            others += 1
    if others:
        print(m("and {n} warning(s) in other files (portal check lists them)", n=others),
              file=sys.stderr)  # fmt: skip


def _rebuild_passes(options: BuildOptions, state: PreviewState, changed: set[str]) -> None:
    """Two passes once a preview is up: the pages, with the search index as it was plus a small
    index of the changed notices (an edit shows, and is found, in seconds: ``build_pages``),
    then the whole build, search index included (which then equals a clean build's site). The
    cache and the memory make each pass redo only what changed."""
    started = time.perf_counter()
    up = (options.site / FOLDER).is_dir()
    passes = [build_pages, build] if up else [build]
    for n, one in enumerate(passes):
        try:
            report: BuildReport = one(options)
        except ContentError as exc:
            _report(exc.diagnostics, changed)
            state.failed(list(exc.diagnostics), changed)
            print(m("preview not updated: fix the errors above (the preview's pages show them)"),
                  file=sys.stderr)  # fmt: skip
            return
        except PortalError as exc:
            print(m("portal: error: {why}; preview not updated", why=exc.message), file=sys.stderr)
            return
        if n == 0:  # the pages are new: previewed pages reload (the second pass adds search)
            state.updated()
        took = f"{time.perf_counter() - started:.1f}s"
        if one is build_pages:
            print(m("pages updated in {took}, search has the changed notices; merging the whole"
                    " search index", took=took), file=sys.stderr)  # fmt: skip
        else:
            drafts = (
                m(" ({n} draft(s), shown with a 草稿 banner)", n=report.drafts_shown)
                if report.drafts_shown
                else ""
            )
            print(m("rebuilt {n} notice(s){drafts}, search updated in {took}",
                    n=report.notices, drafts=drafts, took=took), file=sys.stderr)  # fmt: skip


def serve(options: BuildOptions, host: str, port: int) -> int:
    if options.cache:
        options = replace(options, memory=Memory())  # what one rebuild hands to the next
    watched = [options.content, Path("theme"), options.config, options.settings]
    before = _snapshot(watched)  # before the first build: an edit made during it is not lost
    state = PreviewState()
    _rebuild(options, state)
    server = http.server.ThreadingHTTPServer((host, port), handler(options.site, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(m("preview on http://{host}:{port}/ (Ctrl+C to stop)", host=host, port=port),
          file=sys.stderr)  # fmt: skip
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = _snapshot(watched)
            if now != before:
                changed = _changed(before, now)
                before = now
                _rebuild(options, state, changed)
    except KeyboardInterrupt:
        server.shutdown()
    return 0
