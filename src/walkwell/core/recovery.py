"""Dose arithmetic for steps back, returns and phase changes, by the day and week.

Phases differ in walks a day and days a week (Reset: two a day, every day;
Strengthen: one a day, five days), so a step back is judged on the minutes a day
and a phase change on the week's total, never on the session length alone.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

from walkwell.core.model import CheckIn
from walkwell.core.protocol import Phase, Protocol


def daily_minutes(phase: Phase, minutes: int) -> int:
    """The minutes a walking day holds."""
    return phase.sessions_per_day * minutes


def weekly_minutes(phase: Phase, minutes: int) -> int:
    """The minutes a week holds."""
    return phase.sessions_per_day * phase.days_per_week * minutes


def week_capped(protocol: Protocol, before: int, phase: Phase, minutes: int) -> int:
    """``minutes`` a walk in ``phase``, cut so the week's total grows from ``before``
    by at most the weekly cap (a phase change is no excuse for a jump)."""
    limit = before * (1 + protocol.progression.max_weekly_growth)
    per_week = phase.sessions_per_day * phase.days_per_week
    return max(1, min(minutes, math.floor(limit / per_week)))


def stepped_back(
    protocol: Protocol, phase_number: int, minutes: int, start_minutes: int
) -> tuple[int, int]:
    """One step down in the minutes a day; below the phase's range, into the phase
    before it with the same lower daily total (split over its walks)."""
    floor = max(1, min(protocol.start.min_minutes, start_minutes))
    phase = protocol.phase(phase_number)
    fraction = 1 - protocol.progression.step_back_fraction
    lower = max(floor, math.floor(minutes * fraction))
    if lower >= phase.minutes_min or phase_number == 1:
        return phase_number, lower
    prev = protocol.phase(phase_number - 1)
    daily = math.floor(daily_minutes(phase, minutes) * fraction)
    per_walk = math.floor(daily / prev.sessions_per_day)
    return phase_number - 1, max(floor, min(prev.minutes_max, per_walk))


def walked_per_week(
    walked: Mapping[dt.date, float], day: dt.date, lookback_days: int
) -> float:
    """What the person really walked, as a week's average over the days before
    ``day`` (every walk counts, the gentle ones during a stop too)."""
    one = dt.timedelta(days=1)
    total = sum(walked.get(day - one * n, 0.0) for n in range(1, lookback_days + 1))
    return total * 7 / lookback_days


def return_minutes(
    protocol: Protocol, phase: Phase, minutes: int, per_week: float
) -> int:
    """A walk's minutes after a return: the week really walked spread over the
    phase's week, never above the dose before the stop; the gentle dose when
    nothing was walked."""
    if per_week <= 0:
        return min(minutes, protocol.gentle.max_minutes)
    spread = math.floor(per_week / (phase.sessions_per_day * phase.days_per_week))
    return min(minutes, max(protocol.start.min_minutes, spread))


def days_since_recurrence(checkins: Iterable[CheckIn], today: dt.date) -> int | None:
    """Days since the last check-in that reported a recurrence (None: never)."""
    days = [c.date for c in checkins if c.recurrence and c.date <= today]
    return (today - max(days)).days if days else None
