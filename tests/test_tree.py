"""A folder brought up to date in place (``generator/output/tree.py``): whatever it held before, it
ends up holding exactly what was put, and no file shared with another folder is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.output.tree import Tree
from tests.helpers import tree_digest

WANTED = {
    "index.html": b"home",
    "notices/a/index.html": b"a",
    "notices/b/index.html": b"b",
    "years/2024/index.html": b"2024",
    "assets/site.css": b"css",
}


def make(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def put_all(root: Path, keep: tuple[str, ...] = ()) -> int:
    tree = Tree(root, keep)
    for name, data in WANTED.items():
        tree.put_bytes(name, data)
    return tree.finish()


def folders(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_dir()}


def expected_digest(tmp_path: Path) -> dict[str, str]:
    clean = tmp_path / "clean"
    make(clean, WANTED)
    return tree_digest(clean)


def test_an_empty_folder_gets_exactly_the_files(tmp_path):
    root = tmp_path / "site"
    assert put_all(root) == 0
    assert tree_digest(root) == expected_digest(tmp_path)


@pytest.mark.parametrize(
    "before",
    [
        {"notices/gone/index.html": b"old", "notices/a/index.html": b"older a"},
        {"years": b"a file where a folder goes", "index.html/x": b"a folder where a file goes"},
        {"notices/a/index.html.portal-tmp": b"left by a killed build", "z/y/x/w": b"deep"},
    ],
    ids=["extra and changed", "file and folder swapped", "leftovers"],
)
def test_whatever_the_folder_held_it_ends_up_exact(tmp_path, before):
    root = tmp_path / "site"
    make(root, before)
    (root / "empty" / "folder").mkdir(parents=True)
    put_all(root)
    assert tree_digest(root) == expected_digest(tmp_path)
    assert folders(root) == {"notices", "notices/a", "notices/b", "years", "years/2024", "assets"}


def test_a_symlink_in_the_folder_is_replaced_not_followed(tmp_path):
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"not ours")
    root = tmp_path / "site"
    (root / "notices" / "a").mkdir(parents=True)
    (root / "notices" / "a" / "index.html").symlink_to(outside)
    (root / "notices" / "gone").symlink_to(tmp_path)
    put_all(root)
    assert outside.read_bytes() == b"not ours"
    assert not (root / "notices" / "a" / "index.html").is_symlink()
    assert tree_digest(root) == expected_digest(tmp_path)


def test_a_file_shared_with_another_folder_is_never_written(tmp_path):
    published = tmp_path / "published"
    make(published, {"notices/a/index.html": b"published a", "index.html": b"published home"})
    root = tmp_path / "site"
    for name in ("notices/a/index.html", "index.html"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(published / name, root / name)
    (root / "notices/b").mkdir()
    os.link(published / "index.html", root / "notices/b/index.html.portal-tmp")  # a killed build
    put_all(root)
    assert tree_digest(root) == expected_digest(tmp_path)
    assert (published / "notices/a/index.html").read_bytes() == b"published a"
    assert (published / "index.html").read_bytes() == b"published home"


def test_a_link_already_in_place_is_kept_and_another_is_replaced(tmp_path):
    source = tmp_path / "source"
    make(source, {"a": b"same", "b": b"new b"})
    root = tmp_path / "site"
    root.mkdir()
    os.link(source / "a", root / "a")
    (root / "b").write_bytes(b"old b")
    old_b = (root / "b").stat().st_ino
    tree = Tree(root)
    assert tree.put_link("a", str(source / "a"))
    assert tree.put_link("b", str(source / "b"))
    assert not tree.put_link("c", str(source / "missing"))
    assert tree.finish() == 0
    assert (root / "a").stat().st_ino == (source / "a").stat().st_ino
    assert (root / "b").stat().st_ino == (source / "b").stat().st_ino != old_b
    assert sorted(p.name for p in root.iterdir()) == ["a", "b"]


def test_kept_folders_are_left_alone(tmp_path):
    root = tmp_path / "site"
    make(root, {"pagefind/pagefind.js": b"js", "pagefind/fragment/x": b"x", "old.html": b"old"})
    put_all(root, keep=("pagefind",))
    assert (root / "pagefind" / "fragment" / "x").read_bytes() == b"x"
    assert not (root / "old.html").exists()


def test_moving_a_tree_in(tmp_path):
    made = tmp_path / "made"
    make(made, WANTED)
    root = tmp_path / "site"
    make(root, {"notices/a/index.html": b"older", "stale.html": b"stale"})
    tree = Tree(root)
    tree.put_tree(made)
    tree.finish()
    assert tree_digest(root) == expected_digest(tmp_path)
    assert tree_digest(made) == {}
