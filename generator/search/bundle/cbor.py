"""(Stage 6, index) Pagefind's data files: ``pagefind_dcd`` + CBOR, gzip-compressed (``.pf_meta``,
``.pf_index``, ``.pf_filter``); fragments hold JSON instead of CBOR.

One codec, cbor2's (C): it writes the same shortest-form CBOR Pagefind does. The only CBOR we
write by hand is the head of an array, so that entries encoded one by one can be joined.
"""

from __future__ import annotations

import gzip
import struct
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"


def array_head(n: int) -> bytes:
    """The head of a definite-length CBOR array of ``n`` elements (major type 4)."""
    if n < 24:
        return bytes([0x80 | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([0x80 | info]) + struct.pack(fmt, n)
    raise ValueError(n)


def read(content: bytes) -> Any:
    """A data file's value."""
    raw = gzip.decompress(content)
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE) :])


def write(value: Any, compresslevel: int = 9) -> bytes:
    """A data file holding ``value``, byte for byte the same for the same value."""
    return pack(cbor2.dumps(value), compresslevel)


def pack(encoded: bytes, compresslevel: int = 9) -> bytes:
    """A data file of CBOR encoded already."""
    return gzip.compress(SIGNATURE + encoded, compresslevel=compresslevel, mtime=0)
