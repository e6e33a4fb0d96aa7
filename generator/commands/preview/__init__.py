"""The preview's own side of ``portal serve``: what the last rebuild found, served beside the
site, and the script every previewed page gets (the built pages stay a clean build's bytes:
the script is added as a page is served, never written into it).

The script asks ``/__portal/status`` every second: when a rebuild has finished it reloads the
page, and while the content has errors it shows them in a banner (file, line, column and
message; the files just changed first).
"""

from __future__ import annotations

import http.server
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Diagnostic, Severity

SCRIPT = (Path(__file__).parent / "preview.js").read_bytes()
STATUS_PATH = "/__portal/status"
SCRIPT_PATH = "/__portal/preview.js"
TAG = f'<script src="{SCRIPT_PATH}"></script>'.encode()


@dataclass
class PreviewState:
    """What the preview shows about the last rebuild; read by the server's threads."""

    generation: int = 0
    ok: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def updated(self) -> None:
        with self.lock:
            self.generation, self.ok, self.errors, self.warnings = self.generation + 1, True, [], 0

    def failed(self, diagnostics: list[Diagnostic], changed: set[str]) -> None:
        ordered = first_the_changed(diagnostics, changed)
        with self.lock:
            self.generation += 1
            self.ok = False
            self.errors = [str(d) for d in ordered if d.severity is Severity.ERROR]
            self.warnings = sum(d.severity is Severity.WARNING for d in ordered)

    def json(self) -> bytes:
        with self.lock:
            return json.dumps(
                {"generation": self.generation, "ok": self.ok, "errors": self.errors,
                 "warnings": self.warnings}, ensure_ascii=False,
            ).encode()  # fmt: skip


def first_the_changed(diagnostics: list[Diagnostic], changed: set[str]) -> list[Diagnostic]:
    """The diagnostics of the files just changed first, each group in file order."""
    mine = {os.path.abspath(p) for p in changed}
    return sorted(diagnostics, key=lambda d: (os.path.abspath(d.path) not in mine, d))


def handler(site: Path, state: PreviewState) -> type[http.server.SimpleHTTPRequestHandler]:
    """A request handler for ``site`` that also answers the status and the script, and adds
    the script to every HTML page it serves."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the editor's terminal shows rebuilds, not requests

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            if path == STATUS_PATH:
                return self._send(state.json(), "application/json; charset=utf-8")
            if path == SCRIPT_PATH:
                return self._send(SCRIPT, "text/javascript; charset=utf-8")
            target = Path(self.translate_path(path))
            if target.is_dir() and path.endswith("/"):
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                html = target.read_bytes()
                at = html.rfind(b"</body>")
                page = html[:at] + TAG + html[at:] if at >= 0 else html + TAG
                return self._send(page, "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler
