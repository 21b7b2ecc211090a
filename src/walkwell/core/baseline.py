"""Walks before the program's start: the person's history, and the starting
baseline it suggests when they gave none.

A walk dated before the start is never judged and never counts in a figure of the
plan (``History.earlier`` keeps it apart from ``History.walks``). What it can do is
say where the person really is: the usual length of a walk that stayed within the
whisper, and the minutes a week they walked. The suggestion is the smaller of that
usual walk and what keeps phase 1's first week within the weekly cap of the week
they really walked, so the plan does not begin with a load spike. The person
confirms it (or gives their own); nothing here stores or decides anything.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median_low

from walkwell.core.limits import MAX_WALK_MINUTES
from walkwell.core.model import Walk
from walkwell.core.protocol import Protocol
from walkwell.core.tolerance import past_limits


@dataclass(frozen=True, slots=True)
class BaselineSuggestion:
    """A starting baseline read from the walks before the start."""

    minutes: int  # the suggested baseline: minutes a walk
    daily_minutes: int  # phase 1's first day at that dose (all its walks)
    usual_minutes: float  # the usual tolerated walk (the median)
    per_week: float  # minutes a week really walked over the lookback
    walks: int  # tolerated walks it was read from
    lookback_days: int
    rule: str
    source: str

    @property
    def text(self) -> str:
        weeks = self.lookback_days // 7
        span = (
            f"{weeks} weeks"
            if self.lookback_days % 7 == 0
            else f"{self.lookback_days} days"
        )
        return (
            f"In the {span} before your start you walked about {self.per_week:.0f} "
            f"minutes a week; a walk that stayed within the whisper usually lasted "
            f"{self.usual_minutes:g} minutes ({self.walks} walks). Suggested baseline: "
            f"{self.minutes} minutes a walk ({self.daily_minutes} minutes on each day of "
            "the first phase), so your first week grows by no more than the weekly cap "
            "on what you really walked."
        )


def before_start(walks: Iterable[Walk], start: dt.date) -> tuple[Walk, ...]:
    """The walks dated before the start, in date order."""
    return tuple(sorted((w for w in walks if w.date < start), key=lambda w: w.date))


def suggest_baseline(
    protocol: Protocol, walks: Iterable[Walk], start: dt.date
) -> BaselineSuggestion | None:
    """The baseline the walks before ``start`` suggest; None when fewer than the
    protocol's ``min_walks`` tolerated walks fall within its lookback."""
    rule = protocol.history
    first = start - dt.timedelta(days=rule.lookback_days)
    recent = [w for w in walks if first <= w.date < start and w.minutes > 0]
    tol = protocol.tolerance
    tolerated = [
        w.minutes for w in recent if past_limits(tol, w) is None and not w.warning_signs
    ]
    if len(tolerated) < rule.min_walks:
        return None
    usual = median_low(tolerated)
    per_week = sum(w.minutes for w in recent) * 7 / rule.lookback_days
    phase = protocol.phase(1)
    walks_a_week = phase.sessions_per_day * phase.days_per_week
    capped = math.floor(
        per_week * (1 + protocol.progression.max_weekly_growth) / walks_a_week
    )
    minutes = int(
        max(
            protocol.start.min_minutes, min(math.floor(usual), capped, MAX_WALK_MINUTES)
        )
    )
    first_dose = max(1, min(minutes, phase.minutes_max))  # as the engine starts it
    return BaselineSuggestion(
        minutes=minutes,
        daily_minutes=first_dose * phase.sessions_per_day,
        usual_minutes=round(usual, 1),
        per_week=per_week,
        walks=len(tolerated),
        lookback_days=rule.lookback_days,
        rule="history.lookback_days",
        source=rule.source,
    )
