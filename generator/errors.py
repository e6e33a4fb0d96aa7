"""Located diagnostics and every exception class of the library (mkdocs' ``exceptions.py``).

The library raises these; only the command line (``cli.py``) turns them into exit codes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from generator.i18n import Msg, m


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> Msg:
        return m("error") if self is Severity.ERROR else m("warning")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, in the compiler format ``path:line:col: error: field: message``."""

    path: str
    """File as the editor named it (relative to the working directory when possible)."""
    line: int
    """1-based line in the file."""
    col: int
    """1-based column (characters) in the line."""
    message: Msg
    """What was expected and what arrived (shown in the reader's language)."""
    field: str = ""
    """Dotted field path such as ``contacts.phone[1].number`` or ``items[3].status``; empty for
    file-level problems."""
    severity: Severity = Severity.ERROR
    """Errors stop the build; warnings are printed and the build goes on."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}: {self.severity.label}: "
        return where + (f"{self.field}: {self.message}" if self.field else str(self.message))


class PortalError(Exception):
    """Base class of the errors the library raises; the CLI maps them to exit codes."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class ContentError(PortalError):
    """Content failed validation; carries every diagnostic found, not only the first."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics))
        errors = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        super().__init__(m("{n} error(s) in content", n=errors))


class EngineError(PortalError):
    """The site engine failed; nothing was published."""


class SearchIndexError(PortalError):
    """Pagefind failed, is missing or wrote a bundle we cannot read; nothing was published."""


class PublishError(PortalError):
    """The site could not be published; the previous one is still in place."""


class YamlProblem(Exception):
    """A problem that stops reading one YAML document (others in the file are still read);
    ``content.yamltree`` turns it into a located ``Diagnostic``."""

    def __init__(self, line: int, col: int, message: Msg) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


def errors_in(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def did_you_mean(got: str, choices: Iterable[str]) -> Msg | None:
    """Suffix naming the closest valid choice, as click does for unknown options."""
    close = difflib.get_close_matches(got, list(choices), n=1, cutoff=0.5)
    return m("; did you mean '{close}'?", close=close[0]) if close else None
