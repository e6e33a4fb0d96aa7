"""Stage 1, load: files -> front matter tree + Markdown tokens + raw item blocks.

Nothing is typed here; every problem found is a located Diagnostic, and loading goes on with
the next file so that ``portal check`` reports all problems at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.content import yamltree
from generator.errors import Diagnostic
from generator.i18n import Msg, m

MAX_FILE_BYTES = 1024 * 1024
"""A notice is 10-80 KB; a megabyte is a mistake (or an attack) worth stopping."""
MAX_FRONT_MATTER_LINES = 400
ITEM_INFO = "item"


@dataclass(frozen=True)
class RawItem:
    """An ``item`` fence and the heading it annotates, untyped."""

    heading: str
    """The heading's plain text, e.g. ``1.关于“……”问题的整改``."""
    heading_level: int
    heading_line: int
    """1-based file line of the heading."""
    category: str
    """Plain text of the nearest enclosing heading of a higher level ("" when none)."""
    fields: yamltree.Node | None
    """The fence's YAML, strings only."""
    line: int
    """1-based file line of the opening fence."""
    heading_token: int
    """Index of the heading_open token, so generation can anchor and badge it."""
    unreadable: bool = False
    """The fence holds YAML that could not be read (its error is reported already)."""


@dataclass(frozen=True)
class SourceFile:
    """One notice file, split and parsed but not yet validated."""

    path: str
    """Display path used in diagnostics."""
    stem: str
    """File name without ``.md``: the notice id unless the front matter sets one."""
    front: yamltree.Node | None
    front_line: int
    """1-based line of the opening ``---``."""
    body: str
    body_line: int
    """1-based file line of the body's first line."""
    tokens: list[Token] = field(repr=False)
    items: list[RawItem]
    front_failed: bool = False
    """The front matter could not be read as YAML (already reported)."""


def block_line(token: Token) -> int:
    """0-based first line of a block token within the body (block tokens always have a map)."""
    assert token.map is not None, token.type
    return token.map[0]


def markdown() -> MarkdownIt:
    """The one Markdown dialect of notices: CommonMark plus tables.

    Raw HTML is parsed (so validation can point at it) but never rendered as markup.
    """
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Keep every link as a token, so validation can point at javascript: and friends instead
    # of markdown-it silently leaving them as text; the renderer re-checks schemes.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def discover(root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """All ``*.md`` below ``root`` in a stable order; symlinks are reported, never followed
    (MkDocs would publish what they point to: DESIGN.md lesson 6)."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        base = Path(dirpath)
        for name in list(dirnames):
            if (base / name).is_symlink():
                problems.append(
                    _file_problem(base / name, m("symbolic links are not allowed in content"))
                )
                dirnames.remove(name)
        for name in sorted(filenames):
            path = base / name
            if path.is_symlink():
                problems.append(_file_problem(path, m("symbolic links are not allowed in content")))
            elif name.endswith(".md"):
                found.append(path)
    return found, problems


def load_file(
    path: Path, md: MarkdownIt | None = None, data: bytes | None = None
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read, decode and split one notice file (``data``: its bytes, when read already)."""
    shown = display_path(path)
    if path.is_symlink():
        return None, [_file_problem(path, m("symbolic links are not allowed in content"))]
    size = len(data) if data is not None else path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Diagnostic(
                shown,
                1,
                1,
                m(
                    "file is {size} bytes; the limit is {MAX_FILE_BYTES}",
                    size=size,
                    MAX_FILE_BYTES=MAX_FILE_BYTES,
                ),
            )
        ]
    text, problems = decode(path.read_bytes() if data is None else data, shown)
    if text is None:
        return None, problems
    return split(text, shown, path.stem, md or markdown())


def decode(data: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 with or without BOM; CRLF and CR become LF. Anything else is located."""
    if b"\x00" in data:
        line, col = _byte_position(data, data.index(b"\x00"))
        return None, [Diagnostic(shown, line, col, m("NUL byte: this is not a text file"))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        bad = data[exc.start : exc.start + 4].hex(" ")
        return None, [
            Diagnostic(
                shown,
                line,
                col,
                m("not valid UTF-8 (bytes {bad}); save the file as UTF-8", bad=bad),
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split(
    text: str, shown: str, stem: str, md: MarkdownIt
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Split ``---`` front matter from the body and parse both."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, [
            Diagnostic(
                shown, 1, 1, m("expected front matter starting with '---' on the first line")
            )
        ]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None, [
            Diagnostic(shown, 1, 1, m("front matter opened with '---' on line 1 is never closed"))
        ]
    if end > MAX_FRONT_MATTER_LINES:
        return None, [
            Diagnostic(
                shown,
                1,
                1,
                m(
                    "front matter has {lines} lines; the limit is {MAX_FRONT_MATTER_LINES}",
                    lines=end - 1,
                    MAX_FRONT_MATTER_LINES=MAX_FRONT_MATTER_LINES,
                ),
            )
        ]
    front, problems = yamltree.parse_yaml("\n".join(lines[1:end]), shown, first_line=2)
    body = "\n".join(lines[end + 1 :])
    body_line = end + 2
    tokens = md.parse(body)
    items, item_problems = find_items(tokens, shown, body_line)
    source = SourceFile(
        shown,
        stem,
        front,
        1,
        body,
        body_line,
        tokens,
        items,
        front_failed=front is None and bool(problems),
    )
    return source, problems + item_problems


def find_items(
    tokens: list[Token], shown: str, body_line: int
) -> tuple[list[RawItem], list[Diagnostic]]:
    """Pair each ``item`` fence with the heading directly above it."""
    items: list[RawItem] = []
    problems: list[Diagnostic] = []
    headings: list[tuple[int, str]] = []  # open headings by level: (level, text)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1])
            headings = [h for h in headings if h[0] < level]
            headings.append((level, tokens[i + 1].content.strip()))
        if token.type != "fence" or token.info.strip() != ITEM_INFO:
            continue
        line = body_line + block_line(token)
        if i < 3 or tokens[i - 1].type != "heading_close":
            problems.append(
                Diagnostic(
                    shown,
                    line,
                    1,
                    m("an 'item' block must come directly after the heading of its item"),
                )
            )
            continue
        level, heading = headings[-1]
        category = headings[-2][1] if len(headings) > 1 else ""
        node, yaml_problems = yamltree.parse_yaml(token.content, shown, first_line=line + 1)
        problems += yaml_problems
        opening = i - 3
        items.append(
            RawItem(
                heading,
                level,
                body_line + block_line(tokens[opening]),
                category,
                node,
                line,
                opening,
                unreadable=bool(yaml_problems) and node is None,
            )
        )
    return items, problems


def display_path(path: Path) -> str:
    """The path relative to the working directory when below it (links are not resolved)."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _file_problem(path: Path, message: Msg) -> Diagnostic:
    return Diagnostic(display_path(path), 1, 1, message)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def find_files(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The files named and every ``*.md`` below the folders named, in a stable order."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            found, more = discover(path)
            files += found
            problems += more
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            problems.append(Diagnostic(display_path(path), 1, 1, m("no such file or folder")))
    return files, problems
