"""Exercise readiness: the answers (editable at any time) and a doctor's go-ahead.

The answers and the go-ahead are clinical: each change is audited and the plan is
checked again at once (a go-ahead answer holds the start; others adjust the walks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from walkwell.core import limits, readiness
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import audit, days, selectors
from walkwell.web.program.models import AuditEvent, Person


@transaction.atomic
def readiness_record(*, person: Person, day: dt.date, answers: Iterable[str]) -> Person:
    """Store the readiness questions answered yes (all of them: the rest are no)."""
    protocol = selectors.protocol_for(person)
    given = list(dict.fromkeys(answers))
    bad = readiness.unknown_ids(protocol, given)
    if bad:
        raise ValidationProblem(
            "readiness",
            f"unknown {bad[0]!r}; allowed: {', '.join(protocol.readiness.ids)}",
        )
    previous = list(person.readiness)
    if previous == given:
        return person
    Person.objects.filter(pk=person.pk).update(readiness=given)
    person.refresh_from_db()
    audit.write(
        person, AuditEvent.READINESS_RECORDED, day, answers=given, previous=previous
    )
    audit.plan_checked(person)
    return person


@transaction.atomic
def go_ahead_record(
    *, person: Person, date: dt.date, by: str, today: dt.date | None = None
) -> Person:
    """A doctor has said the person may start walking for exercise."""
    days.come("date", date, today)
    who = by.strip()
    if not who or len(who) > limits.MAX_CLEARED_BY:
        raise ValidationProblem(
            "by",
            f"must name who gave the go-ahead (1 to {limits.MAX_CLEARED_BY} characters)",
        )
    Person.objects.filter(pk=person.pk).update(go_ahead=date, go_ahead_by=who)
    person.refresh_from_db()
    audit.write(person, AuditEvent.GO_AHEAD_RECORDED, date, by=who)
    audit.plan_checked(person)
    return person
