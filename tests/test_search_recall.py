"""Chinese search recall against ground truth, in a real browser (issue 3).

Ground truth is the *visible text of the built pages* (each notice page, and each item's section
on it), never the index's own input. A number or Latin word in a query matches whole: "32处"
does not occur in "232处" (nobody searching 32 means 232). Each query goes through
``window.portalSearch`` — the function the search page itself uses — ranked by relevance.

A query fails when any ground-truth notice is missing, when any ground-truth item is missing
or when the notice most about the query is not among the first 10 notices. "Most about" is the
relevance the page shows ("出现 N 次"): the most occurrences of the query on the notice page.

The top-10 criterion applies to every query, the ones found in every notice too: the search
page counts occurrences from the word positions of every result, not from Pagefind's scores
(which tie where a word is in every notice).
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Browser

from bench import synth
from generator.commands.build import BuildOptions, build
from generator.search.index import SHARD_ENV
from tests.conftest import serve
from tests.helpers import AS_OF, ROOT, build_synthetic

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Drawn by hand from the example content: two-character words, 4-8 character phrases typed
# without spaces, unit and team names, Chinese with digits, status words.
EXAMPLE_QUERIES = [
    ("举报", "词"), ("整改", "词"), ("隐患", "词"), ("巡视", "词"), ("巡察", "词"), ("销号", "词"),
    ("约谈", "词"), ("台账", "词"), ("培训", "词"), ("消防", "词"), ("债务", "词"), ("轮岗", "词"),
    ("危险废物", "短语"), ("举报奖励", "短语"), ("消防通道", "短语"), ("重大隐患", "短语"),
    ("小作坊", "短语"), ("联合执法", "短语"), ("挂牌督办", "短语"), ("营商环境", "短语"),
    ("安全生产举报奖励制度", "短语"), ("化工产业布局规划", "短语"), ("隐性债务化解方案", "短语"),
    ("村级集体经济", "短语"), ("干部人事档案", "短语"), ("专业人才缺乏", "短语"),
    ("区经信局", "单位"), ("区应急管理局", "单位"), ("省委第三巡视组", "单位"), ("市委第一巡察组", "单位"),
    ("中共临江县委", "单位"), ("市生态环境局党组", "单位"), ("县纪委监委", "单位"), ("镇安监办", "单位"),
    ("2021年", "数字"), ("2022年3月", "数字"), ("58起", "数字"), ("187家", "数字"), ("41条", "数字"),
    ("3.2亿元", "数字"), ("22个", "数字"), ("1260卷", "数字"),
    ("已完成", "状态"), ("推进中", "状态"), ("基本完成", "状态"), ("长期坚持", "状态"), ("逾期", "状态"),
]  # fmt: skip


def occurrences(query: str, text: str) -> int:
    """Occurrences of ``query`` in ``text``, numbers and Latin words matching whole."""
    pattern = re.escape(query)
    if re.match(r"[0-9A-Za-z]", query):
        pattern = r"(?<![0-9A-Za-z])" + pattern
    if re.search(r"[0-9A-Za-z]$", query):
        pattern += r"(?![0-9A-Za-z])"
    return len(re.findall(pattern, text))


@dataclass(frozen=True)
class Truth:
    notices: dict[str, str]
    """Notice URL -> visible text of its page."""
    items: dict[str, str]
    """Item URL -> visible text of its section."""


def _visible(el: Tag) -> str:
    """Text a reader sees, less what the page marks as not searched (``data-search-skip``:
    the as-of sentence every notice page repeats)."""
    for hidden in el.select("[hidden], [data-search-skip]"):
        hidden.decompose()
    return el.get_text(" ")


def _item_sections(article: Tag, url: str) -> dict[str, str]:
    sections = {}
    for heading in article.select(".portal-item-heading"):
        level = int(heading.name[1])
        texts = [heading.get_text(" ")]
        for sibling in heading.find_next_siblings():
            if re.fullmatch(r"h[1-6]", sibling.name) and int(sibling.name[1]) <= level:
                break
            texts.append(_visible(copy.copy(sibling)))  # a later report's badge is not this item's
        sections[f"{url}#{heading['id']}"] = " ".join(texts)
    return sections


def ground_truth(site: Path) -> Truth:
    notices, items = {}, {}
    for page in sorted((site / "notices").glob("*/index.html")):
        url = f"notices/{page.parent.name}/"
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            "article.portal-notice"
        )
        assert article is not None
        items |= _item_sections(article, url)
        notices[url] = _visible(article)
    return Truth(notices, items)


@dataclass(frozen=True)
class Outcome:
    query: str
    kind: str
    truth: int
    found: int
    item_truth: int
    item_found: int | None
    """None when item recall was not checked."""
    rank: int | None
    """1-based rank of the notice most about the query; None when it was not returned."""

    @property
    def ok(self) -> bool:
        items_ok = self.item_found is None or self.item_found == self.item_truth
        rank_ok = self.rank is not None and self.rank <= 10
        return self.found == self.truth and items_ok and rank_ok


def evaluate(
    browser: Browser, base: str, truth: Truth, queries: list[tuple[str, str]]
) -> list[Outcome]:
    want = [{u for u, t in truth.notices.items() if occurrences(q, t)} for q, _ in queries]
    want_items = [{u for u, t in truth.items.items() if occurrences(q, t)} for q, _ in queries]
    page = browser.new_page()
    page.goto(base + "search/")
    page.wait_for_function("window.portalSearch !== undefined")
    found = page.evaluate(
        """async (queries) => {
            const out = [];
            for (const q of queries) {
                const all = await window.portalSearch.search(q, {}, "relevance", 0);
                const top = await window.portalSearch.search(q, {}, "relevance", 10);
                out.push([all.groups.map(g => g.url), top.groups.map(g => g.url), all.groups.flatMap(g => g.items.map(i => i.url))]);
            }
            return out;
        }""",
        [q for q, _ in queries],
    )
    page.close()
    outcomes = []
    for (query, kind), notices, items, (urls, top, got_items) in zip(
        queries, want, want_items, found, strict=True
    ):
        got = set(urls)
        counts = {u: occurrences(query, truth.notices[u]) for u in notices}
        most = max(counts.values(), default=0)
        best = {u for u, n in counts.items() if n == most}
        rank = next((n for n, url in enumerate(top, 1) if url in best), None)
        item_found = len(items & set(got_items))
        outcomes.append(
            Outcome(query, kind, len(notices), len(notices & got), len(items), item_found, rank)
        )
    return outcomes


def table(title: str, outcomes: list[Outcome]) -> str:
    rows = [f"{title}", f"{'query':<24}{'kind':<6}{'notices':>12}{'items':>12}{'rank':>6}  ok"]
    for o in outcomes:
        rows.append(
            f"{o.query:<24}{o.kind:<6}{f'{o.found}/{o.truth}':>12}"
            f"{f'{o.item_found}/{o.item_truth}' if o.item_found is not None else f'-/{o.item_truth}':>12}"
            f"{o.rank or '-':>6}  {'ok' if o.ok else 'FAIL'}"
        )
    notices = sum(o.found for o in outcomes), sum(o.truth for o in outcomes)
    checked = [o for o in outcomes if o.item_found is not None]
    items = sum(o.item_found or 0 for o in checked), sum(o.item_truth for o in checked)
    rows.append(
        f"recall: notices {notices[0]}/{notices[1]}, items {items[0]}/{items[1]} (in {len(checked)} queries); "
        f"{sum(o.ok for o in outcomes)}/{len(outcomes)} queries ok"
    )
    return "\n".join(rows)


def check(title: str, outcomes: list[Outcome], capsys: pytest.CaptureFixture[str]) -> None:
    report = table(title, outcomes)
    with capsys.disabled():
        print("\n" + report)
    assert len(outcomes) >= 40
    assert [o.query for o in outcomes if not o.ok] == [], report


def test_recall_on_the_example_portal(browser, served_site, example_site, capsys):
    truth = ground_truth(example_site)
    missing = [
        q for q, _ in EXAMPLE_QUERIES if not any(occurrences(q, t) for t in truth.notices.values())
    ]
    assert missing == [], "every query must occur in the example content"
    check("recall, example portal", evaluate(browser, served_site, truth, EXAMPLE_QUERIES), capsys)


@pytest.fixture(scope="module")
def merged_example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example portal indexed in shards of about two notices, merged into one bundle."""
    root = tmp_path_factory.mktemp("merged")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SHARD_ENV, "2")
        report = build(BuildOptions(ROOT / "content", root / "site", ROOT / "mkdocs.yml", AS_OF,
                                    cache=root / "cache"))  # fmt: skip
    assert int(report.shards_reused.split("/")[1]) > 2  # merged from several shards
    return root / "site"


def test_recall_on_a_merged_index(browser, merged_example_site, capsys):
    """The queries of the example portal, in a real browser, on shards merged by us."""
    truth = ground_truth(merged_example_site)
    with serve(merged_example_site) as base:
        outcomes = evaluate(browser, base, truth, EXAMPLE_QUERIES)
    check("recall, example portal, index merged from shards of 2", outcomes, capsys)


SYNTHETIC_NOTICES = 200


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_synthetic(tmp_path_factory.mktemp("synthetic"), SYNTHETIC_NOTICES, seed=7)


_CJK_RUN = re.compile(r"[\u4e00-\u9fff0-9]{8,}")
_CUTS_A_NUMBER = re.compile(r"^\d|\d$")


def synthetic_queries(truth: Truth, count: int = 48, seed: int = 3) -> list[tuple[str, str]]:
    """Substrings of 2-8 characters drawn from the visible text, plus names and status words."""
    rng = random.Random(seed)
    urls = sorted(truth.notices)
    queries: list[tuple[str, str]] = []
    while len(queries) < count - 8:
        runs = _CJK_RUN.findall(truth.notices[rng.choice(urls)])
        run = rng.choice(runs)
        length = rng.choice([2, 3, 4, 6, 8])
        start = rng.randrange(0, len(run) - length + 1)
        q = run[start : start + length]
        before, after = run[start - 1 : start], run[start + length : start + length + 1]
        if (_CUTS_A_NUMBER.search(q) and (before.isdigit() or after.isdigit())) or q.isdigit():
            continue  # a query never starts or ends inside a number
        kind = "数字" if re.search(r"\d", q) else ("词" if length <= 3 else "短语")
        if q not in {x for x, _ in queries}:
            queries.append((q, kind))
    names = synth.issuers()
    queries += [
        (names[5], "单位"),
        (names[120], "单位"),
        ("省委第三巡视组", "单位"),
        ("市委第七巡察组", "单位"),
    ]
    queries += [
        ("推进中", "状态"),
        ("长期坚持", "状态"),
        ("2019年", "数字"),
        ("危险化学品", "短语"),
    ]
    return queries


def test_recall_on_a_200_notice_synthetic_portal(browser, synthetic_site, capsys):
    truth = ground_truth(synthetic_site)
    assert len(truth.notices) == SYNTHETIC_NOTICES
    with serve(synthetic_site) as base:
        outcomes = evaluate(browser, base, truth, synthetic_queries(truth))
    check(f"recall, synthetic portal of {SYNTHETIC_NOTICES} notices", outcomes, capsys)
