"""Run every benchmark module and print one table of figures and references.

Each ``benchmarks/bench_*.py`` exposes ``run(quick: bool) -> list[Figure]``.
``python -m benchmarks --quick`` uses small inputs (a smoke run); without it the
sizes named in docs/performance.md are used.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.harness import Figure


def _modules(only: str | None) -> list[str]:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]))
    return [n for n in names if n.startswith("bench_") and (not only or only in n)]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="small inputs, smoke run")
    parser.add_argument("--only", help="run only modules whose name contains this")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (modules with a ``measure`` give their raw "
        "figures; the others, each figure's value by name) and nothing else",
    )
    args = parser.parse_args()
    if args.json:
        return _json(args.only, quick=args.quick)
    console = Console()
    figures: list[Figure] = []
    for name in _modules(args.only):
        console.print(f"[bold]running[/] {name} ...")
        module = importlib.import_module(f"benchmarks.{name}")
        figures.extend(module.run(quick=args.quick))
    table = Table(title="WalkWell benchmarks")
    for column in ("figure", "value", "reference", "meets it"):
        table.add_column(column)
    for f in figures:
        table.add_row(
            f.name, f"{f.value:,.2f} {f.unit}", f.reference, "yes" if f.ok else "NO"
        )
    console.print(table)
    return 0 if all(f.ok for f in figures) else 1


def _json(only: str | None, *, quick: bool) -> int:
    found: dict[str, object] = {}
    ok = True
    for name in _modules(only):
        module = importlib.import_module(f"benchmarks.{name}")
        if hasattr(module, "measure"):
            raw = module.measure(quick=quick)
            found.update(raw)
            ok = ok and all(f.ok for f in module.figures(raw))
        else:
            for f in module.run(quick=quick):
                found[f.name] = f.value
                ok = ok and f.ok
    print(json.dumps(found))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
