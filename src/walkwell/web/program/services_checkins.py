"""The morning check-in and a clinician's clearance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from walkwell.core import limits
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import audit, days, selectors
from walkwell.web.program.models import (
    AuditEvent,
    CheckIn,
    Clearance,
    Person,
)


@transaction.atomic
def checkin_record(
    *,
    person: Person,
    date: dt.date,
    pain: int,
    morning_stiffness_min: int,
    sleep: int,
    focus: int,
    warning_signs: Iterable[str] = (),
    red_flags: Iterable[str] = (),
    recurrence: bool | None = None,
    today: dt.date | None = None,
) -> CheckIn:
    """Record the morning check (one a day) and audit what it changed.

    ``recurrence``: back pain stopped usual activities for 24 hours or more since
    the last check-in (None: not answered)."""
    protocol = selectors.protocol_for(person)
    checkin = CheckIn(
        person=person,
        date=limits.not_before("date", days.come("date", date, today), person.start),
        pain=limits.rating("pain", pain),
        morning_stiffness_min=limits.stiffness("stiffness_min", morning_stiffness_min),
        sleep=limits.rating("sleep", sleep),
        focus=limits.rating("focus", focus),
        warning_signs=limits.signs(
            protocol, "warning_sign", warning_signs, red_flags=False
        ),
        red_flags=limits.signs(protocol, "red_flag", red_flags, red_flags=True),
        recurrence=limits.optional_yes_no("recurrence", recurrence),
    )
    already = ValidationProblem("date", f"a check-in for {date} is already recorded")
    if person.checkins.filter(date=date).exists():
        raise already
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        if not person.checkins.filter(date=date).exists():
            raise
        raise already from None  # the same check-in, sent at the same moment
    audit.signs_reported(
        person,
        date,
        "checkin",
        red_flags=checkin.red_flags,
        warning_signs=checkin.warning_signs,
    )
    audit.plan_checked(person)
    return checkin


@transaction.atomic
def clearance_record(
    *,
    person: Person,
    date: dt.date,
    by: str = "clinician",
    recorded_by: User | None = None,
    today: dt.date | None = None,
) -> Clearance:
    """A clinician has seen the person: the plan may move on from an escalation.

    ``recorded_by`` is the clinician's account when the clearance is recorded from
    it; without one the clearance is the person's own word (self-reported)."""
    limits.not_before("date", days.come("date", date, today), person.start)
    if recorded_by is None and person.clinician_links.filter(ended_at__isnull=True):
        raise ValidationProblem(
            "by",
            "is for your clinician to record: they clear you from their own account "
            "once they have reviewed what you reported",
        )
    who = by.strip()
    if not who or len(who) > limits.MAX_CLEARED_BY:
        raise ValidationProblem("by", "must name who cleared you (1 to 200 characters)")
    clearance = Clearance.objects.create(
        person=person,
        date=date,
        by=who,
        recorded_by=recorded_by,
        self_reported=recorded_by is None,
    )
    audit.write(
        person,
        AuditEvent.CLEARANCE_RECORDED,
        date,
        actor=recorded_by,
        by=who,
        self_reported=recorded_by is None,
    )
    audit.plan_checked(person)
    return clearance
