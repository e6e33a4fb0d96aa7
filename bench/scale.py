"""Scale benchmark (``make bench``): full builds of synthetic portals against plain mkdocs-material.

For each N, builds N synthetic notices with ``portal build`` (a fresh process, as an editor runs
it) and reports time per stage, notices per second, peak memory of the whole process tree, output
size, search-index size and what a first search downloads. The same notices are then built by
plain mkdocs-material (the notice files as docs, notices out of the navigation, Material's
search off), and our time is given as a ratio of that baseline's, for a cold build, a warm
build (nothing changed) and a build after one edit. Writes bench/results/scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import synth

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "scale.md"
BIN = Path(sys.executable).parent
STAGES = ("check", "generate", "engine", "index", "publish")


@dataclass
class Run:
    seconds: float
    peak_rss: int
    stages: dict[str, float] = field(default_factory=dict)


def tree_rss(root_pid: int) -> int:
    """Resident bytes of a process and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def timed(command: list[str], cwd: Path) -> tuple[Run, str]:
    """Run ``command``, sampling the memory of its process tree every 50 ms."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    return Run(seconds, peak), stderr


def our_build(content: Path, work: Path) -> Run:
    for name in ("mkdocs.yml", "portal.yml"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "theme", work / "theme", dirs_exist_ok=True)
    command = [str(BIN / "portal"), "build", "--as-of", "2026-11-22", "--content", str(content)]
    run, stderr = timed(command, work)
    for stage in STAGES:
        match = re.search(rf"{stage} ([0-9.]+)s", stderr)
        run.stages[stage] = float(match[1]) if match else float("nan")
    match = re.search(r"beside the others\) ([0-9.]+)s", stderr)
    run.stages["pagefind"] = float(match[1]) if match else float("nan")
    return run


BASELINE_CONFIG = """site_name: baseline
site_url: https://portal.example.org/
theme:
  name: material
  language: zh
  font: false
plugins: []
nav:
  - index.md
not_in_nav: |
  /notices/**
"""


def baseline_build(content: Path, work: Path) -> Run:
    """Plain mkdocs-material over the same notice files."""
    docs = work / "docs"
    shutil.copytree(content, docs / "notices")
    (docs / "index.md").write_text("# baseline\n", encoding="utf-8")
    (work / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    run, _ = timed([str(BIN / "mkdocs"), "build", "-q", "-d", str(work / "site")], work)
    return run


def edit_to_preview(content: Path, work: Path) -> tuple[float, float]:
    """Seconds from saving a changed notice to the served preview showing it (``portal serve``)
    on its page, in its year's listing and in the search index merged for the first pass
    (``pagefind/preview/``), and to the whole search index having it (the second pass)."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(BIN / "portal"), "serve", "--as-of", "2026-11-22", "--content", str(content),
               "--port", str(port)]  # fmt: skip
    log_path = work / "serve.log"  # a file, not a pipe: the server logs every request
    log = log_path.open("w")
    proc = subprocess.Popen(command, cwd=work, stderr=log, text=True)
    try:
        while "preview on" not in log_path.read_text(encoding="utf-8", errors="replace"):
            if proc.poll() is not None:
                raise SystemExit(f"portal serve stopped:\n{log_path.read_text()}")
            time.sleep(0.2)
        while "search updated" not in log_path.read_text(encoding="utf-8", errors="replace"):
            time.sleep(0.2)  # the first build's second message
        searched = log_path.read_text(encoding="utf-8", errors="replace").count("search updated")
        marker = f"预览里的新标题{time.time_ns() % 10**6}"  # a change whatever the title was
        started = time.perf_counter()
        target = edit_one(content, marker)
        base = f"http://127.0.0.1:{port}/"
        year = re.search(r"^published: (\d{4})", target.read_text(encoding="utf-8"), re.M)
        assert year, target
        shown = [f"{base}notices/{target.stem}/", f"{base}years/{year[1]}/"]
        preview_index = f"{base}pagefind/preview/preview.json"
        page = 0.0
        while True:
            try:
                if not page:
                    # the small file first: polling big pages would slow the server's build
                    with urllib.request.urlopen(preview_index, timeout=10) as response:
                        indexed = json.loads(response.read())["index"]
                    texts = []
                    for url in shown if indexed else []:
                        with urllib.request.urlopen(url, timeout=10) as response:
                            texts.append(response.read().decode("utf-8"))
                    if texts and all(marker in t for t in texts):
                        page = time.perf_counter() - started
                text = log_path.read_text(encoding="utf-8", errors="replace")
                if page and text.count("search updated") > searched:
                    return page, time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def first_search_bytes(site: Path) -> str:
    """Bytes and time of a first broad query, in headless Chromium (bench/search_cost.py)."""
    from playwright.sync_api import sync_playwright

    from bench import search_cost

    with sync_playwright() as p, search_cost.serve(site) as base:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=search_cost.CHROMIUM_ARGS
        )
        got, _ = search_cost.first_query(browser, base, "整改")
        browser.close()
    return f"{got.total / 1e3:.0f} KB, {got.requests} req, {got.seconds:.1f} s"


def edit_one(content: Path, marker: str) -> Path:
    """Change the title of the first notice; the file changed."""
    target = sorted(content.rglob("*.md"))[0]
    text = target.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    target.write_text(text.replace(title, f"title: {marker}", 1), encoding="utf-8")
    return target


def row(n: int, runs: dict[str, Run], base: Run, site: Path, preview: tuple[float, float]) -> str:
    ours = runs["cold"]
    size, files = folder_size(site)
    index, _ = folder_size(site / "pagefind")
    stages = " | ".join(f"{ours.stages[s]:.1f}" for s in (*STAGES, "pagefind"))
    warm, edited = runs["warm"], runs["one edit"]
    return (
        f"| {n:,} | {stages} | {ours.seconds:.1f} | {n / ours.seconds:.0f} | "
        f"{ours.seconds / n * 1e3:.1f} | {ours.peak_rss / 2**20:.0f} | {size / 1e6:.0f} / {files:,} | "
        f"{index / 1e6:.1f} | {first_search_bytes(site)} | {base.seconds:.1f} | "
        f"{base.peak_rss / 2**20:.0f} | **{ours.seconds / base.seconds:.2f}** | "
        f"{warm.seconds:.1f} | **{warm.seconds / base.seconds:.2f}** | "
        f"{edited.seconds:.1f} ({edited.stages['index']:.1f}) | "
        f"**{edited.seconds / base.seconds:.2f}** | {edited.peak_rss / 2**20:.0f} | "
        f"{preview[0]:.1f} ({preview[1]:.1f}) |"
    )


HEADER = [
    "| N | check s | generate s | engine s | index s | publish s | Pagefind s (beside the others) "
    "| cold total s | notices/s | ms/notice "
    "| peak RSS MB | output MB / files | index MB | first search (整改) | baseline s "
    "| baseline RSS MB | cold ratio | warm s | warm ratio | one edit s (index wait) "
    "| one edit ratio | one edit peak RSS MB | edit to page, listing and search s (whole index) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:"
    "|---:|---:|---:|---:|---:|",
]


def previous_rows() -> dict[int, str]:
    """Rows of the results table for sizes this run does not measure (10,000 runs apart)."""
    if not RESULTS.is_file():
        return {}
    rows = {}
    for line in RESULTS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| ([0-9,]+) \|", line)
        if match and line.count("|") == HEADER[0].count("|"):
            rows[int(match[1].replace(",", ""))] = line
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    args = parser.parse_args()
    lines = [
        "# Scale",
        "",
        f"Measured by `make bench` (bench/scale.py) on this machine ({os.cpu_count()} cores), "
        "synthetic portals from bench/synth.py. *ratio* = our full build (check, generate, "
        "engine, Pagefind index, publish) / plain mkdocs-material over the same notice files "
        "(notices out of the navigation, search off, no index). *cold*: `portal build` with an "
        "empty cache (the stage columns are this build's); *warm*: the same build again, "
        "nothing changed (every notice and index shard from `.portal/cache`); *one edit*: "
        "then one notice's title changed (one notice re-rendered, one index shard re-indexed, "
        "the shards merged again). The output is the same with or without the cache (tests). "
        "Peak RSS is the whole process tree (Pagefind included), sampled every 50 ms. "
        "*edit to preview*: `portal serve` running, one notice saved, until the served notice "
        "page and its year's listing show the change and the preview's search has it (the "
        "first pass: the changed notice indexed on its own and merged by the search page); in "
        "brackets: until the whole search index has it (the second pass).",
        "",
        *HEADER,
    ]
    rows = previous_rows()
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp).absolute()
            synth.generate(n, work / "content")
            (work / "ours").mkdir()
            runs = {"cold": our_build(work / "content", work / "ours")}
            runs["warm"] = our_build(work / "content", work / "ours")
            edit_one(work / "content", "一次修改后的标题")
            runs["one edit"] = our_build(work / "content", work / "ours")
            (work / "base").mkdir()
            base = baseline_build(work / "content", work / "base")
            preview = edit_to_preview(work / "content", work / "ours")
            rows[n] = row(n, runs, base, work / "ours" / "site", preview)
            print(rows[n], flush=True)
    lines += [rows[n] for n in sorted(rows)]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
