"""Golden files for the generate stage: ``python -m tests.golden`` (or ``make golden``) rewrites
``tests/golden/docs`` from ``tests/fixtures/golden-content``; review the change as a diff."""

from __future__ import annotations

import shutil

from generator.build import check
from generator.generate import OutputFile, Site, generate, write_tree
from tests.helpers import AS_OF, ROOT

CONTENT = ROOT / "tests" / "fixtures" / "golden-content"
GOLDEN = ROOT / "tests" / "golden" / "docs"
SITE = Site(name="整改进展公开平台（测试）", url="https://portal.example.org/")


def generated() -> list[OutputFile]:
    portal, problems = check([CONTENT], AS_OF)
    assert portal is not None, problems
    # Static assets are copied, not generated: leaving them out keeps CSS edits out of the diff.
    return [f for f in generate(portal, SITE).files if not f.path.startswith("assets/")]


SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
IMPORTED = ROOT / "tests" / "golden" / "import"


def imported() -> dict[str, str]:
    """Importer output per seed (``../shared/corpus/seeds``), by file name."""
    from generator.importer.run import import_file

    return {f"{p.stem}.md": import_file(p)[0] for p in sorted(SEEDS.glob("*.txt"))}


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    write_tree(generated(), GOLDEN)
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
    if SEEDS.is_dir():
        IMPORTED.mkdir(parents=True, exist_ok=True)
        for name, text in imported().items():
            (IMPORTED / name).write_text(text, encoding="utf-8")
        print(f"wrote {IMPORTED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
