"""Apple Health import end to end: parse, then store walks and daily steps.

``walkwell import export.xml --json``, the installed console script, on a
synthetic export (the generator in ``gen_apple_health``), into a fresh SQLite
database under a temporary WALKWELL_HOME whose plan started before the export's
first walk, so that every walk is stored; against ``healthkit-to-sqlite`` on the
same file (which parses and stores every record). Each runs as its own process,
timed from outside, so both pay their start-up. An export this large is parsed
on every core (``apple_health_split``): the memory figure is the peak of the
summed memory of the import's whole process tree (``process_tree``), the
command, the forkserver and the workers together. Memory is measured in a run
of its own, into another fresh database: sampling it (reading every process's
``smaps_rollup`` fifty times a second) takes CPU from the import, and the timed
runs are not watched. Sizes: 200 MB (a typical
phone's export) and 1 GB; ``--quick``: 20 MB, parsed in one process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_apple_health import healthkit_seconds
from benchmarks.gen_apple_health import generate
from benchmarks.harness import Figure
from benchmarks.process_tree import TreeMemory, cores

MB = 1024 * 1024
MEMORY_LIMIT_MB = 150.0
TARGETS = {"200 MB": ("x faster", 10.0), "1 GB": ("MB/s", 150.0)}


@dataclass(frozen=True, slots=True)
class Run:
    """One ``walkwell import``: wall seconds, its report and its memory."""

    seconds: float
    report: dict[str, list[object]]
    peak_pss_mb: float
    peak_rss_mb: float
    processes: int


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "WALKWELL_HOME": str(home)}
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache")
    env.pop("DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _tool() -> str:
    return str(Path(sys.executable).with_name("walkwell"))


def walkwell_import(path: Path, home: Path, *, watched: bool = False) -> Run:
    """One ``walkwell import`` of ``path`` into ``home``, timed; ``watched``: its
    memory sampled too (then its time is not a figure)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [_tool(), "import", str(path), "--json"],
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=_env(home),
        )
        memory = TreeMemory(child.pid)
        if watched:
            memory.start()
        code = child.wait()
        seconds = time.perf_counter() - started
        if watched:
            memory.stop()
        out.seek(0)
        text = out.read().decode()
    if code:
        raise RuntimeError(f"walkwell import exited {code}: {text[-500:]}")
    return Run(
        seconds,
        json.loads(text),
        memory.peak_pss_mb,
        memory.peak_rss_mb,
        memory.most_processes,
    )


def _enrol(home: Path) -> None:
    start = ["--start", "2018-12-01", "--baseline-minutes", "12", "--yes"]
    subprocess.run(
        [_tool(), "init", *start], env=_env(home), check=True, stdout=subprocess.DEVNULL
    )


def _warm(folder: Path) -> None:
    """Bytecode compiled by one small import, as an installed package has it."""
    home = folder / "warm"
    home.mkdir()
    _enrol(home)
    generate(folder / "warm.xml", MB)
    walkwell_import(folder / "warm.xml", home)


def _figures(path: Path, folder: Path, workouts: int, label: str) -> list[Figure]:
    _warm(folder)
    home = folder / "home"
    home.mkdir()
    _enrol(home)
    first, again = walkwell_import(path, home), walkwell_import(path, home)
    assert len(first.report["imported"]) == workouts, "every walk stored once"
    assert len(again.report["duplicates"]) == workouts, "all found again"
    watched_home = folder / "watched"
    watched_home.mkdir()
    _enrol(watched_home)
    watched = walkwell_import(path, watched_home, watched=True)
    assert len(watched.report["imported"]) == workouts
    size_mb = path.stat().st_size / MB
    where = f"{label}, {cores()} cores, load {os.getloadavg()[0]:.1f}"
    speed = size_mb / first.seconds
    unit, target = TARGETS.get(label, ("", 0.0))
    figures = [
        Figure(
            f"Apple Health import + store, {where}",
            speed,
            "MB/s",
            f">= {target:.0f} MB/s" if unit == "MB/s" else "the parse: ~50 MB/s a core",
            speed >= target if unit == "MB/s" else True,
        ),
        Figure(
            f"Apple Health re-import (all already there), {where}",
            size_mb / again.seconds,
            "MB/s",
            "no slower than the first import",
            again.seconds <= first.seconds * 1.2,
        ),
        Figure(
            f"Apple Health import + store, peak memory of its {watched.processes} "
            f"processes together (PSS; RSS {watched.peak_rss_mb:.0f} MB), {label}",
            watched.peak_pss_mb,
            "MB",
            f"< {MEMORY_LIMIT_MB:.0f} MB",
            watched.peak_pss_mb < MEMORY_LIMIT_MB,
        ),
    ]
    theirs = healthkit_seconds(path, folder)
    if theirs is not None:
        wanted = target if unit == "x faster" else 5.0
        figures.append(
            Figure(
                f"Apple Health import + store vs healthkit-to-sqlite "
                f"({theirs:.1f} s against {first.seconds:.2f} s), {label}",
                theirs / first.seconds,
                "x faster",
                f">= {wanted:.0f}x faster",
                theirs / first.seconds >= wanted,
            )
        )
    return figures


def run(quick: bool) -> list[Figure]:
    sizes = (
        [(20 * MB, "20 MB")] if quick else [(200 * MB, "200 MB"), (1024 * MB, "1 GB")]
    )
    figures: list[Figure] = []
    for size, label in sizes:
        with tempfile.TemporaryDirectory(prefix="walkwell-bench-") as tmp:
            path = Path(tmp) / "export.xml"
            _records, workouts = generate(path, size)
            figures += _figures(path, Path(tmp), workouts, label)
    return figures


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure)
