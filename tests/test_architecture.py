"""The shape of ``generator/``: no import cycle, the core free of engines, each engine behind
its own package (issue 13). Read from the source with ``ast``, imports inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "generator"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Module -> every module or package it imports (absolute names)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module(path)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path}: relative import"
                base = node.module or ""
                found.add(base)
                found |= {f"{base}.{alias.name}" for alias in node.names}
        graph[name] = found
    return graph


def _internal(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def test_no_import_cycle():
    graph = _internal(imports())
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                raise AssertionError(
                    "import cycle: " + " -> ".join(stack[stack.index(dep) :] + [dep])
                )
            if dep not in state:
                visit(dep)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def _importers(prefixes: tuple[str, ...]) -> set[str]:
    return {m for m, deps in imports().items() if any(d.split(".")[0] in prefixes for d in deps)}


def test_only_the_engine_imports_mkdocs():
    assert {m for m in _importers(("mkdocs", "material"))} <= {"generator.engine.mkdocs"}


def test_only_the_search_package_runs_pagefind_or_reads_its_format():
    users = _importers(("pagefind_bin_extended", "cbor2"))
    assert users and all(m.startswith("generator.search.") for m in users)


def test_the_core_knows_no_page_template_engine_or_search_engine():
    graph = imports()
    for module, deps in graph.items():
        if module.startswith("generator.content"):
            outside = {d for d in deps if d.startswith("generator.") and not d.startswith(
                ("generator.content", "generator.errors", "generator.i18n"))}  # fmt: skip
            assert not outside, (module, outside)
            assert "jinja2" not in deps and "markupsafe" not in deps, module
