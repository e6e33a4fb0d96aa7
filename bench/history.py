"""The cost of following problems across notices (issue 16): ``python -m bench.history [N ...]``.

Synthetic archives (``bench.synth``, seed 3) in which every third notice is a follow-up of the
notice before it (``follows:``, the same item numbers, statuses moved on, a third of the
deadlines revised). Measured for each N: stages 1-4 for every notice (check, model, render:
what a build does before its listings) with the follow-ups linked, and on the same files with
the ``follows:`` lines removed (each notice alone); ``trace()`` on its own; and the round
pages. The history must cost time linear in the archive: the per-notice figures stay flat.
Writes ``bench/results/history.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import generate
from generator.content.history import trace
from generator.read.notices import read_notices
from generator.site.files import Site
from generator.site.notice import render

AS_OF = dt.date(2026, 11, 22)
RESULTS = Path(__file__).parent / "results" / "history.md"
SETTINGS = Path(__file__).resolve().parent.parent / "portal.yml"
SITE = Site("基准", "https://portal.example.org/")


def follow_ups(paths: list[Path]) -> int:
    """Every third notice rewritten as a follow-up of the one before it; returns how many."""
    made = 0
    for k in range(2, len(paths), 3):
        earlier, target = paths[k - 1], paths[k]
        text = earlier.read_text(encoding="utf-8")
        published = re.search(r"^published: (\d{4}-\d{2}-\d{2})$", text, re.M)
        assert published is not None
        day = dt.date.fromisoformat(published[1]) + dt.timedelta(days=200)
        text = text.replace(published[0], f"published: {min(day, AS_OF).isoformat()}", 1)
        text = text.replace("kind: 整改进展\n", f"kind: 整改进展\nfollows: {earlier.stem}\n", 1)
        text = re.sub(r"^title: (.*)$", r"title: \1（续报）", text, count=1, flags=re.M)
        text = text.replace("status: 推进中", "status: 已完成").replace(
            "status: 基本完成", "status: 推进中"
        )
        text = re.sub(r"^  until: .*\n", "", text, flags=re.M)
        target.write_text(text, encoding="utf-8")
        made += 1
    return made


def unlinked(root: Path) -> None:
    for path in root.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^follows: .*\n", "", text, flags=re.M), encoding="utf-8")


def stages(root: Path) -> tuple[float, object]:
    start = time.perf_counter()
    reading = read_notices([root], AS_OF, SETTINGS, SITE)
    seconds = time.perf_counter() - start
    assert reading.portal is not None, reading.problems[:3]
    return seconds, reading.portal


def measure(n: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        paths = generate(n, root, seed=3)
        made = follow_ups(paths)
        linked, portal = stages(root)
        start = time.perf_counter()
        again = trace(portal.notices, AS_OF)  # type: ignore[attr-defined]
        traced = time.perf_counter() - start
        start = time.perf_counter()
        for r in again.rounds:
            render(f"rounds/{r.id}.md", r.name, "round.html.j2", portal=portal, as_of=AS_OF,
                   site=SITE, round=r, notices_by_id={x.id: x for x in r.notices},
                   problems_by_id={p.id: p for p in r.problems})  # fmt: skip
        pages = time.perf_counter() - start
        problems = len(portal.problems)  # type: ignore[attr-defined]
        items = len(portal.items)  # type: ignore[attr-defined]
        unlinked(root)
        alone, _ = stages(root)
    per = 1000 / n
    return (
        f"| {n:,} | {made:,} | {len(again.rounds):,} | {items:,} / {problems:,} | "
        f"{alone:.1f} s | {linked:.1f} s | {linked - alone:+.1f} s | {traced:.2f} s "
        f"({traced * per * 1000:.0f} ms per 1,000) | {pages:.1f} s ({pages * per:.2f} s per 1,000) |"
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    rows = [measure(n) for n in sizes]
    RESULTS.write_text(
        "# The history's cost (`make bench`: `python -m bench.history`)\n\n"
        f"{__doc__.split(chr(10), 2)[2]}\n"
        'Two cores; stages 1-4 in worker processes, no cache. "alone": the same files without '
        "their `follows:` lines.\n\n"
        "| notices | follow-ups | rounds | items / problems | stages 1-4 alone | with history "
        "| difference | trace() alone | round pages |\n|---|---|---|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
