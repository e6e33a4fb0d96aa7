"""``portal import FILE... [-o DIR]``: read, clean, recognise, write, report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import PortalError
from generator.i18n import Msg, m
from generator.importer.clean import clean
from generator.importer.conserve import Conservation, conservation
from generator.importer.naming import draft_name
from generator.importer.recognise import recognise
from generator.importer.render import markdown, report


@dataclass(frozen=True)
class Imported:
    """One input file's draft, its report, its file name (without ``.md``) and what of the
    source's text it kept."""

    draft: str
    report: list[Msg]
    name: str
    kept: Conservation


def import_one(path: Path) -> Imported:
    """Read, clean, recognise and write one input file, and check what it kept."""
    cleaned = clean(path.read_bytes(), is_html=path.suffix.lower() in (".html", ".htm"))
    rec = recognise(cleaned.lines, cleaned.page_date)
    if not rec.title and cleaned.front_title:
        rec.title = cleaned.front_title
        rec.guessed.append(m("title: from the crawler's front matter at the top of the file"))
    draft = markdown(rec, path.stem)
    kept = conservation(cleaned.text, draft, set(cleaned.furniture))
    return Imported(draft, report(path, cleaned, rec, kept), draft_name(rec, path.stem), kept)


def import_file(path: Path) -> tuple[str, list[Msg]]:
    """(Markdown draft, report lines) for one input file."""
    imported = import_one(path)
    return imported.draft, imported.report


def import_files(paths: list[Path], out_dir: Path, force: bool = False) -> list[Msg]:
    """Write one draft per input into ``out_dir``, named from its issuer, year and inspection
    (``naming``); never overwrites unless ``force``. Two inputs of one name get ``-2``, ``-3``."""
    lines: list[Msg] = []
    written: set[Path] = set()
    for path in paths:
        imported = import_one(path)
        target, n = out_dir / f"{imported.name}.md", 1
        while target in written:
            n += 1
            target = out_dir / f"{imported.name}-{n}.md"
        if target.exists() and not force:
            raise PortalError(m("{target} exists; use --force to overwrite it", target=target))
        out_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(imported.draft, encoding="utf-8")
        written.add(target)
        lines += [*imported.report, m("  wrote {target}", target=target)]
    return lines
