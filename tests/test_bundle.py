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


def searchable(files: dict[str, bytes]) -> dict[str, object]:
    """What a bundle answers, independent of page numbering and chunking: each word's postings
    by page URL, each filter value's URLs, and the pages in each sort order (as their dates)."""
    entry = json.loads(files["pagefind-entry.json"])
    ((language, info),) = entry["languages"].items()
    meta = bundle._read(files[f"pagefind.{info['hash']}.pf_meta"])
    frags = [
        json.loads(gzip.decompress(files[f"fragment/{h}.pf_fragment"])[12:]) for h, _ in meta[1]
    ]
    urls = [f["url"] for f in frags]
    words = {}
    for _first, _last, chunk in meta[2]:
        for word, plist, _extra in bundle._read(files[f"index/{chunk}.pf_index"])[0]:
            page = 0
            for posting in plist:
                page += posting[0]
                words.setdefault(word, {})[urls[page]] = posting[1:]
    filters = {}
    for name, chunk in meta[3]:
        _, values = bundle._read(files[f"filter/{chunk}.pf_filter"])
        filters[name] = {v: sorted(urls[n] for n in numbers) for v, numbers in values}
    sorts = {name: [frags[n]["meta"]["date"] for n in order] for name, order in meta[4]}
    return {"pages": sorted(urls), "words": words, "filters": filters, "sorts": sorts,
            "fields": meta[5], "count": info["page_count"]}  # fmt: skip


def test_shards_merged_search_like_one_index(example_portal, monkeypatch):
    """The example indexed as one Pagefind index and as shards of four notices, merged."""
    from generator.generate import Site, generate
    from generator.index import SHARD_ENV, collect

    pages = generate(example_portal, Site("x", "https://example.org/")).search_pages
    one = collect(pages)
    monkeypatch.setenv(SHARD_ENV, "4")
    sharded = collect(pages)
    assert (one.shards, sharded.shards > 1) == (1, True)
    whole, merged = one.files, sharded.files
    assert merged != whole
    a, b = searchable(whole), searchable(merged)
    assert a["count"] == b["count"] == 9
    assert len(a["words"]) > 500
    assert a == b
