"""(Stage 2, validate) Every text of a notice where an editor wrote it: each scalar of the
front matter and the item blocks, and each body line outside code fences, with its file line
and column. The checks that read all text (garbled text, personal data) walk these."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.content import yamltree
from generator.content.load import SourceFile


@dataclass(frozen=True)
class Text:
    """One piece of text and where its first character is."""

    text: str
    line: int
    col: int
    where: str = ""
    """The field (``contacts.phone[1].number``), or "" in the body."""

    def at(self, offset: int) -> tuple[int, int]:
        """File line and column of the character at ``offset`` (single-line text)."""
        return self.line, self.col + offset


def scalars(node: yamltree.Node | None, where: str = "") -> Iterator[Text]:
    if isinstance(node, yamltree.Scalar):
        if not node.null and "\n" not in node.text:
            yield Text(node.text, node.pos.line, node.pos.col + node.quoted, where)
    elif isinstance(node, yamltree.Mapping):
        for key, value in node.items.items():
            yield from scalars(value, f"{where}.{key}" if where else key)
    elif isinstance(node, yamltree.Sequence):
        for n, value in enumerate(node.items, 1):
            yield from scalars(value, f"{where}[{n}]")


def body_lines(source: SourceFile) -> Iterator[Text]:
    """Body lines outside fences (``item`` blocks are read as scalars)."""
    fenced: set[int] = set()
    for token in source.tokens:
        if token.type in ("fence", "code_block") and token.map:
            fenced.update(range(*token.map))
    for n, line in enumerate(source.body.split("\n")):
        if n not in fenced and line.strip():
            yield Text(line, source.body_line + n, 1)


def all_texts(source: SourceFile) -> Iterator[Text]:
    """The front matter's scalars, then the body's lines and the item blocks' scalars."""
    yield from scalars(source.front)
    yield from body_lines(source)
    for n, item in enumerate(source.items, 1):
        yield from scalars(item.fields, f"items[{n}]")
