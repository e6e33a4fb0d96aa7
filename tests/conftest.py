"""Shared, read-only fixtures: the example portal is built once with the real engine."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from generator import i18n
from generator.commands.build import BuildOptions, build
from generator.commands.check import check
from generator.content.model import Portal
from tests.helpers import AS_OF, ROOT, project_copy, write_tree


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read messages in English (``PORTAL_LANG=en``, also for the commands they start)
    unless they say otherwise; the Chinese every editor gets by default is tested word for
    word beside it (``.zh.expected`` twins, tests/test_messages.py)."""
    monkeypatch.setenv("PORTAL_LANG", "en")
    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture(scope="session")
def example_portal() -> Portal:
    portal, problems = check([ROOT / "content"], AS_OF)
    assert portal is not None, problems
    return portal


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example built by mkdocs-material and indexed by Pagefind. Never modify it."""
    site = tmp_path_factory.mktemp("example") / "site"
    build(BuildOptions(ROOT / "content", site, ROOT / "mkdocs.yml", AS_OF))
    return site


@pytest.fixture(scope="session")
def injected_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portal of one notice per injection payload (tests/test_injection.py), built once."""
    from tests.test_injection import PAYLOADS, payload_notice

    root = tmp_path_factory.mktemp("injected")
    files = {f"content/p{n:02d}.md": payload_notice(n, p) for n, p in enumerate(PAYLOADS)}
    write_tree(project_copy(root, content=False), files)
    build(BuildOptions(root / "content", root / "site", root / "mkdocs.yml", AS_OF))
    return root / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on an ephemeral 127.0.0.1 port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(example_site: Path) -> Iterator[str]:
    """The example site on an ephemeral 127.0.0.1 port; yields its base URL."""
    with serve(example_site) as base:
        yield base


CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium phones home at start; this machine's closed network refuses it.
QUIET = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (its own browser download is unreachable)."""
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=QUIET, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, served_site: str) -> Iterator[Page]:
    """A fresh zh-CN page; the test fails if anything is requested from another host."""
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    external: list[str] = []
    pg.on(
        "request",
        lambda r: urlsplit(r.url).hostname not in ("127.0.0.1", None) and external.append(r.url),
    )
    yield pg
    assert external == []
    context.close()
