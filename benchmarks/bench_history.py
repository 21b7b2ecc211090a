"""Today and Progress with ten years of history: the stored timeline at work.

The same child as ``bench_pages`` (``benchmarks/pages_child.py decade``): one
person who walked and checked in every day for ten years (``--quick``: a year).
The first render after a write folds every day since the start once and stores
the answer under the person's history version; every later render reads it, so a
page's cost no longer grows with the history. The COLD rows empty the cache
before each render: the first view after a write. Each figure also names the
median CPU time of the child (user and system) and the load average, since on a
shared machine the wall time mostly measures waiting for a core.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from benchmarks.harness import Figure

TARGET_MS = 25.0


def run(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "WALKWELL_HOME": home}
        env.pop("DATABASE_URL", None)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.pages_child"]
            + (["full"] if quick else ["decade"]),
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
    timings: dict[str, list[float]] = json.loads(out.stdout.strip().splitlines()[-1])
    span = "a year" if quick else "10 years"
    load = os.getloadavg()[0]
    figures = []
    for page, (best, median, _, cpu) in timings.items():
        if page not in {"/", "/progress/", "COLD /", "COLD /progress/"}:
            continue
        cold = page.startswith("COLD ")
        name = {"/": "Today", "/progress/": "Progress"}[page.removeprefix("COLD ")]
        figures.append(
            Figure(
                name=f"{name}, {span} of history, "
                + ("first view after a write" if cold else "stored timeline")
                + f" (median {median:.0f} ms; CPU median {cpu:.1f} ms; "
                f"load {load:.1f})",
                value=best,
                unit="ms",
                reference="(a fold: for reference)"
                if cold
                else f"< {TARGET_MS:.0f} ms",
                ok=cold or best < TARGET_MS,
            )
        )
    return figures
