"""``portal ledger export|apply``: the ledger (整改台账) out to a spreadsheet and back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.commands.check import as_of_date
from generator.engine.mkdocs import read_site
from generator.errors import ContentError, Diagnostic, errors_in
from generator.ledger.apply import Plan, plan, write
from generator.ledger.table import export_csv
from generator.read.notices import read_notices


def _portal(content: Path, config: Path, as_of: dt.date):  # type: ignore[no-untyped-def]
    reading = read_notices([content], as_of, config.parent / "portal.yml", keep_bodies=False)
    return reading.checked(), [p for p in reading.problems if not errors_in([p])]


def export(target: Path, content: Path, config: Path, as_of: dt.date | None = None) -> int:
    """Write the ledger to ``target``; returns the number of rows."""
    portal, _ = _portal(content, config, as_of_date(as_of))
    data = export_csv(portal, read_site(config).url)
    temporary = target.with_name(target.name + ".writing")
    temporary.write_bytes(data)
    temporary.replace(target)
    return len(portal.problems)


def apply(
    source: Path, content: Path, config: Path, dry_run: bool, as_of: dt.date | None = None
) -> Plan:
    """Check every row of ``source`` and, unless ``dry_run`` or a row is wrong, write the
    changes into the notices (``ContentError`` with every problem: nothing written)."""
    day = as_of_date(as_of)
    portal, _ = _portal(content, config, day)
    result = plan(source, portal, day)
    if not result.ok:
        raise ContentError(result.problems)
    if not dry_run:
        write(result)
    return result


__all__ = ["Diagnostic", "apply", "export"]
