"""``portal new``: a draft notice skeleton an editor fills in.

Every value the editor has not given is a placeholder (``content.placeholders``), never a
made-up one: the skeleton passes ``portal check`` as a draft, with a warning per placeholder,
and fails it, on each placeholder's line, once ``draft: true`` is removed too early.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from generator.content import ids
from generator.content.placeholders import write_in
from generator.content.schema import UNSTATED
from generator.errors import PortalError
from generator.i18n import m

_RECTIFICATION_BODY = f"""
根据统一部署，{write_in("开始时间")}至{write_in("结束时间")}，{write_in("巡视巡察组")}对{{issuer}}进行了{write_in("巡视或巡察")}。现将整改进展情况予以公布。

## 一、整改工作组织情况

{write_in("整改工作的组织、部署情况")}

## 二、整改落实情况

### {write_in("问题类别")}

#### 1.关于“{write_in("问题")}”问题的整改

```item
status: {UNSTATED}   # 选定：已完成、基本完成、推进中或长期坚持
deadline: {write_in("整改时限")}
owner: {write_in("责任单位")}
```

{write_in("已采取的措施、取得的成效和下一步计划")}

## 三、下一步工作

{write_in("下一步工作打算")}

欢迎广大干部群众对整改落实情况进行监督。
"""

_OTHER_BODY = f"""
{write_in("正文")}
"""


def new_notice(path: Path, title: str, issuer: str, kind: str, published: dt.date | None) -> None:
    """Write the draft skeleton; never overwrites an existing file."""
    if path.suffix != ".md":
        raise PortalError(m("{path}: a notice file name ends in .md", path=path))
    if not ids.is_id(path.stem):
        better = path.with_name(f"{ids.proposed(path.stem)}.md")
        raise PortalError(m(
            "{path}: the file name is the notice's id and address, so lower-case letters, "
            "digits and '-' only; for example {better}",
            path=path, better=better,
        ))  # fmt: skip
    front = [
        "---",
        "draft: true   # 草稿：不发布。填完所有（填写……）后删除本行",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"issuer: {json.dumps(issuer, ensure_ascii=False)}",
        f"published: {published.isoformat() if published else write_in('发布日期')}",
        f"kind: {kind}",
    ]
    if kind == "整改进展":
        front += [
            "inspection:",
            f"  type: {write_in('巡视或巡察')}",
            f"  team: {write_in('巡视巡察组')}",
            f"  period: [{write_in('开始日期')}, {write_in('结束日期')}]",
            f"  feedback: {write_in('反馈日期')}",
        ]
    front += [
        "contacts:   # 不设的渠道整行删除；都不设时用 portal.yml 的渠道",
        f"  phone: {{number: {write_in('电话号码')}, hours: {write_in('接听时间')}}}",
        f"  postal: {{address: {write_in('通信地址')}, recipient: {write_in('收信单位')},"
        f" postcode: {write_in('邮政编码')}}}",
        f"  email: {write_in('电子邮箱')}",
        "---",
    ]
    body = _RECTIFICATION_BODY if kind == "整改进展" else _OTHER_BODY
    text = "\n".join(front) + "\n" + body.format(issuer=issuer)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError as exc:
        raise PortalError(m("{path} exists; choose another name", path=path)) from exc
