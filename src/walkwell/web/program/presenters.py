"""Plain-language views of the engine's answer and of stored walks, shared by the
web apps (Today, the plan, the guided walk, the calendar feed, imported walks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from walkwell.core import engine, lookback, progression
from walkwell.core.lookback import Course, LookBack
from walkwell.core.model import (
    CheckIn,
    DayPlan,
    Decision,
    Footwear,
    Pace,
    Prescription,
    Reason,
    Terrain,
)
from walkwell.core.model import Walk as CoreWalk
from walkwell.core.protocol import Protocol
from walkwell.core.words import date_in_words
from walkwell.web.program.models import Walk

TERRAIN_TEXT = {
    Terrain.FLAT: "Flat paths",
    Terrain.GRASS: "Grass",
    Terrain.INCLINE: "Gentle slopes",
    Terrain.HILLS: "Hills",
    Terrain.UNEVEN: "Uneven ground",
}
PACE_TEXT = {
    Pace.EASY: "Easy (can chat)",
    Pace.MODERATE: "Moderate",
    Pace.BRISK: "Brisk",
    Pace.INTERVALS: "3 brisk / 1 slow",
}
FOOTWEAR_TEXT = {
    Footwear.SUPPORTIVE: "Supportive shoes (firm arch, moderate heel drop)",
    Footwear.UNSUPPORTIVE: "Soft or unsupportive shoes",
    Footwear.WORN_OUT: "Worn-out soles",
    Footwear.BAREFOOT_STYLE: "Barefoot-style shoes",
}

HEADLINES = {
    Decision.NOT_STARTED: "Your plan has not started yet.",
    Decision.CONTINUE: "Keep going: the same walks as before.",
    Decision.ADVANCE: "Step up: your body handled the last week well.",
    Decision.HOLD: "Hold steady: the same walks until things settle.",
    Decision.STEP_BACK: "Step back: shorter walks for now.",
    Decision.PAUSE_REASSESS: "Pause and reassess before going further.",
    Decision.STOP_CONSULT: "Stop and see a professional before walking on.",
    Decision.SEEK_URGENT_CARE: "Get medical help now.",
}
# The plan's first day, when the decision is to go on: there is no "before" yet.
FIRST_DAY_HEADLINE = "Your plan starts today: begin with today's walks."


def headline(plan: DayPlan) -> str:
    """The decision in one sentence (on the plan's first day, that it starts)."""
    if plan.decision is Decision.CONTINUE and engine.starts_today(plan):
        return FIRST_DAY_HEADLINE
    return HEADLINES[plan.decision]


# How loudly the decision is shown: urgent (red, full width), danger, warn, ok.
SEVERITY = {
    Decision.SEEK_URGENT_CARE: "urgent",
    Decision.STOP_CONSULT: "danger",
    Decision.PAUSE_REASSESS: "warn",
    Decision.STEP_BACK: "warn",
    Decision.HOLD: "warn",
}


@dataclass(frozen=True, slots=True)
class PhaseStep:
    number: int
    name: str
    goal: str
    when: str  # "Began on 28 November 2026", "From 12 December 2026 at the earliest"
    sessions: str
    minutes: str
    terrain: str
    current: bool


def phase_timeline(
    protocol: Protocol,
    course: Course,
    start_minutes: int,
    current: int | None,
    today: dt.date,
) -> list[PhaseStep]:
    """Each phase with the day it began, or the earliest day it can begin by the
    protocol's rules (``progression.earliest_starts``): the body decides the rest."""
    whens = _phase_whens(protocol, course, start_minutes, current, today)
    steps = []
    for phase in protocol.phases:
        per_week = (
            "every day"
            if phase.days_per_week == 7
            else f"{phase.days_per_week} days a week"
        )
        times = (
            "once" if phase.sessions_per_day == 1 else f"{phase.sessions_per_day} times"
        )
        steps.append(
            PhaseStep(
                number=phase.number,
                name=phase.name,
                goal=phase.goal,
                when=whens[phase.number],
                sessions=f"{times} a day, {per_week}",
                minutes=f"{phase.minutes_min}-{phase.minutes_max} minutes",
                terrain=terrain_words(phase.terrain),
                current=phase.number == current,
            )
        )
    return steps


def _phase_whens(
    protocol: Protocol,
    course: Course,
    start_minutes: int,
    current: int | None,
    today: dt.date,
) -> dict[int, str]:
    """The phases begun so far with the day each began; the others at the earliest
    from the current phase's own start (``current`` None: the plan's start)."""
    began = {number: day for day, number in course.phase_changes}  # the latest run
    now = current or 1
    earliest = progression.earliest_starts(
        protocol,
        course.start,
        start_minutes,
        phase_number=now,
        began=began.get(now, course.start),
    )
    whens = {}
    for number, day in enumerate(earliest, start=now):
        if number in began and number <= now:
            whens[number] = f"Began on {date_in_words(began[number])}"
        elif day > today or number == now:
            whens[number] = f"From {date_in_words(day)} at the earliest"
        else:  # slower than the fastest course: no date to promise
            whens[number] = "At a coming weekly review, once your walks allow"
    for number in range(1, now):
        whens[number] = f"Began on {date_in_words(began.get(number, course.start))}"
    return whens


def terrain_words(terrain: tuple[str, ...]) -> str:
    return ", ".join(TERRAIN_TEXT.get(t, t).lower() for t in terrain) or "any"  # type: ignore[call-overload]


def pace_words(prescription: Prescription) -> str:
    return PACE_TEXT.get(prescription.pace, str(prescription.pace))


def urgent_action(plan: DayPlan) -> Reason | None:
    """The tier's instruction ("Go to an emergency department now ...") if any."""
    return plan.action


def intervals_words(prescription: Prescription) -> str:
    parts = [f"{minutes} min {kind}" for kind, minutes in prescription.intervals]
    return ", then ".join(parts) + ", repeated" if parts else ""


KM_PER_MILE = 1.609344


def walk_line(walk: Walk, distance_unit: str) -> str:
    """ "12 minutes, 1.1 km" in the person's units (distance when a device gave one).

    ``distance_unit`` is "km" or "mi", as the person's preferences store it.
    """
    line = f"{walk.minutes:g} minutes"
    if walk.distance_m:
        km = walk.distance_m / 1000
        line += (
            f", {km / KM_PER_MILE:.1f} miles"
            if distance_unit == "mi"
            else f", {km:.1f} km"
        )
    return line


def recurrence_words(days: int | None) -> str:
    """Days since the last recurrence (back pain that stopped usual activities for
    24 hours or more), in words."""
    if days is None:
        return "No recurrence recorded: back pain has not stopped your usual activities for a day or more since you started."
    if days == 0:
        return "Your last recurrence was reported today."
    return f"{days} day{'s' if days != 1 else ''} since your last recurrence."


@dataclass(frozen=True, slots=True)
class EarlierWalks:
    """The walks before the program's start, as Progress shows them."""

    count: int
    minutes: float
    first: dt.date | None
    last: dt.date | None
    recent: tuple[CoreWalk, ...]  # the latest few, newest first


def earlier_walks(walks: tuple[CoreWalk, ...], *, shown: int = 10) -> EarlierWalks:
    return EarlierWalks(
        count=len(walks),
        minutes=sum(w.minutes for w in walks),
        first=walks[0].date if walks else None,
        last=walks[-1].date if walks else None,
        recent=tuple(reversed(walks[-shown:])),
    )


def flare_plan_words(plan: DayPlan) -> str:
    """The flare plan's words while one runs, unless a reason already says them."""
    if not plan.flare_plan or any(r.rule == "flare_plan" for r in plan.reasons):
        return ""
    return plan.flare_plan


# --- Today at a glance ------------------------------------------------------------

REST_DAY = (
    "A rest day. Gentle everyday movement is still welcome: rest is part of the plan."
)
GENTLE_WALK = (
    "Until a clinician has seen you, walk only if it feels fine: short, flat and "
    "easy. Stop at once if the sign comes back."
)


def walk_count(prescription: Prescription, done: int) -> str:
    """ "2 walks of 10 minutes (1 done)": how many and how long, in one line."""
    n = prescription.sessions
    line = f"{'1 walk' if n == 1 else f'{n} walks'} of {prescription.minutes_per_session} minutes"
    return f"{line} ({done} done)" if done else line


# --- pictures of the moves ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Picture:
    """One of WalkWell's drawings of a move (``pages/moves/<slug>.svg``); its text
    alternative is the drawing's own ``<title>``."""

    slug: str
    name: str

    @property
    def template(self) -> str:
        return f"pages/moves/{self.slug}.svg"


POSTURE = Picture("posture", "The posture stack")
ARM_SWING = Picture("arm-swing", "The gentle arm swing")
GLUTE_HEEL = Picture("glute-heel", "Glute squeeze and heel-to-toe roll")
NASAL = Picture("nasal-breathing", "Nasal breathing")
DECOMPRESSION = Picture("decompression", "Standing spinal decompression")
PICTURES = (POSTURE, ARM_SWING, GLUTE_HEEL, NASAL, DECOMPRESSION)

# Words that name a move in a cue, a lesson or the cooldown, and its drawing. Only
# which picture to show: what to do is the protocol's own text.
_PICTURE_WORDS = (
    ("ears over", POSTURE),
    ("your ears over", POSTURE),
    ("arms swing", ARM_SWING),
    ("gaze forward", ARM_SWING),
    ("glutes", GLUTE_HEEL),
    ("heel to toe", GLUTE_HEEL),
    ("through your nose", NASAL),
    ("decompression", DECOMPRESSION),
    ("arms overhead", DECOMPRESSION),
)


def picture_for(text: str) -> Picture | None:
    """The drawing of the move a cue speaks of, if there is one."""
    lower = text.lower()
    return next((p for words, p in _PICTURE_WORDS if words in lower), None)


@dataclass(frozen=True, slots=True)
class CuePicture:
    text: str
    picture: Picture | None


def cue_pictures(cues: tuple[str, ...] | list[str]) -> list[CuePicture]:
    return [CuePicture(c, picture_for(c)) for c in cues]


# Which drawings a Learn lesson shows (by the lesson's slug).
LESSON_PICTURES = {
    "posture": (POSTURE, ARM_SWING, GLUTE_HEEL, NASAL),
    "recovery": (DECOMPRESSION,),
}


# --- the weekly look back ---------------------------------------------------------

LOOK_BACKS_SHOWN = 8  # weeks on Progress


def look_back_on(
    protocol: Protocol,
    plans: Sequence[DayPlan],
    walks: tuple[CoreWalk, ...],
    checkins: tuple[CheckIn, ...],
    day: dt.date,
    *,
    course: Course | None = None,
) -> LookBack | None:
    """The look back for the review held on ``day``, if one was. ``walks`` and
    ``checkins`` need cover only the reviewed weeks, and the first check-ins (the
    person's own start, which the mornings are marked against). ``plans``: the
    timeline to ``day``, or with the whole timeline's ``course`` only the week
    before ``day`` and ``day`` (``lookback.look_back``)."""
    plan = next((p for p in reversed(plans) if p.date == day), None)
    if plan is None:
        return None
    return lookback.look_back(
        protocol,
        plans,
        walks,
        checkins,
        day,
        headline=headline(plan),
        course=course,
    )


def look_backs(
    protocol: Protocol,
    plans: Sequence[DayPlan],
    walks: tuple[CoreWalk, ...],
    checkins: tuple[CheckIn, ...],
    limit: int = LOOK_BACKS_SHOWN,
    *,
    course: Course | None = None,
) -> list[LookBack]:
    """The latest reviews' look backs, newest first (``plans``: the whole
    timeline, or recent days with the whole timeline's ``course``)."""
    days = lookback.review_days(plans)[-limit:]
    if days and course is None:
        course = lookback.course_of(plans)
    found = (
        look_back_on(protocol, plans, walks, checkins, d, course=course)
        for d in reversed(days)
    )
    return [lb for lb in found if lb is not None]


def look_backs_within(
    protocol: Protocol,
    plans: Sequence[DayPlan],
    walks: tuple[CoreWalk, ...],
    checkins: tuple[CheckIn, ...],
    *,
    course: Course,
    limit: int = LOOK_BACKS_SHOWN,
) -> list[LookBack] | None:
    """``look_backs`` from the recent ``plans`` of a timeline whose ``course`` is
    given, or None when they do not reach back far enough: they must start at the
    plan's start, or hold the last ``limit`` reviews and the week before each."""
    if not plans or plans[0].date <= course.start:
        return look_backs(protocol, plans, walks, checkins, limit, course=course)
    days = lookback.review_days(plans)[-limit:]
    if len(days) < limit or days[0] - dt.timedelta(days=lookback.WEEK) < plans[0].date:
        return None
    return look_backs(protocol, plans, walks, checkins, limit, course=course)


def look_back_lines(week: LookBack) -> list[str]:
    """The card as plain lines, for the reminder emails."""
    lines = [
        f"Your week, to {week.day:%A} {week.day.day} {week.day:%B}",
        week.minutes_words,
        week.mornings_words,
        *(f"  {m.symbol} {m.words}" for m in week.mornings),
    ]
    if week.phase_change:
        lines.append(week.phase_change)
    lines.append(f"This week: {week.change}")
    lines += [f"  - {why}" for why in week.why]
    lines += [f"Next: {week.milestone}", week.rest_note]
    return lines
