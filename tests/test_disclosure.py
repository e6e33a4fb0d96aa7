"""The disclosure lint and the garbled-text check on real text: no false alarm on any notice
of ``../shared/corpus`` once imported, and every planted identifier found where it was put."""

from __future__ import annotations

import random
import re

import pytest

from generator.commands.check import check
from generator.content import disclosure
from generator.importer.run import import_file
from tests.helpers import AS_OF, ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
DOCUMENTS = sorted([*CORPUS.glob("real/*.txt"), *CORPUS.glob("seeds/*.txt")])
needs_corpus = pytest.mark.skipif(
    not DOCUMENTS, reason="../shared/corpus is not beside the checkout"
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(rng: random.Random) -> str:
    body = rng.choice(["110101", "340202", "320206", "152701", "440305"])
    body += f"{rng.randint(1950, 2006)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def card(rng: random.Random) -> str:
    digits = "62" + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((13, 14, 16))))
    for check_digit in "0123456789":
        if disclosure.luhn_valid(digits + check_digit):
            return digits + check_digit
    raise AssertionError  # pragma: no cover


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


def test_planted_identifiers_are_all_found_where_they_were_put():
    rng = random.Random(20261202)
    sentences = ["经核查，该问题属实，已责令整改。", "区纪委监委对相关责任人进行了约谈。"]
    planted = []
    for n in range(400):
        kind = ("id", "card", "mobile", "name")[n % 4]
        value = {
            "id": resident_id, "card": card, "mobile": mobile,
            "name": lambda r: r.choice("王李张刘陈杨黄赵") + r.choice(["伟", "芳", "建国", "秀英"]),
        }[kind](rng)  # fmt: skip
        before = rng.choice(sentences) + ("举报人" if kind == "name" else "其号码")
        text = before + value + "，" + rng.choice(sentences)
        found = list(disclosure.findings(text, frozenset()))
        planted.append((kind, value, [(f.value, f.offset, f.serious) for f in found], len(before)))
    misses = [p for p in planted if p[2] != [(p[1], p[3], p[0] in ("id", "card"))]]
    assert misses == []
    assert len(planted) == 400


def test_near_misses_are_not_personal_data():
    rng = random.Random(7)
    for _ in range(200):
        good = resident_id(rng)
        wrong = good[:17] + ("0" if good[17] != "0" else "1")
        assert not disclosure.id_number_valid(wrong)
        assert disclosure.id_number_valid(good)
    text = "举报人反映的问题已查实；信访人员均已回复；举报人和证人均已约谈；信访人张某已收到答复。"
    assert list(disclosure.findings(text, frozenset())) == []
    own = frozenset({"13912345678"})
    assert list(disclosure.findings("值班电话：13912345678，手机13912345678", own)) == []


@needs_corpus
def test_no_false_alarm_on_the_real_corpus(tmp_path):
    for path in DOCUMENTS:
        (tmp_path / f"{path.stem}.md").write_text(import_file(path)[0], encoding="utf-8")
    portal, problems = check([tmp_path], AS_OF, tmp_path / "none.yml", drafts=True)
    alarms = [str(p) for p in problems if "looks like" in str(p.message)]
    assert alarms == []
    assert len(DOCUMENTS) >= 30
    lost = {p.path for p in problems if str(p.message).startswith("lost character")}
    assert {re.sub(r"_.*", "", p.rsplit("/", 1)[1]) for p in lost} <= {
        "000"
    }  # the one garbled seed
