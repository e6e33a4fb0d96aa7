"""Stage 5, engine: the one module that imports MkDocs (DESIGN.md lesson 9: Material reaches
end of life in 2027 and its successor ignores plugins, so the rest of the pipeline never
imports it; ``engine/`` holds every piece of MkDocs, Material and Python-Markdown knowledge).

The engine turns a docs folder of Markdown pages into HTML in a folder we give it; it never
sees ``site/`` itself, because ``mkdocs build`` empties its output folder first (lesson 5).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path

from generator.engine.markdown_page import markdown_page, page_block, write_docs
from generator.engine.stamp import (
    BODY_MARK,
    TITLE_MARK,
    Earlier,
    by_folder,
    cut_shell,
    shell_path,
    sitemap,
    stamp,
)
from generator.errors import EngineError
from generator.i18n import m
from generator.output.csp import add_content_security_policy
from generator.output.tree import Tree
from generator.site.files import OutputFile, Site
from generator.site.urls import page_url

STAMP_ENV = "PORTAL_STAMP"
"""``PORTAL_STAMP=0`` renders every page with MkDocs (the reference the stamped pages equal)."""


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


def build_html(
    config_file: Path,
    files: list[OutputFile],
    work: Path,
    build_date: dt.date,
    earlier: Earlier | None = None,
    keep: tuple[str, ...] = (),
    footer: str = "",
) -> list[str]:
    """Build ``files`` into ``work/site`` with mkdocs-material; returns the engine's warnings.
    ``footer`` (HTML) is the foot of every page (the theme prints ``extra.portal_footer``).

    Our pages are one block of HTML each, which Python-Markdown would only copy, slowly (it
    parses every tag: the ledger of 1,000 notices took 10 s). So MkDocs renders each page of
    the navigation with a marker for a body, and the body goes in afterwards; pages out of the
    navigation are stamped from one shell page per folder (``stamp.py``). Files MkDocs would
    only copy (data files, assets) go straight into the site. ``build_date`` becomes MkDocs'
    build time (sitemap ``lastmod``), so equal inputs give equal bytes.

    ``work/site`` may hold an older site: it is brought up to date (``output.tree``), apart
    from the top-level folders in ``keep``, which the caller fills."""
    config = _read_config(config_file)
    in_nav = _nav_pages(config)
    pages = [f for f in files if f.body is not None]
    stamping = os.environ.get(STAMP_ENV, "1") != "0"
    stamped = [f for f in pages if stamping and f.path not in in_nav]
    filled = [f for f in pages if stamping and f.path in in_nav]
    direct = [f for f in files if f.body is None and not f.path.endswith(".md")]
    skip = {f.path for f in stamped + filled + direct}
    folders = by_folder(stamped)
    docs, made = work / "docs", work / "mkdocs"
    _write_sources([f for f in files if f.path not in skip], filled, folders, docs)
    extra = {**dict(config.get("extra") or {}), "portal_footer": footer}  # type: ignore[call-overload]
    warnings = _mkdocs(config_file, docs, made, build_date, extra)
    add_content_security_policy(made, tidy=_valid_toggles)
    _fill(made, filled)
    site_url = _site_of(config).url
    shells = {folder: cut_shell(made, folder, site_url) for folder in folders}
    if stamped:
        sitemap(made, files, folders, site_url, _epoch(build_date))
    tree = Tree(work / "site", keep)
    tree.put_tree(made)
    for f in direct:
        if not (earlier and _taken(tree, f, earlier)):
            tree.put_bytes(f.path, f.data)
    for folder, folder_pages in folders.items():
        stamp(tree, folder_pages, shells[folder], site_url, earlier)
    tree.finish()
    return warnings


def _taken(tree: Tree, f: OutputFile, earlier: Earlier) -> bool:
    """Link ``f`` from the earlier site as it is, if it is to be taken; whether it was."""
    return f.path in earlier.taken and tree.put_link(f.path, os.path.join(earlier.site, f.path))


def _write_sources(
    files: list[OutputFile],
    filled: list[OutputFile],
    folders: dict[str, list[OutputFile]],
    docs: Path,
) -> None:
    """The docs folder MkDocs reads: ``files`` as they are, the navigation pages with a marker
    for a body, and one shell page per folder of stamped pages."""
    write_docs(files, docs)
    for f in filled:
        assert f.body is not None
        (docs / f.path).parent.mkdir(parents=True, exist_ok=True)
        (docs / f.path).write_text(markdown_page(f.body.title, BODY_MARK), encoding="utf-8")
    for folder in folders:
        shell = docs / shell_path(folder)
        shell.parent.mkdir(parents=True, exist_ok=True)
        shell.write_text(markdown_page(TITLE_MARK, BODY_MARK), encoding="utf-8")


def _fill(made: Path, filled: list[OutputFile]) -> None:
    """Put each navigation page's body where MkDocs rendered its marker."""
    for f in filled:
        assert f.body is not None
        target = made / page_url(f.path) / "index.html"
        html = target.read_text(encoding="utf-8")
        if html.count(BODY_MARK) != 1:
            raise EngineError(
                m("the theme's page layout changed: no single body in {target}", target=target)
            )
        target.write_text(html.replace(BODY_MARK, page_block(f.body.html)), encoding="utf-8")


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
        raise EngineError(
            m(
                "{config_file}: cannot read the site configuration: {exc}",
                config_file=config_file,
                exc=exc,
            )
        ) from exc


def _mkdocs(
    config_file: Path, docs: Path, site: Path, build_date: dt.date, extra: dict[str, object]
) -> list[str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(build_date))
    try:
        config = load_config(str(config_file), docs_dir=str(docs), site_dir=str(site), extra=extra)
        build(config)
    except (MkDocsException, OSError, SystemExit) as exc:
        raise EngineError(m("the site engine (MkDocs) failed: {exc}", exc=exc)) from exc
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    return collector.messages


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(*day.timetuple()[:3], tzinfo=dt.UTC).timestamp())


_INVALID = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*) autocomplete="off">')
"""Material's drawer and search toggles: HTML allows autocomplete on text-like inputs only."""


def _valid_toggles(html: str) -> str:
    return _INVALID.sub(r"\1>", html)
