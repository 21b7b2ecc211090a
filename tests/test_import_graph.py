"""No module of walkwell imports itself through others.

A cycle between modules (cli -> cli_import -> cli, the import services -> their
task -> the services) makes the import order matter and hides which module
depends on which. This builds the real import graph with grimp (the library
import-linter is built on), imports inside functions and type-checking imports
included, and looks for any chain that comes back to where it started. The
layers themselves are kept by lint-imports (pyproject.toml).
"""

from __future__ import annotations

import grimp
import pytest

PACKAGE = "walkwell"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, exclude_type_checking_imports=False)


def _cycle_from(graph: grimp.ImportGraph, module: str) -> list[str] | None:
    """A chain of imports leading from ``module`` back to itself, if any."""
    for imported in sorted(graph.find_modules_directly_imported_by(module)):
        if not imported.startswith(PACKAGE + "."):
            continue
        chain = graph.find_shortest_chain(importer=imported, imported=module)
        if chain is not None:
            return [module, *chain]
    return None


def test_no_module_of_walkwell_imports_itself_through_others(
    graph: grimp.ImportGraph,
) -> None:
    modules = sorted(m for m in graph.modules if m.startswith(PACKAGE + "."))
    assert {"walkwell.cli", "walkwell.web.pages.daily", "walkwell.core.engine"} <= set(
        modules
    )
    cycles = {m: c for m in modules if (c := _cycle_from(graph, m)) is not None}
    assert cycles == {}


def test_the_cycle_finder_finds_a_cycle_when_there_is_one() -> None:
    """The check above would pass on an empty graph; this one shows it can fail."""
    probe = grimp.build_graph(PACKAGE, exclude_type_checking_imports=False)
    probe.add_import(importer="walkwell.core.model", imported="walkwell.cli")
    assert _cycle_from(probe, "walkwell.cli") is not None
