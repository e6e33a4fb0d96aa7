"""Golden files: ``python -m tests.golden`` (or ``make golden``) rewrites them; review the change
as a diff (``git diff tests/golden``).

- ``tests/golden/docs``: the generate stage's docs tree, as the engine reads it, from
  ``tests/fixtures/golden-content``;
- ``tests/golden/search``: what the build feeds the search indexer, one record per notice;
- ``tests/golden/import``: the importer's draft of each seed (``../shared/corpus/seeds``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.commands.check import check
from generator.engine.markdown_page import source_of
from generator.site.files import Site
from generator.site.pages import Generated, generate
from tests.helpers import AS_OF, ROOT

CONTENT = ROOT / "tests" / "fixtures" / "golden-content"
GOLDEN = ROOT / "tests" / "golden" / "docs"
SEARCH = ROOT / "tests" / "golden" / "search"
SITE = Site(name="整改进展公开平台（测试）", url="https://portal.example.org/")


def _generate() -> Generated:
    portal, problems = check([CONTENT], AS_OF)
    assert portal is not None, problems
    return generate(portal, SITE)


def generated() -> dict[str, bytes]:
    """The docs tree by path. Static assets are copied, not generated: leaving them out keeps
    CSS edits out of the diff."""
    return {f.path: source_of(f) for f in _generate().files if not f.path.startswith("assets/")}


def search_records() -> dict[str, bytes]:
    """The indexer's input by file name (``notices/a/`` -> ``notices-a.html``)."""
    return {
        record.url.strip("/").replace("/", "-") + ".html": record.html.encode()
        for record in _generate().records
    }


def on_disk(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
IMPORTED = ROOT / "tests" / "golden" / "import"


def imported() -> dict[str, str]:
    """Importer output per seed (``../shared/corpus/seeds``), by file name."""
    from generator.importer.run import import_file

    return {f"{p.stem}.md": import_file(p)[0] for p in sorted(SEEDS.glob("*.txt"))}


def _write(folder: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    print(f"wrote {folder.relative_to(ROOT)}")


def main() -> None:
    _write(GOLDEN, generated())
    _write(SEARCH, search_records())
    if SEEDS.is_dir():
        IMPORTED.mkdir(parents=True, exist_ok=True)
        for name, text in imported().items():
            (IMPORTED / name).write_text(text, encoding="utf-8")
        print(f"wrote {IMPORTED.relative_to(ROOT)}")
    from tests.test_messages import HELP, write_help_goldens

    write_help_goldens()
    print(f"wrote {HELP.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
