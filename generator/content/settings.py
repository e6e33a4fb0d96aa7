"""(Stage 1, load) Portal settings (``portal.yml``, optional): what applies to every notice.

Read with the same strict YAML and schema as notices, so its mistakes are located errors too.
It holds the portal's standing feedback channels (used by notices that list none, offered when
a notice's own have closed) and the national reporting lines offered on every notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content import schema, yamltree
from generator.content.load import decode, display_path
from generator.errors import Diagnostic

SETTINGS = schema.Obj(
    (
        schema.Field(
            "contacts",
            schema.CONTACTS,
            "the portal's standing feedback channels: used by notices that list none, and "
            "offered once a notice's own channels have closed",
        ),
        schema.Field(
            "national",
            schema.CONTACTS.fields[0].spec,
            "national reporting lines offered on every notice, e.g. "
            "{number: '12388', label: 中央纪委国家监委举报电话}",
        ),
    ),
    "portal settings",
)


@dataclass(frozen=True)
class Settings:
    """Portal-wide settings."""

    contacts: dict[str, Any] | None = None
    """Standing channels (typed by the contacts schema), or None."""
    national: list[dict[str, str]] | None = None
    """National reporting lines (phone mappings), or None."""

    @property
    def channels(self) -> dict[str, Any] | None:
        """What every notice is read with: the standing channels and the national lines."""
        if not self.contacts and not self.national:
            return None
        return {**(self.contacts or {}), "national": self.national or []}


def load_settings(path: Path) -> tuple[Settings, list[Diagnostic]]:
    """Settings from ``path``; a missing file means no settings."""
    if not path.is_file():
        return Settings(), []
    shown = display_path(path)
    text, problems = decode(path.read_bytes(), shown)
    if text is None:
        return Settings(), problems
    node, problems = yamltree.parse_yaml(text, shown, first_line=1)
    if node is None:
        return Settings(), problems
    ck = schema.Checker(shown)
    fields = SETTINGS.check(node, "", ck)
    fields = fields or {}
    return Settings(fields.get("contacts"), fields.get("national")), problems + ck.diagnostics
