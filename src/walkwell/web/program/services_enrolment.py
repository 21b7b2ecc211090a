"""Enrolment: the screening answers and the baseline that start a plan.

``enrollment_record`` is what the pages and the CLI call: it decides whether the
answers start a plan, finish one an urgent answer stopped, or only screen again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.db import transaction

from walkwell.core import limits
from walkwell.core import model as core
from walkwell.core.limits import ValidationProblem
from walkwell.core.protocol import (
    DEFAULT_PROTOCOL,
    Protocol,
    ProtocolError,
    load_protocol,
)
from walkwell.web.program import audit, days, selectors
from walkwell.web.program.models import (
    PROTOCOL_NAME_MAX,
    AuditEvent,
    Person,
    Screening,
)


def _protocol(protocol_id: str) -> Protocol:
    try:
        return load_protocol(protocol_id)
    except ProtocolError as exc:
        raise ValidationProblem("protocol", str(exc).splitlines()[0]) from None


@transaction.atomic
def enrollment_record(
    *,
    user: User,
    day: dt.date,
    baseline_minutes: float | None,
    red_flags: Iterable[str] = (),
    protocol_id: str = DEFAULT_PROTOCOL,
    footwear: str | None = None,
    usual_morning: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> Person:
    """The screening answers, and the baseline unless an urgent answer stopped
    onboarding (``baseline_minutes`` None). ``usual_morning`` (optional: ``pain``,
    ``morning_stiffness_min``, ``sleep``, ``focus``) is the person's own baseline
    morning; without it the first week of check-ins makes it.

    Someone new is enrolled; someone waiting for a clearance finishes enrolling
    when a baseline comes, or is screened again when it does not; a plan that has
    started is not started again. ``day`` (the plan's start) may not come after
    ``today``, the person's day (``days.come``).
    """
    days.come("start", day, today)
    person = selectors.person_for(user)
    if person is None:
        return enrollment_start(
            user=user,
            start=day,
            baseline_minutes=baseline_minutes,
            red_flags=red_flags,
            protocol_id=protocol_id,
            footwear=footwear,
            usual_morning=usual_morning,
            today=today,
        )
    if person.baseline_minutes is not None:
        raise ValidationProblem("plan", f"already started on {person.start}")
    if baseline_minutes is None:
        screening_record(person=person, day=day, red_flags=red_flags, today=today)
        return person
    return enrollment_complete(
        person=person,
        day=day,
        baseline_minutes=baseline_minutes,
        red_flags=red_flags,
        usual_morning=usual_morning,
        today=today,
    )


@transaction.atomic
def enrollment_start(
    *,
    user: User,
    start: dt.date,
    baseline_minutes: float | None,
    red_flags: Iterable[str] = (),
    protocol_id: str = DEFAULT_PROTOCOL,
    footwear: str | None = None,
    usual_morning: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> Person:
    """Enrol a person: screening answers first, then the baseline (None when an urgent
    answer ended onboarding; ``enrollment_complete`` adds it after a clearance)."""
    days.come("start", start, today)
    protocol = _protocol(protocol_id)
    flags = limits.signs(protocol, "red_flag", red_flags, red_flags=True)
    baseline = _baseline(baseline_minutes)
    wear = limits.choice("footwear", footwear, core.Footwear) if footwear else ""
    usual = _usual(usual_morning)
    if Person.objects.filter(user=user).exists():
        raise ValidationProblem(
            "person", "is already enrolled; use `enrollment_complete`"
        )
    person = Person.objects.create(
        user=user,
        protocol_id=_protocol_name(protocol_id),
        start=start,
        baseline_minutes=baseline,
        footwear=wear,
        **usual,
    )
    Screening.objects.create(person=person, date=start, red_flags=flags)
    audit.write(
        person,
        AuditEvent.ENROLLED,
        start,
        protocol=protocol.id,
        baseline_minutes=baseline,
    )
    audit.signs_reported(person, start, "screening", red_flags=flags, warning_signs=[])
    audit.plan_checked(person)
    return person


def _protocol_name(name: str) -> str:
    """The name the protocol is loaded by again: a shipped name, or a file's path."""
    if len(name) > PROTOCOL_NAME_MAX:
        raise ValidationProblem(
            "protocol", f"must be at most {PROTOCOL_NAME_MAX} characters long"
        )
    return name


def _baseline(minutes: float | None) -> float | None:
    return None if minutes is None else limits.baseline_minutes(minutes)


USUAL_MORNING = ("pain", "morning_stiffness_min", "sleep", "focus")


def _usual(given: Mapping[str, int] | None) -> dict[str, int]:
    """The usual morning's four answers as Person's columns; all four or none."""
    if not given:
        return {}
    missing = [name for name in USUAL_MORNING if given.get(name) is None]
    if missing:
        raise ValidationProblem(
            f"usual_{missing[0]}",
            "answer all four questions about a usual morning, or leave all four out",
        )
    unknown = sorted(set(given) - set(USUAL_MORNING))
    if unknown:
        raise ValidationProblem(
            "usual_morning",
            f"unknown answer {unknown[0]!r}; allowed: {', '.join(USUAL_MORNING)}",
        )
    return {
        "usual_pain": limits.rating("usual_pain", given["pain"]),
        "usual_stiffness_min": limits.stiffness(
            "usual_stiffness_min", given["morning_stiffness_min"]
        ),
        "usual_sleep": limits.rating("usual_sleep", given["sleep"]),
        "usual_focus": limits.rating("usual_focus", given["focus"]),
    }


@transaction.atomic
def enrollment_complete(
    *,
    person: Person,
    day: dt.date,
    baseline_minutes: float,
    red_flags: Iterable[str] = (),
    usual_morning: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> Person:
    """Finish an onboarding that an urgent answer stopped, once a clinician has
    cleared the person: screen again, record the baseline, start the plan today."""
    protocol = selectors.protocol_for(person)
    flags = limits.signs(protocol, "red_flag", red_flags, red_flags=True)
    baseline = _baseline(baseline_minutes)
    usual = _usual(usual_morning)
    if person.baseline_minutes is not None:
        raise ValidationProblem("person", f"is already enrolled since {person.start}")
    waiting = selectors.open_red_flags(person)
    if waiting:
        raise ValidationProblem(
            "clearance",
            f"needed first: {', '.join(waiting)} was reported; record a clinician's "
            "clearance before the plan can start",
        )
    limits.not_before("date", days.come("date", day, today), person.start)
    Person.objects.filter(pk=person.pk).update(
        start=day, baseline_minutes=baseline, **usual
    )
    person.refresh_from_db()
    Screening.objects.create(person=person, date=day, red_flags=flags)
    audit.write(
        person,
        AuditEvent.ENROLLED,
        day,
        protocol=person.protocol_id,
        baseline_minutes=baseline,
        completed=True,
    )
    audit.signs_reported(person, day, "screening", red_flags=flags, warning_signs=[])
    audit.plan_checked(person)
    return person


@transaction.atomic
def screening_record(
    *,
    person: Person,
    day: dt.date,
    red_flags: Iterable[str],
    today: dt.date | None = None,
) -> Screening:
    """A fresh red-flag screening for someone already enrolled (after a clearance)."""
    protocol = selectors.protocol_for(person)
    flags = limits.signs(protocol, "red_flag", red_flags, red_flags=True)
    limits.not_before("date", days.come("date", day, today), person.start)
    screening = Screening.objects.create(person=person, date=day, red_flags=flags)
    audit.signs_reported(person, day, "screening", red_flags=flags, warning_signs=[])
    audit.plan_checked(person)
    return screening
