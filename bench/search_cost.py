"""Search cost: index size and what a first query downloads (``make bench``).

Builds the example portal and a synthetic one, then in headless Chromium (fresh context per
query, so nothing is cached) loads the search page, runs one query and records every byte
fetched from ``pagefind/`` and the time until results show. Writes ``bench/results/search.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from bench import synth
from generator.commands.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search.md"
QUERIES = [
    ("rare", "举报奖励"),
    ("broad", "整改"),
    ("unit", "省委第三巡视组"),
    ("status", "推进中"),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_portal(content: Path, work: Path) -> tuple[Path, float]:
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", work / "theme", dirs_exist_ok=True)
    started = time.perf_counter()
    report = build(BuildOptions(content, work / "site", work / "mkdocs.yml"))
    return work / "site", report.seconds.get("index", time.perf_counter() - started)


def index_bytes(site: Path) -> tuple[int, int]:
    """(whole search bundle, index data only: index, fragment, filter and meta files)."""
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    data = [
        p
        for p in files
        if p.parent.name in ("index", "fragment", "filter") or p.suffix == ".pf_meta"
    ]
    return sum(p.stat().st_size for p in files), sum(p.stat().st_size for p in data)


def first_query(browser: Browser, base: str, query: str) -> tuple[int, int, float, str]:
    """(bytes fetched from pagefind/, requests, seconds until results show, status line)."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[int] = []

    def record(response) -> None:  # type: ignore[no-untyped-def]
        if "/pagefind/" in response.url:
            with contextlib.suppress(Exception):
                fetched.append(len(response.body()))

    page.on("response", record)
    started = time.perf_counter()
    page.goto(base + "search/?q=" + query + "&sort=relevance")
    page.locator("[data-search-status]", has_text="找到").wait_for(timeout=120_000)
    seconds = time.perf_counter() - started
    status = page.locator("[data-search-status]").text_content() or ""
    context.close()
    return sum(fetched), len(fetched), seconds, status


def measure(
    name: str, site: Path, notices: int, index_seconds: float, browser: Browser
) -> list[str]:
    bundle, data = index_bytes(site)
    rows = [
        f"### {name}: {notices} notices",
        "",
        f"- index build: {index_seconds:.2f} s; search bundle {bundle / 1e6:.2f} MB, of which index data "
        f"{data / 1e6:.2f} MB = {data / notices / 1e3:.1f} KB per notice",
        "",
        "| query | kind | first-query bytes | requests | time to results | result |",
        "|---|---|---:|---:|---:|---|",
    ]
    with serve(site) as base:
        for kind, query in QUERIES:
            size, requests, seconds, status = first_query(browser, base, query)
            rows.append(
                f"| {query} | {kind} | {size / 1e3:.0f} KB | {requests} | {seconds:.2f} s | {status} |"
            )
    return rows + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=1000, help="size of the synthetic portal")
    args = parser.parse_args()
    lines = [
        "# Search cost",
        "",
        "Measured by `make bench` (bench/search_cost.py) on this machine.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        example, seconds = build_portal(ROOT / "content", Path(tmp, "example").absolute())
        count = len(list((ROOT / "content").rglob("*.md")))
        lines += measure("example portal", example, count, seconds, browser)
        work = Path(tmp, "synthetic").absolute()
        synth.generate(args.notices, work / "content")
        site, seconds = build_portal(work / "content", work)
        lines += measure("synthetic portal", site, args.notices, seconds, browser)
        browser.close()
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
