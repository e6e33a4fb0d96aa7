"""(Stage 1, load) Portal settings (``portal.yml``, optional): what applies to every notice.

Read with the same strict YAML and schema as notices, so its mistakes are located errors too.
Today it holds the site-wide default feedback channels, used by notices that list none.
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
            "contacts", schema.CONTACTS, "default feedback channels for notices that list none"
        ),
    ),
    "portal settings",
)


@dataclass(frozen=True)
class Settings:
    """Portal-wide settings."""

    contacts: dict[str, Any] | None = None
    """Default channels (typed by the contacts schema), or None."""


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
    return Settings(contacts=(fields or {}).get("contacts")), problems + ck.diagnostics
