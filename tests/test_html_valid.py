"""The Nu HTML checker (vnu.jar, fetched by `make test`) finds no error on any built page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow

VNU = Path(os.environ.get("PORTAL_VNU", ROOT / ".venv/share/vnu-26.9.27.jar"))


def nu_errors(site: Path) -> tuple[int, list[str]]:
    """(pages checked, the checker's errors as 'page:line: message')."""
    assert VNU.is_file(), f"{VNU} is missing: `make test` fetches it (scripts/fetch-vnu.py)"
    java = shutil.which("java")
    assert java, "no Java runtime: `make test` installs one (scripts/setup-system.sh java)"
    pages = sorted(str(p) for p in site.rglob("*.html"))
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stderr)
    errors = [
        f"{m['url'].removeprefix('file:' + str(site))}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    assert (done.returncode == 0) == (errors == []), done.stderr[-2000:]
    return len(pages), errors


def test_every_example_page_is_valid_html(example_site):
    checked, errors = nu_errors(example_site)
    print(f"\nNu HTML checker: {checked} pages, {len(errors)} errors")
    assert checked > 25
    assert errors == []


def test_pages_full_of_payloads_are_valid_html(injected_site):
    checked, errors = nu_errors(injected_site)
    print(f"\nNu HTML checker, injection corpus: {checked} pages, {len(errors)} errors")
    assert errors == []
