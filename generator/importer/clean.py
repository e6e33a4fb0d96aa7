"""Importer stage 1: raw bytes -> clean lines, each remembering its line in the input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from generator.content.chinese import simplified
from generator.content.garbled import fix_punctuation

_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
_FURNITURE = (
    re.compile(r"^\s*(当前位置|您的位置|您现在的位置)\s*[:：]"),
    re.compile(r"^\s*(发布时间|发布日期)\s*[:：].*(来源|浏览|点击|作者)"),
    re.compile(r"^\s*[【\[]\s*(打印|关闭|字体|大|中|小)"),
    re.compile(r"^\s*(分享到|扫一扫|上一篇|下一篇|相关链接|相关文章|网站地图|联系我们)"),
    re.compile(r"^\s*(首页|网站首页)\s*[>＞›»]"),  # a breadcrumb
    re.compile(r"您访问的链接即将离开|版权所有|ICP备|网站标识码|公网安备|技术支持\s*[:：]"),
    re.compile(r"^\s*(主办单位|承办单位|主办|承办)\s*[:：]"),
    re.compile(r"^\s*[•·]?\s*(公开方式|公开范围|分类)\s*[:：]\s*$"),
)
"""Lines of the page around a notice: breadcrumbs, dates and counters, share bars, the site's
footer (版权所有, ICP备案, 网站标识码), a portal's exit warning. Dropped and listed in the report."""
_PUBLISHED = re.compile(r"(发布时间|发布日期)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_SENTENCE_END = re.compile(r"[。！？；;：:”」）)]\s*$")
_STARTS_BLOCK = re.compile(
    r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[一二三四五六七八九十]是)"
)


@dataclass(frozen=True)
class Line:
    """A cleaned line and the input line it starts on (1-based)."""

    text: str
    source: int


@dataclass
class Cleaned:
    """The cleaned text and what cleaning did, for the report."""

    lines: list[Line]
    encoding: str
    furniture: list[int] = field(default_factory=list)
    """Input lines dropped as web-page furniture."""
    lost: list[int] = field(default_factory=list)
    """Input lines with characters lost as '?'."""
    pinyin: int = 0
    """Pinyin groups removed after characters."""
    converted: int = 0
    """Characters changed by traditional-to-simplified conversion."""
    joined: int = 0
    """Lines joined to the line before (broken mid-sentence)."""
    page_date: str = ""
    """The web page's 发布时间 (YYYY-MM-DD), when present."""
    text: str = ""
    """The decoded input (a web page's text), whose lines the line numbers count."""
    front_title: str = ""
    """The title a crawler's YAML front matter gives (``title: 站名->标题 | site``)."""
    front_date: str = ""
    """Its ``date`` (YYYY-MM-DD): the crawl time as often as the publication date, a hint."""
    images: list[int] = field(default_factory=list)
    """Input lines whose remote images became links to the original."""
    punctuation: int = 0
    """ASCII ,:;() in Chinese text made full-width (``content.garbled``)."""
    markers: list[int] = field(default_factory=list)
    """Input lines of a crawler's ``<!--more-->`` marker (removed, the sentence joined)."""
    origin: list[int] = field(default_factory=list)
    """For a web page: the line of the HTML file each line of ``text`` starts on (the line
    numbers above count lines of ``text``); empty for a text file, whose lines are its own."""

    def input_lines(self, numbers: list[int]) -> list[int]:
        """Lines of ``text`` as lines of the input file, for the editor."""
        if not self.origin:
            return numbers
        return sorted({self.origin[n - 1] for n in numbers if 0 < n <= len(self.origin)})


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace"), "GB18030"


_AROUND = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location|sidebar|aside"
    r"|footer|foot|copyright|banquan|share|bdshare|fenxiang|related|relate|xgwz|xglj|xgxx"
    r"|fy|pager|prevnext|friendlinks?|links)(?:$|[-_\s\d])",
    re.I,
)
"""Class or id of a page's parts around the notice (menus, breadcrumb, share bar, 上一篇/下一篇,
related notices, footer), as content-management systems name them (xgwz: 相关文章)."""
_DOCUMENT = re.compile(r"\.(?:docx?|xlsx?|et|wps|pdf|ofd|zip|rar|7z|txt)(?:[?#].*)?$", re.I)
_HAN = re.compile(r"[\u3400-\u9fff]")
FURNITURE_MARK = "\ue000"
"""Starts a line of the page's furniture in the extracted text (a private-use character)."""
_VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "col", "area", "base"}


class _Text(HTMLParser):
    """A saved page as lines, each made of (text, kind) pieces: ``around`` (inside a part
    around the notice), ``link``, ``document`` (a link to a file), ``title``, ``text``."""

    BLOCKS = {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
        "article", "title", "ul", "ol", "dl", "dt", "dd",
    }  # fmt: skip
    AROUND_TAGS = {"nav", "aside", "footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[tuple[str, str]]] = [[]]
        self.starts: list[int] = [1]
        """The input line each of ``lines`` starts on."""
        self.open: list[tuple[str, bool, str]] = []
        """Open elements: (tag, around the notice, link kind)."""
        self.skip = 0
        self.cell = 0
        """Inside a table cell: blocks are spaces, so a row stays one line ``| a | b |``."""

    def _put(self, text: str, kind: str = "text") -> None:
        if not any(t.strip() for t, _ in self.lines[-1]):
            self.starts[-1] = self.getpos()[0]
        self.lines[-1].append((text, kind))

    def _break(self) -> None:
        self.lines.append([])
        self.starts.append(self.getpos()[0])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript"):
            self.skip += 1
        if tag not in _VOID:
            named = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
            around = tag in self.AROUND_TAGS or bool(_AROUND.search(named))
            href = dict(attrs).get("href") or ""
            link = ("document" if _DOCUMENT.search(href) else "link") if tag == "a" else ""
            self.open.append((tag, around, link))
        if tag in ("td", "th"):
            self.cell += 1
            self._put("| ")
        elif tag == "tr":
            self._break()
        elif tag in self.BLOCKS:
            self._put(" ") if self.cell else self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript") and self.skip:
            self.skip -= 1
        if any(t == tag for t, _, _ in self.open):  # unclosed <p>, <li> inside are closed too
            while self.open.pop()[0] != tag:
                pass
        if tag in ("td", "th") and self.cell:
            self.cell -= 1
            self._put(" ")
        elif tag == "tr":
            self._put("|")
            self._break()
        elif tag in self.BLOCKS:
            self._put(" ") if self.cell else self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        kind = "text"
        if any(around for _, around, _ in self.open):
            kind = "around"
        elif links := [link for _, _, link in self.open if link]:
            kind = links[-1]
        elif any(t == "title" for t, _, _ in self.open):
            kind = "title"
        self._put(data.replace("\n", " "), kind)


def _is_furniture(pieces: list[tuple[str, str]]) -> bool:
    """A line all of whose text is in a part around the notice, or a line of links with
    nothing of its own but dates and counts (menus, lists of other notices)."""
    kinds = {kind for text, kind in pieces if text.strip()}
    if kinds == {"around"}:
        return True
    own = "".join(text for text, kind in pieces if kind in ("text", "title"))
    return "link" in kinds and "document" not in kinds and not _HAN.search(own)


def html_text(html: str) -> tuple[str, list[int]]:
    """The page's text, a line per block, and the input line each starts on; lines of its
    furniture start with ``FURNITURE_MARK`` (they stay in the text so that the report can
    account for every character)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [
        ("".join(t for t, _ in pieces), pieces, start)
        for pieces, start in zip(parser.lines, parser.starts, strict=True)
        if not pieces or "".join(t for t, _ in pieces).strip()
    ]
    body = {text.strip() for text, pieces, _ in lines if all(k != "title" for _, k in pieces)}
    out = []
    for text, pieces, _ in lines:
        title = any(k == "title" for _, k in pieces)
        # <title>: the heading the page prints again, often with the site's name after _ or |
        repeated = title and any(
            part.strip() in body for part in re.split(r"[_|｜]|\s[-－—]\s", text) if part.strip()
        )
        out.append(FURNITURE_MARK + text if repeated or _is_furniture(pieces) else text)
    return "\n".join(out), [start for _, _, start in lines]


def clean(data: bytes, is_html: bool = False) -> Cleaned:
    text, encoding = decode(data)
    origin: list[int] = []
    if is_html:
        text, origin = html_text(text)
    text = (
        text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    )
    result = Cleaned([], encoding, text=text, origin=origin)
    kept: list[Line] = []
    raw_lines = text.split("\n")
    skip = _front_matter(raw_lines, result)
    join_next = False
    for number, raw in enumerate(raw_lines, 1):
        line = raw.strip()
        if number <= skip or not line:
            continue
        if line == _MORE:
            result.markers.append(number)
            join_next = bool(kept)
            continue
        if match := _PUBLISHED.search(line):
            result.page_date = f"{match[2]}-{int(match[3]):02d}-{int(match[4]):02d}"
        if line.startswith(FURNITURE_MARK) or any(p.search(line) for p in _FURNITURE):
            result.furniture.append(number)
            continue
        line, n = _PINYIN.subn("", line)
        result.pinyin += n
        cleaned_line = simplified(line)
        result.converted += sum(a != b for a, b in zip(line, cleaned_line, strict=False))
        if "?" in cleaned_line:  # an ASCII '?' in Chinese text is a character lost in transit
            result.lost.append(number)
        fixed = fix_punctuation(cleaned_line)
        result.punctuation += sum(a != b for a, b in zip(fixed, cleaned_line, strict=True))
        cleaned_line, n = _IMAGE.subn(_as_link, fixed)
        if n:
            result.images.append(number)
        if join_next:  # the marker cut a sentence (even a year: 202 / <!--more--> / 0年)
            kept[-1] = Line(kept[-1].text + cleaned_line, kept[-1].source)
            join_next = False
            continue
        kept.append(Line(cleaned_line, number))
    result.lines = _join(kept, result)
    return result


_MORE = "<!--more-->"
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\((https?://[^)\s]+)[^)]*\)")
_FRONT_KEY = re.compile(r"^(title|date)\s*:\s*(.*?)\s*$")


def _as_link(m: re.Match[str]) -> str:
    """A remote image (the portal never loads another site) as a link to it on the original."""
    return f"[{m[1] or '图片'}（原文图片）]({m[2]})"


def _front_matter(lines: list[str], result: Cleaned) -> int:
    """A crawler's YAML front matter at the top (Hugo, Jekyll, Hexo): its title and date
    kept as hints, its lines counted as furniture; how many lines it spans."""
    if not lines or lines[0].strip() != "---":
        return 0
    end = next((i for i in range(1, min(len(lines), 60)) if lines[i].strip() == "---"), None)
    if end is None:
        return 0
    for line in lines[1:end]:
        if m := _FRONT_KEY.match(line):
            value = m[2].strip("'\"")
            if m[1] == "title":
                value = value.split(" | ")[0]
                result.front_title = value.split("->", 1)[-1].strip()
            elif dm := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
                result.front_date = f"{dm[1]}-{dm[2]}-{dm[3]}"
    result.furniture += list(range(1, end + 2))
    return end + 1


_HAN_END = re.compile(r"[\u4e00-\u9fff]$")
_HAN_START = re.compile(r"^[\u4e00-\u9fff]")
_LABEL = re.compile(r"^[\u4e00-\u9fff]{1,6}\s*[:：]")
"""``来源：`` ``电话：``: a field of its own, not the rest of a word."""


def _mid_word(prev: str, line: str) -> bool:
    """A line of prose cut inside a word (``整`` / ``改任务``): long, not a heading, ending and
    going on with Chinese characters."""
    return (
        len(prev) >= 40
        and bool(_HAN_END.search(prev) and _HAN_START.match(line))
        and not _LABEL.match(line)
        and not _STARTS_BLOCK.match(prev)
        and not prev.startswith(("#", "**"))
        and not prev.endswith(("通报", "报告", "情况", "方案", "意见"))
    )


_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月(\d{1,2}日?)?$")


def _join(lines: list[Line], result: Cleaned) -> list[Line]:
    """Join a line to the one before when that one stops mid-sentence (seed 003's short lines)."""
    out: list[Line] = []
    for n, line in enumerate(lines):
        prev = out[-1] if out else None
        signature = n + 1 < len(lines) and _DATE_LINE.match(lines[n + 1].text)
        if (
            prev is not None
            and not signature  # the unit's name above the closing date stays its own line
            and not _DATE_LINE.match(line.text)
            and not _SENTENCE_END.search(prev.text)
            and (prev.text.endswith(("，", ",", "、")) or _mid_word(prev.text, line.text))
            and not _STARTS_BLOCK.match(line.text)
        ):
            out[-1] = Line(prev.text + line.text, prev.source)
            result.joined += 1
        else:
            out.append(line)
    return out
