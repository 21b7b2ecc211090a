"""The weekly look back: on each review day, the week in a few lines.

Minutes walked against the plan; how the mornings felt (pain, stiffness, sleep,
focus) against the person's own start, as small better/same/worse marks using the
protocol's own meaningful changes; what changes this week and why (the review's
reasons); a phase change marked with what changes; and the next milestone.

Rest and holding steady are part of the plan: nothing here counts streaks, and
walking more than prescribed earns nothing but a reminder that the plan grows only
as fast as the body settles. Pure: the timeline and history are passed in.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from walkwell.core.model import CheckIn, DayPlan, Walk
from walkwell.core.progression import earliest_starts
from walkwell.core.protocol import Protocol

Mark = Literal["better", "same", "worse"]
WEEK = 7


@dataclass(frozen=True, slots=True)
class MorningMark:
    name: str  # "Pain", "Stiffness", "Sleep", "Focus"
    start: float
    week: float
    mark: Mark
    words: str  # "Pain 3.1 (at the start 5.0): better"

    @property
    def symbol(self) -> str:
        """A small mark that reads the same whichever way the measure runs."""
        return {"better": "✓", "same": "=", "worse": "!"}[self.mark]


@dataclass(frozen=True, slots=True)
class LookBack:
    day: dt.date  # the review day
    walked_min: float
    planned_min: float
    minutes_words: str
    mornings: tuple[MorningMark, ...]
    mornings_words: str
    change: str  # what changes this week
    why: tuple[str, ...]
    phase_change: str  # "" when the phase did not change
    milestone: str
    rest_note: str


@dataclass(frozen=True, slots=True)
class Course:
    """Where the whole timeline went, which a look back's milestone needs: the
    plan's first day, and the first day of each phase run since then (an engine
    ``Window``'s ``phase_changes``). With it a look back needs only the plans of
    its own week, not every day since the start."""

    start: dt.date
    phase_changes: tuple[tuple[dt.date, int], ...]

    def began(self, phase: int, day: dt.date) -> dt.date:
        """The first day the plan was ever in ``phase`` (``day`` if not before)."""
        return next((d for d, p in self.phase_changes if p == phase and d <= day), day)


def course_of(plans: Sequence[DayPlan]) -> Course:
    """The course of a whole timeline (its first plan is the plan's first day)."""
    changes: list[tuple[dt.date, int]] = []
    for p in plans:
        if p.phase and (not changes or changes[-1][1] != p.phase):
            changes.append((p.date, p.phase))
    return Course(plans[0].date, tuple(changes))


def review_days(plans: Sequence[DayPlan]) -> list[dt.date]:
    return [p.date for p in plans if p.reviewed]


def look_back(
    protocol: Protocol,
    plans: Sequence[DayPlan],
    walks: tuple[Walk, ...],
    checkins: tuple[CheckIn, ...],
    day: dt.date,
    *,
    headline: str,
    course: Course | None = None,
) -> LookBack | None:
    """The look back for the review held on ``day`` (None if no review was held).

    ``plans`` is the timeline up to ``day`` at least, or, when the ``course`` of
    the whole timeline is given, at least the week before ``day`` and ``day``;
    ``headline`` is the decision in words (the presenters' ``HEADLINES``)."""
    by_day = {p.date: p for p in plans}
    plan = by_day.get(day)
    if plan is None or not plan.reviewed:
        return None
    first = day - dt.timedelta(days=WEEK)
    week = [by_day[d] for d in _days(first, day) if d in by_day]
    planned = sum(
        p.prescription.sessions * p.prescription.minutes_per_session for p in week
    )
    walked = sum(w.minutes for w in walks if first <= w.date < day)
    marks = _mornings(protocol, checkins, first, day)
    before = by_day.get(day - dt.timedelta(days=1))
    return LookBack(
        day=day,
        walked_min=walked,
        planned_min=planned,
        minutes_words=_minutes_words(walked, planned),
        mornings=marks,
        mornings_words=_mornings_words(marks),
        change=headline,
        why=tuple(r.text for r in plan.reasons),
        phase_change=_phase_change(protocol, before, plan),
        milestone=_milestone(protocol, course or course_of(plans), plan),
        rest_note=(
            "Rest days and weeks that hold steady are part of the plan: nothing is "
            "lost by them."
        ),
    )


def _days(first: dt.date, end: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((end - first).days)]


def _minutes_words(walked: float, planned: float) -> str:
    line = f"{walked:.0f} of {planned:.0f} planned minutes walked this week."
    if planned and walked > planned * 1.1:
        line += (
            " More than planned earns nothing extra: the plan grows only as fast as "
            "your back settles."
        )
    return line


def _mornings(
    protocol: Protocol, checkins: tuple[CheckIn, ...], first: dt.date, day: dt.date
) -> tuple[MorningMark, ...]:
    rule = protocol.baseline
    start = checkins[: rule.checkins]
    week = [c for c in checkins if first < c.date <= day]
    if not start or not week:
        return ()
    # (name, field, a meaningful change, higher is better)
    measures: tuple[tuple[str, str, float, bool], ...] = (
        ("Pain", "pain", rule.pain_rise, False),
        ("Stiffness", "morning_stiffness_min", rule.stiffness_rise_min, False),
        ("Sleep", "sleep", rule.sleep_drop, True),
        ("Focus", "focus", rule.focus_drop, True),
    )
    out = []
    for name, field, meaningful, higher_better in measures:
        then = statistics.fmean(float(getattr(c, field)) for c in start)
        now = statistics.fmean(float(getattr(c, field)) for c in week)
        gain = (now - then) if higher_better else (then - now)
        mark: Mark = (
            "better"
            if gain >= meaningful
            else "worse"
            if gain <= -meaningful
            else "same"
        )
        unit = " min" if name == "Stiffness" else ""
        out.append(
            MorningMark(
                name,
                then,
                now,
                mark,
                f"{name} {now:.1f}{unit} (at the start {then:.1f}{unit}): {_MARK_WORDS[mark]}",
            )
        )
    return tuple(out)


_MARK_WORDS = {"better": "better", "same": "about the same", "worse": "worse"}


def _mornings_words(marks: tuple[MorningMark, ...]) -> str:
    if not marks:
        return "No morning check-ins this week to compare with your start."
    better = [m.name.lower() for m in marks if m.mark == "better"]
    worse = [m.name.lower() for m in marks if m.mark == "worse"]
    if worse:
        return f"Mornings against your start: {', '.join(worse)} worse."
    if better:
        return f"Mornings against your start: {', '.join(better)} better."
    return "Mornings about the same as at your start."


def _phase_change(protocol: Protocol, before: DayPlan | None, plan: DayPlan) -> str:
    if before is None or plan.phase is None or before.phase == plan.phase:
        return ""
    phase = protocol.phase(plan.phase)
    rx = plan.prescription
    return (
        f"New phase: {phase.name}. {phase.goal} From now: "
        f"{rx.sessions} walk{'s' if rx.sessions != 1 else ''} of "
        f"{rx.minutes_per_session} minutes a day."
    )


def _milestone(protocol: Protocol, course: Course, plan: DayPlan) -> str:
    if plan.phase is None or plan.decision.is_escalation:
        return "The plan picks up again once a clinician has seen you."
    if plan.phase >= len(protocol.phases):
        return (
            "Keep walking for life: this phase has no end, and rest days and "
            "steady weeks are part of it."
        )
    phase = protocol.phase(plan.phase)
    nxt = protocol.phase(plan.phase + 1)
    # the fastest course from this phase's start (its own starting dose)
    earliest = earliest_starts(
        protocol,
        course.start,
        phase.minutes_min,
        phase_number=plan.phase,
        began=course.began(plan.phase, plan.date),
    )[1]
    if earliest > plan.date:
        return (
            f"{nxt.name} can start on {earliest:%A} {earliest.day} {earliest:%B} "
            "if your walks keep settling."
        )
    if phase.settled_reviews_at_top:
        return (
            f"{nxt.name} can start after {phase.settled_reviews_at_top} settled "
            f"weekly reviews at {phase.minutes_max} minutes."
        )
    return f"{nxt.name} can start at a coming review if your walks keep settling."
