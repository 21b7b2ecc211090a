"""Reads: rows become the core's frozen dataclasses once, here, at the boundary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from walkwell.core import engine, safety
from walkwell.core import model as core
from walkwell.core.baseline import BaselineSuggestion, before_start, suggest_baseline
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
    "recurrence",
    "created_at",
)


_WALK_ROW = (*core.WALK_FIELDS, "created_at")


def _walks(person: models.Person) -> tuple[core.Walk, ...]:
    """Every walk, those before the start included, in date order."""
    # ``at``, when the row was recorded, orders a walk's signs against a clearance
    rows = person.walks.order_by("date", "id").values_list(*_WALK_ROW)
    return tuple(
        core.Walk.from_plain(
            {**dict(zip(core.WALK_FIELDS, r, strict=False)), "at": r[-1]}
        )
        for r in rows
    )


def walks_before_start(
    person: models.Person, start: dt.date | None = None
) -> tuple[core.Walk, ...]:
    """The walks dated before the program's start (or ``start``): history, never
    judged."""
    rows = (
        person.walks.filter(date__lt=start or person.start)
        .order_by("date", "id")
        .values_list(*core.WALK_FIELDS)
    )
    return tuple(
        core.Walk.from_plain(dict(zip(core.WALK_FIELDS, r, strict=True))) for r in rows
    )


def baseline_suggestion(
    person: models.Person, start: dt.date | None = None
) -> BaselineSuggestion | None:
    """The starting baseline the walks before the start suggest (None: too few).
    ``start``: the day the plan will start, when onboarding finishes later than
    the enrolment (after a clearance the start moves to that day)."""
    first = start or person.start
    return suggest_baseline(
        protocol_for(person), walks_before_start(person, first), first
    )


def usual_morning(person: models.Person) -> core.Morning | None:
    """The usual morning given at onboarding, when all four answers were given."""
    values = (
        person.usual_pain,
        person.usual_stiffness_min,
        person.usual_sleep,
        person.usual_focus,
    )
    if any(v is None for v in values):
        return None
    pain, stiffness, sleep, focus = (float(v or 0) for v in values)
    return core.Morning(
        pain=pain, morning_stiffness_min=stiffness, sleep=sleep, focus=focus
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
            recurrence=r[7],
            at=r[8],
        )
        for r in rows
    )


def _screenings(
    person: models.Person,
) -> tuple[core.Screening, tuple[core.Screening, ...]]:
    """The screening the plan starts from, and the re-screens after it.

    The first is the first one on the start day: onboarding's, or the one that
    completed it after a clearance (which also moved the start). Every later one
    on or after the start is a re-screen, ordered by when it was recorded.
    """
    rows = list(
        person.screenings.filter(date__gte=person.start)
        .order_by("date", "id")
        .values_list("date", "red_flags", "created_at")
    )
    found = [
        core.Screening(date=d, red_flags=frozenset(flags), at=at)
        for d, flags, at in rows
    ]
    if not found or found[0].date != person.start:
        return core.Screening(date=person.start), tuple(found)
    return found[0], tuple(found[1:])


def open_red_flags(person: models.Person) -> list[str]:
    """Red flags answered at the latest screening that reported any, when no
    clearance was recorded after it (a clean screening alone does not count)."""
    row = (
        person.screenings.exclude(red_flags=[])
        .order_by("-date", "-created_at", "-id")
        .first()
    )
    if row is None:
        return []
    later = person.clearances.filter(date__gte=row.date, created_at__gte=row.created_at)
    if later.exists():
        return []
    return list(row.red_flags)


def history_for(person: models.Person) -> core.History:
    """Everything the engine needs about this person, in date order."""
    baseline = person.baseline_minutes
    first, rescreens = _screenings(person)
    if baseline is None:
        # Onboarding stopped at an urgent answer: no walk is prescribed until a
        # clearance, and `init --baseline-minutes` completes it then.
        baseline = float(protocol_for(person).start.min_minutes)
    every_walk = _walks(person)
    return core.History(
        protocol_id=person.protocol_id,
        start=person.start,
        profile=core.Profile(
            baseline_minutes=baseline,
            footwear=_footwear(person.footwear),
            readiness=frozenset(person.readiness),
            go_ahead=person.go_ahead,
            baseline_morning=usual_morning(person),
        ),
        screening=first,
        # a walk before the start is history: kept apart, so no figure counts it
        walks=tuple(w for w in every_walk if w.date >= person.start),
        earlier=before_start(every_walk, person.start),
        checkins=_checkins(person),
        clearances=tuple(
            core.Clearance(date=d, by=by, at=at)
            for d, by, at in person.clearances.order_by("date", "id").values_list(
                "date", "by", "created_at"
            )
        ),
        symptoms=_symptoms(person),
        rescreens=rescreens,
    )


def _symptoms(person: models.Person) -> tuple[core.SymptomReport, ...]:
    rows = person.symptoms.order_by("date", "id").values_list(
        "date", "warning_signs", "red_flags", "created_at"
    )
    return tuple(
        core.SymptomReport(
            date=r[0], warning_signs=frozenset(r[1]), red_flags=frozenset(r[2]), at=r[3]
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
    if person.baseline_minutes is None and (
        not plan.decision.is_escalation or safety.awaits_only_rescreen(plan)
    ):
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
    """Walks before the start are history: none of these figures counts them."""
    planned = person.walks.filter(date__gte=person.start)
    week = planned.filter(date__gt=day - dt.timedelta(days=7), date__lte=day)
    return Status(
        person=person,
        plan=plan_for(person, day),
        walks=planned.count(),
        minutes_last_7_days=sum(w.minutes for w in week),
        last_walk=planned.order_by("-date", "-id").first(),
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
            date__gte=person.start,  # a walk before the start is not judged
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


def walk_with_key(person: models.Person, key: str) -> models.Walk | None:
    """The walk stored earlier under this idempotency key, if any ("" has none)."""
    if not key:
        return None
    return person.walks.filter(idempotency_key=key).first()


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
