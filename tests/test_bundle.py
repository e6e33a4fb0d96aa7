"""Pagefind's bundle as we read and rewrite it: its data files, the reproducible rewrite, the
version guard and the merge of shards."""

import itertools
import json

import cbor2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.search.bundle import cbor, format
from generator.search.bundle.merge import merge
from generator.search.bundle.reproducible import reproducible

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
def test_data_files_round_trip(value):
    assert cbor.read(cbor.write(value)) == value
    assert cbor.write(value) == cbor.write(value)


@given(st.lists(st.integers(0, 2**32), max_size=40))
def test_an_array_joined_from_its_elements_reads_as_the_array(values):
    from generator.search.bundle.merge import array_of_one

    assert cbor2.loads(array_of_one([cbor2.dumps(v) for v in values])) == [values]


def _meta(version, filters):
    return cbor.write([version, [], [], filters, [], []])


def _bundle(filter_name, values, version=format.SUPPORTED):
    return {
        f"filter/zh_{filter_name}.pf_filter": cbor.write(["年度", values]),
        "pagefind.zh_0123456789.pf_meta": _meta(version, [["年度", f"zh_{filter_name}"]]),
        format.ENTRY: json.dumps(
            {"version": version, "languages": {"zh": {"hash": "zh_0123456789"}}}
        ).encode(),
    }


def test_filter_values_are_sorted_and_references_follow():
    shuffled = _bundle("aaaaaaa", [["2022", [1]], ["2021", [0, 2]]])
    reordered = _bundle("bbbbbbb", [["2021", [0, 2]], ["2022", [1]]])
    a, b = reproducible(shuffled), reproducible(reordered)
    assert a == b
    name = next(p for p in a if p.startswith("filter/"))
    assert cbor.read(a[name]) == ["年度", [["2021", [0, 2]], ["2022", [1]]]]
    entry = json.loads(a[format.ENTRY])
    assert format.meta_path(entry["languages"]["zh"]["hash"]) in a


def test_a_bundle_of_another_pagefind_version_is_refused():
    other = _bundle("aaaaaaa", [["2021", [0]]], version="1.6.0")
    with pytest.raises(format.FormatError, match="Pagefind 1.6.0 wrote this bundle"):
        reproducible(other)
    with pytest.raises(format.FormatError, match="1.6.0"):
        merge([other, other])


def test_a_meta_file_with_another_layout_is_refused():
    longer = cbor.write([format.SUPPORTED, [], [], [], [], [], ["new field"]])
    with pytest.raises(format.FormatError, match="6 fields"):
        format.read_meta(longer)


def _only_meta(files: dict[str, bytes]) -> tuple[str, dict, format.Meta]:
    """A bundle of one language: its meta file's path, its entry's line, its meta."""
    ((_, info),) = format.read_entry(files)["languages"].items()
    path = format.meta_path(info["hash"])
    return path, info, format.read_meta(files[path])


def searchable(files: dict[str, bytes]) -> dict[str, object]:
    """What a bundle answers, independent of page numbering and chunking: each word's postings
    by page URL, each filter value's URLs, and the pages in each sort order (as their dates)."""
    _path, info, meta = _only_meta(files)
    frags = [format.read_fragment(files[format.fragment_path(h)]) for h, _ in meta.pages]
    urls = [f["url"] for f in frags]
    words = {}
    for _first, _last, chunk in meta.index_chunks:
        for word, plist, _variants in cbor.read(files[format.index_path(chunk)])[0]:
            page = 0
            for posting in plist:
                page += posting[0]
                words.setdefault(word, {})[urls[page]] = posting[1:]
    filters = {}
    for name, chunk in meta.filters:
        _, values = cbor.read(files[format.filter_path(chunk)])
        filters[name] = {v: sorted(urls[n] for n in numbers) for v, numbers in values}
    sorts = {name: [frags[n]["meta"]["date"] for n in order] for name, order in meta.sorts}
    return {"pages": sorted(urls), "words": words, "filters": filters, "sorts": sorts,
            "fields": meta.meta_fields, "count": info["page_count"]}  # fmt: skip


def test_shards_merged_search_like_one_index(example_portal, monkeypatch):
    """The example indexed as one Pagefind index and as shards of four notices, merged."""
    from generator.search.index import SHARD_ENV, collect
    from generator.site.files import Site
    from generator.site.pages import generate

    records = generate(example_portal, Site("x", "https://example.org/")).records
    one = collect(records)
    monkeypatch.setenv(SHARD_ENV, "4")
    sharded = collect(records)
    assert (one.shards, sharded.shards > 1) == (1, True)
    whole, merged = one.files, sharded.files
    assert merged != whole
    a, b = searchable(whole), searchable(merged)
    assert a["count"] == b["count"] == len(example_portal.notices) == 12
    assert len(a["words"]) > 500
    assert a == b


def test_a_name_is_lengthened_only_where_other_content_holds_it():
    from generator.search.bundle.reproducible import content_hash, kept, named

    a, b = b"chunk a", b"chunk b"
    short = "und_" + content_hash(a, 7)
    assert named({}, format.index_path, "und_", a) == short
    assert named({format.index_path(short): a}, format.index_path, "und_", a) == short
    taken = {format.index_path(short): b}
    assert named(taken, format.index_path, "und_", a) == "und_" + content_hash(a, 8)
    assert kept({}, format.fragment_path, "und_1234567", a) == "und_1234567"
    clash = {format.fragment_path("und_1234567"): b}
    assert kept(clash, format.fragment_path, "und_1234567", a) == "und_" + content_hash(a, 7)


def _clashing(shards: list[dict[str, bytes]]) -> list[dict[str, bytes]]:
    """The shards with the second one's first fragment under the first one's first fragment's
    name, as two shards' Pagefind processes name them now and then (seven hex digits: at
    30,000 notices 1.7 times a build on average)."""
    *_, first = _only_meta(shards[0])
    path, _info, second = _only_meta(shards[1])
    shard = dict(shards[1])
    taken, theirs = first.pages[0][0], second.pages[0][0]
    shard[format.fragment_path(taken)] = shard.pop(format.fragment_path(theirs))
    second.pages[0][0] = taken
    shard[path] = second.encode()
    return [shards[0], shard, *shards[2:]]


def test_shards_whose_fragments_share_a_name_merge_with_every_page(
    example_portal, monkeypatch, tmp_path
):
    from generator.search import index
    from generator.search.index import SHARD_ENV, collect, write_bundle
    from generator.site.files import Site
    from generator.site.pages import generate

    records = generate(example_portal, Site("x", "https://example.org/")).records
    monkeypatch.setenv(SHARD_ENV, "4")
    merged = collect(records)
    real = index.merge
    monkeypatch.setattr(index, "merge", lambda shards, top=0: real(_clashing(shards), top))
    clashed = collect(records)
    assert searchable(clashed.files) == searchable(merged.files)
    ids = write_bundle(clashed.files, tmp_path / "pagefind")
    assert set(ids) == {r.url for r in records} and len(ids) == 12


def test_the_newest_index_keeps_a_chunk_whose_name_the_whole_index_took(
    example_portal, monkeypatch
):
    from generator.search.bundle.reproducible import ordinal, page_ids
    from generator.search.index import collect
    from generator.search.newest import NEWEST_ENV, with_newest
    from generator.site.files import Site
    from generator.site.pages import generate
    from generator.site.tables import NEWEST_LANGUAGE

    records = generate(example_portal, Site("x", "https://example.org/")).records
    monkeypatch.setenv(NEWEST_ENV, "4")
    collected = collect(records, total=len(records), newest=True)
    assert collected.newest is not None
    whole = ordinal(reproducible(collected.files))
    chunks = _only_meta(collected.newest)[2].index_chunks
    taken = format.index_path(chunks[0][2])
    whole[taken] = b"another index's chunk"
    out = with_newest(whole, collected.newest, page_ids(whole))
    assert out[taken] == b"another index's chunk"
    info = format.read_entry(out)["languages"][NEWEST_LANGUAGE]
    meta = format.read_meta(out[format.meta_path(info["hash"])])
    assert [out[format.index_path(c)] for _a, _b, c in meta.index_chunks] == [
        collected.newest[format.index_path(c)] for _a, _b, c in chunks
    ]


def test_a_merged_chunk_holds_a_broad_word_alone_and_stays_within_its_size():
    """A chunk is closed before a word that would take it past ``CHUNK_BYTES``: a query of a
    broad word (its postings alone past the size) loads that word and no neighbour."""
    from generator.search.bundle.merge import CHUNK_BYTES, _chunks

    positions = {"整改": 70_000, "推进": 55_000, "进中": 20_000}  # 3 bytes a position
    words = [(w, 0, [[1, list(range(positions.get(w, 50))), []]]) for w in sorted(
        [f"{c}{n}" for c in "推整进" for n in range(300)] + list(positions))]  # fmt: skip
    out: dict[str, bytes] = {}
    listed = _chunks(iter(words), "und", out)
    held, sizes = [], []
    for first, last, chunk in listed:
        (rows,) = cbor.read(out[format.index_path(chunk)])
        assert (rows[0][0], rows[-1][0]) == (first, last)
        sizes.append([len(cbor2.dumps(row)) for row in rows])
        assert sum(sizes[-1]) <= CHUNK_BYTES or len(rows) == 1
        held.append([row[0] for row in rows])
    assert [w for chunk in held for w in chunk] == [w for w, _, _ in words]
    assert ["整改"] in held and ["推进"] in held and ["进中"] not in held
    for size, after in itertools.pairwise(sizes):  # no chunk closed before it had to be
        assert sum(size) + after[0] > CHUNK_BYTES or sum(size) >= CHUNK_BYTES


INDEXED = ["整改工作，已完成。", "2021年度22个问题整改3.2亿元", "ABC-12 第3批“巡察”整改", "个"]


def _positions(files: dict[str, bytes]) -> dict[str, dict[int, set[str]]]:
    """URL -> position -> the words Pagefind's index holds there (locations are deltas)."""
    *_, meta = _only_meta(files)
    urls = [format.read_fragment(files[format.fragment_path(h)])["url"] for h, _ in meta.pages]
    out: dict[str, dict[int, set[str]]] = {url: {} for url in urls}
    for _first, _last, chunk in meta.index_chunks:
        for word, plist, _variants in cbor.read(files[format.index_path(chunk)])[0]:
            page = 0
            for posting in plist:
                page += posting[0]
                at = 0
                for loc in posting[1]:
                    if loc >= 0:
                        at += loc
                        out[urls[page]].setdefault(at, set()).add(word)
    return out


def test_pagefind_indexes_the_words_the_search_page_looks_up():
    """The real binary, given ``record_text``, holds ``index_words`` at each position (less the
    words it makes of a token's punctuation, 改， or 个问个, which no query asks for)."""
    from generator.search.index import collect
    from generator.search.records import index_words, record_text
    from generator.site.files import SearchRecord

    records = [
        SearchRecord(f"t/{n}/", f"<html><body><main data-pagefind-body><p>{record_text(t)}</p>"
                     "</main></body></html>")
        for n, t in enumerate(INDEXED)
    ]  # fmt: skip
    positions = _positions(collect(records).files)
    for n, text in enumerate(INDEXED):
        got = positions[f"/t/{n}/"]
        ours = {
            at: {w for w in words if w.isalnum() and not (len(w) == 3 and w[0] == w[2])}
            for at, words in got.items()
        }
        assert ours == {at: set(words) for at, words in enumerate(index_words(text))}, text
