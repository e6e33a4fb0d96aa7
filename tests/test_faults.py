"""Fault injection (issue 7): a killed build, a full disk and a read-only output folder.

In every case the published site stays complete (the old one, or the new one once the swap is
done, never a mix), the exit code is non-zero, and the next build cleans up after the broken one.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.incremental.cache import CACHE_DIR
from generator.output.publish import WORK_DIR, replaced_dir
from tests.helpers import ROOT, notice, project_copy, tree_digest, write_tree

pytestmark = pytest.mark.slow

PORTAL = Path(sys.executable).parent / "portal"
KILL_TRIALS = int(os.environ.get("PORTAL_KILL_TRIALS", "20"))
"""20 in the suite; `make faults` runs more."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = project_copy(tmp_path / "project", content=False)
    write_tree(root, {"content/a.md": notice(), "content/b.md": notice(issuer="中共另一区委")})
    return root


def run_build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PORTAL), "build", "--as-of", "2026-11-22"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def leftovers(project: Path) -> list[str]:
    """What a build left in the work folder besides its lock, its cache and the site it
    replaced, and any temporary file a killed build left in those or in the site."""
    work = project / WORK_DIR
    kept = ("lock", CACHE_DIR, replaced_dir(project / "site").name)
    left = sorted(p.name for p in work.iterdir() if p.name not in kept)
    temporary = [*(work / CACHE_DIR).rglob(".tmp-*"), *project.glob("**/*.portal-tmp")]
    return left + sorted(str(p) for p in temporary)


def test_a_build_killed_at_any_moment_leaves_a_complete_site(project):
    """SIGKILL to the build and its Pagefind child at moments spread over a whole build."""
    versions, durations = {}, []
    # twice each: the trials' builds find both versions in the cache, so time those
    for version in ("A", "B", "A", "B"):
        write_tree(project, {"content/a.md": notice(title=f"版本{version}的通报")})
        started = time.perf_counter()
        assert run_build(project).returncode == 0
        durations.append(time.perf_counter() - started)
        assert versions.setdefault(version, tree_digest(project / "site")) == tree_digest(
            project / "site"
        )
    durations = durations[2:]
    assert versions["A"] != versions["B"]
    rng = random.Random(7)
    duration = 0.9 * min(durations)
    moments = [duration * (i + rng.random()) / KILL_TRIALS for i in range(KILL_TRIALS)]
    outcomes = {"old": 0, "new": 0, "finished first": 0}
    current = "B"
    for moment in moments:
        target = "A" if current == "B" else "B"
        write_tree(project, {"content/a.md": notice(title=f"版本{target}的通报")})
        proc = subprocess.Popen(
            [str(PORTAL), "build", "--as-of", "2026-11-22"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(moment)
        os.killpg(proc.pid, signal.SIGKILL)
        finished = proc.wait() == 0  # it may, on a quiet machine, beat a late kill
        published = tree_digest(project / "site")
        assert published in (versions[current], versions[target]), f"mixed site at {moment:.2f}s"
        if finished:
            outcomes["finished first"] += 1
        else:
            outcomes["old" if published == versions[current] else "new"] += 1
        done = run_build(project)
        assert done.returncode == 0, done.stderr
        assert tree_digest(project / "site") == versions[target]
        assert leftovers(project) == []
        current = target
    print(f"\nkilled {KILL_TRIALS} builds over {duration:.2f}s: {outcomes}")
    assert outcomes["old"] > 0  # some kills landed before the new site was published


def in_private_mount(scenario: str, project: Path, size: int) -> dict[str, object]:
    command = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    done = subprocess.run(
        [*command, sys.executable, "-m", "tests.faultbox", scenario, str(project),
         str(project / "out"), str(size)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def room_for_a_site_and_a_half(project: Path) -> int:
    """What a build keeps (the site and the cache) and half a site more."""
    assert run_build(project).returncode == 0
    site, cache = (
        sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        for folder in (project / "site", project / WORK_DIR / CACHE_DIR)
    )
    shutil.rmtree(project / "site")
    shutil.rmtree(project / WORK_DIR)
    return site + cache + site // 2


def test_a_full_disk_fails_cleanly_and_the_next_build_recovers(project):
    """Room for one build and half a site: the second build's staging fills the disk."""
    result = in_private_mount("full", project, room_for_a_site_and_a_half(project))
    assert result["first"] == 0
    assert result["failed"] == 1
    lines = str(result["message"]).strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], result["message"]
    assert result["unchanged"] is True
    assert result["left_after_failure"] == ["lock"]
    assert result["recovered"] == 0 and result["new_notice_published"] is True
    assert result["left_after_recovery"] == ["lock"]


def test_a_read_only_output_fails_cleanly_and_the_next_build_recovers(project):
    result = in_private_mount("readonly", project, 64 * 2**20)
    assert result["first"] == 0
    assert result["failed"] == 1
    lines = str(result["message"]).strip().splitlines()
    assert len(lines) == 1 and "Read-only file system" in lines[0], result["message"]
    assert result["unchanged"] is True
    assert result["recovered"] == 0 and result["new_notice_published"] is True
    assert result["left_after_recovery"] == ["lock"]
