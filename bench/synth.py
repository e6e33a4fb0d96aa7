"""Deterministic synthetic portals: ``python -m bench.synth N DIR [--seed S]``.

Realistic-looking notices (10-40 KB, 5-36 items, every status, channel kind and numbering
style, 200 issuers over 10 years) composed from phrase banks written for this project, so the
search recall test and the benchmarks run on portals of any size. The same N and seed give the
same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

PLACES = [
    "江滨",
    "青山",
    "临江",
    "东湖",
    "南溪",
    "北塘",
    "西岭",
    "白沙",
    "云岗",
    "石桥",
    "长亭",
    "梅林",
    "桃源",
    "凤鸣",
    "金港",
    "银河",
    "龙泉",
    "松涛",
    "柳营",
    "荷塘",
]
LEVELS = ["市", "区", "县"]
DEPTS = [
    "应急管理局",
    "工业和信息化局",
    "生态环境局",
    "交通运输局",
    "住房和城乡建设局",
    "市场监督管理局",
    "农业农村局",
    "自然资源局",
    "卫生健康委员会",
    "教育局",
]
STATUSES = ["已完成", "基本完成", "推进中", "长期坚持"]
STATUS_WORDS = {
    "已完成": "已完成整改并销号",
    "基本完成": "基本完成整改，剩余工作正在收尾",
    "推进中": "正在推进，已完成阶段性目标",
    "长期坚持": "长期坚持，持续巩固整改成效",
}
TOPICS = [
    "危险化学品",
    "安全生产",
    "消防安全",
    "道路运输",
    "建筑施工",
    "城镇燃气",
    "危险废物",
    "特种设备",
    "食品安全",
    "防汛抗旱",
    "矿山安全",
    "工贸行业",
    "油气管道",
    "旅游景区",
    "校园安全",
]
PROBLEMS = [
    "{t}专项整治推进不力",
    "{t}隐患排查不彻底",
    "{t}监管责任落实不到位",
    "{t}执法检查宽松软",
    "{t}风险分级管控缺位",
    "{t}应急预案演练流于形式",
    "{t}信息报送不及时",
    "{t}联合执法机制不健全",
    "{t}重大隐患挂牌督办执行不力",
    "{t}培训教育覆盖不全",
    "{t}台账管理不规范",
    "{t}举报奖励制度落实不够",
]
GENERAL = [
    "主要负责人履行第一责任人职责不到位",
    "落实一岗双责有缺位",
    "四风问题整治不彻底",
    "选人用人工作不够规范",
    "党建基础工作不够扎实",
    "财经制度执行不严",
    "固定资产管理不够规范",
    "干部队伍专业能力不足",
    "意识形态工作责任制落实不到位",
    "廉政风险防控机制不健全",
    "基层党组织作用发挥不充分",
    "为民办实事落实不到位",
]
MEASURES = [
    "组织{o}对全{lv}{n}家重点单位开展拉网式排查，发现问题{m}处，已整改{k}处",
    "制定印发《{t}专项整治工作方案》，明确责任分工、完成时限和工作要求",
    "建立问题清单、责任清单、整改清单，实行挂图作战、对账销号",
    "召开专题会议{c}次，听取整改进展汇报，研究解决重点难点问题",
    "对{c}名相关责任人进行约谈，对{d}起典型问题通报曝光",
    "开展{t}业务培训{c}期，累计培训{n}人次，覆盖率达到百分之百",
    "完善部门联动工作机制，与公安、市场监管等部门开展联合执法{c}次",
    "推行双随机一公开监管，立案查处违法违规行为{d}起，罚款{m}万元",
    "引入第三方专业机构开展技术服务，形成评估报告{c}份",
    "建设{t}风险监测预警信息化平台，已接入重点企业{n}家",
    "修订完善相关管理制度{c}项，推动整改成果制度化、长效化",
    "组织开展回头看，对已销号问题逐项复核，防止问题反弹回潮",
]
OPENINGS = [
    "按照{up}统一部署，{y}年{m1}月{d1}日至{m2}月{d2}日，{team}对{unit}开展了{kind}。{fy}年{fm}月{fd}日，{team2}向{unit}反馈了{kind2}意见。按照党务公开原则和{kind2}工作有关要求，现将{kind2}整改进展情况予以公布。",
]
ORGANISE = [
    "{unit}把{kind2}整改作为重大政治任务，成立整改工作领导小组，主要负责同志任组长，对反馈问题逐条制定整改措施，明确责任领导、责任部门和整改时限。",
    "坚持问题导向，建立整改台账，实行周调度、月通报制度，确保件件有着落、事事有回音。",
    "强化监督检查，纪检监察机构全程跟踪督导，对整改不力、敷衍塞责的严肃追责问责。",
]
NUMERALS = "一二三四五六七八九十"


def chinese(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def issuers(count: int = 200) -> list[str]:
    names = []
    for i in range(count):
        place = PLACES[i % len(PLACES)]
        level = LEVELS[(i // len(PLACES)) % len(LEVELS)]
        dept = DEPTS[(i // (len(PLACES) * len(LEVELS))) % len(DEPTS)]
        names.append(f"{place}{level}{dept}党组" if i % 7 else f"中共{place}{level}委")
    return names


def paragraph(rng: random.Random, topic: str, lv: str) -> str:
    picks = rng.sample(MEASURES, 3)
    parts = []
    for ordinal, template in zip("一二三", picks, strict=True):
        parts.append(
            f"{ordinal}是"
            + template.format(
                t=topic,
                lv=lv,
                o=rng.choice(["应急、消防、住建等部门", "行业主管部门", "各镇（街道）"]),
                n=rng.randint(12, 900),
                m=rng.randint(20, 400),
                k=rng.randint(10, 20),
                c=rng.randint(2, 12),
                d=rng.randint(1, 30),
            )  # fmt: skip
            + "。"
        )
    return "".join(parts)


def notice(rng: random.Random, number: int, issuer: str, year: int) -> tuple[str, str]:
    """(file name, text) of one synthetic notice."""
    kind = "巡视" if rng.random() < 0.4 else "巡察"
    up = "省委" if kind == "巡视" else "市委"
    team = f"{up}第{chinese(rng.randint(1, 12))}{kind}组"
    start = dt.date(year - 1, rng.randint(3, 9), rng.randint(1, 20))
    end = start + dt.timedelta(days=rng.randint(20, 60))
    feedback = end + dt.timedelta(days=rng.randint(20, 50))
    published = feedback + dt.timedelta(days=rng.randint(60, 120))
    style = number % 3
    lv = "市" if "市" in issuer else ("区" if "区" in issuer else "县")
    topic = rng.choice(TOPICS)
    n_items = rng.randint(5, 36)
    categories = rng.randint(2, 5)
    # A paragraph is about 450 bytes: size the narrative to a 10-40 KB notice.
    paragraphs = max(1, min(12, round(rng.randint(10500, 36000) / (n_items * 450))))
    lines = [
        "---",
        f"title: {issuer}关于{up}{kind}整改进展情况的通报（第{number}号）",
        f"issuer: {issuer}",
        f"published: {published.isoformat()}",
        "kind: 整改进展",
        "inspection:",
        f"  type: {kind}",
        f"  team: {team}",
        f"  topic: {topic}专项",
        f"  period: [{start.isoformat()}, {end.isoformat()}]",
        f"  feedback: {feedback.isoformat()}",
        "contacts:",
        f"  phone: {{number: 0{rng.randint(510, 599)}-{rng.randint(80000000, 89999999)}, hours: 工作日 8:30-17:30}}",
    ]
    if rng.random() < 0.7:
        lines.append(
            f'  postal: {{address: {issuer[:4]}人民路{rng.randint(1, 200)}号, recipient: 整改办, postcode: "{rng.randint(100000, 999999)}"}}'
        )
    if rng.random() < 0.7:
        lines.append(f"  email: zg{number}@example.org")
    lines.append(f"  until: {(published + dt.timedelta(days=rng.randint(15, 60))).isoformat()}")
    lines += ["---", ""]
    lines.append(
        OPENINGS[0].format(
            up=up,
            y=start.year,
            m1=start.month,
            d1=start.day,
            m2=end.month,
            d2=end.day,
            team=team,
            unit=issuer,
            kind=kind,
            fy=feedback.year,
            fm=feedback.month,
            fd=feedback.day,
            team2=f"{up}{kind}组",
            kind2=kind,
        )
    )
    lines += ["", "## 一、整改工作组织情况", ""]
    lines += [s.format(unit=issuer, kind2=kind) for s in ORGANISE]
    lines += ["", "## 二、整改落实情况", ""]
    item = 0
    per = max(1, n_items // categories)
    for c in range(1, categories + 1):
        cat_topic = rng.choice(TOPICS)
        lines += [f"### （{chinese(c)}）落实{cat_topic}工作要求不到位", ""]
        count = per if c < categories else n_items - item
        for _ in range(count):
            item += 1
            problem = (
                rng.choice(PROBLEMS).format(t=cat_topic)
                if rng.random() < 0.7
                else rng.choice(GENERAL)
            )
            status = rng.choice(STATUSES)
            heading = {
                0: f"#### {item}.关于“{problem}”问题的整改",
                1: f"#### （{chinese(item)}）关于“{problem}”问题整改",
                2: f"#### {item}.针对“{problem}”问题",
            }[style]
            lines += [heading, "", "```item", f"status: {status}"]
            if status != "长期坚持":
                day = published + dt.timedelta(days=rng.randint(-120, 400))
                # deadlines answer the feedback: never before it
                lines.append(f"deadline: {max(day, feedback + dt.timedelta(days=1)).isoformat()}")
            lines += [
                f"owner: {issuer[:3]}{rng.choice(['应急局', '工信局', '住建局', '交通局', '生态环境局', '市场监管局'])}",
                "```",
                "",
            ]
            for _ in range(paragraphs):
                lines += [paragraph(rng, cat_topic, lv), ""]
            lines += [f"目前，该问题{STATUS_WORDS[status]}。", ""]
    lines += [
        "## 三、下一步工作打算",
        "",
        "坚持目标不变、标准不降、力度不减，持续巩固整改成果，推动建立长效机制。",
        "",
        "欢迎广大干部群众对整改落实情况进行监督。",
        "",
    ]
    return f"{year}/n{number:05d}.md", "\n".join(lines)


def generate(count: int, root: Path, seed: int = 1) -> list[Path]:
    """Write ``count`` notices under ``root`` (sub-folders per year); returns their paths."""
    rng = random.Random(seed)
    names = issuers()
    written = []
    for number in range(1, count + 1):
        issuer = names[(number * 37) % len(names)]
        year = 2016 + (number % 10)
        name, text = notice(rng, number, issuer, year)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.count, args.root, args.seed)
    print(f"wrote {len(paths)} notices under {args.root}")


if __name__ == "__main__":
    main()
