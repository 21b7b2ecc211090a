"""Reads for the clinician's report: every warning sign, red flag and clearance
with its date and who recorded it, and the decisions with their reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from walkwell.core.protocol import Sign
from walkwell.web.program import selectors
from walkwell.web.program.models import AuditEvent, AuditLog, Person


@dataclass(frozen=True, slots=True)
class SafetyEvent:
    date: dt.date
    kind: str  # "Red flag", "Warning sign" or "Clearance"
    what: str
    where: str
    by: str


@dataclass(frozen=True, slots=True)
class Decision:
    date: dt.date
    what: str
    reasons: tuple[str, ...]


Signs = tuple[dt.date, list[str], list[str], str]


def _sign_events(person: Person, start: dt.date, end: dt.date) -> list[Signs]:
    """(day, red flags, warning signs, where) for every record that holds signs."""
    span = {"date__range": (start, end)}
    walks = person.walks.filter(**span).exclude(warning_signs=[])
    checkins = person.checkins.filter(**span)
    symptoms = person.symptoms.filter(**span)
    screenings = person.screenings.filter(**span).exclude(red_flags=[])
    return [
        *((w.date, [], list(w.warning_signs), "after a walk") for w in walks),
        *(
            (c.date, list(c.red_flags), list(c.warning_signs), "morning check-in")
            for c in checkins
            if c.warning_signs or c.red_flags
        ),
        *(
            (s.date, list(s.red_flags), list(s.warning_signs), "reported on its own")
            for s in symptoms
        ),
        *((s.date, list(s.red_flags), [], "screening") for s in screenings),
    ]


def safety_events(person: Person, start: dt.date, end: dt.date) -> list[SafetyEvent]:
    """Signs and clearances between ``start`` and ``end``, oldest first."""
    signs = selectors.protocol_for(person).signs
    who = f"{person.user.get_username()} (self-reported)"
    events = [
        SafetyEvent(day, kind, _sign_text(signs.get(sign), sign), where, who)
        for day, flags, warnings, where in _sign_events(person, start, end)
        for kind, ids in (("Red flag", flags), ("Warning sign", warnings))
        for sign in ids
    ]
    events += [
        SafetyEvent(c.date, "Clearance", "Cleared to walk on", "recorded", c.by)
        for c in person.clearances.filter(date__range=(start, end))
    ]
    return sorted(events, key=lambda e: (e.date, e.kind))


def _sign_text(sign: Sign | None, sign_id: str) -> str:
    return (sign.label or sign.question) if sign is not None else sign_id


def decisions(person: Person, start: dt.date, end: dt.date) -> list[Decision]:
    """Phase changes and escalations the engine made, with its reasons."""
    rows = AuditLog.objects.filter(
        person=person,
        day__range=(start, end),
        event_type__in=(AuditEvent.PHASE_CHANGED, AuditEvent.DECISION_ESCALATED),
    ).order_by("day", "id")
    return [_decision(row) for row in rows]


def _decision(row: AuditLog) -> Decision:
    detail = row.detail if isinstance(row.detail, dict) else {}
    day = row.day or row.occurred_at.date()
    if row.event_type == AuditEvent.PHASE_CHANGED:
        what = f"Phase {detail.get('previous')} to phase {detail.get('phase')}"
        return Decision(day, what, ())
    what = str(detail.get("decision", "")).replace("_", " ").capitalize()
    return Decision(day, what, tuple(str(r) for r in detail.get("reasons", [])))
