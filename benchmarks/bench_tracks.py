"""Track import speed: GPX and TCX end to end (parse + metrics), FIT vs fitdecode.

Each figure is the median of five runs in CPU time (``time.process_time``), so
other work on a shared machine moves it less than wall time would. GPX and TCX
runs each import a 200,000-point walk (``trackgen``) in a fresh child process:
the CPU time of the parse, which now includes every measure, and the child's
peak memory (VmHWM). FIT runs alternate, in this one process, fitdecode alone
iterating the largest corpus FIT file and WalkWell's whole FIT import of it, so
both see the same machine load; the figure is the ratio of their medians. A
third interleaved run, fitdecode without its data processor (which the import
skips for records), shows what WalkWell itself adds to the decoding.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import fitdecode

from benchmarks import trackgen
from benchmarks.harness import Figure
from walkwell.importers import fit

CORPUS_FIT = (
    Path(__file__).resolve().parents[2]
    / "shared/corpus/fit/garmin-edge-500-activity.fit"
)
RUNS = 5
POINTS_PER_SECOND = 60_000

_CHILD = """
import sys, time
from pathlib import Path
from walkwell.importers import {module}
start = time.process_time()
with Path(sys.argv[1]).open("rb") as stream:
    result = {module}.parse(stream)
elapsed = time.process_time() - start
track = result[0] if isinstance(result, list) else result
assert track.metrics is not None
hwm = [x for x in open("/proc/self/status") if x.startswith("VmHWM")][0]
print(elapsed, int(hwm.split()[1]) / 1024, track.point_count)
"""


def _child(module: str, path: Path) -> tuple[float, float, int]:
    """(CPU seconds, peak MB, points) of one import in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(module=module), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak, points = out.stdout.split()
    return float(seconds), float(peak), int(points)


def _xml_figures(kind: str, count: int, folder: Path, runs: int) -> list[Figure]:
    write = trackgen.write_gpx if kind == "gpx" else trackgen.write_tcx
    path = write(folder / f"walk.{kind}", count)
    results = [_child(kind, path) for _ in range(runs)]
    if any(points != count for _, _, points in results):
        raise RuntimeError(f"the {kind} import did not read every point")
    rate = count / statistics.median(seconds for seconds, _, _ in results)
    peak = max(peak for _, peak, _ in results)
    return [
        Figure(
            f"{kind.upper()} import + metrics, {count:,} points (median of {runs})",
            rate,
            "points/s",
            f">= {POINTS_PER_SECOND:,} points/s (CPU time)",
            rate >= POINTS_PER_SECOND,
        ),
        Figure(
            f"{kind.upper()} import peak memory (parser child)",
            peak,
            "MB",
            "< 100 MB",
            peak < 100,
        ),
    ]


def cpu_seconds(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def fit_ratio(
    path: Path, runs: int, passes: int = 3
) -> tuple[float, float, float, float]:
    """(ratio, fitdecode median s, ours median s, bare fitdecode median s).

    The runs are interleaved: fitdecode alone (as a program uses it by default,
    with its data processor), WalkWell's import, and fitdecode's bare decoding
    (``processor=None``, the reading the import itself runs).
    """

    def plain() -> None:
        for _ in range(passes):
            with path.open("rb") as stream:
                for _frame in fitdecode.FitReader(
                    stream, check_crc=fitdecode.CrcCheck.RAISE
                ):
                    pass

    def bare() -> None:
        for _ in range(passes):
            with path.open("rb") as stream:
                for _frame in fitdecode.FitReader(
                    stream, processor=None, check_crc=fitdecode.CrcCheck.RAISE
                ):
                    pass

    def ours() -> None:
        for _ in range(passes):
            with path.open("rb") as stream:
                fit.parse(stream)

    plain()  # warm all up (imports, caches) before timing
    ours()
    bare()
    theirs, mine, bares = [], [], []
    for _ in range(runs):
        theirs.append(cpu_seconds(plain))
        mine.append(cpu_seconds(ours))
        bares.append(cpu_seconds(bare))
    a, b = statistics.median(theirs), statistics.median(mine)
    return b / a, a, b, statistics.median(bares)


def _fit_figure(runs: int) -> list[Figure]:
    if not CORPUS_FIT.is_file():
        return []
    ratio, _, ours, bare = fit_ratio(CORPUS_FIT, runs)
    return [
        Figure(
            f"FIT import + metrics / fitdecode alone (median of {runs}, interleaved)",
            ratio,
            "x",
            "<= 1.10",
            ratio <= 1.10,
        ),
        Figure(
            "FIT import + metrics / fitdecode's bare decoding (processor=None)",
            ours / bare,
            "x",
            "information: WalkWell's own cost over the decoding it runs",
            True,
        ),
    ]


def run(quick: bool) -> list[Figure]:
    count = 20_000 if quick else 200_000
    runs = 1 if quick else RUNS
    with tempfile.TemporaryDirectory() as folder:
        figures = _xml_figures("gpx", count, Path(folder), runs) + _xml_figures(
            "tcx", count, Path(folder), runs
        )
    return figures + _fit_figure(runs)
