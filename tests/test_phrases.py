"""Suggestions by meaning (issue 14): what an editor writes for a status gets the value it
means, never a finished one for an unfinished phrase, never the nearest spelling."""

from __future__ import annotations

import re

import pytest

from generator.content.phrases import DONE_WORDS, STATUS_MEANING, STATUS_PHRASES, status_hint
from tests.helpers import ROOT

# (what units write, the status it means; None: not finished, but how far is not said)
PHRASINGS = [
    ("完成了", "已完成"), ("已完成整改", "已完成"), ("整改完成", "已完成"), ("整改到位", "已完成"),
    ("已整改到位", "已完成"), ("全面完成", "已完成"), ("已办结", "已完成"), ("已销号", "已完成"),
    ("落实到位", "已完成"), ("整改完毕", "已完成"), ("已解决", "已完成"), ("完成", "已完成"),
    ("基本完成整改", "基本完成"), ("基本整改到位", "基本完成"), ("阶段性完成", "基本完成"),
    ("基本解决", "基本完成"), ("基本到位", "基本完成"), ("大部分完成", "基本完成"),
    ("整改中", "推进中"), ("正在整改", "推进中"), ("正在推进", "推进中"), ("进行中", "推进中"),
    ("有序推进", "推进中"), ("逐步推进", "推进中"), ("稳步推进", "推进中"), ("加快推进", "推进中"),
    ("部分完成", "推进中"), ("初步完成", "推进中"), ("取得阶段性成效", "推进中"), ("正在落实", "推进中"),
    ("持续推进中", "推进中"), ("正在办理", "推进中"),
    ("持续整改", "长期坚持"), ("持续推进", "长期坚持"), ("长期推进", "长期坚持"),
    ("常态化推进", "长期坚持"), ("持续深化", "长期坚持"), ("久久为功", "长期坚持"),
    ("未完成", None), ("尚未完成", None), ("未整改到位", None), ("没有完成", None),
    ("待整改", None), ("未落实", None), ("完成了吗", None), ("已经好了", None),
]  # fmt: skip


def meant(phrase: str) -> str | None:
    hint = str(status_hint(phrase))
    found = re.search(r"means '([^']+)'", hint)
    return found[1] if found else None


def test_the_table_is_large_enough():
    assert len(PHRASINGS) >= 40


@pytest.mark.parametrize(("phrase", "expected"), PHRASINGS)
def test_a_phrase_suggests_what_it_means(phrase, expected):
    assert meant(phrase) == expected
    if expected is None:  # every value with what it means, no single guess
        hint = str(status_hint(phrase))
        assert all(s in hint for s in STATUS_MEANING if s != "未说明")


UNFINISHED = re.compile(r"未|尚|没|待|正在|中|部分|初步|基本|阶段|推进|持续|长期|常态")


def test_no_suggestion_crosses_from_unfinished_to_finished():
    for phrase, status in STATUS_PHRASES.items():
        if status in DONE_WORDS:
            assert not UNFINISHED.search(phrase), phrase


def test_status_phrases_of_real_notices_never_become_finished_when_they_are_not():
    """Every status-like phrase of the real corpus that says the work is not finished."""
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in corpus.rglob("*.txt")]
    phrases = {
        m[0]
        for text in texts
        for m in re.finditer(
            r"(?:尚未|未|正在|持续|部分|初步|阶段性)(?:完成|整改|推进|到位|落实)", text
        )
    }
    assert len(phrases) >= 5
    for phrase in phrases:
        assert meant(phrase) not in DONE_WORDS, phrase
