"""Test helpers: temp-dir builders and a notice template (STYLE.md 15)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 22)
"""Fixed build date so overdue and golden files do not move with the calendar."""

FRONT = """---
title: {title}
issuer: {issuer}
published: {published}
kind: 整改进展
inspection:
  type: 巡视
  team: 省委第一巡视组
  period: [2020-08-30, 2020-09-29]
  feedback: 2020-11-06
contacts:
  phone: {{number: 0510-12345678, hours: 工作日}}
  postal: {{address: 某市某路8号, recipient: 区委巡察办, postcode: "010010"}}
  email: feedback@example.org
---
"""

ITEM = """
#### {number}.关于“{problem}”问题的整改

```item
status: {status}
deadline: {deadline}
owner: 区工信局
```

{text}
"""


def notice(
    title: str = "测试区委关于巡视整改进展情况的通报",
    issuer: str = "中共测试区委",
    published: str = "2021-02-05",
    items: tuple[tuple[str, str], ...] = (("已完成", "2021-01-31"), ("推进中", "2021-06-30")),
    text: str = "一是……二是……",
) -> str:
    """A valid notice; ``items`` are (status, deadline) pairs."""
    body = "\n## 二、整改落实情况\n\n### （一）问题类别\n"
    for n, (status, deadline) in enumerate(items, 1):
        body += ITEM.format(
            number=n, problem=f"第{n}个问题", status=status, deadline=deadline, text=text
        )
    return FRONT.format(title=title, issuer=issuer, published=published) + body


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``base``; returns ``base``."""
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return base


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (and its bytes' hash): equal digests mean identical trees."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def project_copy(root: Path, content: bool = True) -> Path:
    """A project folder like the repository's: its configuration, settings and theme, and
    (with ``content``) the example notices; returns ``root``."""
    if content:
        shutil.copytree(ROOT / "content", root / "content")
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "portal.yml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "theme", root / "theme")
    return root


def build_synthetic(
    root: Path, notices: int, seed: int, prepare: Callable[[Path], None] | None = None
) -> Path:
    """A synthetic portal of ``notices`` (``bench/synth.py``) built under ``root`` (its content
    changed by ``prepare`` first, if given); its site."""
    from bench import synth
    from generator.commands.build import BuildOptions, build

    synth.generate(notices, root / "content", seed=seed)
    if prepare is not None:
        prepare(root / "content")
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "theme", root / "theme")
    build(BuildOptions(root / "content", root / "site", root / "mkdocs.yml", AS_OF))
    return root / "site"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now (for a `portal serve` under test)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], object], seconds: float = 60.0) -> bool:
    """Whether ``predicate`` came true within ``seconds`` (asked five times a second)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def import_text(path: Path) -> tuple[str, list[str]]:
    """``portal import`` of one file: the draft and its report as the editor reads it."""
    from generator.importer.run import import_file

    draft, report = import_file(path)
    return draft, [str(line) for line in report]


def bundle_files(site: Path) -> dict[str, bytes]:
    """A built site's search bundle: its files by path inside ``pagefind/``."""
    folder = site / "pagefind"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
