"""Strict YAML: scalars stay as written; YAML 1.1 traps are closed (DESIGN.md lesson 4)."""

import pytest

from generator.content.yamltree import Mapping, Pos, Scalar, Sequence, parse_yaml


def scalars(text: str) -> dict[str, str]:
    node, problems = parse_yaml(text, "f.md", 2)
    assert problems == []
    assert isinstance(node, Mapping)
    return {k: v.text for k, v in node.items.items() if isinstance(v, Scalar)}


@pytest.mark.parametrize(
    "written",
    [
        "NO",
        "yes",
        "on",
        "off",
        "010010",
        "01012345",
        "12:30",
        "1.10",
        "0x1F",
        "1e3",
        "2021-02-05",
        ".inf",
    ],
)
def test_scalars_are_kept_exactly_as_written(written):
    assert scalars(f"value: {written}\n") == {"value": written}


def test_positions_are_file_lines_and_columns():
    node, _ = parse_yaml("a: x\nlist: [p, q]\n", "f.md", first_line=2)
    assert isinstance(node, Mapping)
    assert node.keys["list"] == Pos(3, 1)
    seq = node.items["list"]
    assert isinstance(seq, Sequence)
    assert [s.pos for s in seq.items] == [Pos(3, 8), Pos(3, 11)]


def test_empty_and_null_values_are_null_but_quoted_empty_is_not():
    node, _ = parse_yaml('a:\nb: ~\nc: ""\nd: null\n', "f.md", 2)
    assert isinstance(node, Mapping)
    nulls = {k: v.null for k, v in node.items.items() if isinstance(v, Scalar)}
    assert nulls == {"a": True, "b": True, "c": False, "d": True}


def test_duplicate_keys_are_reported_with_both_lines_and_reading_goes_on():
    node, problems = parse_yaml("a: 1\nb: 2\na: 3\nc: 4\n", "f.md", 2)
    assert [str(p) for p in problems] == ["f.md:4:1: error: duplicate key 'a' (first at line 2)"]
    assert isinstance(node, Mapping)
    assert node.items["a"].text == "1" and "c" in node.items  # type: ignore[union-attr]


def test_alias_bomb_is_refused_without_expansion():
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for n in range(1, 12):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        lines.append(
            f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]"
        )
    node, problems = parse_yaml("\n".join(lines) + "\n", "f.md", 2)
    assert node is not None
    assert len([p for p in problems if "alias" in str(p.message)]) == 11 * 9
    assert len([p for p in problems if "anchor" in str(p.message)]) == 12


def test_tags_are_refused():
    _, problems = parse_yaml("a: !!python/object:os.system x\n", "f.md", 2)
    assert [str(p.message) for p in problems] == [
        "YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed; every value is read as text"
    ]


def test_second_document_is_refused():
    node, problems = parse_yaml("a: 1\n---\nb: 2\n", "f.md", 2)
    assert node is None
    assert [str(p) for p in problems] == [
        "f.md:3:1: error: expected one YAML document, found a second '---'"
    ]
