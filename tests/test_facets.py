"""The search page's facets file (``generator/search/facets.py``) and the page-numbered
fragment names it is read by."""

from __future__ import annotations

import json
import re
from html import unescape

from hypothesis import given
from hypothesis import strategies as st

from generator.search.bundle import format
from generator.search.bundle.reproducible import ordinal, page_ids, page_order
from generator.search.facets import ATTRIBUTE, ENTRY_KEY, columns, spans

_SPAN = re.compile(rf'<span {ATTRIBUTE}="([^"]*)"></span>')


def read(html: str) -> list[tuple[str, str]]:
    return [tuple(unescape(m[1]).split(":", 1)) for m in _SPAN.finditer(html)]  # type: ignore[misc]


@given(st.lists(st.tuples(st.text(min_size=1).filter(lambda s: ":" not in s), st.text())))
def test_a_records_facet_values_read_back_as_written(pairs):
    assert read("".join(spans(pairs))) == pairs


def test_one_number_per_page_or_a_list_where_a_page_has_several_or_none():
    got = json.loads(
        columns(
            ["a/", "b/", "c/"],
            {
                "a/": [("年度", "2021"), ("事项", "推进中/逾期×2"), ("事项", "已完成/未逾期×1")],
                "b/": [("年度", "2022")],
                "c/": [],
            },
        )
    )
    assert got == {
        "values": {"事项": ["已完成/未逾期×1", "推进中/逾期×2"], "年度": ["2021", "2022"]},
        "pages": {"事项": [[1, 0], [], []], "年度": [0, 1, []]},
    }


def test_the_published_fragments_are_named_by_page_number(example_site):
    """A result's id is its row: hex page number, then a hash of its content."""
    bundle = example_site / "pagefind"
    files = {
        p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()
    }
    entry = format.read_entry(files)
    facets = json.loads(files[entry[ENTRY_KEY]])
    order = page_order(files, page_ids(files))
    meta = format.read_meta(files[format.meta_path(entry["languages"]["und"]["hash"])])
    assert [int(page.split("_")[0], 16) for page, _ in meta.pages] == list(range(len(order)))
    assert all(len(rows) == len(order) for rows in facets["pages"].values())
    # each page's issuer column holds the issuer its fragment names
    for n, (page, _) in enumerate(meta.pages):
        fragment = format.read_fragment(files[format.fragment_path(page)])
        issuer = facets["values"]["发布单位"][facets["pages"]["发布单位"][n]]
        assert issuer == fragment["meta"]["issuer"]
    assert ordinal(files) == files  # named so already
