"""(Stage 4, generate) Render a notice body to HTML with markdown-it-py: item headings get an anchor and a status
badge, ``item`` fences disappear, and raw HTML is shown as text (validation already rejects it;
this is the second lock)."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from html import escape
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from generator.content.load import ITEM_INFO, markdown
from generator.content.model import Item, Notice
from generator.content.validate import LINK_SCHEMES, safe_url

BadgeFn = Callable[[Item], str]


class _NoticeRenderer(RendererHTML):
    """Each item's heading, status line and narrative become one ``<section>``, closed by the
    next heading of the same or a higher level."""

    def heading_open(
        self, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping[str, Any]
    ) -> str:
        level = int(tokens[idx].tag[1])
        closing = ""
        if env.get("open_level") and level <= env["open_level"]:
            closing, env["open_level"] = "</section>\n", 0
        item: Item | None = env["items"].get(idx)
        if item is None:
            return closing + str(super().renderToken(tokens, idx, options, env))
        env["open_level"] = level
        return (
            f'{closing}<section class="portal-item" data-item="{item.number}">\n'
            f'<{tokens[idx].tag} id="{escape(item.anchor)}" class="portal-item-heading">'
        )

    def heading_close(
        self, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping[str, Any]
    ) -> str:
        item: Item | None = env["items"].get(idx - 2)
        closing = super().renderToken(tokens, idx, options, env)
        return closing if item is None else closing + env["badge"](item)

    def fence(
        self, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping[str, Any]
    ) -> str:
        if tokens[idx].info.strip() == ITEM_INFO:
            return ""
        return str(super().fence(tokens, idx, options, env))

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping[str, Any]
    ) -> str:
        token = tokens[idx]
        if not safe_url(str(token.attrs.get("href", "")), LINK_SCHEMES):
            token.attrs["href"] = "#"
        return str(super().renderToken(tokens, idx, options, env))

    def image(
        self, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping[str, Any]
    ) -> str:
        token = tokens[idx]
        if not safe_url(str(token.attrs.get("src", "")), ()):
            token.attrs["src"] = ""
        return str(super().image(tokens, idx, options, env))

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping[str, Any]
    ) -> str:
        return f"<p>{escape(tokens[idx].content)}</p>\n"

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: Any, env: MutableMapping[str, Any]
    ) -> str:
        return escape(tokens[idx].content)


_MD = markdown()
_MD.renderer = _NoticeRenderer(_MD)


def render_body(notice: Notice, heading_index: dict[int, Item], badge: BadgeFn) -> str:
    """HTML of the notice body; ``heading_index`` maps heading_open token indexes to items."""
    if notice.tokens is None:
        raise ValueError(f"{notice.path}: the body was dropped after rendering; render it once")
    env: dict[str, Any] = {"items": heading_index, "badge": badge, "open_level": 0}
    html = str(_MD.renderer.render(notice.tokens, _MD.options, env))
    return html + ("</section>\n" if env["open_level"] else "")
