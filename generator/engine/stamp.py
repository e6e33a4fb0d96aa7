"""Pages out of the navigation, stamped from one page MkDocs rendered per folder (Stage 5).

Pages out of the navigation (notices, issuers, years: all but a handful) differ from each
other only in title, body and canonical URL, so MkDocs renders one *shell* page per folder
with markers for the title and the body, and every page of that folder is stamped from it:
the bytes MkDocs would write (``PORTAL_STAMP=0`` renders every page with MkDocs, and a test
compares the two), at a fraction of the time. A page made from the same inputs as the
published one is linked from the published site instead (``Earlier``).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.engine.markdown_page import page_block, page_title
from generator.errors import EngineError
from generator.i18n import m
from generator.output.tree import Tree
from generator.site.files import OutputFile, body_identity
from generator.site.urls import page_url

SHELL = "portal-shell-page"
TITLE_MARK = "PORTAL-SHELL-TITLE-7c1d"
BODY_MARK = "<h1>PORTAL-SHELL-BODY-7c1d</h1>"


@dataclass
class Earlier:
    """The published site of an earlier build and what each stamped page of it was made from
    (the build's cache keeps this: ``incremental.reuse``). A page made from the same inputs
    again is linked from there instead of written: the preview of a large portal rewrites only
    what changed."""

    site: Path
    made_from: dict[str, str]
    """Page path -> digest of its shell, title, URL and body (``_linked``)."""
    taken: tuple[str, ...] = ()
    """Files linked from ``site`` as they are, whatever this build made of them (the preview's
    first pass: the data files joined from every notice)."""
    now: dict[str, str] = field(default_factory=dict)
    """The same as ``made_from`` for this build's pages."""
    linked: int = 0


def shell_path(folder: str) -> str:
    """The docs path of a folder's shell page."""
    return f"{folder}/{SHELL}.md" if folder else f"{SHELL}.md"


def _shell_url(folder: str) -> str:
    return page_url(shell_path(folder))


@dataclass(frozen=True)
class Shell:
    """A folder's shell page, cut at its title and body (``TITLE_MARK``, ``BODY_MARK``)."""

    url: str
    before: str
    middle: str
    after: str
    digest: str


def cut_shell(made: Path, folder: str, site_url: str) -> Shell:
    """The folder's shell, read from MkDocs' output and removed from it."""
    shell_url = _shell_url(folder)
    html = (made / shell_url / "index.html").read_text(encoding="utf-8")
    if html.count(TITLE_MARK) != 1 or html.count(BODY_MARK) != 1:
        raise EngineError(
            m(
                "the theme's page layout changed: cannot stamp pages from {shell_url}",
                shell_url=shell_url,
            )
        )
    shutil.rmtree(made / shell_url)
    before, rest = html.split(TITLE_MARK)
    middle, after = rest.split(BODY_MARK)
    digest = hashlib.sha256((site_url + html).encode()).hexdigest()
    return Shell(shell_url, before, middle, after, digest)


def stamp(
    tree: Tree, pages: list[OutputFile], shell: Shell, site_url: str, earlier: Earlier | None
) -> None:
    """Write each page of a folder from its shell (the sitemap lists them instead)."""
    for f in pages:
        assert f.body is not None
        url = page_url(f.path)
        if earlier and _linked(earlier, f, shell.digest, url, tree):
            continue
        html = page_block(f.body.html)
        parts = (shell.before, page_title(f.body.title), shell.middle, html, shell.after)
        text = "".join(parts)
        if site_url:
            text = text.replace(site_url + shell.url, site_url + url)
        tree.put_text(url + "index.html", text)


def _linked(earlier: Earlier, f: OutputFile, shell: str, url: str, tree: Tree) -> bool:
    """Link the earlier build's page if it was made from the same inputs; whether it was."""
    assert f.body is not None
    body = body_identity(f.body)
    if body is None:
        return False
    made = hashlib.sha256("\0".join((shell, f.body.title, url, body)).encode()).hexdigest()
    earlier.now[f.path] = made
    if earlier.made_from.get(f.path) != made:
        return False
    if not tree.put_link(url + "index.html", os.path.join(earlier.site, url, "index.html")):
        return False
    earlier.linked += 1
    return True


_ENTRY = re.compile(r"    <url>\n         <loc>(?P<loc>[^<]*)</loc>\n.*?    </url>\n", re.S)


def sitemap(
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
    for entry in entries:
        folder = shells.get(entry["loc"])
        if folder is None:
            out[entry["loc"]] = entry[0]
            continue
        for f in by_folder[folder]:
            loc = site_url + page_url(f.path)
            out[loc] = entry[0].replace(entry["loc"], loc)
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


def by_folder(pages: list[OutputFile]) -> dict[str, list[OutputFile]]:
    """The stamped pages grouped by their folder, in order."""
    grouped: dict[str, list[OutputFile]] = {}
    for f in pages:
        grouped.setdefault(posixpath.dirname(f.path), []).append(f)
    return grouped
