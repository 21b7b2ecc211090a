"""The clinician's patient list, most urgent first, with the reason on each row.

A first, simple reading straight from each patient's plan (``plan_for``): an urgent
red flag, a warning sign awaiting review (a stop), a pause to reassess, no data for
some days. The rules for what counts live in the core's decisions; this module only
ranks them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from walkwell.core.model import Decision
from walkwell.web.program import selectors
from walkwell.web.program.models import Person

NO_DATA_DAYS = 7
PER_PAGE = 25


class Attention(StrEnum):
    URGENT = "urgent"
    WARNING = "warning"
    PAUSE = "pause"
    NO_DATA = "no_data"
    ON_TRACK = "on_track"


RANK = {
    Attention.URGENT: 0,
    Attention.WARNING: 1,
    Attention.PAUSE: 2,
    Attention.NO_DATA: 3,
    Attention.ON_TRACK: 9,
}

LABEL = {
    Attention.URGENT: "Urgent red flag: seek urgent care",
    Attention.WARNING: "Warning sign awaiting review",
    Attention.PAUSE: "Paused to reassess",
    Attention.NO_DATA: f"No data for {NO_DATA_DAYS} days or more",
    Attention.ON_TRACK: "On track",
}


@dataclass(frozen=True, slots=True)
class Row:
    person: Person
    name: str
    reason: Attention
    label: str
    rank: int
    decision: Decision
    phase: int | None
    last_activity: dt.date


def _reason(decision: Decision, last: dt.date, day: dt.date) -> Attention:
    if decision == Decision.SEEK_URGENT_CARE:
        return Attention.URGENT
    if decision == Decision.STOP_CONSULT:
        return Attention.WARNING
    if decision == Decision.PAUSE_REASSESS:
        return Attention.PAUSE
    if (day - last).days >= NO_DATA_DAYS:
        return Attention.NO_DATA
    return Attention.ON_TRACK


def display_name(person: Person) -> str:
    user = person.user
    return user.get_full_name() or user.get_username()


def row_for(person: Person, day: dt.date) -> Row:
    plan = selectors.plan_for(person, day)
    last = selectors.last_activity_day(person)
    reason = _reason(plan.decision, min(last, day), day)
    return Row(
        person=person,
        name=display_name(person),
        reason=reason,
        label=LABEL[reason],
        rank=RANK[reason],
        decision=plan.decision,
        phase=plan.phase,
        last_activity=last,
    )


def attention_page(
    persons: QuerySet[Person],
    day: dt.date,
    *,
    q: str = "",
    reason: Attention | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[Row]:
    """The patients, most urgent first (then by name), filtered and paginated."""
    found = persons.select_related("user")
    if q.strip():
        text = q.strip()
        found = found.filter(
            Q(user__username__icontains=text)
            | Q(user__first_name__icontains=text)
            | Q(user__last_name__icontains=text)
            | Q(user__email__icontains=text)
        )
    rows = [row_for(p, day) for p in found]
    if reason is not None:
        rows = [r for r in rows if r.reason == reason]
    rows.sort(key=lambda r: (r.rank, r.name.lower(), r.person.pk))
    return Paginator(rows, per_page).get_page(page)
