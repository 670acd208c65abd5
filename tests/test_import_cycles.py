"""No module imports itself through others (an import cycle), in any package of kazsim.

A cycle makes the import order matter and hides a missing floor: the module that
both need belongs below them. Every import counts, also those inside functions and
under TYPE_CHECKING (read with grimp, the graph import-linter checks the layers on).
"""

from __future__ import annotations

import grimp
import pytest

PACKAGES = ["scenario", "engine", "session", "analysis", "tui"]


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("kazsim")


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(graph: grimp.ImportGraph, package: str) -> None:
    prefix = f"kazsim.{package}"
    assert [g for g in cycles(graph) if any(m.startswith(prefix) for m in g)] == []


def test_the_search_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ["p", "p.a", "p.b", "p.c"]:
        graph.add_module(module)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert cycles(graph) == [["p.a", "p.b"]]
