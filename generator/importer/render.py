"""Importer stage 3: the recognised notice -> Markdown that passes ``portal check``, and a report."""

from __future__ import annotations

import json
from pathlib import Path

from generator.content.placeholders import fill
from generator.content.schema import UNSTATED
from generator.importer.clean import Cleaned
from generator.importer.conserve import Conservation
from generator.importer.recognise import Recognised


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _markdown_safe(text: str) -> str:
    """Plain text as a Markdown paragraph: nothing may start a list, heading or HTML by accident."""
    text = text.replace("<", "＜").replace(">", "＞")
    if (
        text[:1] in "#>-+*|`~="
        or text[:4].rstrip(".").isdigit()
        and text[1:3].startswith((".", ")"))
    ):
        return "\\" + text
    return text


MISSING = {
    "title": fill("标题"),
    "issuer": fill("发布单位"),
    "published": fill("发布日期"),
    "type": fill("巡视或巡察"),
    "kind": fill("类别"),
}
"""What the draft says where the source prints nothing (never a made-up value)."""


def _not_a_notice(rec: Recognised) -> str:
    """Why the kind is left to the editor, in the draft's words."""
    reads = f"，读来像{rec.reading}" if rec.reading else ""
    return f"原文没有编号的问题{reads}，不像整改通报；请选 整改进展、工作报告 或 经验做法"


def front_matter(rec: Recognised, stem: str) -> list[str]:
    lines = [
        "---",
        "draft: true   # 导入的草稿：核对原文、填完（待填写……）后删除本行才发布",
        f"title: {_q(rec.title or MISSING['title'])}",
        f"issuer: {_q(rec.issuer or MISSING['issuer'])}",
        f"published: {rec.published or MISSING['published']}",
        f"kind: {rec.kind}" if rec.kind else f"kind: {MISSING['kind']}   # {_not_a_notice(rec)}",
    ]
    if rec.doc_no:
        lines.append(f"doc_no: {_q(rec.doc_no)}")
    if rec.index_no:
        lines.append(f"index_no: {_q(rec.index_no)}")
    if rec.names_inspection:
        lines += ["inspection:", f"  type: {rec.inspection_type or MISSING['type']}"]
        if rec.team:
            lines.append(f"  team: {_q(rec.team)}")
        if rec.topic and rec.kind == "整改进展":
            lines.append(f"  topic: {_q(rec.topic)}")
        if rec.period:
            lines.append(f"  period: [{rec.period[0]}, {rec.period[1]}]")
        if rec.period_text:
            lines.append(f"  period_text: {_q(rec.period_text)}   # 原文未写全日期，照原文")
        if rec.feedback:
            lines.append(f"  feedback: {rec.feedback}")
        if rec.feedback_text:
            lines.append(f"  feedback_text: {_q(rec.feedback_text)}   # 原文未写年份，照原文")
    if rec.phones or rec.postal or rec.emails:
        lines.append("contacts:")
        if rec.phones:
            lines.append("  phone:")
            lines += [f"    - {{number: {_q(p)}}}" for p in rec.phones]
        if rec.postal:
            lines.append("  postal:")
            lines += [
                "    - {" + ", ".join(f"{k}: {_q(v)}" for k, v in p.items()) + "}"
                for p in rec.postal
            ]
        if rec.emails:
            lines.append("  email: [" + ", ".join(rec.emails) + "]")
    if rec.figures:
        lines.append("figures:")
        lines += [
            "  - {" + ", ".join(f"{k}: {_q(v)}" for k, v in f.items()) + "}" for f in rec.figures
        ]
    return [*lines, "---", ""]


def markdown(rec: Recognised, stem: str) -> str:
    out = front_matter(rec, stem)
    levels = {"h2": "##", "h3": "###"}
    for block in rec.blocks:
        if block.kind in levels:
            out += [f"{levels[block.kind]} {block.text}", ""]
        elif block.kind == "item" and block.item is not None:
            item = block.item
            out += [f"#### {block.text}", "", "```item"]
            if item.status:
                out.append(f"status: {item.status}  # 据原文“{item.evidence}”")
            else:
                out.append(f"status: {UNSTATED}  # 原文未说明进展，请编辑确认")
            if not block.text.startswith(item.label) and not block.text.startswith(
                f"{item.label}."
            ):
                out.append(f'no: "{item.number}"')
            if item.deadline:
                out.append(f"deadline: {item.deadline}")
            if item.owners:
                out.append("owner: [" + ", ".join(_q(o) for o in item.owners) + "]")
            if item.problem:
                out.append(f"problem: {_q(item.problem[:300])}")
            out += ["```", ""]
        else:
            out += [_markdown_safe(block.text), ""]
    return "\n".join(out).rstrip() + "\n"


def _lines(numbers: list[int]) -> str:
    """``3, 5, 7-12``: runs of consecutive line numbers shortened."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def report(path: Path, cleaned: Cleaned, rec: Recognised, kept: Conservation) -> list[str]:
    """What the editor needs to know, with input line numbers."""
    lines = [
        f"{path}: imported as {rec.kind or 'a text that is not a rectification notice'} ({cleaned.encoding})"
    ]
    if kept.missing:
        lost = "".join(sorted(kept.missing.elements()))
        lines.append(
            f"  LOST: {sum(kept.missing.values())} of {kept.source} Chinese characters and digits"
            f" are not in the draft ({lost[:60]}); compare it with the source before publishing"
        )
    else:
        lines.append(f"  kept: all {kept.source} Chinese characters and digits of the text")
    found = {
        "categories": sum(b.kind == "h3" for b in rec.blocks),
        "items": len(rec.items),
        "phones": len(rec.phones),
        "postal": len(rec.postal),
        "emails": len(rec.emails),
        "figures": len(rec.figures),
    }
    lines.append("  found: " + ", ".join(f"{k} {v}" for k, v in found.items()))
    meta = {"title": rec.title, "issuer": rec.issuer, "published": rec.published, "type": rec.inspection_type,
            "team": rec.team, "topic": rec.topic, "period": "/".join(rec.period or ()) or rec.period_text,
            "feedback": rec.feedback or rec.feedback_text}  # fmt: skip
    lines.append("  metadata: " + ", ".join(f"{k}={v or '—'}" for k, v in meta.items()))
    lines += [f"  guessed: {g}" for g in rec.guessed]
    if cleaned.furniture:
        lines.append(
            f"  removed web-page furniture at lines {_lines(cleaned.input_lines(cleaned.furniture))}"
        )
    if cleaned.pinyin or cleaned.converted:
        lines.append(
            f"  repaired: {cleaned.pinyin} pinyin groups removed, {cleaned.converted} characters converted to simplified"
        )
    if cleaned.front_date:
        lines.append(
            f"  hint: the crawler's front matter says date {cleaned.front_date} (often when the"
            " page was crawled, not published); not used"
        )
    if cleaned.images:
        lines.append(
            "  remote images turned into links to the original (the portal loads nothing from"
            f" other sites) at lines {_lines(cleaned.input_lines(cleaned.images))}"
        )
    if cleaned.markers:
        lines.append(
            f"  removed the crawler's <!--more--> marker and joined the text at lines {_lines(cleaned.input_lines(cleaned.markers))}"
        )
    if cleaned.punctuation:
        lines.append(
            f"  repaired: {cleaned.punctuation} ASCII punctuation marks in Chinese text made full-width"
        )
    if cleaned.joined:
        lines.append(f"  joined {cleaned.joined} lines broken mid-sentence")
    if cleaned.lost:
        lines.append(
            f"  lost characters ('?') kept as written at lines {', '.join(map(str, cleaned.input_lines(cleaned.lost)))}"
        )
    unstated = [i for i in rec.items if not i.status]
    if unstated:
        lines.append(
            f"  status not stated for {len(unstated)} items (未说明): "
            + ", ".join(f"{i.label} (line {cleaned.input_lines([i.line])[0]})" for i in unstated)
        )
    if rec.declared:
        done, ongoing = rec.declared
        counted = (
            sum(i.status in ("已完成", "长期坚持") for i in rec.items),
            sum(i.status == "推进中" for i in rec.items),
        )
        if (done + ongoing) != len(rec.items) or counted != (done, ongoing):
            lines.append(
                f"  the notice declares {done} done and {ongoing} ongoing ({done + ongoing} items); found {len(rec.items)} items, statuses read: {counted[0]} done, {counted[1]} ongoing"
            )
    if not rec.kind:
        reads = f"; it reads as {rec.reading}" if rec.reading else ""
        lines.append(f"  not a rectification notice: no numbered problems found{reads}")
    missing = {
        "kind": not rec.kind,
        "title": not rec.title,
        "issuer": not rec.issuer,
        "published": not rec.published,
        "type": rec.names_inspection and not rec.inspection_type,
    }
    lines += [f"  not found: {k}; written as {MISSING[k]}" for k, v in missing.items() if v]
    lines.append("  written as a draft (draft: true): not published until an editor removes it")
    return lines
