"""(Stage 4, generate) Open data of the portal: ``notices.json``, ``items.csv``, the Atom feed and the JSON Schemas.

The supervisory office loads these into its own spreadsheets and reports; the CSV carries a
BOM because Excel otherwise misreads UTF-8 Chinese.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from generator import i18n
from generator.content import schema
from generator.content.history import problem_key
from generator.content.model import Item, Notice, Portal, is_latest
from generator.content.schema import PartialDate
from generator.site.files import OutputFile, Site, bytes_of
from generator.site.urls import item_url, notice_url

FEED_ENTRIES = 50
CSV_COLUMNS = (
    ("通报编号", "通报在本网站的编号（网址中的名称）"), ("通报标题", "通报的标题"),
    ("发布单位", "发布通报的单位"), ("发布日期", "年-月-日；原文只写到月的为年-月"),
    ("巡视巡察", "巡视或巡察"), ("巡视巡察组", "开展巡视巡察的组"),
    ("事项序号", "事项在通报中的顺序号（数字，便于排序）"), ("事项编号", "通报原文的编号，如 1 或（一）"),
    ("问题类别", "事项所属的问题类别"), ("问题", "巡视巡察指出的问题"),
    ("整改状态", "已完成、基本完成、推进中、长期坚持或未说明"),
    ("状态截至", "整改状态所对应的日期（通报日期，或事项另注的日期）"),
    ("整改时限", "承诺完成的日期"), ("完成时间", "实际完成的日期"),
    ("责任单位", "多个单位以“；”分隔"), ("逾期", "是：截至状态日期已过整改时限而未完成"),
    ("逾期未报", "是：状态日期时未完成、整改时限其后已过，且此后未见进展通报"),
    ("链接", "该事项在本网站的网址"),
)  # fmt: skip
"""``items.csv``'s columns: Chinese headers (the file is opened in Excel or WPS), and what
each holds, for the open-data page. ``notices.json`` keeps its stable English keys."""


JOINED = ("data/notices.json", "data/items.csv")
"""The data files joined from every notice's parts: 175 MB at 10,000 notices."""


def data_files(
    portal: Portal, site: Site, json_entries: list[str | Path], csv_rows: list[str | Path]
) -> list[OutputFile]:
    """The data files; ``json_entries`` and ``csv_rows`` are each notice's ``notice_json`` and
    ``notice_csv`` (or files holding them), in the portal's order, joined when written."""

    def notices() -> bytes:
        return notices_json(portal, [bytes_of(e) for e in json_entries])

    def items() -> bytes:
        return items_csv([bytes_of(r) for r in csv_rows])

    return [
        OutputFile("data/notices.json", make=notices),
        OutputFile("data/items.csv", make=items),
        OutputFile("data/problems.json", make=lambda: problems_json(portal)),
        OutputFile("data/history.csv", make=lambda: history_csv(portal, site.url)),
        OutputFile("data/notice.schema.json", _json(json_schema("notice", "zh"))),
        OutputFile("data/item.schema.json", _json(json_schema("item", "zh"))),
        OutputFile("feed.xml", atom_feed(portal, site).encode()),
    ]


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def json_schema(which: str, language: str | None = None) -> dict[str, Any]:
    """JSON Schema (2020-12) of the front matter (``notice``) or of an ``item`` block, its
    descriptions in ``language`` (default: the current one)."""
    spec = schema.NOTICE if which == "notice" else schema.ITEM
    title = "整改通报 front matter" if which == "notice" else "整改事项 item block"
    with i18n.speaking(language or i18n.language()):
        fields = spec.json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **fields}


def item_record(notice: Notice, item: Item) -> dict[str, Any]:
    return {
        "number": item.number,
        "label": item.label,
        "category": item.category,
        "problem": item.problem,
        "heading": item.heading,
        "status": item.status,
        "status_as_of": _partial(item.status_as_of) or None,
        "deadline": _iso(item.deadline),
        "completed": _iso(item.completed),
        "owners": list(item.owners),
        "overdue": item.overdue,
        "unreported": item.unreported,
        "url": item_url(notice.id, item.anchor),
        **_history_fields(item),
    }


def _history_fields(item: Item) -> dict[str, Any]:
    """What an item's report adds to its problem's history (``content.history``)."""
    h = item.history
    later = h.later if h else None
    return {
        "problem_id": problem_key(item),
        "round": h.round_id if h else None,
        "follows": item.follows or None,
        "deadline_was": _iso(h.deadline_was) if h else None,
        "deadline_reason": item.deadline_reason or None,
        "closed": _iso(item.closed) or (True if item.closed_undated else None),
        "evidence": item.evidence or None,
        "note": item.note or None,
        "later": item_url(later.notice_id, later.anchor) if later else None,
    }


HISTORY_COLUMNS = (
    ("问题编号", "问题在本网站的编号：首次报告它的通报编号-事项序号"),
    ("轮次", "整改轮次的编号（其首份通报的编号）；只有一份通报的为空"),
    ("发布单位", "发布通报的单位"), ("通报编号", "报告此次进展的通报"),
    ("通报日期", "该通报的发布日期"), ("事项编号", "该通报中的编号"), ("问题", "问题简称"),
    ("整改状态", "此次报告的状态"), ("状态截至", "此次报告的状态所对应的日期"),
    ("整改时限", "此次报告时的整改时限（未写明的沿用前次）"),
    ("原定时限", "与首次报告的时限不同时，首次报告的时限"), ("调整理由", "时限调整的理由"),
    ("完成时间", "实际完成的日期"), ("销号日期", "问题销号的日期；“是”表示已销号而未写日期"),
    ("销号依据", "销号所依据的文件或说明"), ("说明", "此次报告的说明"),
    ("最新", "是：这是该问题最近一次报告"), ("链接", "此次报告在本网站的网址"),
)  # fmt: skip
"""``history.csv``: one row per report of each problem, oldest first within a problem."""


def problems_json(portal: Portal) -> bytes:
    """``problems.json``: every problem once, with its latest status and every report on it."""
    rounds = {
        p.latest.notice_id + "#" + p.latest.anchor: p for r in portal.rounds for p in r.problems
    }
    by_id = {n.id: n for n in portal.notices}
    out = []
    for notice in portal.notices:
        for item in notice.items:
            if not is_latest(item):
                continue
            problem = rounds.get(item.notice_id + "#" + item.anchor)
            reports = problem.reports if problem else (item,)
            record = item_record(notice, item)
            record["issuer"] = notice.issuer
            record["reports"] = [
                {"notice": r.notice_id, "published": _partial(by_id[r.notice_id].published),
                 **item_record(by_id[r.notice_id], r)} for r in reports
            ]  # fmt: skip
            out.append(record)
    return _json({"as_of": portal.as_of.isoformat(), "problems": out})


def history_csv(portal: Portal, base: str = "") -> bytes:
    """``history.csv`` (``HISTORY_COLUMNS``), UTF-8 with a BOM, links absolute below ``base``."""
    by_id = {n.id: n for n in portal.notices}
    in_round = {
        (i.notice_id, i.number) for r in portal.rounds for p in r.problems for i in p.reports
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(name for name, _ in HISTORY_COLUMNS)

    def row(item: Item) -> None:
        n = by_id[item.notice_id]
        h = item.history
        writer.writerow([
            problem_key(item), h.round_id if h else "", _cell(n.issuer), n.id, _partial(n.published),
            _cell(item.label), _cell(item.problem), item.status, _partial(item.status_as_of),
            _iso(item.deadline) or "", _iso(h.deadline_was) if h else "",
            _cell(item.deadline_reason), _iso(item.completed) or "",
            _iso(item.closed) or ("是" if item.closed_undated else ""), _cell(item.evidence),
            _cell(item.note), "是" if is_latest(item) else "否", base + item_url(n.id, item.anchor),
        ])  # fmt: skip

    for r in portal.rounds:
        for p in r.problems:
            for item in p.reports:
                row(item)
    for notice in portal.notices:
        for item in notice.items:
            if (item.notice_id, item.number) not in in_round:
                row(item)
    return out.getvalue().encode("utf-8-sig")


def notice_record(notice: Notice) -> dict[str, Any]:
    ins = notice.inspection
    contacts = notice.contacts
    return {
        "id": notice.id,
        "title": notice.title,
        "issuer": notice.issuer,
        "published": notice.published.iso() if notice.published else None,
        "kind": notice.kind,
        "summary": notice.summary,
        "source": notice.source,
        "doc_no": notice.doc_no,
        "index_no": notice.index_no,
        "url": notice_url(notice.id),
        "inspection": None if ins is None else {
            "type": ins.type, "team": ins.team, "round": ins.round, "topic": ins.topic,
            "start": _iso(ins.start), "end": _iso(ins.end), "feedback": _iso(ins.feedback),
            "period_text": ins.period_text, "feedback_text": ins.feedback_text,
        },
        "contacts": {
            "phone": [vars(p) for p in contacts.phones],
            "postal": [vars(p) for p in contacts.postal],
            "email": list(contacts.emails),
            "web": contacts.web,
            "until": _iso(contacts.until),
            "closed": contacts.closed,
        },
        "figures": [vars(f) for f in notice.figures],
        "follows": notice.follows or None,
        "round": notice.round_id or None,
        "progress": {"total": notice.progress.total, "overdue": notice.progress.overdue, "unreported": notice.progress.unreported, **dict(notice.progress.counts)},
        "items": [item_record(notice, item) for item in notice.items],
    }  # fmt: skip


def notice_json(notice: Notice) -> str:
    """The notice's entry of ``notices.json``, indented for its place in the file."""
    text = json.dumps(notice_record(notice), ensure_ascii=False, indent=1)
    return "\n".join("  " + line for line in text.split("\n"))


def notices_json(portal: Portal, entries: list[bytes]) -> bytes:
    """``{"as_of": …, "notices": [...]}`` laid out as ``json.dumps(indent=1)`` would; the
    entries are each notice's ``notice_json``, UTF-8 (joined as bytes: 10,000 notices make
    100 MB)."""
    head = json.dumps(portal.as_of.isoformat())
    notices = b"[\n" + b",\n".join(entries) + b"\n ]" if entries else b"[]"
    return f'{{\n "as_of": {head},\n "notices": '.encode() + notices + b"\n}\n"


def items_csv(rows: list[bytes]) -> bytes:
    """UTF-8 with a byte-order mark (for spreadsheet programs); the rows are ``notice_csv``."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(name for name, _ in CSV_COLUMNS)
    return out.getvalue().encode("utf-8-sig") + b"".join(rows)


def notice_csv(notice: Notice, base: str = "") -> str:
    """The notice's rows of ``items.csv`` (links absolute below ``base``, the site's address,
    so that they can be clicked in a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    ins = notice.inspection
    for item in notice.items:
        writer.writerow([
            notice.id, _cell(notice.title), _cell(notice.issuer), _partial(notice.published),
            ins.type if ins else "", _cell(ins.team) if ins else "",
            item.number, _cell(item.label), _cell(item.category), _cell(item.problem), item.status,
            _partial(item.status_as_of), _iso(item.deadline) or "", _iso(item.completed) or "",
            _cell("；".join(item.owners)), "是" if item.overdue else "否",
            "是" if item.unreported else "否", base + item_url(notice.id, item.anchor),
        ])  # fmt: skip
    return out.getvalue()


def _partial(date: PartialDate | None) -> str:
    return date.iso() if date else ""


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with = + - @."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def atom_feed(portal: Portal, site: Site) -> str:
    base = site.url or ""
    updated = f"{portal.as_of.isoformat()}T00:00:00+08:00"
    entries = []
    for notice in [n for n in portal.notices if n.published][:FEED_ENTRIES]:
        link = base + notice_url(notice.id)
        published = notice.published
        assert published is not None
        day = f"{published.year:04d}-{published.month:02d}-{published.day or 1:02d}T00:00:00+08:00"
        summary = (
            notice.summary
            or f"{notice.issuer}，整改事项{notice.progress.total}项，已完成{notice.progress.done}项。"
        )
        entries.append(
            "  <entry>\n"
            f"    <title>{xml_escape(notice.title)}</title>\n"
            f"    <id>{xml_escape(_entry_id(base, notice))}</id>\n"
            f'    <link rel="alternate" type="text/html" href="{xml_escape(link, {chr(34): "&quot;"})}"/>\n'
            f"    <updated>{day}</updated>\n"
            f"    <author><name>{xml_escape(notice.issuer)}</name></author>\n"
            f"    <summary>{xml_escape(summary)}</summary>\n"
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">\n'
        f"  <title>{xml_escape(site.name)}</title>\n"
        f"  <id>{xml_escape(base or 'urn:portal:' + site.name)}</id>\n"
        f'  <link rel="self" href="{xml_escape(base)}feed.xml"/>\n'
        f"  <updated>{updated}</updated>\n" + "".join(entries) + "</feed>\n"
    )


def _entry_id(base: str, notice: Notice) -> str:
    return base + notice_url(notice.id) if base else f"urn:portal:notice:{notice.id}"
