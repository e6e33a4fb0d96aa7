"""Loading files: encodings, line endings, symlinks, caps and item blocks."""

import os

from generator.content.load import MAX_FILE_BYTES, discover, find_files, load_file
from tests.helpers import notice, write_tree


def test_bom_and_crlf_are_fine_and_lines_still_match(tmp_path):
    text = notice().replace("\n", "\r\n")
    path = write_tree(tmp_path, {"n.md": "\ufeff".encode() + text.encode()}) / "n.md"
    source, problems = load_file(path)
    assert problems == []
    assert source is not None
    assert [item.heading_line for item in source.items] == [21, 31]
    assert source.front.keys["issuer"].line == 3  # type: ignore[union-attr]


def test_item_blocks_carry_heading_category_and_lines(tmp_path):
    path = write_tree(tmp_path, {"n.md": notice()}) / "n.md"
    source, _ = load_file(path)
    assert source is not None
    first = source.items[0]
    assert (first.heading, first.category, first.heading_level) == (
        "1.关于“第1个问题”问题的整改",
        "（一）问题类别",
        4,
    )
    assert first.line == 23
    assert source.tokens[first.heading_token].type == "heading_open"


def test_symlinks_are_reported_and_not_followed(tmp_path):
    write_tree(tmp_path, {"content/a.md": notice(), "outside/secret.md": notice()})
    os.symlink(tmp_path / "outside/secret.md", tmp_path / "content/link.md")
    os.symlink(tmp_path / "outside", tmp_path / "content/dir")
    found, problems = discover(tmp_path / "content")
    assert [p.name for p in found] == ["a.md"]
    assert (
        sorted(str(p.message) for p in problems)
        == ["symbolic links are not allowed in content"] * 2
    )
    assert sorted(p.path.rsplit("/", 1)[-1] for p in problems) == ["dir", "link.md"]


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = write_tree(tmp_path, {"big.md": notice() + "一" * MAX_FILE_BYTES}) / "big.md"
    source, problems = load_file(path)
    assert source is None
    assert (
        str(problems[0].message)
        == f"file is {path.stat().st_size} bytes; the limit is {MAX_FILE_BYTES}"
    )


def test_missing_path_is_a_located_problem(tmp_path):
    _, problems = find_files([tmp_path / "nope"])
    assert [str(p.message) for p in problems] == ["no such file or folder"]
