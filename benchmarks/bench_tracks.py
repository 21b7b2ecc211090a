"""Track import speed and memory: GPX and TCX of 200,000 points, and FIT vs fitdecode.

Each import runs in a child process so its peak memory (VmHWM, which exec resets)
is the importer's own, not whatever the benchmark runner has loaded. Speed is CPU
time of that process, so other work on a shared machine disturbs it less.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import fitdecode

from benchmarks import trackgen
from benchmarks.harness import Figure, best_of
from walkwell.importers import fit

CORPUS_FIT = (
    Path(__file__).resolve().parents[2]
    / "shared/corpus/fit/garmin-edge-500-activity.fit"
)

_CHILD = """
import sys, time
from pathlib import Path
from walkwell.importers import {module}
start = time.process_time()
with Path(sys.argv[1]).open("rb") as stream:
    result = {module}.parse(stream)
elapsed = time.process_time() - start
hwm = [x for x in open("/proc/self/status") if x.startswith("VmHWM")][0]
print(elapsed, int(hwm.split()[1]) / 1024)
"""


def _child(module: str, path: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one import in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(module=module), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def _xml_figures(kind: str, count: int, folder: Path) -> list[Figure]:
    write = trackgen.write_gpx if kind == "gpx" else trackgen.write_tcx
    path = write(folder / f"walk.{kind}", count)
    seconds, peak = _child(kind, path)
    rate = count / seconds
    return [
        Figure(
            f"{kind.upper()} import, {count:,} points",
            rate,
            "points/s",
            ">= 50,000 points/s",
            rate >= 50_000,
        ),
        Figure(
            f"{kind.upper()} import peak memory", peak, "MB", "< 100 MB", peak < 100
        ),
    ]


def _fit_figure(quick: bool) -> list[Figure]:
    if not CORPUS_FIT.is_file():
        return []

    def plain() -> None:
        with CORPUS_FIT.open("rb") as stream:
            for _ in fitdecode.FitReader(stream, check_crc=fitdecode.CrcCheck.RAISE):
                pass

    def ours() -> None:
        with CORPUS_FIT.open("rb") as stream:
            fit.parse(stream)

    repeats = 1 if quick else 5
    ratio = best_of(repeats, ours) / best_of(repeats, plain)
    return [
        Figure(
            "FIT import time / fitdecode alone",
            ratio,
            "x",
            "<= 1.10 (fitdecode's own pace)",
            ratio <= 1.10,
        )
    ]


def run(quick: bool) -> list[Figure]:
    count = 20_000 if quick else 200_000
    with tempfile.TemporaryDirectory() as folder:
        figures = _xml_figures("gpx", count, Path(folder)) + _xml_figures(
            "tcx", count, Path(folder)
        )
    return figures + _fit_figure(quick)
