"""Reads of the care team: who is linked to a person, what clinicians wrote and did,
who read the record, and a clinician's invitations."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Count, Q

from walkwell.core.model import DayPlan
from walkwell.web.program import selectors
from walkwell.web.program.models import (
    AccessLog,
    AuditLog,
    BreakGlass,
    ClinicianAction,
    ClinicianLink,
    ClinicianNote,
    Invite,
    Person,
)
from walkwell.web.program.roles import CLINICIAN_GROUP

RECENT = 20


def clinicians_of(person: Person) -> list[ClinicianLink]:
    """The person's current clinicians (open links), oldest link first."""
    return list(
        person.clinician_links.filter(ended_at__isnull=True)
        .select_related("clinician")
        .order_by("created_at", "id")
    )


def has_clinician(person: Person) -> bool:
    return person.clinician_links.filter(ended_at__isnull=True).exists()


def link_history(person: Person) -> list[ClinicianLink]:
    """Every link the person has had, newest first (ended ones too)."""
    return list(
        person.clinician_links.select_related("clinician", "ended_by").order_by(
            "-created_at", "-id"
        )
    )


def access_log_for(person: Person, *, limit: int = RECENT) -> list[AccessLog]:
    """Who read (or tried to read) the person's record, newest first."""
    return list(person.access_log.order_by("-at", "-id")[:limit])


def notes_for(person: Person, *, limit: int = RECENT) -> list[ClinicianNote]:
    return list(
        person.clinician_notes.select_related("author").order_by("-created_at", "-id")[
            :limit
        ]
    )


def actions_for(person: Person, *, limit: int = RECENT) -> list[ClinicianAction]:
    """What clinicians did to the person's plan, newest first."""
    return list(
        person.clinician_actions.select_related("actor").order_by("-created_at", "-id")[
            :limit
        ]
    )


def actions_since(person: Person, since: dt.date) -> list[ClinicianAction]:
    """Actions (other than notes) dated on or after ``since``: shown on Today."""
    return list(
        person.clinician_actions.filter(day__gte=since)
        .exclude(kind="note")
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def break_glass_for(person: Person, *, limit: int = RECENT) -> list[BreakGlass]:
    return list(
        person.break_glass.select_related("admin").order_by("-started_at", "-id")[
            :limit
        ]
    )


def invites_of(clinician: User, *, limit: int = RECENT) -> list[Invite]:
    return list(
        Invite.objects.filter(clinician=clinician)
        .select_related("used_by__user")
        .order_by("-created_at", "-id")[:limit]
    )


def clearances_for(person: Person) -> list[tuple[dt.date, str, bool]]:
    """Each clearance as (date, by whom, self-reported?), newest first."""
    return [
        (d, by, self_reported)
        for d, by, self_reported in person.clearances.order_by(
            "-date", "-id"
        ).values_list("date", "by", "self_reported")
    ]


def person_by_id(person_id: int) -> Person | None:
    """A record by its id; callers must pass it through ``permissions`` first."""
    return Person.objects.select_related("user").filter(pk=person_id).first()


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def audit_trail(person: Person, *, limit: int = 50) -> list[AuditLog]:
    """The clinical changes to the person's record, newest first."""
    return list(
        person.audit.select_related("actor").order_by("-occurred_at", "-id")[:limit]
    )


def recent_plans(person: Person, day: dt.date, *, days: int = 28) -> list[DayPlan]:
    """Each day's decision with its reasons, for the last ``days`` days, newest first."""
    if day < person.start:
        return []
    plans = selectors.timeline_for(person, day)
    return list(reversed(plans[-days:]))


def clinicians_list() -> list[tuple[User, int]]:
    """Every clinician with how many patients are linked to them now."""
    users = (
        User.objects.filter(groups__name=CLINICIAN_GROUP)
        .annotate(
            patients=Count(
                "patient_links", filter=Q(patient_links__ended_at__isnull=True)
            )
        )
        .order_by("username")
    )
    return [(u, u.patients) for u in users]


def display_name(person: Person) -> str:
    user = person.user
    return user.get_full_name() or user.get_username()


def notes_between(person: Person, first: dt.date, last: dt.date) -> list[ClinicianNote]:
    """The clinicians' notes written from ``first`` to ``last``, oldest first (the
    progress report's)."""
    return list(
        person.clinician_notes.select_related("author")
        .filter(created_at__date__range=(first, last))
        .order_by("created_at", "id")
    )
