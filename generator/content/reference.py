"""(Stage 2, validate) The editors' format reference, written from the schema so it cannot drift from it."""

from __future__ import annotations

from generator.content.schema import ITEM, NOTICE, STATUS_ALIASES, STATUSES, Field, ListOf, Obj
from generator.content.settings import SETTINGS

INTRO = """\
# 通报编写格式 (notice format)

每份通报是 `content/` 下的一个 Markdown 文件：开头是 YAML 前置信息（front matter），正文是普通
Markdown；每个整改事项是一个标题，紧跟一个信息串为 `item` 的代码块，写明该事项的状态等。

One file per notice under `content/`: YAML front matter, then an ordinary Markdown body. Each
rectification item is a heading directly followed by a fenced block with the info string `item`.
All values are read as text exactly as written (`010010` stays `010010`, `NO` stays `NO`);
anchors, aliases, tags and duplicate keys are errors. Lists may be written as a single value.
Numbers in field paths of error messages count from 1: `items[3]` is the third item.

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

RULES = f"""\
## 规则 (rules checked by `portal check`)

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


def _rows(spec: Obj, prefix: str = "") -> list[str]:
    rows = []
    for f in spec.fields:
        rows.append(_row(f, prefix))
        inner = f.spec.item if isinstance(f.spec, ListOf) else f.spec
        if isinstance(inner, Obj):
            rows += _rows(inner, f"{prefix}{f.name}{'[]' if isinstance(f.spec, ListOf) else ''}.")
    return rows


def _row(f: Field, prefix: str) -> str:
    need = "required" if f.required else ""
    return f"| `{prefix}{f.name}` | {need} | {f.spec.describe()} | {f.doc} |"


def _table(spec: Obj) -> str:
    return "| field | | value | meaning |\n|---|---|---|---|\n" + "\n".join(_rows(spec)) + "\n"


def format_reference() -> str:
    return (
        INTRO
        + "\n## 前置信息 (front matter)\n\n"
        + _table(NOTICE)
        + "\n## 事项块 (`item` block)\n\n"
        + _table(ITEM)
        + "\n## 站点设置 (`portal.yml`)\n\n"
        + "Portal-wide settings beside `mkdocs.yml`, checked like a notice: the standing feedback "
        + "channels, the national reporting lines and the site's identity printed at the foot of "
        + "every page.\n\n"
        + _table(SETTINGS)
        + "\n"
        + RULES
        + "\nJSON Schemas for editors: `data/notice.schema.json`, `data/item.schema.json` on the site,"
        + " or `portal schema notice|item`.\n"
    )
