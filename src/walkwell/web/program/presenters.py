"""Plain-language views of the engine's answer and of stored walks, shared by the
web apps (Today, the plan, the guided walk, the calendar feed, imported walks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from walkwell.core.model import (
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
    from_date: dt.date
    sessions: str
    minutes: str
    terrain: str
    current: bool


def phase_timeline(
    protocol: Protocol, start: dt.date, current: int | None
) -> list[PhaseStep]:
    """Each phase with the earliest date it can begin (the body decides the rest)."""
    steps, day = [], start
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
                from_date=day,
                sessions=f"{times} a day, {per_week}",
                minutes=f"{phase.minutes_min}-{phase.minutes_max} minutes",
                terrain=terrain_words(phase.terrain),
                current=phase.number == current,
            )
        )
        day += dt.timedelta(days=phase.min_days)
    return steps


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
