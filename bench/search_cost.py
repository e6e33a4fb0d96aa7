"""Search cost, side by side with plain Pagefind (``make bench``; ``--notices N`` for any size).

Builds the example portal and a synthetic one (``bench/synth.py``), and the same synthetic
notices as plain mkdocs-material pages indexed by the plain Pagefind CLI (extended, the page
language zh, so jieba cuts the words): the tool a unit would pick instead. Then, in headless
Chromium, a fresh browser context per query (nothing cached), loads the search page with the
query in its URL and records every response from ``pagefind/`` until the first results show
and until the number of results and the facet counts show (the first page may come from the
index of the newest notices alone, newest first, ``generator/search/newest.py``, or from each
word's most frequent notices, by relevance, ``generator/search/top.py``): the
bytes that went over the wire (the server compresses scripts and JSON, as any web server
does; Pagefind's data files are compressed already), by kind (library: Pagefind's script,
worker and WebAssembly; meta; index chunks; filters; fragments), the requests and the time.
Each query in both sort orders, and with the CPU throttled 4x (a phone); then a second query
typed into the same page. Plain Pagefind's row is its own JS API as its UI uses it: one
search, the first results' data loaded (it has no date order and no filters).

Writes ``bench/results/search.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench import synth
from generator.search.service import pagefind_binary

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search.md"
QUERIES = [
    ("rare", "举报奖励"),
    ("broad", "整改"),
    ("unit", "省委第三巡视组"),
    ("status", "推进中"),
]
SECOND = "危险化学品"
"""The query typed after the first one, in the same page."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
COMPRESSED = (".js", ".json", ".html", ".css", ".svg")
"""What the bench's server sends gzip-compressed when asked (nginx's ``gzip_types`` and the
like); Pagefind's ``.pf_*`` files and its WebAssembly are compressed by Pagefind already."""
PLAIN_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body>
<p id="status"></p><script type="module">
const q = new URLSearchParams(location.search).get("q");
const pf = await import("./pagefind/pagefind.js");
const found = await pf.search(q);
await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
document.getElementById("status").textContent = "找到 " + found.results.length + " 个页面";
</script></body></html>
"""
"""Plain Pagefind's search, as its own UI runs it: a search, then the first results' data."""


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, compressed like a web server would (``COMPRESSED``)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Built:
    """Our cold build (empty cache) of a portal: ``portal build``, as an editor runs it."""

    site: Path
    pagefind: float
    """Pagefind's work, beside the rest of the build (sharing its two cores)."""
    wait: float
    """How long the build waited for it after the rest (the index stage)."""
    whole: float
    peak_rss: int
    """The build's process tree, Pagefind included (bench/scale.py, timed)."""


def build_portal(content: Path, work: Path) -> Built:
    from bench.scale import our_build

    work.mkdir(parents=True, exist_ok=True)
    run = our_build(content, work)
    return Built(
        work / "site", run.stages["pagefind"], run.stages["index"], run.seconds, run.peak_rss
    )


@dataclass(frozen=True)
class Plain:
    """Plain mkdocs-material over the notice files, then the plain Pagefind CLI over its pages."""

    site: Path
    mkdocs: float
    pagefind: float
    peak_rss: int
    """The larger of the two commands' peaks."""


def build_plain(content: Path, work: Path) -> Plain:
    from bench.scale import baseline_build, timed

    work.mkdir(parents=True, exist_ok=True)
    run = baseline_build(content, work)
    site = work / "site"
    indexed, _ = timed([str(pagefind_binary()), "--site", str(site), "--silent"], work)
    (site / "plain-search.html").write_text(PLAIN_PAGE, encoding="utf-8")
    return Plain(site, run.seconds, indexed.seconds, max(run.peak_rss, indexed.peak_rss))


def index_bytes(site: Path) -> tuple[int, int]:
    """(whole search bundle, index data only: index, fragment, filter and meta files, and the
    lists of each word's notices)."""
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    data = [
        p
        for p in files
        if p.parent.name in ("index", "fragment", "filter", "top") or p.suffix == ".pf_meta"
    ]
    return sum(p.stat().st_size for p in files), sum(p.stat().st_size for p in data)


KINDS = ("library", "meta", "index", "filter", "fragment")


def _kind(url: str) -> str:
    """What a response from ``pagefind/`` is; our facets file counts as filters, the lists of
    each word's notices (``generator/search/top.py``) and each word's counts
    (``generator/search/counts.py``) as index."""
    if "/top/" in url or "/counts/" in url:
        return "index"
    for folder in ("index", "filter", "fragment"):
        if f"/{folder}/" in url:
            return folder
    if "/facets." in url:
        return "filter"
    return "meta" if url.endswith(".pf_meta") else "library"


@dataclass
class Query:
    """What one query cost until its results showed."""

    bytes: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    open: bool = True
    """Still counting: responses after the results showed belong to the next query."""
    seconds: float = 0.0
    status: str = ""
    shown: Counter[str] = field(default_factory=Counter)
    """The bytes by kind until the first results showed (before the counts, newest first)."""
    shown_seconds: float = 0.0
    renderer_peak: int = 0
    """The page's renderer process at its peak (VmHWM, bytes): the page, Pagefind's worker and
    WebAssembly, until the counts showed."""

    @property
    def total(self) -> int:
        return sum(self.bytes.values())


def _record(page: Page, into: Query) -> None:
    def record(response) -> None:  # type: ignore[no-untyped-def]
        if "/pagefind/" not in response.url or not into.open:
            return
        with contextlib.suppress(Exception):
            response.finished()
            size = response.request.sizes()["responseBodySize"]
            if size < 0:  # from the browser's cache: nothing went over the wire
                return
            into.bytes[_kind(response.url)] += size
            into.requests += 1

    page.on("response", record)


_WATCH = """
window.__bench = { shown: false, done: false, want: "找到", cleared: true, since: 0 };
performance.setResourceTimingBufferSize(100000);
new MutationObserver(() => {
  const b = window.__bench;
  const list = document.querySelector("[data-search-results]");
  const some = list && list.querySelector(":scope > li");
  if (!some) b.cleared = true; // the previous query's results are gone
  if (!b.shown && b.cleared && some) {
    b.shown = true;
    const loaded = performance.getEntriesByType("resource").filter(
      (e) => e.startTime >= b.since && new URL(e.name).pathname.includes("/pagefind/"));
    window.benchShown(loaded.map((e) => [e.name, e.encodedBodySize, e.transferSize]));
  }
  const status = document.querySelector("[data-search-status], #status");
  if (!b.done && status && status.textContent.includes(b.want)) {
    b.done = true;
    window.benchDone();
  }
}).observe(document, { childList: true, subtree: true, characterData: true });
"""
"""Tells the bench the moment the first results are in the list, with the files from
``pagefind/`` the page had loaded by then (the page's own resource timing: every file our
reader reads, it fetches from the page), and the moment the status line says what was found
(``want``): the times are taken then, not when a poll sees them."""


def _renderers(browser: Browser) -> set[int]:
    """The process ids of the browser's renderers (Chromium's own list, over CDP)."""
    cdp = browser.new_browser_cdp_session()
    try:
        info = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        cdp.detach()
    return {p["id"] for p in info if p["type"] == "renderer"}


def _peak_resident(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def first_query(
    browser: Browser,
    base: str,
    query: str,
    sort: str = "relevance",
    throttle: float = 1,
    plain: bool = False,
    second: str = "",
) -> tuple[Query, Query | None]:
    """The first query in a fresh context (and, if ``second``, a query typed after it)."""
    before = _renderers(browser)
    context = browser.new_context()
    page = context.new_page()
    if throttle != 1:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    first = Query()
    _record(page, first)
    current = {"": (first, time.perf_counter())}  # the query being run, and when it began

    def shown(_source: object, loaded: list[tuple[str, int, int]]) -> None:
        query, since = current[""]
        query.shown_seconds = time.perf_counter() - since
        query.shown = Counter()
        for url, size, transferred in loaded:
            if transferred:  # else from the browser's cache: nothing went over the wire
                query.shown[_kind(url)] += size

    def done(_source: object) -> None:
        query, since = current[""]
        query.seconds = time.perf_counter() - since
        query.open = False
        if plain:
            query.shown_seconds, query.shown = query.seconds, Counter(query.bytes)

    page.expose_binding("benchShown", shown)
    page.expose_binding("benchDone", done)
    page.add_init_script(_WATCH)
    current[""] = (first, time.perf_counter())
    if plain:
        page.goto(f"{base}plain-search.html?q={query}")
    else:
        page.goto(f"{base}search/?q={query}&sort={sort}")
    page.wait_for_function("() => window.__bench.done", timeout=300_000)
    new = _renderers(browser) - before
    first.renderer_peak = max((_peak_resident(pid) for pid in new), default=0)
    status = page.locator("#status" if plain else "[data-search-status]")
    first.status = status.text_content() or ""
    then = None
    if second and not plain:
        then = Query()
        _record(page, then)
        page.fill("#portal-q", second)
        current[""] = (then, time.perf_counter())
        page.evaluate(
            "(want) => { window.__bench = { shown: false, done: false, want, cleared: false,"
            " since: performance.now() } }",
            f"与“{second}”相关",
        )
        page.press("#portal-q", "Enter")
        page.wait_for_function("() => window.__bench.done", timeout=300_000)
    context.close()
    return first, then


def _kb(n: float) -> str:
    return f"{n / 1e3:.0f}"


def measure(
    name: str,
    built: Built,
    notices: int,
    browser: Browser,
    plain: Plain | None = None,
    notes: tuple[str, ...] = (),
) -> list[str]:
    site = built.site
    bundle, data = index_bytes(site)
    rows = [
        f"### {name}: {notices} notices",
        "",
        f"- Pagefind's work: {built.pagefind:.2f} s; search bundle {bundle / 1e6:.2f} MB, of which "
        f"index data {data / 1e6:.2f} MB = {data / notices / 1e3:.1f} KB per notice",
    ]
    if plain is not None:
        plain_bundle, plain_data = index_bytes(plain.site)
        rows.append(
            f"- plain Pagefind over plain mkdocs-material pages: search bundle "
            f"{plain_bundle / 1e6:.2f} MB, index data {plain_data / notices / 1e3:.1f} KB per notice"
        )
    rows += [
        *notes,
        "",
        "KB over the wire from `pagefind/` and time from loading the page, until the first "
        "results show (*first*; they may come from the newest notices' index, newest first, "
        "or from each word's most frequent notices, by relevance, before the whole index is "
        "read) and until the number of results and the facet counts "
        "show (*all*); the first results' KB by kind (library / meta / index / filter: "
        "Pagefind's filters or our facets file / fragment); 4x: the CPU throttled 4x; "
        f"then: the query {SECOND} typed next in the same page; page MB: the page's renderer "
        "process at its peak, the page, Pagefind's worker and WebAssembly, until the number of "
        "results and the counts showed.",
        "",
        "| query | kind | engine | order | KB first / all | first: lib / meta / index / filter "
        "/ fragment | requests | s first / all | s at 4x first / all | then s first / all "
        "| page MB | result |",
        "|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    with serve(site) as base:
        plain_base = contextlib.ExitStack()
        plain_url = plain_base.enter_context(serve(plain.site)) if plain is not None else ""
        with plain_base:
            for kind, query in QUERIES:
                for sort in ("relevance", "date"):
                    got, then = first_query(browser, base, query, sort, second=SECOND)
                    slow, _ = first_query(browser, base, query, sort, throttle=4)
                    rows.append(_row(query, kind, "ours", sort, got, slow, then))
                if plain_url:
                    got, _ = first_query(browser, plain_url, query, plain=True)
                    slow, _ = first_query(browser, plain_url, query, throttle=4, plain=True)
                    rows.append(_row(query, kind, "plain Pagefind", "relevance", got, slow, None))
    return rows + [""]


def _row(
    query: str, kind: str, engine: str, sort: str, got: Query, slow: Query, then: Query | None
) -> str:
    parts = " / ".join(_kb(got.shown[k]) for k in KINDS)
    second = f"{then.shown_seconds:.2f} / {then.seconds:.2f}" if then else "—"
    return (
        f"| {query} | {kind} | {engine} | {sort} | {_kb(sum(got.shown.values()))} / "
        f"{_kb(got.total)} | {parts} | {got.requests} "
        f"| {got.shown_seconds:.2f} / {got.seconds:.2f} "
        f"| {slow.shown_seconds:.2f} / {slow.seconds:.2f} | {second} "
        f"| {got.renderer_peak / 2**20:.0f} | {got.status} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, nargs="+", default=[1000], help="portal sizes")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    lines = [
        "# Search cost",
        "",
        "Measured by `make bench` (bench/search_cost.py) on this machine (2 cores).",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        example = build_portal(ROOT / "content", Path(tmp, "example").absolute())
        count = len(list((ROOT / "content").rglob("*.md")))
        lines += measure("example portal", example, count, browser)
        for n in args.notices:
            work = Path(tmp, f"synthetic-{n}").absolute()
            synth.generate(n, work / "content")
            ours = build_portal(work / "content", work)
            plain = build_plain(work / "content", work / "plain")
            note = (
                f"- plain mkdocs-material build {plain.mkdocs:.1f} s, then the plain Pagefind CLI "
                f"{plain.pagefind:.1f} s on its own; ours: Pagefind {ours.pagefind:.1f} s beside the "
                f"rest of the build on the same two cores, then {ours.wait:.1f} s waited for after "
                f"the rest; our whole cold build (`portal build`) {ours.whole:.1f} s, "
                f"{ours.whole / (plain.mkdocs + plain.pagefind):.2f} times plain mkdocs-material + "
                f"plain Pagefind; peak memory (resident, process tree) {ours.peak_rss / 2**20:.0f} MB, "
                f"plain {plain.peak_rss / 2**20:.0f} MB (the larger of its two commands)"
            )
            lines += measure("synthetic portal", ours, n, browser, plain, (note,))
            shutil.rmtree(work)
            args.output.write_text("\n".join(lines), encoding="utf-8")  # each size as it ends
        browser.close()
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
