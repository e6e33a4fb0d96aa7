"""The generate stage against golden files, and the properties every generated page keeps."""

import difflib
import json
import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from generator.commands.check import check
from generator.content.reference import format_reference
from generator.engine.markdown_page import source_of
from generator.site.files import Site
from generator.site.pages import generate
from generator.site.urls import page_url, relative
from tests import golden
from tests.helpers import AS_OF, ROOT, notice, write_tree


def golden_mismatches(made: dict[str, bytes], folder) -> str:
    """A unified diff of every golden file ``made`` differs from (pelican prints the diff)."""
    kept = golden.on_disk(folder)
    out = []
    for path in sorted(set(made) | set(kept)):
        old, new = kept.get(path, b""), made.get(path, b"")
        if old != new:
            lines = difflib.unified_diff(
                old.decode().splitlines(keepends=True),
                new.decode().splitlines(keepends=True),
                f"golden/{path}",
                f"generated/{path}",
            )
            out.append("".join(lines) or f"{path}: differs\n")
    return "".join(out)


def test_generated_tree_matches_golden_files():
    diff = golden_mismatches(golden.generated(), golden.GOLDEN)
    assert diff == "", "generated output changed; run `make golden` and review:\n" + diff[:20_000]


def test_search_records_match_golden_files():
    diff = golden_mismatches(golden.search_records(), golden.SEARCH)
    assert diff == "", "search records changed; run `make golden` and review:\n" + diff[:20_000]


_DIGEST = """
import hashlib, sys
from tests import golden
for name, files in (("docs", golden.generated()), ("search", golden.search_records())):
    for path in sorted(files):
        print(name, path, hashlib.sha256(files[path]).hexdigest())
"""


def test_generation_is_the_same_under_every_hash_seed():
    """Set and dict order leaks show only across processes with different hash seeds."""

    def digests(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _DIGEST], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True)  # fmt: skip
        return done.stdout

    first = digests("1")
    assert first.count("\n") > 20
    assert digests("2") == first == digests("12345")


def test_titles_are_escaped_where_the_engine_prints_them(tmp_path):
    title = '测试<b>区委</b> & “通报”"引号"'
    write_tree(tmp_path, {"content/a.md": notice(title=title)})
    portal, problems = check([tmp_path / "content"], AS_OF, tmp_path / "none.yml")
    assert portal is not None, problems
    pages = [f for f in generate(portal, Site("x")).files if f.body is not None]
    seen = 0
    for f in pages:
        front = source_of(f).decode().split("\n")[1]
        printed = json.loads(front.removeprefix("title: "))
        assert "<" not in printed and ">" not in printed and '"' not in printed, f.path
        if f.path == "notices/a.md":
            # Material prints the title as it stands: it must read back as the title
            assert BeautifulSoup(printed, "html.parser").get_text() == title
            seen += 1
    assert seen == 1


def test_page_urls_and_relative_links():
    assert page_url("index.md") == ""
    assert page_url("notices/a.md") == "notices/a/"
    assert page_url("issuers/index.md") == "issuers/"
    assert relative("notices/a/", "ledger/") == "../../ledger/"
    assert relative("", "ledger/") == "ledger/"
    assert relative("notices/a/", "notices/a/") == "./"
    assert relative("ledger/", "data/items.csv") == "../data/items.csv"


@pytest.mark.parametrize(
    ("language", "name"), [("zh", "notice-format.md"), ("en", "notice-format.en.md")]
)
def test_committed_format_reference_is_generated_from_the_schema(language, name):
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == format_reference(language), f"run `make docs` to regenerate docs/{name}"


def test_format_reference_names_every_schema_field():
    from generator.content.schema import ITEM, NOTICE, ListOf, Obj

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
