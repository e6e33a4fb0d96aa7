"""``portal new``: a notice skeleton an editor fills in; it passes ``portal check`` as written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from generator.errors import PortalError

_RECTIFICATION_BODY = """
根据统一部署，（填写时间）至（填写时间），{team}对{issuer_short}进行了{type}。现将{type}整改进展情况予以公布。

## 一、整改工作组织情况

（填写整改工作的组织、部署情况。）

## 二、整改落实情况

### （一）（填写问题类别）

#### 1.关于“（填写问题）”问题的整改

```item
status: 推进中
deadline: {deadline}
owner: （填写责任单位）
```

（填写已采取的措施、取得的成效和下一步计划。）

## 三、下一步工作

（填写下一步工作打算。）

欢迎广大干部群众对整改落实情况进行监督。
"""

_OTHER_BODY = """
（填写正文。）
"""


def new_notice(path: Path, title: str, issuer: str, kind: str, published: dt.date | None) -> None:
    """Write the skeleton; never overwrites an existing file."""
    if path.suffix != ".md":
        raise PortalError(f"{path}: a notice file name ends in .md")
    day = published or dt.date.today()
    front = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"issuer: {json.dumps(issuer, ensure_ascii=False)}",
        f"published: {day.isoformat()}",
        f"kind: {kind}",
    ]
    if kind == "整改进展":
        front += [
            "inspection:",
            "  type: 巡察            # 巡视 or 巡察",
            "  team: 市委第一巡察组   # the inspection team",
            f"  period: [{day.isoformat()}, {day.isoformat()}]   # first and last day",
            f"  feedback: {day.isoformat()}",
        ]
    front += [
        "contacts:",
        '  phone: {number: "0000-00000000", hours: 工作日 8:30-17:30}',
        "  email: feedback@example.org",
        "---",
    ]
    body = _RECTIFICATION_BODY if kind == "整改进展" else _OTHER_BODY
    text = (
        "\n".join(front)
        + "\n"
        + body.format(
            team="（巡察组）",
            issuer_short=issuer,
            type="巡察",
            deadline=(day + dt.timedelta(days=90)).isoformat(),
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError as exc:
        raise PortalError(f"{path} exists; choose another name") from exc
