"""Make Pagefind's bundle reproducible (index stage helper).

Pagefind writes each filter's values in the order of a Rust ``HashMap`` whose seed changes per
process, so two builds of the same content gave different filter files; their names are content
hashes, so ``pf_meta`` and ``pagefind-entry.json`` changed too (13 of 107 files differed between
two builds of the example portal). We sort the values, name the files by their new content, and
rewrite the references. The files are ``pagefind_dcd`` + CBOR, gzip-compressed; only the CBOR
types Pagefind uses are handled, and everything we do not change is written back unchanged.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import struct
from typing import Any

SIGNATURE = b"pagefind_dcd"


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise ValueError(n)


def encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        return bytes([0xF5 if value is True else 0xF4 if value is False else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode()
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise TypeError(type(value))


def decode(data: bytes) -> Any:
    stream = io.BytesIO(data)
    value = _decode(stream)
    if stream.read(1):
        raise ValueError("trailing bytes")
    return value


def _decode(s: io.BytesIO) -> Any:
    first = s.read(1)[0]
    major, info = first >> 5, first & 31
    if major == 7:
        return {20: False, 21: True, 22: None}[info]
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n = int.from_bytes(s.read(size), "big")
    if major == 0:
        return n
    if major == 1:
        return -1 - n
    if major == 2:
        return s.read(n)
    if major == 3:
        return s.read(n).decode()
    if major == 4:
        return [_decode(s) for _ in range(n)]
    if major == 5:
        return {_decode(s): _decode(s) for _ in range(n)}
    raise ValueError(f"CBOR major type {major} is not used by Pagefind")


def _read(content: bytes) -> Any:
    raw = gzip.decompress(content)
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a Pagefind data file")
    return decode(raw[len(SIGNATURE) :])


def _write(value: Any) -> bytes:
    return gzip.compress(SIGNATURE + encode(value), mtime=0)


def _hash(content: bytes, length: int) -> str:
    return hashlib.sha256(content).hexdigest()[:length]


def reproducible(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same bundle with filter values sorted and file names/references following suit."""
    out = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    renamed: dict[str, str] = {}
    for path in sorted(p for p in files if p.startswith("filter/") and p.endswith(".pf_filter")):
        name, values = _read(files[path])
        canonical = _write([name, sorted(values, key=lambda v: v[0])])
        language = path.split("/")[1].split("_")[0]
        new = f"{language}_{_hash(canonical, 7)}"
        renamed[path.split("/")[1].removesuffix(".pf_filter")] = new
        del out[path]
        out[f"filter/{new}.pf_filter"] = canonical
    for language, info in entry["languages"].items():
        old = f"pagefind.{info['hash']}.pf_meta"
        meta = _read(files[old])
        for i, part in enumerate(meta):
            if (
                isinstance(part, list)
                and part
                and all(
                    isinstance(x, list)
                    and len(x) == 2
                    and isinstance(x[1], str)
                    and x[1] in renamed
                    for x in part
                )
            ):
                meta[i] = sorted([[n, renamed[h]] for n, h in part])
        content = _write(meta)
        info["hash"] = f"{language}_{_hash(content, 10)}"
        del out[old]
        out[f"pagefind.{info['hash']}.pf_meta"] = content
    out["pagefind-entry.json"] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return out
