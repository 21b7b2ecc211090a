"""Dose arithmetic and the weekly review: how the body's record becomes a step.

``Ledger`` keeps one ``Day`` per calendar day of the fold; the review reads the last
week of it. Every refusal to progress comes back as a ``Reason`` naming its rule.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from statistics import fmean
from typing import NamedTuple

from walkwell.core import recovery, words
from walkwell.core.model import CheckIn, Morning, Reason
from walkwell.core.protocol import Phase, Protocol


class Day(NamedTuple):
    """One folded day's record. A named tuple: one is built for every day of every
    fold, and a tuple builds in a fraction of a frozen dataclass's time."""

    date: dt.date
    prescribed: int
    done: int
    flare: bool
    hard: bool
    checkin: CheckIn | None
    phase: int | None
    painful: bool = False  # a walk's pain went past the limits, during or after it


@dataclass(slots=True)
class Ledger:
    """The days folded so far, and the few facts the rules ask of them.

    Every question reads only its own window (or a fact kept as days are added),
    so a long history costs no more per day than a short one.
    """

    start_minutes: int = 0
    days: list[Day] = field(default_factory=list)
    pending_flare: bool = False
    morning_pain: int | None = None  # the last check-in's pain, kept as days are added
    # The person's own baseline: given at onboarding, or the mean of the first
    # ``baseline_size`` check-ins once there are that many.
    baseline: Morning | None = None
    baseline_size: int = 1
    first_checkins: list[CheckIn] = field(default_factory=list)

    def add(self, day: Day) -> None:
        self.days.append(day)
        self.pending_flare = False
        checkin = day.checkin
        if checkin is not None:
            self.morning_pain = checkin.pain
            if self.baseline is None:
                self._towards_baseline(checkin)

    def _towards_baseline(self, checkin: CheckIn) -> None:
        first = self.first_checkins
        first.append(checkin)
        if len(first) >= self.baseline_size:
            self.baseline = mean_morning(first)

    def mark_morning(self, *, flare: bool) -> None:
        """Today's check-in showed a flare; it is booked with today's record."""
        self.pending_flare = flare

    def last(self, n: int) -> list[Day]:
        return self.days[-n:] if n else []

    def flares_within(self, n: int) -> int:
        """Flares in the previous ``n - 1`` days (today's is not booked yet)."""
        return sum(d.flare for d in self.last(n - 1))

    def checkins_between(self, first: dt.date, last: dt.date) -> list[CheckIn]:
        """Check-ins from ``first`` to ``last``; days are in date order, so bisect."""
        lo = bisect_left(self.days, first, key=_date)
        hi = bisect_right(self.days, last, key=_date)
        return [d.checkin for d in self.days[lo:hi] if d.checkin is not None]


def _date(day: Day) -> dt.date:
    return day.date


def mean_morning(checkins: list[CheckIn]) -> Morning:
    """The average of some check-ins' answers: one pass of plain sums (a review
    averages a handful, and fmean's generality costs more than the sums)."""
    pain = stiffness = sleep = focus = 0
    for c in checkins:
        pain += c.pain
        stiffness += c.morning_stiffness_min
        sleep += c.sleep
        focus += c.focus
    n = len(checkins)
    return Morning(pain / n, stiffness / n, sleep / n, focus / n)


def entry_minutes(protocol: Protocol, phase_number: int, start_minutes: int) -> int:
    """The dose a phase starts at (phase 1 never above the person's own start)."""
    phase = protocol.phase(phase_number)
    return (
        min(start_minutes, phase.minutes_min)
        if phase_number == 1
        else phase.minutes_min
    )


def entered_minutes(
    protocol: Protocol, old: Phase, minutes: int, nxt: Phase, start_minutes: int
) -> int:
    """The dose of a walk on entering ``nxt`` from ``old`` at ``minutes`` a walk: the
    phase's own start (or the dose kept), cut to the weekly cap on the week's total."""
    entry = entry_minutes(protocol, nxt.number, start_minutes)
    if nxt.entry_keeps_dose:
        entry = min(nxt.minutes_max, max(nxt.minutes_min, minutes))
    before = recovery.weekly_minutes(old, minutes)
    return recovery.week_capped(protocol, before, nxt, entry)


def ready_to_leave(
    protocol: Protocol,
    phase: Phase,
    *,
    minutes: int,
    days_in_phase: int,
    top_reviews: int,
    days_since_start: int,
) -> bool:
    """A review may move on from ``phase``: its calendar (``min_days``), its dose
    (``minutes_min``), its settled reviews at the top (``settled_reviews_at_top``)
    and the next phase's calendar floor (``earliest_day``) are all done."""
    if phase.number >= len(protocol.phases):
        return False
    nxt = protocol.phase(phase.number + 1)
    return (
        minutes >= phase.minutes_min
        and days_in_phase >= phase.min_days
        and top_reviews >= phase.settled_reviews_at_top
        and days_since_start >= nxt.earliest_day
    )


def earliest_starts(
    protocol: Protocol,
    start: dt.date,
    start_minutes: int,
    *,
    phase_number: int = 1,
    began: dt.date | None = None,
) -> tuple[dt.date, ...]:
    """The first day each phase can begin, for a plan that starts on ``start`` at
    ``start_minutes`` a walk: every weekly review finds the walks settled, so the
    dose grows at each one and a phase ends as soon as ``ready_to_leave`` allows.
    No one gets there sooner without a clinician's advance; the body may take longer.

    From phase ``phase_number`` begun on ``began`` (at its own starting dose), the
    dates of that phase and each one after it.
    """
    every = protocol.progression.review_days
    phase = protocol.phase(phase_number)
    minutes = (
        start_minutes
        if phase_number == 1
        else entry_minutes(protocol, phase_number, start_minutes)
    )
    day = entered = (began - start).days if began else 0
    top_reviews = 0
    starts = [start + dt.timedelta(days=day)]
    while phase.number < len(protocol.phases):
        day += every
        if minutes >= phase.minutes_max:
            top_reviews += 1
        ready = ready_to_leave(
            protocol,
            phase,
            minutes=minutes,
            days_in_phase=day - entered,
            top_reviews=top_reviews,
            days_since_start=day,
        )
        if ready:
            nxt = protocol.phase(phase.number + 1)
            minutes = entered_minutes(protocol, phase, minutes, nxt, start_minutes)
            phase, entered, top_reviews = nxt, day, 0
            starts.append(start + dt.timedelta(days=day))
        elif minutes < phase.minutes_max:
            minutes = grown_minutes(protocol, phase, minutes)
    return tuple(starts)


def grown_minutes(protocol: Protocol, phase: Phase, minutes: int) -> int:
    """One step up: ``step_minutes`` more, capped by the weekly growth and the phase.

    Whole minutes only; below 5 minutes a 20 % cap rounds to nothing, so the dose
    still grows by one minute.
    """
    prog = protocol.progression
    capped = math.floor(minutes * (1 + prog.max_weekly_growth))
    return min(
        phase.minutes_max, max(minutes + 1, min(minutes + prog.step_minutes, capped))
    )


def stepped_back(
    protocol: Protocol, phase_number: int, minutes: int, start_minutes: int
) -> tuple[int, int]:
    """One step down; below a phase's range, back into the phase before it."""
    floor = max(1, min(protocol.start.min_minutes, start_minutes))
    lower = max(
        floor, math.floor(minutes * (1 - protocol.progression.step_back_fraction))
    )
    phase = protocol.phase(phase_number)
    if lower < phase.minutes_min and phase_number > 1:
        prev = protocol.phase(phase_number - 1)
        return phase_number - 1, min(prev.minutes_max, max(lower, prev.minutes_min))
    return phase_number, lower


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """One thing in the past week that says the body is not ready for more: the
    rule, its source, and the values it saw (words only when asked)."""

    rule: str
    source: str
    values: tuple[float, ...]

    def reason(self) -> Reason:
        return Reason(
            rule=self.rule, source=self.source, text=_WORDS[self.rule](*self.values)
        )


def review_findings(
    protocol: Protocol, ledger: Ledger, *, today_checkin: CheckIn | None
) -> Iterator[ReviewFinding]:
    """Each review check in turn, run only when the one before it has been read:
    a day nobody reads stops at the first finding, enough to hold the dose."""
    n = protocol.progression.review_days
    week = ledger.last(n)
    for found in (
        _adherence(protocol, week),
        _checkins(protocol, week, today_checkin),
        _flares(protocol, week, pending=ledger.pending_flare),
        _too_hard(protocol, week),
    ):
        if found is not None:
            yield found
    yield from _trend(protocol, ledger.last(2 * n)[:-n], week)


def _adherence(protocol: Protocol, week: list[Day]) -> ReviewFinding | None:
    planned = sum(d.prescribed for d in week)
    done = sum(d.done for d in week)
    prog = protocol.progression
    if planned == 0 or done / planned >= prog.min_adherence:
        return None
    values = (done, planned, prog.min_adherence)
    return ReviewFinding("progression.min_adherence", prog.source, values)


def _checkins(
    protocol: Protocol, week: list[Day], today: CheckIn | None
) -> ReviewFinding | None:
    count = sum(d.checkin is not None for d in week[1:]) + (today is not None)
    prog = protocol.progression
    if count >= prog.min_checkins:
        return None
    values = (count, prog.min_checkins)
    return ReviewFinding("progression.min_checkins", prog.source, values)


def _flares(
    protocol: Protocol, week: list[Day], *, pending: bool
) -> ReviewFinding | None:
    count = sum(d.flare for d in week) + pending
    if not count:
        return None
    return ReviewFinding("tolerance.flare_rise", protocol.tolerance.source, (count,))


def _too_hard(protocol: Protocol, week: list[Day]) -> ReviewFinding | None:
    count = sum(d.hard for d in week)
    if not count:
        return None
    return ReviewFinding("tolerance.overdo_ratio", protocol.tolerance.source, (count,))


def _averages(days: list[Day]) -> tuple[float, float] | None:
    checkins = [d.checkin for d in days if d.checkin is not None]
    if not checkins:
        return None
    # lists, not generators: fmean takes its fast path when it can ask the length
    return fmean([c.pain for c in checkins]), fmean(
        [c.morning_stiffness_min for c in checkins]
    )


def _trend(
    protocol: Protocol, before: list[Day], week: list[Day]
) -> list[ReviewFinding]:
    """Silbernagel: pain and stiffness must not creep up week on week."""
    then, now = _averages(before), _averages(week)
    if then is None or now is None:
        return []
    tol = protocol.tolerance
    out: list[ReviewFinding] = []
    if now[0] - then[0] >= tol.weekly_pain_rise:
        values = (then[0], now[0])
        out.append(ReviewFinding("tolerance.weekly_pain_rise", tol.source, values))
    if now[1] - then[1] >= tol.weekly_stiffness_rise_min:
        values = (then[1], now[1])
        rule = "tolerance.weekly_stiffness_rise_min"
        out.append(ReviewFinding(rule, tol.source, values))
    return out


def baseline_findings(protocol: Protocol, ledger: Ledger) -> list[ReviewFinding]:
    """The review period's mornings against the person's own baseline: a slow creep
    that never trips the week-on-week rule still adds up to a meaningful change."""
    base = ledger.baseline
    if base is None:
        return []
    period = ledger.last(protocol.progression.review_days)
    checkins = [d.checkin for d in period if d.checkin is not None]
    if not checkins:
        return []
    now, rule, src = mean_morning(checkins), protocol.baseline, protocol.baseline.source
    out: list[ReviewFinding] = []
    if now.pain - base.pain >= rule.pain_rise:
        values = (base.pain, now.pain, rule.pain_rise)
        out.append(ReviewFinding("baseline.pain_rise", src, values))
    rise = now.morning_stiffness_min - base.morning_stiffness_min
    if rise >= rule.stiffness_rise_min:
        values = (
            base.morning_stiffness_min,
            now.morning_stiffness_min,
            rule.stiffness_rise_min,
        )
        out.append(ReviewFinding("baseline.stiffness_rise_min", src, values))
    if base.sleep - now.sleep >= rule.sleep_drop:
        values = (base.sleep, now.sleep, rule.sleep_drop)
        out.append(ReviewFinding("baseline.sleep_drop", src, values))
    if base.focus - now.focus >= rule.focus_drop:
        values = (base.focus, now.focus, rule.focus_drop)
        out.append(ReviewFinding("baseline.focus_drop", src, values))
    return out


def painful_days(protocol: Protocol, ledger: Ledger) -> int:
    """Days of the review period on which a walk's pain went past the limits."""
    return sum(d.painful for d in ledger.last(protocol.progression.review_days))


def _baseline_words(what: str, unit: str, way: str) -> Callable[..., str]:
    def words_for(base: float, now: float, limit: float) -> str:
        return (
            f"Your average {what} since the last review is {now:.1f}{unit}, against "
            f"your own baseline of {base:.1f}{unit}: {abs(now - base):.1f} {way}. "
            f"The plan does not grow while it is {limit:g} or more {way}."
        )

    return words_for


def _adherence_words(done: float, planned: float, need: float) -> str:
    return (
        f"You walked {done:g} of {words.count(int(planned), 'planned walk')} since the last review; "
        f"the dose grows after at least {need:.0%}."
    )


def _checkin_words(count: float, need: float) -> str:
    return (
        f"Only {words.count(int(count), 'morning check-in')} since the last review; at least {need:g} "
        "are needed to know your walks settled overnight."
    )


def _flare_words(count: float) -> str:
    return (
        f"{words.count(int(count), 'flare')} since the last review: the dose stays until a review "
        "period passes without one."
    )


def _too_hard_words(count: float) -> str:
    return (
        f"{words.count(int(count), 'day')} since the last review went past the plan or past the "
        "whisper; repeat this dose first."
    )


def _pain_trend_words(then: float, now: float) -> str:
    return f"Average morning pain rose from {then:.1f} to {now:.1f} this week."


def _stiffness_trend_words(then: float, now: float) -> str:
    return f"Morning stiffness rose from {then:.0f} to {now:.0f} minutes on average this week."


_WORDS: dict[str, Callable[..., str]] = {
    "progression.min_adherence": _adherence_words,
    "progression.min_checkins": _checkin_words,
    "tolerance.flare_rise": _flare_words,
    "tolerance.overdo_ratio": _too_hard_words,
    "tolerance.weekly_pain_rise": _pain_trend_words,
    "tolerance.weekly_stiffness_rise_min": _stiffness_trend_words,
    "baseline.pain_rise": _baseline_words("morning pain", "/10", "higher"),
    "baseline.stiffness_rise_min": _baseline_words(
        "morning stiffness", " minutes", "higher"
    ),
    "baseline.sleep_drop": _baseline_words("sleep", "/10", "lower"),
    "baseline.focus_drop": _baseline_words("focus", "/10", "lower"),
}


def improvement(
    protocol: Protocol, ledger: Ledger, phase_start: dt.date
) -> tuple[bool, Reason]:
    """Sleep, focus or morning stiffness better now than when the phase began, and
    none of them, nor morning pain, meaningfully worse?"""
    n = protocol.progression.review_days
    week = dt.timedelta(days=n)
    before = ledger.checkins_between(
        phase_start - week, phase_start - dt.timedelta(days=1)
    )
    before = before or ledger.checkins_between(
        phase_start, phase_start + week - dt.timedelta(days=1)
    )
    recent = [d.checkin for d in ledger.last(n) if d.checkin is not None]
    r = protocol.reassess
    if not before or not recent:
        return False, _reassess_reason(
            protocol,
            "There are not enough check-ins to see whether sleep, stiffness or focus changed.",
        )
    then, now = mean_morning(before), mean_morning(recent)
    sleep, focus = now.sleep - then.sleep, now.focus - then.focus
    stiff = then.morning_stiffness_min - now.morning_stiffness_min
    pain = now.pain - then.pain
    changes = f"Sleep {sleep:+.1f}, focus {focus:+.1f}, morning stiffness {-stiff:+.0f} minutes"
    worse = [
        label
        for label, is_worse in (
            (f"sleep ({sleep:+.1f})", -sleep >= r.sleep_loss),
            (f"focus ({focus:+.1f})", -focus >= r.focus_loss),
            (
                f"morning stiffness ({-stiff:+.0f} minutes)",
                -stiff >= r.stiffness_rise_min,
            ),
            (f"morning pain ({pain:+.1f})", pain >= r.pain_rise),
        )
        if is_worse
    ]
    better = (
        sleep >= r.sleep_gain or focus >= r.focus_gain or stiff >= r.stiffness_drop_min
    )
    if better and not worse:
        text = f"{changes}: walking is helping."
        return True, Reason(rule="reassess", source=r.source, text=text)
    if worse:
        text = (
            f"{changes}, but {', '.join(worse)} got worse: one measure improving while "
            "another worsens is not improvement."
        )
        return False, _reassess_reason(protocol, text)
    text = (
        f"Sleep {sleep:+.1f}, focus {focus:+.1f} and morning stiffness {-stiff:+.0f} "
        "minutes have not improved."
    )
    return False, _reassess_reason(protocol, text)


def _reassess_reason(protocol: Protocol, finding: str) -> Reason:
    text = (
        f"{finding} Pause here and talk it over with your physiotherapist: the dose holds "
        "until these improve or a clinician clears you to move on."
    )
    return Reason(rule="reassess", source=protocol.reassess.source, text=text)
