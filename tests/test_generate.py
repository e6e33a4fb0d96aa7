"""The generate stage against golden files, and the properties every generated page keeps."""

import json

from generator.generate import page_url, relative
from generator.reference import format_reference
from tests import golden
from tests.helpers import ROOT


def test_generated_tree_matches_golden_files():
    files = {f.path: f.content for f in golden.generated()}
    on_disk = {
        str(p.relative_to(golden.GOLDEN)): p.read_bytes()
        for p in golden.GOLDEN.rglob("*")
        if p.is_file()
    }
    assert sorted(files) == sorted(on_disk), "files added or removed: run `make golden` and review"
    changed = [path for path in files if files[path] != on_disk[path]]
    assert changed == [], "generated output changed: run `make golden` and review the diff"


def test_generation_is_deterministic():
    def contents() -> list[tuple[str, bytes]]:
        return [(f.path, f.content) for f in golden.generated()]

    assert contents() == contents()


def test_every_page_has_front_matter_with_an_escaped_title():
    for f in golden.generated():
        if f.path.endswith(".md") and f.path != "format.md":
            text = f.content.decode()
            assert text.startswith("---\ntitle: ")
            title = json.loads(text.split("\n")[1].removeprefix("title: "))
            assert "<" not in title and ">" not in title


def test_page_urls_and_relative_links():
    assert page_url("index.md") == ""
    assert page_url("notices/a.md") == "notices/a/"
    assert page_url("issuers/index.md") == "issuers/"
    assert relative("notices/a/", "ledger/") == "../../ledger/"
    assert relative("", "ledger/") == "ledger/"
    assert relative("notices/a/", "notices/a/") == "./"
    assert relative("ledger/", "data/items.csv") == "../data/items.csv"


def test_committed_format_reference_is_generated_from_the_schema():
    committed = (ROOT / "docs" / "notice-format.md").read_text(encoding="utf-8")
    assert committed == format_reference(), "run `make docs` to regenerate docs/notice-format.md"


def test_format_reference_names_every_schema_field():
    from generator.schema import ITEM, NOTICE, ListOf, Obj

    def names(spec, prefix=""):
        for f in spec.fields:
            yield prefix + f.name
            inner = f.spec.item if isinstance(f.spec, ListOf) else f.spec
            if isinstance(inner, Obj):
                yield from names(
                    inner, f"{prefix}{f.name}{'[]' if isinstance(f.spec, ListOf) else ''}."
                )

    reference = format_reference()
    for name in [*names(NOTICE), *names(ITEM)]:
        assert f"`{name}`" in reference
