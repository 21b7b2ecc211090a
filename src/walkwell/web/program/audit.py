"""The audit log: every clinical state change leaves a row, in the same transaction
as the write that caused it (as Zulip's ``do_*`` actions write ``RealmAuditLog``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from walkwell.core import model as core
from walkwell.web.program import selectors, services_review, versions
from walkwell.web.program.models import AuditEvent, AuditLog, Person

# Decisions that call for more caution than the plan so far: each is audited.
ESCALATIONS = frozenset(
    {
        core.Decision.PAUSE_REASSESS,
        core.Decision.STOP_CONSULT,
        core.Decision.SEEK_URGENT_CARE,
    }
)


def write(
    person: Person,
    event: AuditEvent,
    day: dt.date | None,
    *,
    actor: User | None = None,
    **detail: Any,
) -> None:
    """One audit row; ``actor`` is who made the change when it was not the person."""
    AuditLog.objects.create(
        person=person, event_type=event, day=day, detail=detail, actor=actor
    )


def signs_reported(
    person: Person,
    day: dt.date,
    where: str,
    *,
    red_flags: list[str],
    warning_signs: list[str],
) -> None:
    signs = selectors.protocol_for(person).signs
    reported = (
        (AuditEvent.RED_FLAG_REPORTED, red_flags),
        (AuditEvent.WARNING_SIGN_REPORTED, warning_signs),
    )
    for event, ids in reported:
        if ids:
            tiers = {s: signs[s].tier for s in ids}
            write(person, event, day, where=where, signs=ids, tiers=tiers)


def plan_checked(person: Person) -> core.DayPlan:
    """Compare the engine's answer with the last one seen; audit what changed.

    Called by every write to the history, after it: the history gets a new version
    first (so no stored answer of the old one is read), and the person's review
    for today is stored again after."""
    versions.bump(person)
    day = selectors.last_activity_day(person)
    plan = selectors.plan_for(person, day)
    # A phase of None means no plan is running (not started, or stopped for safety);
    # the phase to audit is the last one a plan ran in.
    moved = None not in (plan.phase, person.last_phase)
    if moved and plan.phase != person.last_phase:
        write(
            person,
            AuditEvent.PHASE_CHANGED,
            day,
            previous=person.last_phase,
            phase=plan.phase,
        )
    if plan.decision in ESCALATIONS and plan.decision != person.last_decision:
        write(
            person,
            AuditEvent.DECISION_ESCALATED,
            day,
            decision=plan.decision.value,
            previous=person.last_decision or None,
            reasons=[r.text for r in plan.reasons],
        )
    person.last_phase = plan.phase or person.last_phase
    person.last_decision = plan.decision.value
    person.save(update_fields=["last_phase", "last_decision"])
    services_review.review_refresh(person=person, today=timezone.localdate())
    return plan


@transaction.atomic
def export_record(
    *, person: Person, what: str, day: dt.date, actor: User | None = None
) -> AuditLog:
    """Every export of a person's data leaves a trace; ``actor`` is who made it
    when it was not the person (their clinician)."""
    return AuditLog.objects.create(
        person=person,
        event_type=AuditEvent.DATA_EXPORTED,
        day=day,
        detail={"what": what},
        actor=actor,
    )
