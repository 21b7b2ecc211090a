"""Apple Health import speed and memory, on a synthetic export written here.

Measured: WalkWell's parse (walking workouts + daily steps, into an in-memory
list: the database side is not part of this figure) in one process, against a
bare hardened ``lxml.etree.iterparse`` pass with the same tag filter and element
release (the ceiling for one core); the same parse on every core
(``apple_health_split``, what ``walkwell import`` does with a file this large);
and healthkit-to-sqlite on the same file. Peak memory is measured in a fresh
subprocess, summed over the processes it starts (``process_tree``).
``WALKWELL_BENCH_BIG=1`` adds a 4 GB export (generated into a temporary folder
and deleted afterwards).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lxml import etree

from benchmarks.gen_apple_health import generate
from benchmarks.harness import Figure, best_of, timed
from benchmarks.process_tree import TreeMemory, cores
from walkwell.importers.apple_health import RELEASE_EVERY, iter_export_xml
from walkwell.importers.base import ImportItem, ImportLimits

MB = 1024 * 1024
MEMORY_LIMIT_MB = 150.0
CHILD = """
import sys
from pathlib import Path
from walkwell.importers.apple_health import iter_export_xml
from walkwell.importers.base import ImportLimits
items = sum(1 for _ in iter_export_xml(Path(sys.argv[1]), "export.xml", ImportLimits()))
"""


def walkwell_parse(path: Path) -> list[ImportItem]:
    """The measured work: every item WalkWell yields, kept in a list (the sink);
    an export on disk this large is parsed on every core."""
    return list(iter_export_xml(path, path.name, ImportLimits()))


def one_process_parse(path: Path) -> list[ImportItem]:
    """The same, from a stream that cannot be opened again: one process."""
    with path.open("rb") as stream:
        return list(iter_export_xml(stream, path.name, ImportLimits()))


def bare_iterparse(path: Path) -> int:
    """The reference: hardened lxml, same tags, same release, nothing read."""
    count = 0
    root = None
    for count, (_event, elem) in enumerate(
        etree.iterparse(
            str(path),
            events=("end",),
            tag=("Record", "Workout"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        ),
        1,
    ):
        if root is None:
            root = elem.getparent()
        elem.clear()
        if count % RELEASE_EVERY == 0 and root is not None:
            del root[:-1]
    return count


def peak_memory_mb(path: Path) -> float:
    """Peak summed PSS of a fresh interpreter parsing ``path``, its workers too."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)])
    memory = TreeMemory(child.pid)
    memory.start()
    if child.wait():
        raise RuntimeError("the parse failed")
    memory.stop()
    return memory.peak_pss_mb


def healthkit_seconds(path: Path, folder: Path) -> float | None:
    tool = Path(sys.executable).with_name("healthkit-to-sqlite")
    if not tool.exists():
        found = shutil.which("healthkit-to-sqlite")
        if found is None:
            return None
        tool = Path(found)
    database = folder / "healthkit.db"
    command = [str(tool), "--xml", "-s", str(path), str(database)]
    _, seconds = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    database.unlink(missing_ok=True)
    return seconds


def healthkit_figures(path: Path, folder: Path, name: str, ours: float) -> list[Figure]:
    """``ours`` beside healthkit-to-sqlite on the same export; none if not installed."""
    theirs = healthkit_seconds(path, folder)
    if theirs is None:
        print(
            "healthkit-to-sqlite: skipped, it is not installed (pip install -e '.[dev]')"
        )
        return []
    return [Figure(name, theirs / ours, "x faster", ">= 5x faster", theirs / ours >= 5)]


def _speed_figures(path: Path, folder: Path, repeats: int, label: str) -> list[Figure]:
    size_mb = path.stat().st_size / MB
    alone = best_of(repeats, lambda: one_process_parse(path))
    bare = best_of(repeats, lambda: bare_iterparse(path))
    ours = best_of(repeats, lambda: walkwell_parse(path))
    load = os.getloadavg()[0]
    figures = [
        Figure(
            f"Apple Health parse, one process, {label}",
            size_mb / alone,
            "MB/s",
            "~50 MB/s a core",
            True,
        ),
        Figure(
            f"Apple Health parse, one process, vs bare lxml iterparse, {label}",
            100 * bare / alone,
            "%",
            ">= 70% of the bare pass",
            bare / alone >= 0.70,
        ),
        Figure(
            f"Apple Health parse on {cores()} cores, {label} (load {load:.1f})",
            size_mb / ours,
            "MB/s",
            f"{cores()}x the one-process figure at best",
            True,
        ),
    ]
    return figures + healthkit_figures(
        path, folder, f"Apple Health parse vs healthkit-to-sqlite, {label}", ours
    )


def _memory_figure(path: Path, label: str) -> Figure:
    peak = peak_memory_mb(path)
    return Figure(
        f"Apple Health parse, peak memory of all its processes (PSS), {label}",
        peak,
        "MB",
        f"< {MEMORY_LIMIT_MB:.0f} MB",
        peak < MEMORY_LIMIT_MB,
    )


def run(quick: bool) -> list[Figure]:
    size, label = (20 * MB, "20 MB") if quick else (1024 * MB, "1 GB")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="walkwell-bench-") as tmp:
        path = Path(tmp) / "export.xml"
        generate(path, size)
        figures += _speed_figures(path, Path(tmp), 1 if not quick else 3, label)
        figures.append(_memory_figure(path, label))
    if os.environ.get("WALKWELL_BENCH_BIG") == "1":
        with tempfile.TemporaryDirectory(prefix="walkwell-bench-") as tmp:
            path = Path(tmp) / "export.xml"
            generate(path, 4096 * MB)
            figures.append(_memory_figure(path, "4 GB"))
    return figures
