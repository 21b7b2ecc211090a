"""Server render time of every page for a person with a year of daily data.

A fresh SQLite database under a temporary WALKWELL_HOME gets one person who started
a year ago (``--quick``: twelve weeks) and walked and checked in every day. A child
process (so Django's settings stay out of this one) migrates, fills the database,
then times each page through Django's test client: the whole request through
every middleware, the view, the engine and the template. As elsewhere in
``benchmarks/``, the figure is the best of several renders (the least disturbed by
other work on the machine); the median is printed beside it in docs/performance.md.

Progress keeps its drawn charts in the cache, so after the first render its rows
time a cached view; the "drawn afresh" rows empty the cache before each request
(the first view after a new walk or check-in). The charts alone (``build_charts``,
no database, no cache) are timed here in this process for 1 day, 12 weeks and a
year shown by week, with the CPU time beside the wall time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time

from benchmarks.harness import Figure
from walkwell.core.model import CheckIn, DayPlan, Decision, Prescription, Walk
from walkwell.web.program.progress import Span, build_charts

TARGET_MS = 100.0
CHARTS_TARGET_MS = 40.0  # the charts' share of the page, drawn afresh
END = dt.date(2026, 6, 30)


def _history(days: int) -> tuple[list[Walk], list[CheckIn], list[DayPlan]]:
    """The child's daily story as core values: a walk and a morning each day."""
    start = END - dt.timedelta(days=days - 1)
    walks, checkins, plans = [], [], []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        pain = 2 + (i % 5 == 0)
        walks.append(
            Walk(
                date=day,
                minutes=min(12 + i // 7 * 2, 40),
                pain_before=pain,
                pain_during=pain + 1,
                pain_after=pain,
            )
        )
        checkins.append(
            CheckIn(
                date=day,
                pain=pain,
                morning_stiffness_min=max(30 - i // 7, 5),
                sleep=min(5 + i // 30, 9),
                focus=min(5 + i // 30, 9),
            )
        )
        plans.append(
            DayPlan(
                date=day,
                phase=1 + i // 42,  # a phase line every six weeks
                decision=Decision.CONTINUE,
                reasons=(),
                warnings=(),
                prescription=Prescription(sessions=1, minutes_per_session=20),
            )
        )
    return walks, checkins, plans


def _charts_figures(quick: bool) -> list[Figure]:
    walks, checkins, plans = _history(365)
    out = []
    for label, days in (("1 day", 1), ("12 weeks", 84), ("a year by week", 365)):
        span = Span(END - dt.timedelta(days=days - 1), END)
        in_span = [p for p in plans if p.date >= span.start]
        build_charts(span, walks, checkins, in_span, END)  # warm-up
        wall, cpu = [], []
        for _ in range(3 if quick else 9):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            build_charts(span, walks, checkins, in_span, END)
            wall.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
        out.append(
            Figure(
                name=f"Progress charts drawn, {label} (build_charts; "
                f"CPU {min(cpu):.0f} ms)",
                value=min(wall),
                unit="ms",
                reference=f"< {CHARTS_TARGET_MS:.0f} ms",
                ok=min(wall) < CHARTS_TARGET_MS,
            )
        )
    return out


def _page_name(page: str, span: str, median: float) -> str:
    if page == "CALENDAR":
        page = "calendar feed"
    elif page.startswith("COLD "):
        page = f"{page.removeprefix('COLD ')} drawn afresh (empty cache)"
    return f"render {page} ({span} of data; median {median:.0f} ms)"


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
            name=_page_name(page, span, median),
            value=best,
            unit="ms",
            reference=f"< {TARGET_MS:.0f} ms",
            ok=best < TARGET_MS,
        )
        for page, (best, median, *_) in timings.items()
    ] + _charts_figures(quick)
