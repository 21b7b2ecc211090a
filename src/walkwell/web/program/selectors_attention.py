"""The clinician's list: people sorted by how much they need a clinician now.

Reads the stored reviews (``PersonReview``, written after every write and by the
nightly review), never the engine: one query for the page of rows and one for the
count, whatever the number of patients or the length of their histories. A person
not reviewed yet is listed after every reason and before "nothing to look at".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from walkwell.core.attention import LABELS, NO_ATTENTION, RANK
from walkwell.core.limits import ValidationProblem
from walkwell.web.program.models import Person

# A stored review with no reason has the rank NOTHING; a person with no review yet
# comes just before them.
NOT_REVIEWED = NO_ATTENTION
NOTHING = NO_ATTENTION + 1
PER_PAGE_MAX = 200
Q_MAX = 100


@dataclass(frozen=True, slots=True)
class AttentionRow:
    person_id: int
    username: str
    name: str
    rank: int
    reason: str  # the most urgent reason's code; "" for none, "not_reviewed"
    label: str  # the reason in words for the list
    text: str  # the most urgent reason's sentence
    reasons: tuple[dict[str, Any], ...]  # every reason: code, text, source, since
    since: dt.date | None
    decision: str
    phase: int | None
    reviewed_on: dt.date | None


@dataclass(frozen=True, slots=True)
class AttentionPage:
    rows: tuple[AttentionRow, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _row(p: dict[str, Any]) -> AttentionRow:
    reviewed = p["review__day"] is not None
    reason = p["review__reason"] or ("" if reviewed else "not_reviewed")
    reasons = tuple(p["review__reasons"] or ())
    name = f"{p['user__first_name']} {p['user__last_name']}".strip()
    if reason == "not_reviewed":
        label, text = "Not reviewed yet", "No review has been stored for this person."
    elif reason:
        label, text = LABELS[reason], str(reasons[0]["text"]) if reasons else ""
    else:
        label, text = "Nothing to look at", ""
    return AttentionRow(
        person_id=p["id"],
        username=p["user__username"],
        name=name or p["user__username"],
        rank=p["urgency"],
        reason=reason,
        label=label,
        text=text,
        reasons=reasons,
        since=p["review__since"],
        decision=p["review__decision"] or "",
        phase=p["review__phase"],
        reviewed_on=p["review__day"],
    )


_FIELDS: list[str] = [
    "id",
    "user__username",
    "user__first_name",
    "user__last_name",
    "review__day",
    "review__reason",
    "review__reasons",
    "review__since",
    "review__decision",
    "review__phase",
    "urgency",
]


def _queryset(
    person_ids: Iterable[int] | QuerySet[Person, Any] | QuerySet[Any, Any],
    q: str | None,
    reason: str | None,
) -> QuerySet[Person, Any]:
    people = Person.objects.filter(pk__in=person_ids)
    if q:
        q = q.strip()
        if len(q) > Q_MAX:
            raise ValidationProblem("q", f"must be at most {Q_MAX} characters")
        people = people.filter(
            Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
        )
    if reason:
        if reason == "not_reviewed":
            people = people.filter(review__isnull=True)
        elif reason in RANK:
            people = people.filter(review__codes__contains=f" {reason} ")
        else:
            allowed = ", ".join([*RANK, "not_reviewed"])
            raise ValidationProblem("reason", f"must be one of: {allowed}")
    return people


def needs_attention(
    person_ids: Iterable[int] | QuerySet[Any, Any],
    *,
    q: str | None = None,
    reason: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> AttentionPage:
    """The people among ``person_ids`` (ids, or a queryset of ids such as
    ``persons_visible_to(user).values("pk")``), most urgent first.

    Sorted by rank, then by how long the top reason has lasted (oldest first),
    then by id. ``q`` searches the user name and real name; ``reason`` keeps the
    people with that reason among theirs (a code of ``core.attention.REASONS``,
    or ``not_reviewed``). Two queries: the page of rows and the count.
    """
    if page < 1:
        raise ValidationProblem("page", "must be 1 or more")
    if not 1 <= per_page <= PER_PAGE_MAX:
        raise ValidationProblem("per_page", f"must be between 1 and {PER_PAGE_MAX}")
    people = _queryset(person_ids, q, reason)
    first = (page - 1) * per_page
    rows = (
        people.annotate(urgency=Coalesce(F("review__rank"), Value(NOT_REVIEWED)))
        .order_by("urgency", F("review__since").asc(nulls_last=True), "id")
        .values(*_FIELDS)
    )[first : first + per_page]
    found = tuple(_row(p) for p in rows)
    short = len(found) < per_page and (found or page == 1)
    total = first + len(found) if short else people.count()
    return AttentionPage(rows=found, total=total, page=page, per_page=per_page)
