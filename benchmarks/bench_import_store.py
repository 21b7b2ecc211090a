"""Apple Health import end to end: parse, then store walks and daily steps.

``walkwell import export.xml --json`` on a synthetic export (the generator in
``gen_apple_health``), into a fresh SQLite database under a temporary
WALKWELL_HOME, against ``healthkit-to-sqlite`` on the same file (which parses
and stores every record). Each runs as its own process, timed from outside, so
both pay their start-up; WalkWell's peak memory is read inside its process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_apple_health import healthkit_figures
from benchmarks.gen_apple_health import generate
from benchmarks.harness import Figure, timed

MB = 1024 * 1024
MEMORY_LIMIT_MB = 100.0
CHILD = """
import json, resource, sys
from walkwell.cli import app
code = app(["import", sys.argv[1], "--json"], standalone_mode=False)
print(json.dumps({"code": code, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)
"""


def _walkwell(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WALKWELL_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(args, capture_output=True, text=True, check=True, env=env)


def walkwell_import(path: Path, home: Path) -> tuple[float, dict[str, object], float]:
    """Seconds, the --json report and peak MB of one import into ``home``."""
    result, seconds = timed(
        lambda: _walkwell([sys.executable, "-c", CHILD, str(path)], home)
    )
    report = json.loads(result.stdout)
    peak = json.loads(result.stderr.strip().splitlines()[-1])["peak_mb"]
    return seconds, report, float(peak)


def _enrol(home: Path) -> None:
    tool = Path(sys.executable).with_name("walkwell")
    start = ["--start", "2018-12-01", "--baseline-minutes", "12", "--yes"]
    _walkwell([str(tool), "init", *start], home)


def _figures(path: Path, folder: Path, workouts: int, label: str) -> list[Figure]:
    home = folder / "home"
    home.mkdir()
    _enrol(home)
    ours, report, peak = walkwell_import(path, home)
    again, second, _ = walkwell_import(path, home)
    imported = len(report["imported"])  # type: ignore[arg-type]
    assert imported == workouts, f"{imported} walks stored of {workouts}"
    assert len(second["duplicates"]) == workouts  # type: ignore[arg-type]
    size_mb = path.stat().st_size / MB
    figures = [
        Figure(
            f"Apple Health import + store, {label}",
            size_mb / ours,
            "MB/s",
            "parse alone: ~50 MB/s a core",
            True,
        ),
        Figure(
            f"Apple Health re-import (all already there), {label}",
            size_mb / again,
            "MB/s",
            "no slower than the first import",
            again <= ours * 1.2,
        ),
        Figure(
            f"Apple Health import + store peak memory, {label}",
            peak,
            "MB",
            f"< {MEMORY_LIMIT_MB:.0f} MB",
            peak < MEMORY_LIMIT_MB,
        ),
    ]
    return figures + healthkit_figures(
        path,
        folder,
        f"Apple Health import + store vs healthkit-to-sqlite, {label}",
        ours,
    )


def run(quick: bool) -> list[Figure]:
    size, label = (20 * MB, "20 MB") if quick else (1024 * MB, "1 GB")
    with tempfile.TemporaryDirectory(prefix="walkwell-bench-") as tmp:
        path = Path(tmp) / "export.xml"
        _records, workouts = generate(path, size)
        return _figures(path, Path(tmp), workouts, label)


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure)
