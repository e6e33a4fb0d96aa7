"""A Content-Security-Policy in every page of the built site (Stage 5, after the engine).

Each page lists the hashes of its own inline scripts; the engine may also tidy each page in
the same pass (``tidy``), so every page is read and written once.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from generator.errors import EngineError
from generator.i18n import m

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
_HEAD = re.compile(r"<head[^>]*>", re.I)
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self' https:"
)
"""Scripts only from the site or by hash (Material's two small inline scripts differ per page
depth, so each page lists its own); 'wasm-unsafe-eval' for Pagefind; posts only to the site or
to a unit's HTTPS feedback endpoint. Styles come from files only: no page has a style element
or attribute, and scripts set styles through the CSSOM, which the policy does not govern."""


def _script_hashes(html: str) -> list[str]:
    return sorted(
        {
            "'sha256-"
            + base64.b64encode(hashlib.sha256(m["body"].encode()).digest()).decode()
            + "'"
            for m in _INLINE_SCRIPT.finditer(html)
            if "src=" not in m["attrs"]
            and "application/json" not in m["attrs"]
            and m["body"].strip()
        }
    )


def add_content_security_policy(
    site_dir: Path, tidy: Callable[[str], str] = lambda html: html
) -> None:
    """Put a CSP meta element first in every page's head, hashing that page's inline scripts."""
    for page in sorted(site_dir.rglob("*.html")):
        html = tidy(page.read_text(encoding="utf-8"))
        policy = POLICY.format(hashes=" ".join(_script_hashes(html)))
        meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        head = _HEAD.search(html)
        if head is None:
            raise EngineError(
                m("{page}: no <head> to put the Content-Security-Policy in", page=page)
            )
        page.write_text(html[: head.end()] + meta + html[head.end() :], encoding="utf-8")
