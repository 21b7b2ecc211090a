"""Fast reads for the pages: the same History as ``program.selectors.history_for``,
built from plain row tuples instead of model instances (a year of data loads in a
fraction of the time). A test keeps the two identical."""

from __future__ import annotations

import datetime as dt

from walkwell.core import engine
from walkwell.core import model as core
from walkwell.web.program import selectors
from walkwell.web.program.models import Person

WALK_FIELDS = (
    "date",
    "minutes",
    "terrain",
    "pace",
    "pain_before",
    "pain_during",
    "pain_after",
    "warning_signs",
    "cooldown",
    "load_kg",
    "footwear",
)
CHECKIN_FIELDS = (
    "date",
    "pain",
    "morning_stiffness_min",
    "sleep",
    "focus",
    "warning_signs",
    "red_flags",
)


def _walks(person: Person) -> tuple[core.Walk, ...]:
    rows = person.walks.order_by("date", "id").values_list(*WALK_FIELDS)
    terrain, pace, wear = core.Terrain, core.Pace, core.Footwear
    return tuple(
        core.Walk(
            date=r[0],
            minutes=r[1],
            terrain=terrain(r[2]),
            pace=pace(r[3]),
            pain_before=r[4],
            pain_during=r[5],
            pain_after=r[6],
            warning_signs=frozenset(r[7]),
            cooldown=r[8],
            load_kg=r[9],
            footwear=wear(r[10]) if r[10] else None,
        )
        for r in rows
    )


def _checkins(person: Person) -> tuple[core.CheckIn, ...]:
    rows = person.checkins.order_by("date").values_list(*CHECKIN_FIELDS)
    return tuple(
        core.CheckIn(
            date=r[0],
            pain=r[1],
            morning_stiffness_min=r[2],
            sleep=r[3],
            focus=r[4],
            warning_signs=frozenset(r[5]),
            red_flags=frozenset(r[6]),
        )
        for r in rows
    )


def history_for(person: Person) -> core.History:
    """``selectors.history_for`` with the walks and check-ins read as tuples."""
    baseline = person.baseline_minutes
    if baseline is None:  # onboarding stopped at a red flag: as the program reads it
        baseline = float(selectors.protocol_for(person).start.min_minutes)
    screening = person.screenings.order_by("-date", "-id").first()
    return core.History(
        protocol_id=person.protocol_id,
        start=person.start,
        profile=core.Profile(
            baseline_minutes=baseline,
            footwear=core.Footwear(person.footwear) if person.footwear else None,
        ),
        screening=core.Screening(
            date=screening.date, red_flags=frozenset(screening.red_flags)
        )
        if screening
        else core.Screening(date=person.start),
        walks=_walks(person),
        checkins=_checkins(person),
        clearances=tuple(
            core.Clearance(date=d, by=by)
            for d, by in person.clearances.order_by("date").values_list("date", "by")
        ),
    )


def plan_for(person: Person, day: dt.date) -> core.DayPlan:
    return engine.plan_day(selectors.protocol_for(person), history_for(person), day)
