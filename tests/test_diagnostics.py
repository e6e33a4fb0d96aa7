"""Every bad-input fixture gives exactly its expected diagnostics and exit code 1 (STYLE.md 14),
in Chinese (``NAME.zh.expected``: what every editor gets) and in English (``NAME.expected``).

Regenerate an ``.expected`` only after reading the new output: it is the interface editors see.
"""

import datetime as dt
from pathlib import Path

import pytest

from generator.cli import main
from generator.commands.check import CHINA
from generator.content.numbering import chinese_number, item_number
from generator.content.validate import safe_url
from tests.helpers import AS_OF, ROOT, notice, write_tree

INVALID = ROOT / "tests" / "fixtures" / "invalid"
CASES = sorted(p.stem for p in INVALID.glob("*.md"))
EXPECTED = {"en": ".expected", "zh": ".zh.expected"}
EPOCH = str(int(dt.datetime.combine(AS_OF, dt.time(12), CHINA).timestamp()))
"""The fixtures are checked as of ``AS_OF`` (dates in the future are errors)."""


@pytest.fixture(autouse=True)
def _as_of(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_there_is_a_fixture_per_rule():
    assert len(CASES) >= 35
    assert all((INVALID / f"{case}{end}").exists() for case in CASES for end in EXPECTED.values())


@pytest.mark.parametrize("lang", sorted(EXPECTED))
@pytest.mark.parametrize("case", CASES)
def test_invalid_notice_gives_its_exact_diagnostics(case, lang, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PORTAL_LANG")  # the language comes from --lang alone
    assert main(["check", "--lang", lang, f"tests/fixtures/invalid/{case}.md"]) == 1
    expected = (INVALID / f"{case}{EXPECTED[lang]}").read_text(encoding="utf-8")
    assert capsys.readouterr().err == expected


def test_all_problems_of_all_files_are_reported_at_once(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["check", "tests/fixtures/invalid"]) == 1
    err = capsys.readouterr().err.splitlines()
    expected = [
        line
        for c in CASES
        for line in (INVALID / f"{c}.expected").read_text(encoding="utf-8").splitlines()[:-1]
    ]
    errors = sum(": error: " in line for line in expected)
    assert sorted(err[:-1]) == sorted(expected)
    assert err[-1] == (
        f"{errors} error(s), {len(expected) - errors} warning(s) in {len(CASES)} file(s)"
    )


def test_portal_settings_are_checked_with_located_errors(tmp_path, capsys, monkeypatch):
    write_tree(
        tmp_path,
        {
            "content/a.md": notice(),
            "portal.yml": "contacts:\n  email: nobody\n  web: http://x.example.org/\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        "portal.yml:2:10: error: contacts.email: expected an e-mail address, got 'nobody'",
        "portal.yml:3:8: error: contacts.web: expected an https:// address, got 'http://x.example.org/'",
    ]


def test_site_identity_numbers_are_checked_with_located_errors(tmp_path, capsys, monkeypatch):
    """网站标识码, ICP备案号 and 公安备案号 have fixed shapes; a slip is an error at its place."""
    write_tree(
        tmp_path,
        {
            "content/a.md": notice(),
            "portal.yml": (
                "site:\n"
                "  operator: 某某中心\n"
                "  site_code: '34020000'\n"
                "  icp: 皖ICP备2021000001\n"
                "  police: 皖公网安备 3402020200000号\n"
                "  beian: x\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == [
        "portal.yml:2:3: error: site.host: required field is missing "
        "(主办单位, e.g. 中共江滨市委巡察工作领导小组办公室)",
        "portal.yml:3:14: error: site.site_code: expected a 网站标识码: ten digits (six of the area "
        "code, four of the site), or bm and eight digits for a State Council department, "
        "e.g. '3402000001', got '34020000'",
        "portal.yml:4:8: error: site.icp: expected an ICP备案号, e.g. 皖ICP备2021000001号-1, "
        "got '皖ICP备2021000001'",
        "portal.yml:5:11: error: site.police: expected a 公安备案号: province, 公网安备, fourteen "
        "digits and 号, e.g. 皖公网安备 34020202000001号, got '皖公网安备 3402020200000号'",
        "portal.yml:6:3: error: site.beian: unknown field; expected one of host, operator, phone, "
        "email, address, site_code, icp, police",
    ]


def test_a_file_name_that_cannot_be_an_id_is_an_error_with_a_pinyin_proposal(
    tmp_path, capsys, monkeypatch
):
    write_tree(tmp_path, {"content/2024/重庆市整改通报.md": notice(), "content/ok.md": notice()})
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/2024/重庆市整改通报.md:1:1: error: id: the file name '重庆市整改通报' cannot be "
        "the notice's id (its address: lower-case letters, digits and '-'); rename the file to "
        "'chongqingshizhenggaitongbao.md', or add 'id: chongqingshizhenggaitongbao' to the "
        "front matter"
    )
    named = notice().replace("title:", "id: chongqing-tongbao\ntitle:", 1)
    write_tree(tmp_path, {"content/2024/重庆市整改通报.md": named})
    assert main(["check"]) == 0  # an id in the front matter: the file name may be anything


def test_duplicate_notice_ids_across_files(tmp_path, capsys, monkeypatch):
    text = notice().replace("title:", "id: same-id\ntitle:", 1)
    write_tree(tmp_path, {"content/2021/a.md": text, "content/2022/b.md": text})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "content"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/2022/b.md:2:1: error: id: notice id 'same-id' is also used by content/2021/a.md"
    )


def test_same_file_name_in_two_folders_is_a_duplicate_id(tmp_path, capsys, monkeypatch):
    write_tree(tmp_path, {"content/2021/a.md": notice(), "content/2022/a.md": notice()})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "content"]) == 1
    assert "notice id 'a' is also used by content/2021/a.md" in capsys.readouterr().err


def test_valid_content_passes_with_a_count(tmp_path, capsys, monkeypatch):
    write_tree(tmp_path, {"content/a.md": notice()})
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert capsys.readouterr().err == "ok: 1 notice(s), 2 item(s)\n"


def test_the_bundled_example_content_passes(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["check"]) == 0


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("1.关于“x”问题的整改", (1, "1")),
        ("12、关于", (12, "12")),
        ("3．针对", (3, "3")),
        ("（一）关于“x”问题整改。", (1, "（一）")),
        ("(十二)关于", (12, "(十二)")),
        ("三十六、关于", (36, "三十六")),
        ("关于“x”问题", None),
    ],
)
def test_item_numbers_in_every_numbering_style(heading, expected):
    found = item_number(heading)
    assert ((found.number, found.label) if found else None) == expected


def test_chinese_numbers():
    assert [chinese_number(t) for t in ("一", "九", "十", "十一", "二十", "二十五", "九十九")] == [
        1,
        9,
        10,
        11,
        20,
        25,
        99,
    ]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:x", "java\tscript:x", " javascript:x", "\x01javascript:x",
     "data:text/html,x", "vbscript:x", "//evil.example/x", "file:///etc/passwd"],
)  # fmt: skip
def test_unsafe_urls(url):
    assert not safe_url(url, ("http", "https", "mailto", "tel"))


@pytest.mark.parametrize(
    "url", ["https://a.example/", "mailto:a@b.cn", "tel:0510", "../x/", "#item-1", "a.png"]
)
def test_safe_urls(url):
    assert safe_url(url, ("http", "https", "mailto", "tel"))


def test_check_path_argument_must_exist(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "missing.md"]) == 1
    assert (
        capsys.readouterr().err.splitlines()[0] == "missing.md:1:1: error: no such file or folder"
    )


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_benign_yaml_1_1_values_keep_their_text(tmp_path):
    from generator.commands.check import check

    text = (
        notice(title="NO")
        .replace('postcode: "010010"', "postcode: 010010")
        .replace("0510-12345678", "01012345")
    )
    write_tree(tmp_path, {"a.md": text})
    portal, problems = check([Path(tmp_path / "a.md")])
    assert problems == []
    assert portal is not None
    n = portal.notices[0]
    assert (n.title, n.contacts.postal[0].postcode, n.contacts.phones[0].number) == (
        "NO",
        "010010",
        "01012345",
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (">" * 10000 + " 深\n", None),
        ("<!--" * 1000 + "\n", "raw HTML is not allowed in a notice"),
        ("[" * 20000 + "\n", None),
        ("*a" * 20000 + "\n", None),
        ("`" * 5000 + "\n", None),
    ],
)
def test_pathological_markdown_is_handled_quickly(tmp_path, body, expected):
    """Deep nesting and unclosed constructs neither hang nor crash (how fast: ``make bench``)."""
    from generator.commands.check import check
    from generator.site.files import Site
    from generator.site.pages import generate

    write_tree(tmp_path, {"a.md": notice() + "\n" + body})
    portal, problems = check([tmp_path / "a.md"], settings=tmp_path / "none.yml")
    if portal is not None:
        generate(portal, Site("t"))
    assert [str(p.message).split(";")[0] for p in problems] == ([expected] if expected else [])


def test_check_fix_makes_ascii_punctuation_full_width_in_text_only(tmp_path, capsys, monkeypatch):
    text = (INVALID / "garbled-text.md").read_text(encoding="utf-8")
    text = text.replace("owner: 区交通运输局", "owner: [区交通运输局,区应急局]")
    write_tree(tmp_path, {"a.md": text})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--fix", "a.md"]) == 1  # the garbled text is still an error
    err = capsys.readouterr().err
    assert err.startswith("a.md: 4 ASCII punctuation mark(s) made full-width\n")
    assert "ASCII" not in err.split("\n", 1)[1]
    fixed = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "### （一）排查整治?;方" in fixed  # '?;' is lost text, not punctuation to keep
    assert "一是开展专项检查，查处违法行为9起；二是" in fixed
    assert "owner: [区交通运输局,区应急局]" in fixed  # YAML syntax, not text
    assert len(fixed) == len(text)
