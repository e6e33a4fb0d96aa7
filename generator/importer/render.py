"""Importer stage 3: the recognised notice -> Markdown that passes ``portal check``, and a report."""

from __future__ import annotations

import json
from pathlib import Path

from generator.content.placeholders import fill
from generator.content.schema import UNSTATED
from generator.i18n import Msg, m
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


def _lines(numbers: list[int]) -> list[str]:
    """``3, 5, 7-12`` (or 3、5、7-12): runs of consecutive line numbers shortened."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs]


def report(path: Path, cleaned: Cleaned, rec: Recognised, kept: Conservation) -> list[Msg]:
    """What the editor needs to know, with input line numbers."""
    kind = rec.kind or m("a text that is not a rectification notice")
    lines = [
        m(
            "{path}: imported as {kind} ({encoding})",
            path=path,
            kind=kind,
            encoding=cleaned.encoding,
        )
    ]
    if kept.missing:
        lost = "".join(sorted(kept.missing.elements()))
        lines.append(m(
            "  LOST: {n} of {total} Chinese characters and digits are not in the draft ({lost}); "
            "compare it with the source before publishing",
            n=sum(kept.missing.values()), total=kept.source, lost=lost[:60],
        ))  # fmt: skip
    else:
        lines.append(m("  kept: all {n} Chinese characters and digits of the text", n=kept.source))
    lines.append(m(
        "  found: categories {categories}, items {items}, phones {phones}, postal {postal}, "
        "emails {emails}, figures {figures}",
        categories=sum(b.kind == "h3" for b in rec.blocks), items=len(rec.items),
        phones=len(rec.phones), postal=len(rec.postal), emails=len(rec.emails),
        figures=len(rec.figures),
    ))  # fmt: skip
    meta = {"title": rec.title, "issuer": rec.issuer, "published": rec.published, "type": rec.inspection_type,
            "team": rec.team, "topic": rec.topic, "period": "/".join(rec.period or ()) or rec.period_text,
            "feedback": rec.feedback or rec.feedback_text}  # fmt: skip
    lines.append(
        m("  metadata: {fields}", fields=", ".join(f"{k}={v or '—'}" for k, v in meta.items()))
    )
    lines += [m("  guessed: {what}", what=g) for g in rec.guessed]
    if cleaned.furniture:
        lines.append(m(
            "  removed web-page furniture at lines {lines}",
            lines=_lines(cleaned.input_lines(cleaned.furniture)),
        ))  # fmt: skip
    if cleaned.pinyin or cleaned.converted:
        lines.append(m(
            "  repaired: {pinyin} pinyin groups removed, {converted} characters converted to simplified",
            pinyin=cleaned.pinyin, converted=cleaned.converted,
        ))  # fmt: skip
    if cleaned.front_date:
        lines.append(m(
            "  hint: the crawler's front matter says date {date} (often when the page was crawled, "
            "not published); not used",
            date=cleaned.front_date,
        ))  # fmt: skip
    if cleaned.images:
        lines.append(m(
            "  remote images turned into links to the original (the portal loads nothing from "
            "other sites) at lines {lines}",
            lines=_lines(cleaned.input_lines(cleaned.images)),
        ))  # fmt: skip
    if cleaned.markers:
        lines.append(m(
            "  removed the crawler's <!--more--> marker and joined the text at lines {lines}",
            lines=_lines(cleaned.input_lines(cleaned.markers)),
        ))  # fmt: skip
    if cleaned.punctuation:
        lines.append(m(
            "  repaired: {n} ASCII punctuation marks in Chinese text made full-width",
            n=cleaned.punctuation,
        ))  # fmt: skip
    if cleaned.joined:
        lines.append(m("  joined {n} lines broken mid-sentence", n=cleaned.joined))
    if cleaned.lost:
        lines.append(m(
            "  lost characters ('?') kept as written at lines {lines}",
            lines=[str(n) for n in cleaned.input_lines(cleaned.lost)],
        ))  # fmt: skip
    unstated = [i for i in rec.items if not i.status]
    if unstated:
        lines.append(m(
            "  status not stated for {n} items (未说明): {items}",
            n=len(unstated),
            items=[
                m("{label} (line {line})", label=i.label, line=cleaned.input_lines([i.line])[0])
                for i in unstated
            ],
        ))  # fmt: skip
    if rec.declared:
        done, ongoing = rec.declared
        counted = (
            sum(i.status in ("已完成", "长期坚持") for i in rec.items),
            sum(i.status == "推进中" for i in rec.items),
        )
        if (done + ongoing) != len(rec.items) or counted != (done, ongoing):
            lines.append(m(
                "  the notice declares {done} done and {ongoing} ongoing ({total} items); found "
                "{found} items, statuses read: {read_done} done, {read_ongoing} ongoing",
                done=done, ongoing=ongoing, total=done + ongoing, found=len(rec.items),
                read_done=counted[0], read_ongoing=counted[1],
            ))  # fmt: skip
    if not rec.kind:
        if rec.reading:
            lines.append(m(
                "  not a rectification notice: no numbered problems found; it reads as {reading}",
                reading=rec.reading,
            ))  # fmt: skip
        else:
            lines.append(m("  not a rectification notice: no numbered problems found"))
    missing = {
        "kind": not rec.kind,
        "title": not rec.title,
        "issuer": not rec.issuer,
        "published": not rec.published,
        "type": rec.names_inspection and not rec.inspection_type,
    }
    lines += [
        m("  not found: {field}; written as {placeholder}", field=k, placeholder=MISSING[k])
        for k, v in missing.items()
        if v
    ]
    lines.append(m("  written as a draft (draft: true): not published until an editor removes it"))
    return lines
