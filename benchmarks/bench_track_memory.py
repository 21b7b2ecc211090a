"""Peak memory of the whole ``walkwell import`` process on a 10-million-point track.

``walkwell import walk.gpx --json`` runs as a real child process into a fresh
SQLite database (``WALKWELL_HOME`` a temporary folder, a plan started first), and
its peak resident memory is the child's own ``ru_maxrss`` as ``wait4`` reports
it: Django, the database, the parse, the measures and the store together. Two
files: a generated 10,000,000-point GPX walk (2.3 GB, one point a second, so
116 days without a break: it is read and measured to the end, then listed as
skipped, "a device left recording, not a walk"), and a 2 MB gzip of 10,000,000
identical points, refused because every point carries the same time. Each
figure passes when the peak stays under 100 MB and the file got its outcome
with a reason. ``--quick`` uses a million points.

Python's bytecode is compiled first (a warm-up import of a small file without
``PYTHONDONTWRITEBYTECODE``), as an installed package has it; otherwise the
measured process would count compiling fitdecode's 580 kB profile module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import trackgen
from benchmarks.harness import Figure

MEMORY_LIMIT_MB = 100.0
POINTS = 10_000_000


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "WALKWELL_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def walkwell(args: list[str], home: Path) -> tuple[str, float, float]:
    """(stdout, peak MB, CPU seconds) of one ``walkwell`` child process."""
    tool = str(Path(sys.executable).with_name("walkwell"))
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(
            [tool, *args], stdout=out, stderr=subprocess.DEVNULL, env=_env(home)
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if child.returncode:
        raise RuntimeError(f"walkwell {' '.join(args)} exited {child.returncode}")
    return text, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _home(folder: Path, name: str) -> Path:
    home = folder / name
    home.mkdir()
    start = ["--start", "2024-01-01", "--baseline-minutes", "12", "--yes"]
    walkwell(["init", *start], home)
    return home


def _import_figures(count: int, folder: Path) -> list[Figure]:
    warm = trackgen.write_gpx(folder / "warm.gpx", 100)
    walkwell(["import", str(warm), "--json"], _home(folder, "warm"))
    path = trackgen.write_gpx(folder / "walk.gpx", count)
    started = time.perf_counter()
    text, peak, cpu = walkwell(["import", str(path), "--json"], _home(folder, "big"))
    wall = time.perf_counter() - started
    path.unlink()
    outcome = _outcome(json.loads(text))
    return [
        Figure(
            f"`walkwell import` peak memory, {count:,}-point GPX "
            f"({cpu:.0f} s CPU, {wall:.0f} s wall; {outcome[:70]})",
            peak,
            "MB",
            f"< {MEMORY_LIMIT_MB:.0f} MB, the file read to its outcome",
            peak < MEMORY_LIMIT_MB and bool(outcome),
        )
    ]


def _outcome(report: dict[str, list[dict[str, object]]]) -> str:
    """What the run said about its one file: imported, or the reason it was not."""
    if report["imported"]:
        return "imported"
    for kind in ("skipped", "refused"):
        if report[kind]:
            return f"{kind}: {report[kind][0]['reason']}"
    return ""


def _identical_figures(count: int, folder: Path) -> list[Figure]:
    path = trackgen.write_identical_gpx_gz(folder / "same.gpx.gz", count)
    size = path.stat().st_size / 1024**2
    text, peak, _ = walkwell(["import", str(path), "--json"], _home(folder, "same"))
    outcome = _outcome(json.loads(text))
    return [
        Figure(
            f"`walkwell import` peak memory, {size:.1f} MB gzip of {count:,} "
            f"identical points ({outcome[:70]})",
            peak,
            "MB",
            f"< {MEMORY_LIMIT_MB:.0f} MB, refused with a reason",
            peak < MEMORY_LIMIT_MB and outcome.startswith("refused"),
        )
    ]


def run(quick: bool) -> list[Figure]:
    count = POINTS // 10 if quick else POINTS
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        return _identical_figures(count, folder) + _import_figures(count, folder)
