"""How a page reaches MkDocs: a Markdown file whose body is one raw HTML block (Stage 5, engine).

Python-Markdown passes a raw HTML block through unchanged if it has no blank line and no tab,
and Material prints the front matter's title without escaping it; both are handled here, so
the rest of the pipeline only makes HTML.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from generator.site.files import OutputFile

_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def markdown_page(title: str, block: str, hide: tuple[str, ...] = ("toc",)) -> str:
    """Front matter with the HTML-escaped title, then the page as one raw HTML block."""
    front = {"title": page_title(title), "hide": list(hide)}
    return (
        "---\n"
        + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items())
        + "\n---\n\n"
        + block
        + "\n"
    )


def page_title(title: str) -> str:
    """The title as the engine prints it: escaped here, since Material prints it raw."""
    return escape(title, quote=True)


def page_block(html: str) -> str:
    """``html`` as one raw HTML block that Python-Markdown passes through unchanged.

    A blank line would end the block and tabs would become spaces. So tabs are written as
    character references, preformatted text is kept on one line (its line breaks as references
    too), and blank lines elsewhere, where white space does not show, are dropped.
    """
    parts = _PRE.split(html.replace("\t", "&#9;"))
    parts[1::2] = [pre.replace("\n", "&#10;") for pre in parts[1::2]]
    return "\n".join(line for line in "".join(parts).split("\n") if line.strip())


def source_of(f: OutputFile) -> bytes:
    """The file as MkDocs reads it from the docs folder: a page as Markdown, the rest as is."""
    if f.body is None:
        return f.data
    return markdown_page(f.body.title, page_block(f.body.html)).encode()


def write_docs(files: list[OutputFile], docs_dir: Path) -> None:
    """Write ``files`` into an empty docs folder."""
    for f in files:
        target = docs_dir / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source_of(f))
