"""Run builds against a small tmpfs that fills up or turns read-only (issue 7, faults).

Run as ``unshare --mount python -m tests.faultbox SCENARIO PROJECT MOUNT SIZE``: the mount
exists only in that private mount namespace and vanishes with it, so everything is measured
here and printed as one JSON object for the test to check.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import notice, tree_digest, write_tree


def portal_build(project: Path, site: Path) -> tuple[int, str]:
    portal = Path(sys.executable).parent / "portal"
    done = subprocess.run(
        [str(portal), "build", "--as-of", "2026-11-22", "--site", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stderr


def leftovers(where: Path) -> list[str]:
    """The work folder's entries but the cache and the replaced site (kept on purpose), and
    the temporary files of the cache, the site and the replaced site."""
    work = where / ".portal"
    left = sorted(p.name for p in work.iterdir() if p.name not in ("cache", "replaced-site"))
    temporary = [*(work / "cache").rglob(".tmp-*"), *where.glob("**/*.portal-tmp")]
    return left + sorted(str(p) for p in temporary)


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True)


def main(scenario: str, project: Path, where: Path, size: int) -> dict[str, object]:
    where.mkdir(parents=True, exist_ok=True)
    mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
    site = where / "site"
    first, _ = portal_build(project, site)
    before = tree_digest(site)
    write_tree(project, {"content/new.md": notice(issuer="中共新增区委")})
    if scenario == "readonly":
        mount("-o", "remount,ro", str(where))
    failed, message = portal_build(project, site)
    after = tree_digest(site)
    left = leftovers(where)
    mount("-o", "remount,rw,size=256m", str(where))
    recovered, _ = portal_build(project, site)
    return {
        "first": first,
        "failed": failed,
        "message": message,
        "unchanged": before == after and bool(before),
        "left_after_failure": left,
        "recovered": recovered,
        "left_after_recovery": leftovers(where),
        "new_notice_published": (site / "notices/new/index.html").is_file(),
    }


if __name__ == "__main__":
    scenario, project, where, size = sys.argv[1:]
    print(json.dumps(main(scenario, Path(project), Path(where), int(size)), ensure_ascii=False))
