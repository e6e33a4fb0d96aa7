"""``portal import`` on the real seeds, per recogniser, and as a property (never loses text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.commands.check import check
from generator.content import ids
from generator.errors import PortalError
from generator.importer.clean import Line, clean
from generator.importer.recognise import (
    _postal,
    infer_status,
    is_item_heading,
    problem_of,
    recognise,
)
from generator.importer.run import import_file, import_files
from tests import golden
from tests.helpers import ROOT, import_text

needs_seeds = pytest.mark.skipif(
    not golden.SEEDS.is_dir(), reason="../shared/corpus/seeds is not beside the checkout"
)


@needs_seeds
def test_imports_match_the_golden_files():
    got = golden.imported()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in golden.IMPORTED.glob("*.md")}
    assert sorted(got) == sorted(on_disk), "run `make golden` and review"
    assert [n for n in got if got[n] != on_disk[n]] == [], (
        "importer output changed: run `make golden` and review"
    )


@needs_seeds
def test_every_imported_seed_passes_portal_check(tmp_path):
    for name, text in golden.imported().items():  # under readable names, as portal import writes
        (tmp_path / f"{ids.proposed(Path(name).stem)}.md").write_text(text, encoding="utf-8")
    portal, problems = check([tmp_path], settings=tmp_path / "none.yml", drafts=True)
    assert portal is not None, [str(p) for p in problems if p.severity.value == "error"]
    assert {p.severity.value for p in problems} <= {"warning"}
    assert all(n.draft for n in portal.notices)
    assert sorted(n.kind for n in portal.notices) == [
        "工作报告",
        "整改进展",
        "整改进展",
        "整改进展",
        "经验做法",
    ]


@needs_seeds
@pytest.mark.parametrize(
    ("seed", "items", "labels", "phones", "emails", "postal"),
    [
        ("000", 36, [str(n) for n in range(1, 37)], ["0510-83892742"], ["wxshsqxcb@163.com"],
         [{"address": "无锡市惠山区文惠路8号7605室", "recipient": "区委巡察办"}]),
        ("001", 7, ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）"], ["83750628"], ["gxjaqc@163.com"], []),
        ("002", 25, [str(n) for n in range(1, 26)], ["3869180"], ["whsyjglj414@163.com"],
         [{"address": "芜湖市皖江财富广场A3座4楼", "recipient": "市应急管理局人教科"}]),
    ],
)  # fmt: skip
def test_seed_items_and_channels(seed, items, labels, phones, emails, postal):
    path = next(golden.SEEDS.glob(f"{seed}_*.txt"))
    cleaned = clean(path.read_bytes())
    rec = recognise(cleaned.lines, cleaned.page_date)
    assert len(rec.items) == items
    assert [i.label for i in rec.items] == labels
    assert all(i.problem and i.category for i in rec.items)
    assert (rec.phones, rec.emails, rec.postal) == (phones, emails, postal)


def test_item_headings_in_every_numbering_style():
    assert is_item_heading("1.关于“‘四个一批’专项行动排查不彻底”问题的整改。") == (
        1,
        "1",
        "关于“‘四个一批’专项行动排查不彻底”问题的整改。",
    )
    assert is_item_heading("(六)关于“市工信局尚未出台安全生产举报奖励制度”问题整改。")[:2] == (
        6,
        "（六）",
    )
    assert is_item_heading("12.针对“安全生产执法监管存有弱项”问题。一是每月收集")[:2] == (12, "12")
    assert is_item_heading("(一)明确政治责任,加强组织领导。") is None  # a category, not an item
    assert is_item_heading("1.持续压实领导责任。") is None


def test_problem_titles():
    assert problem_of("关于“化工产业小散弱”问题的整改。") == ("化工产业小散弱", "")
    assert problem_of("针对“‘两个至上’理念树得不牢”问题。一是持续督促") == (
        "‘两个至上’理念树得不牢",
        "一是持续督促",
    )
    assert problem_of("关于“学习系统性、针对性不足问题。学习习近平") == (
        "学习系统性、针对性不足",
        "学习习近平",
    )


def test_status_is_read_from_the_last_statement():
    assert infer_status("一是已组织培训。目前，平台正在建设。") == ("推进中", "正在建设")
    assert infer_status("已于2020年12月10日提请局党组审议后印发了办法。") == (
        "已完成",
        "已于2020年12月10日提请局党组审议后印发",
    )
    assert infer_status("建立长效机制，持续巩固整改成果。") == ("长期坚持", "持续巩固")
    assert infer_status("召开会议研究部署。") == ("", "")


def test_postal_address_and_recipient():
    assert _postal("芜湖市皖江财富广场A3座4楼市应急管理局人教科(收)", "") == {
        "address": "芜湖市皖江财富广场A3座4楼",
        "recipient": "市应急管理局人教科",
    }
    assert _postal("某市某路1号", "邮编:214000") == {"address": "某市某路1号", "postcode": "214000"}


def test_cleaning_repairs_damage_and_removes_furniture():
    raw = "当前位置: 网站首页 工作动态\n按照省委統(tǒng)一部署\n发布时间:2021-02-10   来源:x   浏览次数:\n为充分发挥作用,\n切实做好工作。\n损坏?字\n"
    c = clean(raw.encode("utf-8"))
    assert [line.text for line in c.lines] == [
        "按照省委统一部署",
        "为充分发挥作用,切实做好工作。",
        "损坏?字",
    ]
    assert (c.furniture, c.pinyin, c.lost, c.joined, c.page_date) == (
        [1, 3],
        1,
        [6],
        1,
        "2021-02-10",
    )


def test_gb18030_and_html_input(tmp_path):
    html = "<html><body><p>中共某区委关于巡察整改进展情况的通报</p><p>1.关于“台账不规范”问题的整改。</p><p>已完成整改。</p></body></html>"
    path = tmp_path / "notice.html"
    path.write_bytes(html.encode("gb18030"))
    text, notes = import_file(path)
    assert "#### 1.关于“台账不规范”问题的整改。" in text
    assert "status: 已完成" in text
    assert "(GB18030)" in str(notes[0])


def test_import_never_overwrites(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("正文。\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.md").write_text("mine", encoding="utf-8")
    with pytest.raises(PortalError, match="exists"):
        import_files([source], tmp_path / "out")
    assert (tmp_path / "out" / "a.md").read_text(encoding="utf-8") == "mine"


HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
TEXT = st.lists(
    st.text(
        alphabet=HANZI + "0123456789，。、；：“”（）一二三四五六七八九十.", min_size=0, max_size=60
    ),
    min_size=0,
    max_size=30,
).map(lambda lines: "\n".join(lines))


def _ending(draw) -> str:  # type: ignore[no-untyped-def]
    """Sometimes a signature and a date, as notices end."""
    unit = draw(st.text(alphabet=HANZI, min_size=2, max_size=12))
    year, month, day = (
        draw(st.integers(2000, 2030)),
        draw(st.integers(1, 12)),
        draw(st.integers(1, 28)),
    )
    return draw(st.sampled_from(["", f"\n{unit}\n{year}年{month}月{day}日"]))


def _in_order(wanted: str, text: str) -> list[str]:
    """The characters of ``wanted`` (white space aside) not found in ``text`` in order."""
    got = iter(c for c in text if not c.isspace())
    return [c for c in wanted if not c.isspace() and not any(c == g for g in got)]


@settings(max_examples=150, deadline=None)
@given(TEXT, st.composite(_ending)())
def test_import_keeps_every_character_in_the_body_or_the_front_matter(tmp_path_factory, text, end):
    """Every input character stays in the body, in order, except those of the lines the importer
    moves into the front matter: the title line (``title``), a trailing signature line
    (``issuer``) and a trailing date line (``published``, as a date)."""
    text += end
    path = tmp_path_factory.mktemp("prop") / "n.txt"
    path.write_text(text, encoding="utf-8")
    out, _ = import_file(path)
    _, front_text, body = out.split("---", 2) if out.startswith("---") else ("", "", out)
    body = re.sub(r"```item.*?```", "", body, flags=re.S)
    front = yaml.safe_load(front_text) or {}
    lines = [line.strip() for line in text.split("\n")]
    # (a value no line holds is a placeholder the importer wrote: issue 14)
    moved = {str(front.get(key, "")) for key in ("title", "issuer")} & set(lines) - {""}
    for line in lines:
        dated = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", line)
        if dated and str(front.get("published")) == "{}-{:02d}-{:02d}".format(
            *map(int, dated.groups())
        ):
            moved.add(line)
    kept = "\n".join(line for line in lines if line not in moved)
    missing = _in_order(kept, str(front.get("title", "")) + body)
    assert missing == [], "every character not moved to the front matter stays in the body"
    if end:
        assert end.split("\n")[1] in moved  # the signature became the issuer


FIXTURES = ROOT / "tests" / "fixtures" / "import"


def test_a_central_inspection_notice_with_bold_sections_and_short_items(tmp_path):
    """Bold sections, plain （一） categories, short numbered items (``1.在…上下功夫``) with
    一是…二是… paragraphs; the numbered measures of the first and last sections are not items;
    a crawler's front matter whose date is not the publication date (synthetic fixture)."""
    draft, report = import_text(FIXTURES / "central_inspection.txt")
    (tmp_path / "a.md").write_text(draft, encoding="utf-8")
    portal, problems = check([tmp_path / "a.md"], settings=tmp_path / "none.yml", drafts=True)
    assert portal is not None, problems
    (notice,) = portal.notices
    assert (notice.kind, notice.title, notice.issuer, notice.published.iso()) == (
        "整改进展", "中共某某大学委员会关于中央第三巡视组巡视整改进展情况的通报", "中共某某大学委员会", "2024-01-05",
    )  # fmt: skip
    assert [(i.label, i.category, i.problem, i.status) for i in notice.items] == [
        ("1", "（一）在坚持党的全面领导方面", "在学习贯彻党的创新理论上下功夫", "已完成"),
        ("2", "（一）在坚持党的全面领导方面", "在落实立德树人根本任务上下功夫", "推进中"),
        ("3", "（二）在全面从严治党方面", "在压实管党治党责任上下功夫", "已完成"),
    ]
    ins = notice.inspection
    assert (ins.type, ins.team, str(ins.start), str(ins.end), str(ins.feedback)) == (
        "巡视", "中央第三巡视组", "2023-04-10", "2023-06-30", "2023-08-20",
    )  # fmt: skip
    assert [p.number for p in notice.contacts.phones] == ["010-62751234"]
    assert notice.contacts.emails == ("xszg@example.edu.cn",)
    assert "深化思想认识。学校党委召开常委会12次" in draft  # a measure stays a paragraph
    assert any("front matter says date 2024-02-01" in line for line in report)


def test_drafts_are_named_from_year_issuer_and_inspection_in_pinyin(tmp_path):
    source = FIXTURES / "central_inspection.txt"
    copy = tmp_path / "8cce45d3986b3fa9.txt"
    copy.write_bytes(source.read_bytes())
    said = import_files([source, copy], tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2024-moumoudaxue-xunshi-2.md", "2024-moumoudaxue-xunshi.md",
    ]  # fmt: skip
    assert str(said[-1]).endswith("2024-moumoudaxue-xunshi-2.md")
    with pytest.raises(PortalError, match="exists"):
        import_files([source], tmp_path / "out")


def test_a_saved_page_with_the_rectification_ledger_as_a_table(tmp_path):
    """序号/存在问题/整改措施/责任单位/完成时限/完成情况 rows become items with owner, deadline and
    status; every cell's text stays in the draft (synthetic fixture)."""
    draft, report = import_text(FIXTURES / "ledger_table.html")
    (tmp_path / "a.md").write_text(draft, encoding="utf-8")
    portal, problems = check([tmp_path / "a.md"], settings=tmp_path / "none.yml", drafts=True)
    assert portal is not None, problems
    (notice,) = portal.notices
    got = [
        (i.label, i.problem, i.status, str(i.deadline), i.owners, i.category) for i in notice.items
    ]
    assert got == [
        ("1", "校园食堂抽检覆盖面不足", "已完成", "2024-01-31", ("食品安全监管股",), "（一）落实食品安全监管责任不到位"),
        ("2", "农村集体聚餐报备制度落实不严", "推进中", "2024-06-30", ("各市场监管所",), "（一）落实食品安全监管责任不到位"),
        ("3", "执法案卷评查流于形式", "长期坚持", "None", ("法规股",), "（一）落实食品安全监管责任不到位"),
    ]  # fmt: skip
    assert "制定校园食品安全抽检计划，全年抽检批次增加到260批次。" in draft
    assert report[1].startswith("  kept: all ")
    assert (
        notice.published.iso() == "2024-03-18" and notice.issuer == "中共某某县市场监督管理局党组"
    )
    assert notice.doc_no == "县市监党〔2024〕3号"


def test_items_numbered_in_brackets_or_circles_when_nothing_else_numbers_them(tmp_path):
    draft, _ = import_file(FIXTURES / "deeper_numbering.txt")
    (tmp_path / "a.md").write_text(draft, encoding="utf-8")
    portal, problems = check([tmp_path / "a.md"], settings=tmp_path / "none.yml", drafts=True)
    assert portal is not None, problems
    got = [(i.number, i.label, i.problem, i.category[:4]) for i in portal.notices[0].items]
    assert got == [
        (1, "（1）", "三会一课制度落实不到位", "（一）党"),
        (2, "（2）", "发展党员程序不规范", "（一）党"),
        (3, "③", "公务接待超标准", "（二）财"),
    ]


def test_points_under_an_item_are_not_items():
    """Where items are numbered 1., a （1） line under one is one of its points."""
    lines = [Line(t, n) for n, t in enumerate([
        "（一）在“党的建设”方面",
        "1.关于“学习不深入”问题的整改",
        "（1）关于“中心组学习不规范”的整改。已完成。",
    ], 1)]  # fmt: skip
    rec = recognise(lines)
    assert [i.label for i in rec.items] == ["1"]


def _rec(*texts: str):
    return recognise([Line(t, n) for n, t in enumerate(texts, 1)])


@pytest.mark.parametrize(
    ("text", "team"),
    [
        ("10月21日，省委第二巡视组对某县开展巡视。", "省委第二巡视组"),
        (
            "日前，某州市委第三轮对村(社区)提级巡察“回头看”第一组进驻。",
            "某州市委第三轮对村(社区)提级巡察“回头看”第一组",
        ),
        ("十四届省委第三轮巡视第八组对本局开展了常规巡视。", "十四届省委第三轮巡视第八组"),
        ("根据市委第一巡察组反馈意见，现将整改情况公布。", "市委第一巡察组"),
        ("会上，召开市委第二巡察组反馈会。", "市委第二巡察组"),
    ],
)
def test_team_names_as_printed(text, team):
    assert _rec(text).team == team


def test_the_feedback_date_is_the_teams_not_a_meetings():
    rec = _rec(
        "2021年6月1日至7月30日，中央第三巡视组对某大学党委开展了巡视。",
        "9月2日，中央巡视工作领导小组召开集中反馈会议。9月3日，中央第三巡视组向某大学党委反馈了巡视情况。",
    )
    assert rec.feedback == "2021-09-03"


def test_a_feedback_date_without_a_year_is_kept_as_printed_and_is_the_teams():
    rec = _rec(
        "9月2日，中央巡视工作领导小组召开集中反馈会议。9月3日，中央第三巡视组向某大学党委反馈了巡视情况。"
    )
    assert (rec.feedback, rec.feedback_text) == ("", "9月3日")


def test_a_saved_page_holding_other_notices_titles(tmp_path):
    """Menus, breadcrumb, share bar, 上一篇/下一篇, related lists and footer name other notices,
    teams and dates: none of it reaches the draft or its metadata, and the report lists every
    line dropped (synthetic fixture)."""
    draft, report = import_text(FIXTURES / "saved_page_with_other_notices.html")
    (tmp_path / "a.md").write_text(draft, encoding="utf-8")
    portal, problems = check([tmp_path / "a.md"], settings=tmp_path / "none.yml", drafts=True)
    assert portal is not None, problems
    (notice,) = portal.notices
    assert notice.title == "中共某某区农业农村局党组关于区委巡察整改进展情况的通报"
    assert notice.issuer == "中共某某区农业农村局党组"
    assert notice.published.iso() == "2024-05-20"
    assert notice.inspection.team == "区委第二巡察组"
    assert str(notice.inspection.feedback) == "2024-01-16"
    assert [(i.label, i.problem) for i in notice.items] == [
        ("1", "高标准农田建设后续管护不到位"),
        ("2", "农村人居环境整治成效不均衡"),
        ("3", "公务用车管理不规范"),
    ]
    for other in (
        "水利局",
        "教育局",
        "卫生健康",
        "财政局",
        "民政局",
        "热点专题",
        "政务公开",
        "ICP",
    ):
        assert other not in draft, other
    assert "附件：整改台账.xlsx" in draft  # a link to a document is the notice's own
    assert report[1].startswith("  kept: all ")
    # lines of the HTML file: <title> (the <h1> repeats it), menu, breadcrumb, 发布时间, share bar,
    # 上一篇/下一篇, both lists of other notices, the aside and the footer
    assert (
        "  removed web-page furniture at lines 5, 11, 13-15, 18, 21, 35, 37-38, 42, 44, 48-49, 51, 53-54"
        in report
    )


def test_categories_written_as_a_run_of_yi_shi_er_shi(tmp_path):
    """``一是在…方面存在的问题。`` lines heading numbered items are categories; the 一是…二是…
    measures under an item, or under a section with no items, are text (synthetic fixture)."""
    draft, report = import_text(FIXTURES / "category_runs.txt")
    (tmp_path / "a.md").write_text(draft, encoding="utf-8")
    portal, problems = check([tmp_path / "a.md"], settings=tmp_path / "none.yml", drafts=True)
    assert portal is not None, problems
    got = [(i.label, i.problem, i.category, i.status) for i in portal.notices[0].items]
    assert got == [
        ("1", "村级议事程序执行不规范", "一是在落实基层治理责任方面存在的问题。", "已完成"),
        ("2", "网格员队伍作用发挥不充分", "一是在落实基层治理责任方面存在的问题。", "推进中"),
        ("3", "村级财务报销凭证不完整", "二是在执行财经纪律方面存在的问题。", "已完成"),
        ("4", "年轻干部培养储备不足", "三是在干部队伍建设方面存在的问题。", "长期坚持"),
    ]
    assert "一是组织网格员培训2期。" in draft and "### 一是组织" not in draft
    assert report[1].startswith("  kept: all ")


@pytest.mark.parametrize(
    ("heading", "label", "problem", "after"),
    [
        ("1.关于理论学习不够深入的问题。整改情况：已完成。", "1", "理论学习不够深入", "整改情况：已完成。"),
        ("2.针对基层党组织软弱涣散问题。一是整顿3个支部。", "2", "基层党组织软弱涣散", "一是整顿3个支部。"),
        ("3、关于“三重一大”制度执行不严格的问题", "3", "“三重一大”制度执行不严格", ""),
        ("问题4：公务接待审批不严格。整改措施：修订办法。", "4", "公务接待审批不严格", "整改措施：修订办法。"),
        ("问题五：干部档案管理不规范", "五", "干部档案管理不规范", ""),
        ("6.存在问题：专项资金拨付滞后。整改进展：已拨付。", "6", "专项资金拨付滞后", "整改进展：已拨付。"),
    ],
)  # fmt: skip
def test_item_headings_without_quotes(heading, label, problem, after):
    """Problems named without quotes, or after a 问题N：/存在问题： label (synthetic)."""
    rec = _rec(
        "某某局党组关于巡察整改进展情况的通报", "一、整改落实情况", "（一）党的建设方面", heading
    )
    assert [(i.label, i.problem) for i in rec.items] == [(label, problem)]
    assert [ln.text for ln in rec.items[0].lines] == ([after] if after else [])


@pytest.mark.parametrize(
    "line",
    [
        "1.关于印发《整改工作方案》的通知",  # a document, not a problem
        "2.关于加强作风建设。召开会议研究问题。",  # 问题 in a later sentence
        "问题线索处置情况：共收到12件。",  # a field of a report
    ],
)
def test_numbered_lines_that_are_not_problems(line):
    assert not _rec(
        "某某局党组关于巡察整改进展情况的通报", "一、整改落实情况", "（一）党的建设方面", line
    ).items


def test_signature_dates_in_chinese_numerals_and_lines_after_the_signature():
    rec = _rec(
        "某某局党组关于巡察整改进展情况的通报",
        "一、整改落实情况",
        "欢迎监督。监督举报电话：12388；联系电话：0551-1234567。",
        "中共某某局党组",
        "二〇二四年三月十八日",
        "（此件公开发布）",
    )
    assert (rec.issuer, rec.published) == ("中共某某局党组", "2024-03-18")
    assert rec.phones == ["12388", "0551-1234567"]
    assert rec.blocks[-1].text == "（此件公开发布）"


def test_a_title_printed_over_two_lines():
    rec = _rec(
        "中共某某县教育局党组关于县委第二巡察组", "巡察整改进展情况的通报", "根据县委统一部署，……"
    )
    assert rec.title == "中共某某县教育局党组关于县委第二巡察组巡察整改进展情况的通报"


@pytest.mark.parametrize(
    ("texts", "reads"),
    [
        (["巡 察 公 告", "根据县委统一部署，县委第一巡察组将对某某局开展巡察。巡察期间受理来信、来电、来访。"], "巡视巡察公告"),
        (["本报讯 日前，某某局召开巡察整改工作推进会。", "会议要求，抓好巡察整改。"], "新闻报道或会议报道"),
    ],
)  # fmt: skip
def test_a_text_without_numbered_problems_leaves_its_kind_to_the_editor(tmp_path, texts, reads):
    """No kind is invented for an announcement or a news report: the draft says （待填写类别）
    with what the text reads as, and the report says it is not a rectification notice."""
    source = tmp_path / "a.txt"
    source.write_text("\n".join(texts) + "\n", encoding="utf-8")
    draft, report = import_text(source)
    assert f"kind: （待填写类别）   # 原文没有编号的问题，读来像{reads}，不像整改通报" in draft
    assert (
        f"  not a rectification notice: no numbered problems found; it reads as {reads}" in report
    )
    (tmp_path / "a.md").write_text(draft, encoding="utf-8")
    portal, problems = check([tmp_path / "a.md"], settings=tmp_path / "none.yml", drafts=True)
    assert portal is not None and portal.notices[0].kind is None, problems
