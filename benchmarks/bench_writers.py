"""How many writers at the same moment the embedded default (SQLite) holds.

For each size, ``benchmarks/writers_child.py`` runs in a fresh process on a new
SQLite file under a temporary WALKWELL_HOME: it forks that many processes, each
signed in with its own connection, holds them at a barrier and releases them
together; each posts a morning check-in for a different day through the whole web
stack (a read, then a write, in one transaction: the case that failed with
"database is locked" before writes took the lock up front). The figure is the
largest size at which every writer succeeded; sizes double until one fails or
the last is reached.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from benchmarks.harness import Figure

REFERENCE = 20  # twenty check-ins or walk logs at the same moment
SIZES_QUICK = (10, 20)
SIZES_FULL = (10, 20, 40, 80, 160)


def burst(writers: int) -> tuple[dict[str, object], float]:
    """One burst on a fresh database; the child's summary and its wall time."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "WALKWELL_HOME": home}
        env.pop("DATABASE_URL", None)
        begin = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.writers_child", "checkin", str(writers)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        took = time.perf_counter() - begin
    summary: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return summary, took


def run(quick: bool) -> list[Figure]:
    held, seconds = 0, 0.0
    for writers in SIZES_QUICK if quick else SIZES_FULL:
        summary, took = burst(writers)
        errors = summary["errors"]
        if errors or summary["checkins"] != writers:
            break
        held, seconds = writers, took
    return [
        Figure(
            name=f"concurrent writers on SQLite with 0 errors (largest burst {seconds:.0f} s)",
            value=held,
            unit="writers",
            reference=f">= {REFERENCE}",
            ok=held >= REFERENCE,
        )
    ]
