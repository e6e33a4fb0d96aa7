"""``portal import FILE... [-o DIR]``: read, clean, recognise, write, report."""

from __future__ import annotations

from pathlib import Path

from generator.errors import PortalError
from generator.importer.clean import clean
from generator.importer.conserve import conservation
from generator.importer.recognise import recognise
from generator.importer.render import markdown, report


def import_file(path: Path) -> tuple[str, list[str]]:
    """(Markdown notice, report lines) for one input file."""
    cleaned = clean(path.read_bytes(), is_html=path.suffix.lower() in (".html", ".htm"))
    rec = recognise(cleaned.lines, cleaned.page_date)
    if not rec.title and cleaned.front_title:
        rec.title = cleaned.front_title
        rec.guessed.append("title: from the crawler's front matter at the top of the file")
    draft = markdown(rec, path.stem)
    kept = conservation(cleaned.text, draft, set(cleaned.furniture))
    return draft, report(path, cleaned, rec, kept)


def import_files(paths: list[Path], out_dir: Path, force: bool = False) -> list[str]:
    """Write one ``<stem>.md`` per input into ``out_dir``; never overwrites unless ``force``."""
    lines: list[str] = []
    for path in paths:
        target = out_dir / (path.stem + ".md")
        if target.exists() and not force:
            raise PortalError(f"{target} exists; use --force to overwrite it")
        text, notes = import_file(path)
        out_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        lines += [*notes, f"  wrote {target}"]
    return lines
