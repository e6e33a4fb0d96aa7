"""Fuzzing the loader, validator, generator and importer (issue 7): any input gives diagnostics
or a draft, never a crash, and none takes 2 s.

Bounded: 200 examples per test in `make test`; `make fuzz` runs 5,000 (PORTAL_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.commands.check import check
from generator.errors import PortalError
from generator.site.files import Site
from generator.site.pages import generate
from tests.helpers import import_text, notice

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
    portal, problems = check([path], settings=path.parent / "none.yml")
    assert portal is not None or problems  # refused inputs always say why
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1 and str(problem.message)
    if portal is not None:  # accepted inputs also render: pages, data files, search pages
        generated = generate(portal, Site("fuzz", "https://example.org/"))
        assert len(generated.records) == len(portal.notices)


FUZZ = settings(
    max_examples=int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
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


HTML_BITS = st.sampled_from([
    "<html>", "<body>", "<p>", "</p>", "<br>", "<script>x()</script>", "<style>p{}</style>",
    "<table><tr><td>", "&nbsp;", "&#12288;", "&#xD800;", "&amp", "<!--", "-->", "<![CDATA[",
    "一、", "（一）", "1.", "关于“x”问题的整改", "已完成", "正在推进", "电话：0510-1234567",
    "邮箱：a@b.cn", "邮政编码：214000", "\u3000", "\r\n", "\x00", "\ufeff", "？", "yī", "整改",
])  # fmt: skip


@FUZZ
@given(st.one_of(st.binary(max_size=600), _lines(HTML_BITS).map(lambda t: t.encode("gb18030"))))
def test_the_importer_on_arbitrary_bytes_and_pages(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "n.html"
    path.write_bytes(data)
    try:
        draft, report = import_text(path)
    except PortalError as exc:  # our own refusal, with a message
        assert str(exc)
    else:
        assert isinstance(draft, str) and all(isinstance(line, str) for line in report)
