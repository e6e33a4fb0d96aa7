"""``portal import`` loses nothing: every Chinese character and digit of the source reaches
the draft, or the report lists its line as removed page furniture (issue 15). Checked on every
document of ``../shared/corpus`` and on generated notices of the shapes units publish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.importer.conserve import conservation, counted
from generator.importer.run import import_file, import_one
from tests.helpers import ROOT, import_text

CORPUS = ROOT.parent / "shared" / "corpus"
DOCUMENTS = sorted([*CORPUS.glob("real/*.txt"), *CORPUS.glob("seeds/*.txt")])


def _check(path: Path) -> None:
    imported = import_one(path)
    kept, report = imported.kept, [str(line) for line in imported.report]
    assert kept.missing == {}, (path.name, "".join(kept.missing.elements())[:80])
    assert f"  kept: all {kept.source} Chinese characters and digits of the text" in report


@pytest.mark.skipif(not DOCUMENTS, reason="../shared/corpus is not beside the checkout")
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_corpus_document_keeps_all_its_text(path):
    _check(path)


def test_the_check_itself_sees_a_loss():
    """A draft missing one sentence is reported, even when a copy of the text sits in an item
    block or a YAML comment (they never count)."""
    source = "一是开展检查12次。\n二是建立台账。\n"
    draft = "```item\nproblem: 二是建立台账\n```\n一是开展检查12次。  # 二是建立台账\n"
    kept = conservation(source, draft, set())
    assert "".join(sorted(kept.missing.elements())) == "".join(sorted("二是建立台账"))
    assert conservation(source, draft, {2}).missing == {}  # a furniture line is not expected
    assert counted("2021年2月5日") == counted("2021-2-5")  # dates move into the front matter


HAN = st.text(
    st.sampled_from("整改落实问题推进完成建立健全机制责任单位督促检查排查企业安全"),
    min_size=2,
    max_size=12,
)
TEXT = st.lists(st.one_of(HAN, st.integers(0, 9999).map(str)), min_size=1, max_size=6).map(
    "，".join
)


@st.composite
def notices(draw) -> str:
    """A notice of generated shapes: one-line items, items split over lines, categories in
    several numbering styles, measures as 一是…二是…, a signature and a date at the end."""
    bold = draw(st.sampled_from(["{}", "**{}**"]))  # headings in bold Markdown, or plain
    lines = [
        f"根据统一部署，{draw(TEXT)}。现将巡察整改进展情况予以公布。",
        bold.format("一、整改工作开展情况"),
    ]
    lines += [f"{'一二三'[n]}是{draw(TEXT)}。" for n in range(draw(st.integers(0, 3)))]
    lines.append(bold.format("二、整改落实情况"))
    number = 0
    for c in range(draw(st.integers(1, 3))):
        style = draw(st.sampled_from(["（{}）", "({})"]))
        lines.append(bold.format(style.format("一二三"[c]) + draw(HAN)))
        for _ in range(draw(st.integers(1, 4))):
            number += 1
            sep = draw(st.sampled_from([".", "、", "．"]))
            heading = f"{number}{sep}关于“{draw(HAN)}”问题的整改"
            body = f"一是{draw(TEXT)}；二是{draw(TEXT)}。"
            if draw(st.booleans()):  # one-line item
                lines.append(heading + "。" + body)
            else:
                lines.append(heading)
                split = draw(st.integers(1, len(body) - 1))
                lines += [body[:split] + "，", body[split:]] if draw(st.booleans()) else [body]
    if draw(st.booleans()):
        lines += ["欢迎广大干部群众监督。联系电话：0553-1234567。", "中共某某区委", "2021年2月5日"]
    return "\n".join(lines) + "\n"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(notices())
def test_generated_notices_keep_all_their_text(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("imp") / "n.txt"
    path.write_text(text, encoding="utf-8")
    _check(path)
    draft, _ = import_file(path)
    assert len(re.findall(r"^#### \d", draft, re.M)) == text.count("关于“")
    assert len(re.findall(r"^### （[一二三]）", draft, re.M)) == len(
        re.findall(r"^(\*\*)?[（(][一二三][）)]", text, re.M)
    )


def test_a_word_cut_by_a_line_break_is_joined_but_a_field_is_not(tmp_path):
    prose = (
        "局党组召开专题会议研究部署，逐项明确责任单位和完成时限，建立工作台账，挂图作战，确保各项整"
    )
    path = tmp_path / "n.txt"
    path.write_text(
        f"{prose}\n\n改任务按期完成。\n本级巡察整改向阳区开展巡察整改专项督查工作情况汇总通报内容摘要如下所述各项\n来源：区委巡察办\n",
        encoding="utf-8",
    )
    draft, report = import_text(path)
    assert prose + "改任务按期完成。" in draft
    assert "\n来源：区委巡察办" in draft
    assert "  joined 1 lines broken mid-sentence" in report
