"""The importers' modules import each other without a cycle, and only at the top.

A cycle used to be held off with imports inside functions (dispatch -> archive
members -> strava -> dispatch); the registry removed it. This builds the real
import graph with grimp (the library import-linter is built on), type-checking
imports included, and looks for any path that comes back to where it started.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

import walkwell.importers

PACKAGE = "walkwell.importers"


def _cycle_from(graph: grimp.ImportGraph, module: str) -> list[str] | None:
    """A chain of imports leading from ``module`` back to itself, if any."""
    for imported in graph.find_modules_directly_imported_by(module):
        if not imported.startswith(PACKAGE):
            continue
        chain = graph.find_shortest_chain(importer=imported, imported=module)
        if chain is not None:
            return [module, *chain]
    return None


def test_no_module_of_the_importers_imports_itself_through_others() -> None:
    graph = grimp.build_graph("walkwell", exclude_type_checking_imports=False)
    modules = sorted(m for m in graph.modules if m.startswith(PACKAGE + "."))
    assert f"{PACKAGE}.registry" in modules
    cycles = {m: c for m in modules if (c := _cycle_from(graph, m)) is not None}
    assert cycles == {}


def test_no_module_of_the_importers_imports_inside_a_function() -> None:
    folder = Path(walkwell.importers.__file__).parent
    local: list[str] = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                local.extend(
                    f"{path.name}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Import | ast.ImportFrom)
                )
    assert local == []
