"""The engine: a year of daily events for one person; today's decision for 10,000.

References: a person-year must replay well inside a page render (< 100 ms), and a
clinic's nightly review of 10,000 people must fit in a minute on one core.
"""

from __future__ import annotations

import datetime as dt
import random

from benchmarks.harness import Figure, best_of, timed
from walkwell.core.engine import plan_day, timeline
from walkwell.core.model import CheckIn, History, Profile, Screening, Walk
from walkwell.core.protocol import load_protocol

START = dt.date(2026, 1, 5)


def person(days: int, seed: int) -> History:
    """A plausible story: most days walked, most mornings checked, the odd flare."""
    rng = random.Random(seed)
    walks: list[Walk] = []
    checkins: list[CheckIn] = []
    for i in range(days):
        day = START + dt.timedelta(days=i)
        if rng.random() < 0.85:
            sessions = 2 if i < 14 else 1
            minutes = 12 if i < 14 else 25
            walks += [
                Walk(
                    date=day,
                    minutes=minutes,
                    pain_before=3,
                    pain_during=rng.choice((3, 4, 4, 5)),
                    pain_after=3,
                )
                for _ in range(sessions)
            ]
        if rng.random() < 0.8:
            pain = 5 if rng.random() < 0.05 else 3
            checkins.append(
                CheckIn(
                    date=day,
                    pain=pain,
                    morning_stiffness_min=max(5, 30 - i // 3),
                    sleep=6,
                    focus=6,
                )
            )
    return History(
        "seed-3-phase",
        START,
        Profile(12),
        Screening(START),
        tuple(walks),
        tuple(checkins),
    )


def run(quick: bool) -> list[Figure]:
    protocol = load_protocol("seed-3-phase")
    year = person(365, seed=1)
    end = START + dt.timedelta(days=364)
    seconds = best_of(3 if quick else 10, lambda: timeline(protocol, year, end))
    people = 500 if quick else 10_000
    crowd = [person(90, seed=i) for i in range(people)]
    today = START + dt.timedelta(days=89)
    _, crowd_seconds = timed(lambda: [plan_day(protocol, h, today) for h in crowd])
    scaled = crowd_seconds * 10_000 / people
    return [
        Figure(
            "engine: one person-year replayed",
            seconds * 1000,
            "ms",
            "< 100 ms",
            seconds < 0.1,
        ),
        Figure(
            f"engine: today's decision, 10,000 people x 90 days{' (scaled from 500)' if quick else ''}",
            scaled,
            "s",
            "< 60 s on one core",
            scaled < 60,
        ),
    ]
