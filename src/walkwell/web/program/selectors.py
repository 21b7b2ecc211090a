"""Reads: rows become the core's frozen dataclasses once, here, at the boundary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from walkwell.core import engine
from walkwell.core import model as core
from walkwell.core.limits import ValidationProblem
from walkwell.core.protocol import DEFAULT_PROTOCOL, Protocol, load_protocol
from walkwell.web.program import models


def person_for(user: User) -> models.Person | None:
    return models.Person.objects.filter(user=user).first()


def person_for_username(username: str) -> models.Person | None:
    return models.Person.objects.filter(user__username=username).first()


def protocol_for(person: models.Person) -> Protocol:
    return load_protocol(person.protocol_id)


def protocol_for_user(user: User | AnonymousUser) -> Protocol:
    """The person's own protocol; the default one for someone not enrolled yet."""
    person = person_for(user) if user.is_authenticated else None
    return protocol_for(person) if person else load_protocol(DEFAULT_PROTOCOL)


def _footwear(value: str | None) -> core.Footwear | None:
    return core.Footwear(value) if value else None


# Walks and check-ins are read as plain row tuples, not model instances: a year of
# data loads in a fraction of the time.
_CHECKIN_FIELDS = (
    "date",
    "pain",
    "morning_stiffness_min",
    "sleep",
    "focus",
    "warning_signs",
    "red_flags",
)


def _walks(person: models.Person) -> tuple[core.Walk, ...]:
    rows = person.walks.order_by("date", "id").values_list(*core.WALK_FIELDS)
    return tuple(
        core.Walk.from_plain(dict(zip(core.WALK_FIELDS, r, strict=True))) for r in rows
    )


def _checkins(person: models.Person) -> tuple[core.CheckIn, ...]:
    rows = person.checkins.order_by("date").values_list(*_CHECKIN_FIELDS)
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


def _screening(person: models.Person) -> core.Screening:
    """The latest screening: onboarding, or the one that completed it after a
    clearance (which also moved the start, so the engine reads it from there)."""
    row = person.screenings.order_by("-date", "-id").first()
    if row is None:
        return core.Screening(date=person.start)
    return core.Screening(date=row.date, red_flags=frozenset(row.red_flags))


def open_red_flags(person: models.Person) -> list[str]:
    """Red flags answered at screening that no clearance has followed yet."""
    row = person.screenings.order_by("-date", "-id").first()
    if row is None or not row.red_flags:
        return []
    if person.clearances.filter(date__gte=row.date).exists():
        return []
    return list(row.red_flags)


def history_for(person: models.Person) -> core.History:
    """Everything the engine needs about this person, in date order."""
    baseline = person.baseline_minutes
    if baseline is None:
        # Onboarding stopped at an urgent answer: no walk is prescribed until a
        # clearance, and `init --baseline-minutes` completes it then.
        baseline = float(protocol_for(person).start.min_minutes)
    return core.History(
        protocol_id=person.protocol_id,
        start=person.start,
        profile=core.Profile(
            baseline_minutes=baseline, footwear=_footwear(person.footwear)
        ),
        screening=_screening(person),
        walks=_walks(person),
        checkins=_checkins(person),
        clearances=tuple(
            core.Clearance(date=d, by=by)
            for d, by in person.clearances.order_by("date").values_list("date", "by")
        ),
        symptoms=_symptoms(person),
    )


def _symptoms(person: models.Person) -> tuple[core.SymptomReport, ...]:
    rows = person.symptoms.order_by("date", "id").values_list(
        "date", "warning_signs", "red_flags"
    )
    return tuple(
        core.SymptomReport(
            date=r[0], warning_signs=frozenset(r[1]), red_flags=frozenset(r[2])
        )
        for r in rows
    )


def signs_reported_on(person: models.Person, day: dt.date) -> set[str]:
    """Every warning sign and red flag already reported for this day, anywhere."""
    found: set[str] = set()
    for signs in person.walks.filter(date=day).values_list("warning_signs", flat=True):
        found.update(signs)
    for row in person.checkins.filter(date=day).values_list(
        "warning_signs", "red_flags"
    ):
        found.update(row[0], row[1])
    for row in person.symptoms.filter(date=day).values_list(
        "warning_signs", "red_flags"
    ):
        found.update(row[0], row[1])
    return found


def plan_for(person: models.Person, day: dt.date) -> core.DayPlan:
    """What the engine says about this person on this day."""
    protocol = protocol_for(person)
    plan = engine.plan_day(protocol, history_for(person), day)
    if person.baseline_minutes is None and not plan.decision.is_escalation:
        return engine.waiting_for_baseline(protocol, day)
    return plan


def timeline_for(person: models.Person, end: dt.date) -> list[core.DayPlan]:
    """One plan a day, from the program's start to ``end``."""
    if end < person.start:
        raise ValidationProblem(
            "date",
            f"must be on or after the program's start, {person.start.isoformat()}",
        )
    return engine.timeline(protocol_for(person), history_for(person), end)


def walk_list(person: models.Person) -> list[models.Walk]:
    """Walks, newest first."""
    return list(person.walks.order_by("-date", "-id"))


def checkin_list(person: models.Person) -> list[models.CheckIn]:
    return list(person.checkins.order_by("-date"))


def outcome_list(person: models.Person) -> list[models.OutcomeResponse]:
    return list(person.outcomes.order_by("-date", "-id"))


def last_activity_day(person: models.Person) -> dt.date:
    """The latest day any record speaks of (a walk counts for the morning after)."""
    days = [person.start]
    days += [
        w + dt.timedelta(days=1) for w in person.walks.values_list("date", flat=True)
    ]
    days += list(person.checkins.values_list("date", flat=True))
    days += list(person.clearances.values_list("date", flat=True))
    days += list(person.symptoms.values_list("date", flat=True))
    return max(days)


@dataclass(frozen=True, slots=True)
class Status:
    """Where a person stands on a day: the plan and the week behind it."""

    person: models.Person
    plan: core.DayPlan
    walks: int
    minutes_last_7_days: float
    last_walk: models.Walk | None
    last_checkin: models.CheckIn | None


def status_for(person: models.Person, day: dt.date) -> Status:
    week = person.walks.filter(date__gt=day - dt.timedelta(days=7), date__lte=day)
    return Status(
        person=person,
        plan=plan_for(person, day),
        walks=person.walks.count(),
        minutes_last_7_days=sum(w.minutes for w in week),
        last_walk=person.walks.order_by("-date", "-id").first(),
        last_checkin=person.checkins.order_by("-date").first(),
    )


ANSWER_DAYS = 3  # imported walks this many days back (today included) ask for answers


def walks_awaiting_answers(
    person: models.Person, day: dt.date, *, days: int = ANSWER_DAYS
) -> list[models.Walk]:
    """The person's imported walks of the last ``days`` days with no pain answer yet."""
    return list(
        person.walks.filter(
            source=models.WalkSource.IMPORT,
            date__gt=day - dt.timedelta(days=days),
            date__lte=day,
            pain_before__isnull=True,
            pain_during__isnull=True,
            pain_after__isnull=True,
        ).order_by("date", "started_at", "id")
    )


def imported_walk_for(person: models.Person, walk_id: int) -> models.Walk | None:
    """One of the person's own imported walks; None for anyone else's."""
    return person.walks.filter(pk=walk_id, source=models.WalkSource.IMPORT).first()


def walks_on(person: models.Person, day: dt.date) -> list[models.Walk]:
    """The person's walks of one day, in the order they were stored."""
    return list(person.walks.filter(date=day).order_by("id"))


def last_walk(person: models.Person) -> models.Walk | None:
    """The person's latest walk (the latest stored, on the latest day)."""
    return person.walks.order_by("-date", "-id").first()


def checkin_on(person: models.Person, day: dt.date) -> models.CheckIn | None:
    """The person's check-in of one day, if they made one."""
    return person.checkins.filter(date=day).first()


def measures_done_on(person: models.Person, day: dt.date) -> set[str]:
    """The outcome measures the person answered on one day."""
    return set(person.outcomes.filter(date=day).values_list("measure_id", flat=True))


def walk_shapes(walks: list[models.Walk]) -> dict[int, models.WalkShape]:
    """The stored shapes of these walks, by walk id (one query)."""
    ids = [w.pk for w in walks]
    return {s.walk_id: s for s in models.WalkShape.objects.filter(walk_id__in=ids)}


def walk_shape_of(person: models.Person, walk_id: int) -> models.WalkShape | None:
    """One of the person's walks' shape (None for another person's walk)."""
    return (
        models.WalkShape.objects.select_related("walk")
        .filter(walk_id=walk_id, walk__person=person)
        .first()
    )
