"""The care team's records as the API shows them (notes, actions, clearances, the
audit trail and who read the record)."""

from __future__ import annotations

from typing import Any

from walkwell.web.program import selectors_care
from walkwell.web.program.models import (
    AccessLog,
    AuditLog,
    Clearance,
    ClinicianAction,
    ClinicianLink,
    ClinicianNote,
    Person,
)


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def note_out(n: ClinicianNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "author": _name(n.author),
        "text": n.text,
        "created_at": n.created_at,
    }


def action_out(a: ClinicianAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "actor": _name(a.actor),
        "day": a.day,
        "reason": a.reason,
        "detail": a.detail if isinstance(a.detail, dict) else {},
        "created_at": a.created_at,
    }


def audit_out(row: AuditLog) -> dict[str, Any]:
    return {
        "event": row.event_type,
        "day": row.day,
        "occurred_at": row.occurred_at,
        "detail": row.detail if isinstance(row.detail, dict) else {},
    }


def access_out(row: AccessLog) -> dict[str, Any]:
    return {
        "who": row.actor_name,
        "role": row.actor_role,
        "what": row.what,
        "at": row.at,
        "allowed": row.allowed,
        "outcome": row.outcome,
        "break_glass": row.break_glass,
    }


def link_out(link: ClinicianLink) -> dict[str, Any]:
    return {"id": link.pk, "name": _name(link.clinician), "since": link.created_at}


def clearance_out(row: Clearance) -> dict[str, Any]:
    return {"date": row.date, "by": row.by, "self_reported": row.self_reported}


def clearances_out(person: Person) -> list[dict[str, Any]]:
    return [
        {"date": d, "by": by, "self_reported": own}
        for d, by, own in selectors_care.clearances_for(person)
    ]


def care_of(person: Person) -> dict[str, Any]:
    """What the patient sees of their care team."""
    return {
        "clinicians": [link_out(link) for link in selectors_care.clinicians_of(person)],
        "notes": [note_out(n) for n in selectors_care.notes_for(person)],
        "actions": [action_out(a) for a in selectors_care.actions_for(person)],
        "clearances": clearances_out(person),
        "access": [access_out(r) for r in selectors_care.access_log_for(person)],
    }
