"""What the search indexer is given: tokens and each item's section of a notice page."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.search.records import ALSO, index_words, record_text, split_text
from generator.site.tables import BLOCK_END, HAN


def test_a_run_of_cjk_characters_is_indexed_as_overlapping_bigrams():
    assert index_words("整改工作") == [("整改",), ("改工",), ("工作",), ("作",)]
    assert index_words("个") == [("个",)]
    assert index_words("") == []
    assert index_words("__—\u3000") == []


def test_punctuation_a_space_or_a_number_ends_a_run():
    assert index_words("整改，工作") == [("整改",), ("改",), ("工作",), ("作",)]
    assert index_words("整改 工作") == [("整改",), ("改",), ("工作",), ("作",)]
    assert index_words("第3批") == [("第",), ("3",), ("批",)]
    assert index_words("x_y·ABC123（一）") == [("x",), ("y",), ("abc123",), ("一",)]


def test_a_run_after_a_number_also_indexes_its_first_character_alone():
    """So that 22个 finds 22个问题: the query's last character is looked up alone."""
    assert index_words("22个问题") == [("22",), ("个问", "个"), ("问题",), ("题",)]
    assert index_words("3.2亿元") == [("3",), ("2",), ("亿元", "亿"), ("元",)]
    assert index_words("3.亿元") == [("3",), ("亿元",), ("元",)]  # not directly after


def test_the_record_keeps_the_punctuation_on_the_same_positions():
    assert record_text("部署，2020年。“巡察”开展") == "部署 署， 2020 年。“ 巡察 察” 开展 展"
    assert record_text("“开头") == "“开头 头"
    assert record_text("22个问题") == "22 个问-个 问题 题"
    assert (
        record_text("5.关于3.2亿元。") == "5 .关于 于 3 .2 亿元-亿 元。"
    )  # Pagefind ends blocks with '.'


def test_a_space_between_two_words_is_kept_for_the_excerpt():
    assert record_text("推进中 逾期未报") == f"推进 进中 中{BLOCK_END} 逾期 期未 未报 报"
    assert record_text("完成。 下一步") == f"完成 成。{BLOCK_END} 下一 一步 步"
    assert record_text(f"标题{BLOCK_END} 正文") == f"标题 题{BLOCK_END} 正文 文"  # one mark


_UNITS = re.compile(rf"[{HAN}]|[^\W_{HAN}]+")


@given(st.text(alphabet=st.sampled_from("整改落实，。“”、（）：；3.2 abAB-_\n"), max_size=60))
def test_a_position_per_character_and_the_words_the_index_holds(text):
    """One token per position, one position per character or number (so an excerpt and an
    item's anchors line up); the token's letters and digits, and each part an ASCII '-' joins,
    are the position's words; every word starts with the position's own unit."""
    units = _UNITS.findall(text)
    tokens = record_text(text).split()
    assert len(tokens) == len(units) == len(index_words(text))
    for token, unit, words in zip(tokens, units, index_words(text), strict=True):
        parts = token.split(ALSO) if re.fullmatch(rf"[{HAN}]{{2}}-[{HAN}]", token) else [token]
        assert tuple(re.sub(r"[^\w]|_", "", part).lower() for part in parts) == words
        assert all(word.startswith(unit.lower()) for word in words)


PAGE = """<article><h1>标题 &amp; 说明</h1><p>开头</p>
<section class="portal-item" data-item="1">
<h4 id="item-1" class="portal-item-heading">1.关于“甲”问题</h4>
<p>第一行<br />第二行</p><p hidden>不显示</p><img src="a.png" alt="图" />
</section>
<section class="portal-item" data-item="2"><h4 class="portal-item-heading">2.乙</h4>
<p title='x > y'>内容</p></section><p>结尾</p></article>"""


def _plain(text: str) -> str:
    return " ".join(text.replace(BLOCK_END, " ").split())


def test_items_get_their_own_sections_and_hidden_text_is_left_out():
    outside, sections = split_text(PAGE)
    assert _plain(outside) == "标题 & 说明 开头 … 结尾"
    assert _plain(sections[1].heading) == "1.关于“甲”问题"
    assert _plain(sections[1].text) == "第一行 第二行"
    assert (_plain(sections[2].heading), _plain(sections[2].text)) == ("2.乙", "内容")


def test_each_block_ends_with_a_mark_the_excerpt_shows_as_a_space():
    outside, sections = split_text(PAGE)
    end = BLOCK_END
    assert outside == f"标题 & 说明{end} 开头{end} …{end} {end} 结尾{end} {end}"
    assert sections[1].heading == f"1.关于“甲”问题{end}"
    assert sections[1].text == f"第一行 第二行{end} {end}"  # <br> is no block of its own


def test_a_line_break_does_not_lose_the_item_it_is_in():
    _, sections = split_text(
        '<section data-item="3"><p>前<br/>后</p><p>再后</p></section><p>外</p>'
    )
    assert _plain(sections[3].text) == "前 后 再后"
