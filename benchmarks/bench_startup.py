"""Start-up of the ``walkwell`` command: ``--help``, ``version`` and ``today``.

Each figure is the median of five fresh processes of the installed console script
(``walkwell``), timed from the parent: the wall time from start to exit, and the
child's own CPU time (user + system, from ``wait4``) beside it, because on a
machine shared with other work the wall time grows with the load while the CPU
time barely moves. The load average before the runs is named in each figure.

``today`` runs against a fresh SQLite database under a temporary WALKWELL_HOME
holding one person with a year of daily walks and morning check-ins (``--quick``:
twelve weeks), written by ``benchmarks.pages_child.fill``, the data the page
benchmark renders. Bytecode is compiled first, by one untimed run of each
command into a temporary ``PYTHONPYCACHEPREFIX``, as an installed package has it
(this machine sets ``PYTHONDONTWRITEBYTECODE``). The stored timeline lives in
Django's cache, which is one per process unless CACHE_URL names Redis: without
it, every ``today`` works the plan out again.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Figure

RUNS = 5
COMMANDS = (
    ("walkwell --help", ["--help"], 0.15),
    ("walkwell version", ["version"], 0.15),
    ("walkwell today", ["today"], 0.30),
)
USER = "bench"  # the person pages_child.fill makes


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "WALKWELL_HOME": str(home), "WALKWELL_USER": USER}
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env.pop("DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def walkwell(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh ``walkwell`` process."""
    tool = str(Path(sys.executable).with_name("walkwell"))
    started = time.perf_counter()
    child = subprocess.Popen(
        [tool, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    error = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"walkwell {' '.join(args)} failed: {error[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def _history(days: int, env: dict[str, str]) -> None:
    """A migrated database with one person and ``days`` of walks and mornings."""
    subprocess.run(
        [str(Path(sys.executable).with_name("walkwell")), "setup"], env=env, check=True
    )
    fill = f"import benchmarks.pages_child as child; child.fill({days})"
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", fill], env=env, check=True, cwd=root)


def _medians(days: int) -> list[tuple[str, float, float, float, float]]:
    """For each command: (name, median wall, median CPU, reference, load)."""
    found = []
    with tempfile.TemporaryDirectory() as name:
        env = _env(Path(name))
        _history(days, env)
        for label, args, reference in COMMANDS:
            walkwell(args, env)  # compiles bytecode
            load = os.getloadavg()[0]
            runs = [walkwell(args, env) for _ in range(RUNS)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            found.append((label, wall, cpu, reference, load))
    return found


def run(quick: bool) -> list[Figure]:
    days = 84 if quick else 365
    span = "12 weeks" if quick else "a year"
    figures = []
    for label, wall, cpu, reference, load in _medians(days):
        history = f", {span} of history" if label.endswith("today") else ""
        figures.append(
            Figure(
                name=f"{label} start to exit{history} (median of {RUNS} fresh "
                f"processes; CPU {cpu:.3f} s; load average {load:.1f})",
                value=wall,
                unit="s",
                reference=f"< {reference:.2f} s",
                ok=wall < reference,
            )
        )
    return figures
