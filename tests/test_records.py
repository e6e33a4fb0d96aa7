"""What the search indexer is given: tokens and each item's section of a notice page."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.search.records import index_text, record_text, split_text
from generator.site.tables import BLOCK_END


def test_every_cjk_character_is_a_token_and_punctuation_separates():
    assert index_text("3.2亿元，x_y·ABC123（一）") == "3 2 亿 元 x y ABC123 一"
    assert index_text("") == ""
    assert index_text("__—\u3000") == ""


def test_the_record_keeps_the_punctuation_on_the_same_tokens():
    assert record_text("部署，2020年。“巡察”开展") == "部 署， 2020 年。“ 巡 察” 开 展"
    assert record_text("“开头") == "“开 头"
    assert (
        record_text("5.关于3.2亿元。") == "5 .关 于 3 .2 亿 元。"
    )  # Pagefind ends blocks with '.'


@given(st.text(alphabet=st.sampled_from("整改，。“”、（）：；3.2 abAB-_\n"), max_size=60))
def test_the_records_tokens_are_the_index_tokens(text):
    """What Pagefind indexes (each token less its punctuation) is exactly ``index_text``: the
    punctuation changes no word and no position (recall and phrase matching are unchanged)."""
    kept = [re.sub(r"[^\w]|_", "", token) for token in record_text(text).split()]
    assert kept == index_text(text).split()


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
