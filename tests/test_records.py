"""What the search indexer is given: tokens and each item's section of a notice page."""

from __future__ import annotations

from generator.search.records import index_text, split_text


def test_every_cjk_character_is_a_token_and_punctuation_separates():
    assert index_text("3.2亿元，x_y·ABC123（一）") == "3 2 亿 元 x y ABC123 一"
    assert index_text("") == ""
    assert index_text("__—\u3000") == ""


PAGE = """<article><h1>标题 &amp; 说明</h1><p>开头</p>
<section class="portal-item" data-item="1">
<h4 id="item-1" class="portal-item-heading">1.关于“甲”问题</h4>
<p>第一行<br />第二行</p><p hidden>不显示</p><img src="a.png" alt="图" />
</section>
<section class="portal-item" data-item="2"><h4 class="portal-item-heading">2.乙</h4>
<p title='x > y'>内容</p></section><p>结尾</p></article>"""


def test_items_get_their_own_sections_and_hidden_text_is_left_out():
    outside, sections = split_text(PAGE)
    assert outside == "标题 & 说明 开头 结尾"
    assert sections[1].heading == "1.关于“甲”问题"
    assert sections[1].text == "第一行 第二行"
    assert (sections[2].heading, sections[2].text) == ("2.乙", "内容")


def test_a_line_break_does_not_lose_the_item_it_is_in():
    _, sections = split_text(
        '<section data-item="3"><p>前<br/>后</p><p>再后</p></section><p>外</p>'
    )
    assert sections[3].text == "前 后 再后"
