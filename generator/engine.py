"""Stage 5, engine: the one module that knows MkDocs (DESIGN.md lesson 9: Material reaches end
of life in 2027 and its successor ignores plugins, so the rest of the pipeline never imports it).

The engine turns a docs folder of Markdown pages into HTML in a folder we give it; it never
sees ``site/`` itself, because ``mkdocs build`` empties its output folder first (lesson 5).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import os
import re
from pathlib import Path

from .diagnostics import PortalError
from .generate import Site


class EngineError(PortalError):
    """The site engine failed; nothing was published."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def read_site(config_file: Path) -> Site:
    """Portal-wide settings from the engine's configuration file."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open(encoding="utf-8") as f:
            config = yaml_load(f) or {}
    except (OSError, ValueError) as exc:
        raise EngineError(f"{config_file}: cannot read the site configuration: {exc}") from exc
    url = str(config.get("site_url") or "")
    return Site(
        name=str(config.get("site_name") or "整改进展公开平台"),
        url=url if not url or url.endswith("/") else url + "/",
    )


def build_html(config_file: Path, docs_dir: Path, site_dir: Path, build_date: dt.date) -> list[str]:
    """Build ``docs_dir`` into ``site_dir`` with mkdocs-material; returns the engine's warnings.

    ``build_date`` becomes MkDocs' build time (sitemap ``lastmod``), so equal inputs give equal bytes.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    logger.propagate = False
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(dt.datetime(*build_date.timetuple()[:3], tzinfo=dt.UTC).timestamp())
    )
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir))
        build(config)
        add_content_security_policy(site_dir)
    except (MkDocsException, OSError, SystemExit) as exc:
        raise EngineError(f"the site engine (MkDocs) failed: {exc}") from exc
    finally:
        logger.removeHandler(collector)
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    return collector.messages


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


_INVALID = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*) autocomplete="off">')
"""Material's drawer and search toggles: HTML allows autocomplete on text-like inputs only."""


def add_content_security_policy(site_dir: Path) -> None:
    """Put a CSP meta element first in every page's head, hashing that page's inline scripts;
    also drop the one invalid attribute Material's base template writes (``_INVALID``)."""
    for page in sorted(site_dir.rglob("*.html")):
        html = _INVALID.sub(r"\1>", page.read_text(encoding="utf-8"))
        hashes = sorted(
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
        meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=" ".join(hashes))}">'
        head = _HEAD.search(html)
        if head is None:
            raise EngineError(f"{page}: no <head> to put the Content-Security-Policy in")
        page.write_text(html[: head.end()] + meta + html[head.end() :], encoding="utf-8")
