"""Writes that keep every report: amending the day's check-in, and a symptom reported
at any time (after the check-in too).

Signs once reported are never taken back by these writes: an amend or a report only
adds them, and a clinician's clearance is what lifts the stop they cause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from walkwell.core import limits
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import audit, days, selectors
from walkwell.web.program.models import AuditEvent, CheckIn, Person, SymptomReport


def _amended_values(
    *,
    pain: int | None,
    morning_stiffness_min: int | None,
    sleep: int | None,
    focus: int | None,
) -> dict[str, int]:
    """The numbers given, each checked; None means "leave as stored"."""
    given: dict[str, int] = {}
    if pain is not None:
        given["pain"] = limits.rating("pain", pain)
    if morning_stiffness_min is not None:
        given["morning_stiffness_min"] = limits.stiffness(
            "stiffness_min", morning_stiffness_min
        )
    if sleep is not None:
        given["sleep"] = limits.rating("sleep", sleep)
    if focus is not None:
        given["focus"] = limits.rating("focus", focus)
    return given


def _added(stored: list[str], given: list[str]) -> list[str]:
    return [s for s in given if s not in stored]


@transaction.atomic
def checkin_amend(
    *,
    person: Person,
    date: dt.date,
    pain: int | None = None,
    morning_stiffness_min: int | None = None,
    sleep: int | None = None,
    focus: int | None = None,
    warning_signs: Iterable[str] = (),
    red_flags: Iterable[str] = (),
    recurrence: bool | None = None,
    today: dt.date | None = None,
) -> CheckIn:
    """Change only the answers given on a stored check-in; signs are only added.

    ``recurrence`` None leaves the stored answer; yes or no replaces it.

    Each change is audited with its old and new value; a new sign is audited and
    changes the plan at once, like a sign in a new check-in.
    """
    protocol = selectors.protocol_for(person)
    values = _amended_values(
        pain=pain, morning_stiffness_min=morning_stiffness_min, sleep=sleep, focus=focus
    )
    warnings = limits.signs(protocol, "warning_sign", warning_signs, red_flags=False)
    flags = limits.signs(protocol, "red_flag", red_flags, red_flags=True)
    days.come("date", date, today)
    checkin = person.checkins.select_for_update().filter(date=date).first()
    if checkin is None:
        raise ValidationProblem(
            "date", f"has no check-in to amend ({date}); record one first"
        )
    given: dict[str, Any] = dict(values)
    if recurrence is not None:
        given["recurrence"] = limits.optional_yes_no("recurrence", recurrence)
    changed: dict[str, list[Any]] = {
        name: [getattr(checkin, name), value]
        for name, value in given.items()
        if getattr(checkin, name) != value
    }
    new_warnings = _added(checkin.warning_signs, warnings)
    new_flags = _added(checkin.red_flags, flags)
    if new_warnings:
        changed["warning_signs"] = [
            checkin.warning_signs,
            checkin.warning_signs + new_warnings,
        ]
    if new_flags:
        changed["red_flags"] = [checkin.red_flags, checkin.red_flags + new_flags]
    if not changed:
        return checkin
    for name, (_, new) in changed.items():
        setattr(checkin, name, new)
    checkin.save(update_fields=list(changed))
    audit.write(person, AuditEvent.CHECKIN_AMENDED, date, changed=changed)
    audit.signs_reported(
        person, date, "checkin", red_flags=new_flags, warning_signs=new_warnings
    )
    audit.plan_checked(person)
    return checkin


@dataclass(frozen=True, slots=True)
class SymptomResult:
    """What a report stored, and what had already been reported that day."""

    stored: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


@transaction.atomic
def symptom_report(
    *,
    person: Person,
    date: dt.date,
    warning_signs: Iterable[str] = (),
    red_flags: Iterable[str] = (),
    today: dt.date | None = None,
) -> SymptomResult:
    """Store warning signs or red flags at any time of the day; the plan changes at
    once. A sign already reported that day is not stored twice."""
    protocol = selectors.protocol_for(person)
    warnings = limits.signs(protocol, "warning_sign", warning_signs, red_flags=False)
    flags = limits.signs(protocol, "red_flag", red_flags, red_flags=True)
    limits.not_before("date", days.come("date", date, today), person.start)
    if not warnings and not flags:
        raise ValidationProblem(
            "signs", "tick at least one sign: a warning sign or a red flag"
        )
    known = selectors.signs_reported_on(person, date)
    new_warnings = [s for s in warnings if s not in known]
    new_flags = [s for s in flags if s not in known]
    already = [s for s in (*flags, *warnings) if s in known]
    if not new_warnings and not new_flags:
        return SymptomResult(already=already)
    SymptomReport.objects.create(
        person=person, date=date, warning_signs=new_warnings, red_flags=new_flags
    )
    audit.signs_reported(
        person, date, "symptom", red_flags=new_flags, warning_signs=new_warnings
    )
    audit.plan_checked(person)
    return SymptomResult(stored=[*new_flags, *new_warnings], already=already)
