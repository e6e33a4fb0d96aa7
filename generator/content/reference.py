"""(Stage 2, validate) The editors' format reference, written from the schema so it cannot drift from it."""

from __future__ import annotations

from generator import i18n
from generator.content.schema import ITEM, NOTICE, STATUS_ALIASES, STATUSES, Field, ListOf, Obj
from generator.content.settings import SETTINGS
from generator.i18n import show

EXAMPLE = """\
````markdown
---
title: 中共某某区委关于省委巡视整改进展情况的通报
issuer: 中共某某区委
published: 2021-02-05
kind: 整改进展
inspection:
  type: 巡视
  team: 省委第二巡视组
  period: [2020-08-30, 2020-09-29]
  feedback: 2020-11-06
contacts:
  phone: {number: 0510-12345678, hours: 工作日 8:30-17:30}
  postal: {address: 某市某区某路8号, recipient: 区委巡察办, postcode: "214000"}
  email: feedback@example.org
  until: 2021-03-31
---

## 二、整改落实情况

### （一）落实化工产业布局优化提升要求不到位

#### 1.关于“专项行动排查不彻底”问题的整改

```item
status: 已完成
deadline: 2021-02-05
owner: 区工信局
```

一是……二是……
````
"""
"""The notice every reference opens with (both languages)."""

INTRO_ZH = (
    """\
# 通报编写格式

每份通报是 `content/` 下的一个 Markdown 文件：开头是 YAML 前置信息（front matter），正文是普通
Markdown；每个整改事项是一个标题，紧跟一个信息串为 `item` 的代码块（item 块），写明该事项的状态等。
所有值都按写下的文字原样读取（`010010` 仍是 `010010`，`NO` 仍是 `NO`）；YAML 的锚点、别名、标签和
重复的字段名都是错误。列表只有一项时可以只写这一项。错误信息里的字段路径从 1 开始数：`items[3]`
是第三个事项。YAML 的冒号、逗号和引号一律用半角，冒号后面空一格；缩进只用空格（每级两个）。

"""
    + EXAMPLE
)

INTRO_EN = (
    """\
# Notice format

One file per notice under `content/`: YAML front matter, then an ordinary Markdown body. Each
rectification item is a heading directly followed by a fenced block with the info string `item`.
All values are read as text exactly as written (`010010` stays `010010`, `NO` stays `NO`);
anchors, aliases, tags and duplicate keys are errors. Lists may be written as a single value.
Numbers in field paths of error messages count from 1: `items[3]` is the third item.

"""
    + EXAMPLE
)

RULES_ZH = f"""\
## 规则（portal check 检查的内容）

- 事项状态：{"、".join(STATUSES)}；也可写 {"、".join(f"{a}（= {v}）" for a, v in STATUS_ALIASES.items())}。
- **状态有截至日期（状态截至）**：事项的状态是它的 `as_of` 那天的情况，没有 `as_of` 时是通报
  `published` 那天的情况；每个页面都在状态旁写明这个日期。`as_of` 晚于通报日期是错误。
- **逾期是算出来的，不用写**：事项的 `deadline` 在状态截至日已过，而状态是 推进中 或 基本完成，
  就是逾期。**逾期未报**：事项未完成，时限在状态截至日之后、到生成日已过，且没有更新的通报：
  上次通报时未完成，此后不知进展。两者分别显示、统计和筛选。
- 事项编号取自标题开头：`1.` / `1、` / `（一）` / `一、`；标题没有编号时在 item 块里写 `no:`。
  同一份通报里编号不能重复。
- 事项的类别是它上一级的标题。
- 在含有事项的标题之下、和周围事项同一级、编号方式相同的标题，必须有 item 块：没有的话这个问题
  哪里都不统计（错误）。
- **不可能的日期**：`published` 晚于生成日期、事项的 `completed` 晚于生成日期，都是错误（还没
  发生的事不能报告，通常是年份写错了）；`deadline` 早于巡视巡察的 `feedback` 是错误（时限是针对
  反馈意见定的）；`completed` 早于反馈日期是警告（只有巡视巡察期间立行立改的问题才会这样）。
  `portal check` 以今天（北京时间）为准。
- item 块必须紧跟它的标题。只有 `kind: 整改进展` 的通报有整改事项，而且必须写 `inspection`，
  至少有一个事项。
- 正文里不能写 HTML；图片必须是本平台的文件；链接只能用 http、https、mailto 或 tel。
- **草稿**：`draft: true` 的通报不进入任何页面、列表、订阅、数据文件和搜索索引；`portal build`
  报告未发布几份草稿，`portal serve` 预览时显示草稿并带“草稿”横幅。`portal new` 和
  `portal import` 写出的都是草稿。
- **占位符（待填写）**：没有人给出的值，工具写成括号里的占位符，例如 `（填写问题）`、
  `（待填写发布日期）`（也有 `（待补充…）`、`（待确认…）`），从不编造。占位符出现在任何地方
  （字段或正文），草稿里是警告，要发布的通报里是错误，指出所在的行。
- **乱码**（导入的文字常见）：紧跟汉字的 `?`（丢失的字；问句如 `是否继续?` 除外）或 U+FFFD；
  汉字后括号里带声调的拼音（`运(yùn)输`）；UTF-8 被当成 GBK 读取（`鏁存敼`，原文是“整改”）。
  要发布的通报里是错误，草稿里是警告。汉字之间的半角 `,:;` 和汉字外的 `(一)` 是警告：
  `portal check --fix` 会就地改成全角（只改文字：YAML 列表 `[甲, 乙]` 仍是列表）。
- **个人信息**：18 位居民身份证号码（核对校验位）和银行卡号（Luhn 校验）是错误；不是本通报
  联系渠道的手机号码（`contacts.phone`，或以 值班电话/举报电话/热线/短信 等引出的号码除外），以及
  举报人/信访人/反映人/投诉人/来信人 后面的姓名（“张某”除外）是警告。确需公开的值，照原样列在
  `disclose:` 下；列出却在通报里找不到的值是警告。
- **后续通报**：同一轮巡视巡察的后一份通报，在前置信息里写一行
  `follows: <它接续的通报的编号>`，这时可以不写 `inspection`。它的事项接续前一份通报中编号相同
  的事项；编号不同的事项在 item 块里写 `follows: 3`（前一份的编号），本次首次通报的问题写
  `follows: 新增`。`portal check` 拒绝：接续不存在的通报、接续更晚的通报或绕成一圈，以及找不到
  对应事项的事项（会提出标题相近的前一份事项）；以下情况给出警告：事项标题像是前一份的另一个
  事项，前一份通报中未完成的问题本次没有通报（不声不响地漏掉），已报 已完成 的问题又报为未完成
  却没有写 `note`。
- **整改全过程**：问题的状态取最近一次通报（按状态截至日期）；有了更新的通报，较早的通报就不再
  显示逾期未报。没有重写的时限沿用；重写且不同的时限与原时限并列显示（`deadline_reason`：
  调整理由）。**销号**：在 已完成 的事项上写 `closed: YYYY-MM-DD`（并写 `evidence:`）；
  `closed: 是`（没有日期）是警告。每一轮（多份通报）有一个页面（`rounds/<第一份通报的编号>/`），
  列出每个问题的全过程；整改台账里每个问题只出现一次。
- **整改全过程的开放数据**：`data/problems.json`（每个问题一次：最新状态和 `reports`，每次通报的
  格式同 `notices.json`，从早到晚）和 `data/history.csv`（每次通报一行：问题编号, 轮次, 通报编号,
  状态, 状态截至, 整改时限, 原定时限, 调整理由, 完成时间, 销号日期, 销号依据, 说明, 最新, 链接）。
  `portal ledger export FILE.csv` 导出整改台账（每个问题一行），`portal ledger apply FILE.csv`
  把改过的单元格写回各 item 块。
- 文件用 UTF-8 编码（带 BOM、用 CRLF 换行都可以），最大 1 MiB，不能是符号链接；通报编号
  （`id` 字段，或文件名）在整个平台里不能重复，只能用小写字母、数字和 `-`。
"""

RULES_EN = f"""\
## Rules checked by `portal check`

- Item statuses: {", ".join(STATUSES)}; also accepted: {", ".join(f"{a} (= {v})" for a, v in STATUS_ALIASES.items())}.
- **Statuses are dated (状态截至)**: an item's status is what was true on its `as_of` day, else
  on the notice's `published` date; every page shows that date beside the status. An `as_of`
  after the notice's own date is an error.
- **Overdue (逾期) is derived, never written**: the item's `deadline` had passed on its status
  date and the status was 推进中 or 基本完成. **逾期未报** is an open item whose deadline came
  after its status date and has passed by the build date: not finished when last reported, and
  no later report is known. Both are shown, counted and filtered apart.
- The item number comes from the start of its heading: `1.` / `1、` / `（一）` / `一、`; write
  `no:` in the block when the heading has none. Numbers are unique within a notice.
- The category of an item is the heading one level above it.
- A heading numbered like the items around it (at their level, under a heading that holds
  items) must have its `item` block: without one the problem would be counted nowhere (error).
- **Dates that cannot be true**: `published` after the build date, or an item's `completed`
  after it, is an error (nobody can report what has not happened yet: the year is usually
  wrong); a `deadline` before the inspection's `feedback` is an error (deadlines answer the
  feedback); `completed` before the feedback is a warning (right only for a problem fixed
  during the inspection, 立行立改). `portal check` judges against today (UTC+8).
- An `item` block must come directly after its heading. Only `kind: 整改进展` notices have items,
  and they need `inspection` and at least one item.
- No raw HTML in the body; images must be files of the portal; links use http, https, mailto or tel.
- **Drafts (草稿)**: `draft: true` keeps a notice out of every page, list, feed, data file and
  the search index; `portal build` says how many it left out, `portal serve` shows them with a
  草稿 banner. `portal new` and `portal import` always write drafts.
- **Placeholders (待填写)**: where nobody has given a value, the tools write a placeholder in
  brackets, such as `（填写问题）` or `（待填写发布日期）` (also `（待补充…）`, `（待确认…）`),
  never a made-up value. A placeholder anywhere (a field or the body) is a warning in a draft
  and an error in a notice to be published, on its own line.
- **Garbled text** in any field or body line, as imports carry it: `?` straight after a Chinese
  character (a lost character; not after a question such as `是否继续?`) or U+FFFD; pinyin with
  tone marks in brackets after a character (`运(yùn)输`); UTF-8 read as GBK (`鏁存敼`, which
  reads 整改). An error in a notice to be published, a warning in a draft. ASCII `,:;` between
  Chinese characters and `(一)` around Chinese are warnings: `portal check --fix` makes them
  full-width in place (text only: a YAML list `[甲,乙]` stays a list).
- **Personal data (disclosure)**: 18-digit resident ID numbers (check digit verified) and bank
  card numbers (Luhn) are errors; mobile numbers that are not the notice's own channels
  (`contacts.phone`, or a line introduced as 值班电话/举报电话/热线/短信…) and names after
  举报人/信访人/反映人/投诉人/来信人 (not 张某) are warnings. A value meant to be public is listed
  exactly as written under `disclose:`; a listed value found nowhere is a warning.
- **后续通报 (follow-up notices)**: a later notice of the same inspection round writes one
  line in its front matter, `follows: <id of the notice it follows>`; it may then leave out
  `inspection`. Its items report on the earlier notice's items with the same numbers; an item
  numbered differently writes `follows: 3` (the earlier number) in its block, a problem first
  reported here `follows: 新增`. `portal check` refuses a `follows` naming no notice, a later
  notice or a circle, and an item that has no counterpart (it proposes the earlier item whose
  title matches); it warns when an item's title reads like another earlier item, when an open
  problem of the earlier notice is not reported again (dropped without a word), and when a
  problem reported 已完成 is reported open again without a `note`.
- **History (整改全过程)**: a problem's status is that of its latest report (by status date);
  an earlier report never shows 逾期未报 once a later one exists. A deadline not restated is
  carried on; a restated, different deadline is shown beside the original (`deadline_reason`:
  why). **销号**: `closed: YYYY-MM-DD` (with `evidence:`) on a 已完成 item; `closed: 是` (no
  date) is a warning. Each round of several notices has a page (`rounds/<first notice id>/`)
  with every problem's timeline; the ledger shows each problem once.
- **Open data of the history**: `data/problems.json` (every problem once: its latest status and
  `reports`, each report as in `notices.json`, oldest first) and `data/history.csv` (one row per
  report: 问题编号, 轮次, 通报编号, 状态, 状态截至, 整改时限, 原定时限, 调整理由, 完成时间, 销号日期,
  销号依据, 说明, 最新, 链接). `portal ledger export FILE.csv` writes the ledger (one row per
  problem) and `portal ledger apply FILE.csv` writes edited cells back into the item blocks.
- Files are UTF-8 (a BOM and CRLF line endings are fine), at most 1 MiB, never symbolic links;
  notice ids (the `id` field, or the file name) are unique across the portal.
"""


def _rows(spec: Obj, language: str, prefix: str = "") -> list[str]:
    rows = []
    for f in spec.fields:
        rows.append(_row(f, prefix, language))
        inner = f.spec.item if isinstance(f.spec, ListOf) else f.spec
        if isinstance(inner, Obj):
            within = f"{prefix}{f.name}{'[]' if isinstance(f.spec, ListOf) else ''}."
            rows += _rows(inner, language, within)
    return rows


def _row(f: Field, prefix: str, language: str) -> str:
    need = {"zh": "必填", "en": "required"}[language] if f.required else ""
    return f"| `{prefix}{f.name}` | {need} | {show(f.spec.describe(), language)} | {show(f.doc, language)} |"


def _table(spec: Obj, language: str) -> str:
    head = {"zh": "| 字段 | | 取值 | 含义 |", "en": "| field | | value | meaning |"}[language]
    return head + "\n|---|---|---|---|\n" + "\n".join(_rows(spec, language)) + "\n"


HEADINGS = {
    "zh": (
        "前置信息（front matter）",
        "事项块（`item` 块）",
        "站点设置（`portal.yml`）",
        "与 `mkdocs.yml` 并列的全平台设置，像通报一样检查：常设的意见反映渠道、全国举报电话，以及印在"
        "每页页脚的网站信息。",
        "供编辑器使用的 JSON Schema：网站上的 `data/notice.schema.json`、`data/item.schema.json`，"
        "或 `portal schema notice|item`。",
    ),
    "en": (
        "Front matter",
        "The `item` block",
        "Site settings (`portal.yml`)",
        "Portal-wide settings beside `mkdocs.yml`, checked like a notice: the standing feedback "
        "channels, the national reporting lines and the site's identity printed at the foot of "
        "every page.",
        "JSON Schemas for editors: `data/notice.schema.json`, `data/item.schema.json` on the site, "
        "or `portal schema notice|item`.",
    ),
}


def format_reference(language: str | None = None) -> str:
    """The reference in ``language`` (default: the current one; the site's is Chinese)."""
    language = language or i18n.language()
    front, item, settings, about, schemas = HEADINGS[language]
    return (
        (INTRO_ZH if language == "zh" else INTRO_EN)
        + f"\n## {front}\n\n"
        + _table(NOTICE, language)
        + f"\n## {item}\n\n"
        + _table(ITEM, language)
        + f"\n## {settings}\n\n{about}\n\n"
        + _table(SETTINGS, language)
        + "\n"
        + (RULES_ZH if language == "zh" else RULES_EN)
        + f"\n{schemas}\n"
    )
