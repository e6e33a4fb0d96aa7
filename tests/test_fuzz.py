"""Fuzzing the loader and validator (issue 7, in part): any input gives diagnostics, never a crash.

Bounded: a fixed number of examples per run, each input checked against a generous hang guard.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import check
from generator.generate import Site, generate
from tests.helpers import notice

YAML_BITS = st.sampled_from([
    "title:", "issuer:", "kind: 整改进展", "published: 2021-02-30", "inspection:", "  type: 巡视",
    "  period: [", "contacts:", "  phone:", "    - {number: 010}", "&a", "*a", "!!int", "- ", ": ",
    "'", '"', "\t", "{", "}", "[", "]", "#", "---", "...", "\\", "？", "\x00", "\ufeff", "\r", "整改",
    "items:", "  - 1", "? x", "|", ">", "%YAML 1.1", "<<: *a", "status: 完成了", "web: http://x",
])  # fmt: skip
MD_BITS = st.sampled_from([
    "## ", "### （一）", "#### 1.关于“x”问题", "```item", "```", "status: 已完成", "no: 1", "<div>",
    "<!--", "[a](javascript:x)", "![i](http://e/x.png)", "> ", "- ", "1. ", "|a|b|", "\n", "**", "`",
    "关于", "“", "”", "\\", "&#0;", "\u202e",
])  # fmt: skip


def _lines(bits: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.lists(bits, max_size=4).map("".join), max_size=15).map("\n".join)


def _run(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "n.md"
    path.write_bytes(data)
    started = time.perf_counter()
    portal, problems = check([path], settings=path.parent / "none.yml")
    assert time.perf_counter() - started < 2
    assert portal is not None or problems  # refused inputs always say why
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1 and problem.message
    if portal is not None:  # accepted inputs also render: pages, data files, search pages
        generated = generate(portal, Site("fuzz", "https://example.org/"))
        assert len(generated.search_pages) == len(portal.notices)


FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(_lines(YAML_BITS), _lines(MD_BITS))
def test_front_matter_and_body_fragments(tmp_path_factory, front, body):
    _run(tmp_path_factory, f"---\n{front}\n---\n{body}\n".encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(tmp_path_factory, data):
    _run(tmp_path_factory, data)


@FUZZ
@given(st.integers(0, 2000), st.binary(min_size=1, max_size=8))
def test_a_valid_notice_with_bytes_spliced_in(tmp_path_factory, at, junk):
    text = notice().encode()
    _run(tmp_path_factory, text[:at] + junk + text[at:])


@FUZZ
@given(_lines(MD_BITS))
def test_a_valid_notice_with_a_fuzzed_body(tmp_path_factory, body):
    """About half of these are accepted, so rendering odd but valid bodies is exercised too."""
    _run(tmp_path_factory, (notice() + "\n" + body + "\n").encode("utf-8", "surrogatepass"))
