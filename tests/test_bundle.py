"""Pagefind bundle canonicalisation: the CBOR codec and sorted filter files."""

import gzip
import json

from hypothesis import given
from hypothesis import strategies as st

from generator import bundle

CBOR = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.text()
    | st.binary(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=30,
)


@given(CBOR)
def test_cbor_round_trips(value):
    assert bundle.decode(bundle.encode(value)) == value


def _filter(name, values):
    return gzip.compress(bundle.SIGNATURE + bundle.encode([name, values]), mtime=0)


def test_filter_values_are_sorted_and_references_follow():
    shuffled = {
        "filter/zh_aaaaaaa.pf_filter": _filter("年度", [["2022", [1]], ["2021", [0, 2]]]),
        "pagefind.zh_0123456789.pf_meta": gzip.compress(
            bundle.SIGNATURE + bundle.encode(["1.5.2", [], [["年度", "zh_aaaaaaa"]], []]), mtime=0
        ),
        "pagefind-entry.json": json.dumps(
            {"languages": {"zh": {"hash": "zh_0123456789"}}}
        ).encode(),
    }
    reordered = dict(shuffled)
    reordered["filter/zh_bbbbbbb.pf_filter"] = _filter("年度", [["2021", [0, 2]], ["2022", [1]]])
    del reordered["filter/zh_aaaaaaa.pf_filter"]
    meta = bundle.encode(["1.5.2", [], [["年度", "zh_bbbbbbb"]], []])
    reordered["pagefind.zh_0123456789.pf_meta"] = gzip.compress(bundle.SIGNATURE + meta, mtime=0)
    a, b = bundle.reproducible(shuffled), bundle.reproducible(reordered)
    assert a == b
    name = next(p for p in a if p.startswith("filter/"))
    assert bundle._read(a[name]) == ["年度", [["2021", [0, 2]], ["2022", [1]]]]
    entry = json.loads(a["pagefind-entry.json"])
    assert f"pagefind.{entry['languages']['zh']['hash']}.pf_meta" in a
