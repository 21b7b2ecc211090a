"""Server render time of every page for a person with a year of daily data.

A fresh SQLite database under a temporary WALKWELL_HOME gets one person who started
a year ago (``--quick``: twelve weeks) and walked and checked in every day. A child
process (so Django's settings stay out of this one) migrates, fills the database,
then times each page through Django's test client: the whole request through
every middleware, the view, the engine and the template. As elsewhere in
``benchmarks/``, the figure is the best of several renders (the least disturbed by
other work on the machine); the median is printed beside it in docs/performance.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from benchmarks.harness import Figure

TARGET_MS = 100.0


def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "WALKWELL_HOME": home}
        env.pop("DATABASE_URL", None)
        size = "quick" if quick else "full"
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.pages_child", size],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
    timings: dict[str, list[float]] = json.loads(out.stdout.strip().splitlines()[-1])
    span = "12 weeks" if quick else "a year"
    return [
        Figure(
            name=f"render {'calendar feed' if page == 'CALENDAR' else page} "
            f"({span} of data; median {median:.0f} ms)",
            value=best,
            unit="ms",
            reference=f"< {TARGET_MS:.0f} ms",
            ok=best < TARGET_MS,
        )
        for page, (best, median) in timings.items()
    ]
