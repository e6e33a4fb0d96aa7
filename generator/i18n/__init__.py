"""Every text an editor reads, in the editor's language: 简体中文 by default, English on request.

Messages are written in the code in English, as format strings with named fields (``m("expected {what}, got
'{got}'", what=..., got=...)``), and rendered only when shown: a diagnostic kept in the cache
or sent from a worker process is the same in either language. ``zh.TEXTS`` holds the Chinese
of every message (a test checks that none is missing and that the fields agree). Fields are
shown as given: a ``Msg`` in its own language, a list joined the language's way (、 or ", "),
anything else as it is (an editor's text, a field name, a number).

The language: ``--lang`` on the command line, else ``PORTAL_LANG``, else the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``en…`` is English), else Chinese.
"""

from __future__ import annotations

import contextlib
import os
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
_language = DEFAULT


@dataclass(frozen=True)
class Msg:
    """A message in English with its fields, shown in the current language by ``str()``."""

    text: str
    fields: tuple[tuple[str, Any], ...] = ()

    def render(self, language: str | None = None) -> str:
        language = language or _language
        template = self.text if language == "en" else _texts(language).get(self.text, self.text)
        values = {name: show(value, language) for name, value in self.fields}
        return template.format_map(values)

    def __str__(self) -> str:
        return self.render()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Msg):
            return NotImplemented
        return self.render("en") < other.render("en")  # the same order in every language


def m(text: str, /, **fields: Any) -> Msg:
    """The message ``text`` (English, with ``{fields}``), to be shown in the reader's language."""
    return Msg(text, tuple(fields.items()))


class Clauses(tuple[Any, ...]):
    """Values shown one after the other as clauses (；in Chinese, ``; `` in English)."""


def show(value: Any, language: str | None = None) -> str:
    """A field's value as shown: messages in ``language``, lists joined its way."""
    language = language or _language
    if isinstance(value, Msg):
        return value.render(language)
    if isinstance(value, Clauses):
        return ("；" if language == "zh" else "; ").join(show(v, language) for v in value)
    if isinstance(value, list | tuple):
        return ("、" if language == "zh" else ", ").join(show(v, language) for v in value)
    return str(value)


def fields_of(text: str) -> set[str]:
    """The names of the ``{fields}`` a message text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _texts(language: str) -> Mapping[str, str]:
    from generator.i18n import zh

    return zh.TEXTS if language == "zh" else {}


def use(language: str) -> None:
    """Show every message from now on in ``language`` (one of ``LANGUAGES``)."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(language)
    _language = language


def language() -> str:
    return _language


@contextlib.contextmanager
def speaking(language: str) -> Iterator[None]:
    """Messages in ``language`` inside the block (the public site is Chinese whatever the
    editor's language)."""
    before = _language
    use(language)
    try:
        yield
    finally:
        use(before)


def from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """The language the environment asks for: ``PORTAL_LANG``, else the locale, else Chinese."""
    wanted = environ.get("PORTAL_LANG", "")
    if wanted in LANGUAGES:
        return wanted
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "en" if value.startswith("en") else DEFAULT
    return DEFAULT
