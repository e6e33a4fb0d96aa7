"""Stage 5, engine: the one module that knows MkDocs (DESIGN.md lesson 9: Material reaches end
of life in 2027 and its successor ignores plugins, so the rest of the pipeline never imports it).

The engine turns a docs folder of Markdown pages into HTML in a folder we give it; it never
sees ``site/`` itself, because ``mkdocs build`` empties its output folder first (lesson 5).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import logging
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .diagnostics import PortalError
from .generate import (
    OutputFile,
    Site,
    markdown_page,
    page_identity,
    page_title,
    page_url,
    write_tree,
)
from .tree import Tree


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
    return _site_of(_read_config(config_file))


def _site_of(config: dict[str, object]) -> Site:
    url = str(config.get("site_url") or "")
    return Site(
        name=str(config.get("site_name") or "整改进展公开平台"),
        url=url if not url or url.endswith("/") else url + "/",
    )


@dataclass
class Earlier:
    """The published site of an earlier build and what each stamped page of it was made from
    (``build`` keeps this in its cache). A page made from the same inputs again is linked
    from there instead of written: the preview of a large portal rewrites only what changed."""

    site: Path
    made_from: dict[str, str]
    """Page path -> digest of its shell, title, URL and body (``_linked``)."""
    now: dict[str, str] = field(default_factory=dict)
    """The same for this build's pages."""
    linked: int = 0


def build_html(
    config_file: Path,
    files: list[OutputFile],
    work: Path,
    build_date: dt.date,
    earlier: Earlier | None = None,
    keep: tuple[str, ...] = (),
    taken: tuple[str, ...] = (),
) -> list[str]:
    """Build ``files`` into ``work/site`` with mkdocs-material; returns the engine's warnings.

    Our pages are one block of HTML each, which Python-Markdown would only copy, slowly (it
    parses every tag: the ledger of 1,000 notices took 10 s). So MkDocs renders each page of
    the navigation with a marker for a body, and the body goes in afterwards. Pages out of the
    navigation (notices, issuers, years: all but a handful) differ from each other only in
    title, body and canonical URL, so MkDocs renders one *shell* page per folder and every page
    of that folder is stamped from it. Both give the bytes MkDocs would write (tested), at a
    fraction of the time. ``build_date`` becomes MkDocs' build time (sitemap ``lastmod``), so
    equal inputs give equal bytes.

    ``work/site`` may hold an older site: it is brought up to date (``tree.Tree``), apart from
    the top-level folders in ``keep``, which the caller fills. Files named in ``taken`` are
    linked from the ``earlier`` site as they are (the preview's first pass: its data files).
    """
    docs, made = work / "docs", work / "mkdocs"
    config = _read_config(config_file)
    in_nav = _nav_pages(config)
    stamp = os.environ.get(STAMP_ENV, "1") != "0"
    stamped = [f for f in files if stamp and f.page and f.path not in in_nav]
    filled = [f for f in files if stamp and f.page and f.path in in_nav]
    folders = sorted({posixpath.dirname(f.path) for f in stamped})
    # files MkDocs would only copy (data files, assets) go straight into the site
    direct = [f for f in files if f.page is None and not f.path.endswith(".md")]
    skip = {f.path for f in stamped + filled + direct}
    write_tree([f for f in files if f.path not in skip], docs)
    for f in filled:
        assert f.page is not None
        (docs / f.path).parent.mkdir(parents=True, exist_ok=True)
        (docs / f.path).write_text(markdown_page(f.page.title, _BODY_MARK), encoding="utf-8")
    for folder in folders:
        shell = docs / _shell_path(folder)
        shell.parent.mkdir(parents=True, exist_ok=True)
        shell.write_text(markdown_page(_TITLE_MARK, _BODY_MARK), encoding="utf-8")
    warnings = _mkdocs(config_file, docs, made, build_date)
    add_content_security_policy(made)
    for f in filled:
        assert f.page is not None
        target = made / page_url(f.path) / "index.html"
        html = target.read_text(encoding="utf-8")
        if html.count(_BODY_MARK) != 1:
            raise EngineError(f"the theme's page layout changed: no single body in {target}")
        target.write_text(html.replace(_BODY_MARK, f.page.block), encoding="utf-8")
    site_url = _site_of(config).url
    by_folder: dict[str, list[OutputFile]] = {}
    for f in stamped:
        by_folder.setdefault(posixpath.dirname(f.path), []).append(f)
    shells = {folder: _shell(made, folder, site_url) for folder in by_folder}
    if stamped:
        _sitemap(made, files, by_folder, site_url, _epoch(build_date))
    tree = Tree(work / "site", keep)
    tree.put_tree(made)
    for f in direct:
        if (
            earlier
            and f.path in taken
            and tree.put_link(f.path, os.path.join(earlier.site, f.path))
        ):
            continue
        tree.put_bytes(f.path, f.content)
    for folder, pages in by_folder.items():
        _stamp(tree, pages, shells[folder], site_url, earlier)
    tree.finish()
    return warnings


STAMP_ENV = "PORTAL_STAMP"
"""``PORTAL_STAMP=0`` renders every page with MkDocs (the reference the stamped pages equal)."""
SHELL = "portal-shell-page"
_TITLE_MARK = "PORTAL-SHELL-TITLE-7c1d"
_BODY_MARK = "<h1>PORTAL-SHELL-BODY-7c1d</h1>"


def _nav_pages(config: dict[str, object]) -> set[str]:
    """Docs paths named in the configuration's ``nav``."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config.get("nav") or [])
    return found


def _read_config(config_file: Path) -> dict[str, object]:
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open(encoding="utf-8") as f:
            return dict(yaml_load(f) or {})
    except (OSError, ValueError) as exc:
        raise EngineError(f"{config_file}: cannot read the site configuration: {exc}") from exc


def _mkdocs(config_file: Path, docs: Path, site: Path, build_date: dt.date) -> list[str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    logger.propagate = False
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(build_date))
    try:
        config = load_config(str(config_file), docs_dir=str(docs), site_dir=str(site))
        build(config)
    except (MkDocsException, OSError, SystemExit) as exc:
        raise EngineError(f"the site engine (MkDocs) failed: {exc}") from exc
    finally:
        logger.removeHandler(collector)
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    return collector.messages


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(*day.timetuple()[:3], tzinfo=dt.UTC).timestamp())


def _shell_path(folder: str) -> str:
    return f"{folder}/{SHELL}.md" if folder else f"{SHELL}.md"


def _shell_url(folder: str) -> str:
    return page_url(_shell_path(folder))


@dataclass(frozen=True)
class _Shell:
    """A folder's shell page, cut at its title and body (``_TITLE_MARK``, ``_BODY_MARK``)."""

    url: str
    before: str
    middle: str
    after: str
    digest: str


def _shell(made: Path, folder: str, site_url: str) -> _Shell:
    """The folder's shell, read from MkDocs' output and removed from it."""
    shell_url = _shell_url(folder)
    html = (made / shell_url / "index.html").read_text(encoding="utf-8")
    if html.count(_TITLE_MARK) != 1 or html.count(_BODY_MARK) != 1:
        raise EngineError(f"the theme's page layout changed: cannot stamp pages from {shell_url}")
    shutil.rmtree(made / shell_url)
    before, rest = html.split(_TITLE_MARK)
    middle, after = rest.split(_BODY_MARK)
    digest = hashlib.sha256((site_url + html).encode()).hexdigest()
    return _Shell(shell_url, before, middle, after, digest)


def _stamp(
    tree: Tree,
    pages: list[OutputFile],
    shell: _Shell,
    site_url: str,
    earlier: Earlier | None = None,
) -> None:
    """Write each page of a folder from its shell (the sitemap lists them instead)."""
    for f in pages:
        assert f.page is not None
        url = page_url(f.path)
        if earlier and _linked(earlier, f, shell.digest, url, tree):
            continue
        parts = (shell.before, page_title(f.page.title), shell.middle, f.page.block, shell.after)
        text = (
            "".join(parts).replace(site_url + shell.url, site_url + url)
            if site_url
            else "".join(parts)
        )
        tree.put_text(url + "index.html", text)


def _linked(earlier: Earlier, f: OutputFile, shell: str, url: str, tree: Tree) -> bool:
    """Link the earlier build's page if it was made from the same inputs; whether it was."""
    assert f.page is not None
    body = page_identity(f.page)
    if body is None:
        return False
    made = hashlib.sha256("\0".join((shell, f.page.title, url, body)).encode()).hexdigest()
    earlier.now[f.path] = made
    if earlier.made_from.get(f.path) != made:
        return False
    if not tree.put_link(url + "index.html", os.path.join(earlier.site, url, "index.html")):
        return False
    earlier.linked += 1
    return True


_ENTRY = re.compile(r"    <url>\n         <loc>(?P<loc>[^<]*)</loc>\n.*?    </url>\n", re.S)


def _sitemap(
    site: Path,
    files: list[OutputFile],
    by_folder: dict[str, list[OutputFile]],
    site_url: str,
    epoch: int,
) -> None:
    """Replace each shell's sitemap entry by its pages' entries, in MkDocs' file order."""
    path = site / "sitemap.xml"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    entries = list(_ENTRY.finditer(text))
    if not entries:
        return
    shells = {site_url + _shell_url(folder): folder for folder in by_folder}
    out: dict[str, str] = {}
    for m in entries:
        folder = shells.get(m["loc"])
        if folder is None:
            out[m["loc"]] = m[0]
            continue
        for f in by_folder[folder]:
            loc = site_url + page_url(f.path)
            out[loc] = m[0].replace(m["loc"], loc)
    sources = {site_url + page_url(f.path): f.path for f in files if f.path.endswith(".md")}
    ordered = sorted(out, key=lambda loc: _file_order(sources.get(loc, "")))
    text = (
        text[: entries[0].start()]
        + "".join(out[loc] for loc in ordered)
        + text[entries[-1].end() :]
    )
    path.write_text(text, encoding="utf-8")
    gz_path = site / "sitemap.xml.gz"
    with (
        gz_path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, filename=str(gz_path), mode="wb", mtime=epoch) as gz,
    ):
        gz.write(text.encode("utf-8"))


def _file_order(path: str) -> tuple[tuple[str, ...], bool, str]:
    """MkDocs' order of source files: by folder, the index first (``file_sort_key``)."""
    parts = PurePosixPath(path).parts or ("",)
    return parts[:-1], PurePosixPath(parts[-1]).stem != "index", parts[-1]


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
