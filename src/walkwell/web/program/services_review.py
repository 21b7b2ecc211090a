"""Writes of the stored review: each person's decision and attention reasons.

``review_refresh`` runs after every write to a person's history (from
``audit.plan_checked`` and the writes that do not call it), so the clinician's list
shows a new warning sign at once; ``reviews_refresh`` is the nightly review's batch
(``program.tasks``), which catches what changes with the date alone (silence,
measures falling due, a fortnight's walking). Both are idempotent: a review
already stored for the same day and history version is left as it is, so a retried
or repeated batch does no harm.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from walkwell.core import attention
from walkwell.core.measures import Answer
from walkwell.core.model import History
from walkwell.web.program import selectors, selectors_measures
from walkwell.web.program.models import Person, PersonReview
from walkwell.web.program.selectors_attention import NOTHING

REVIEW_FIELDS = (
    "day",
    "history_version",
    "phase",
    "decision",
    "rank",
    "reason",
    "codes",
    "reasons",
    "since",
)


def review_of(
    person: Person,
    today: dt.date,
    *,
    history: History | None = None,
    answers: list[Answer] | None = None,
) -> PersonReview:
    """The review of ``person`` on ``today``, computed (not saved). A batch passes
    the ``history`` and ``answers`` it read for all its people at once."""
    protocol = selectors.protocol_for(person)
    # the last days' plans, explained: how often the engine warned of overdoing
    days = attention.rules(protocol).overdo_window_days
    if history is None:
        history = selectors.history_for(person)
        recent = selectors.recent_plans(person, today, days, history)
        plan = selectors.plan_for(person, today, history=history)
    else:
        # A batch of the nightly review: each day's plan is new, and storing
        # thousands in a cache of this worker's own would only cost the pickling;
        # today's plan is the last of the days just folded.
        recent = selectors.recent_plans(person, today, days, history)
        plan = selectors.plan_fresh(person, today, history, recent=recent)
    if answers is None:
        answers = selectors_measures.measure_answers(person)
    found = attention.reasons_for(
        protocol, history, plan, answers, today, recent=recent
    )
    reasons: list[dict[str, Any]] = [
        {
            "code": r.code,
            "text": r.text,
            "source": r.source,
            "since": r.since.isoformat() if r.since else None,
        }
        for r in found
    ]
    top = found[0] if found else None
    return PersonReview(
        person=person,
        day=today,
        history_version=person.history_version,
        phase=plan.phase,
        decision=plan.decision.value,
        rank=top.rank if top else NOTHING,
        reason=top.code if top else "",
        codes=f" {' '.join(r.code for r in found)} " if found else "",
        reasons=reasons,
        since=top.since if top else None,
    )


@transaction.atomic
def review_refresh(*, person: Person, today: dt.date) -> PersonReview:
    """Store the person's review for ``today`` (in the caller's transaction)."""
    review = review_of(person, today)
    PersonReview.objects.update_or_create(
        person=person, defaults={f: getattr(review, f) for f in REVIEW_FIELDS}
    )
    return review


def reviews_refresh(*, person_ids: Iterable[int], today: dt.date) -> int:
    """Review each of these people for ``today``; returns how many were stored.

    A person whose stored review already has ``today`` and their current history
    version is skipped; a person who no longer exists is skipped. Each batch is
    one transaction and one upsert, so a batch run twice (a retry after a worker
    died) stores the same rows.
    """
    people = list(Person.objects.filter(pk__in=list(person_ids)).order_by("pk"))
    stored = dict(
        PersonReview.objects.filter(person__in=people, day=today).values_list(
            "person_id", "history_version"
        )
    )
    todo = [p for p in people if stored.get(p.pk) != p.history_version]
    histories = selectors.histories_for(todo, every_time=False)
    answers = selectors_measures.answers_of(todo)
    reviews = [
        review_of(p, today, history=histories[p.pk], answers=answers[p.pk])
        for p in todo
    ]
    with transaction.atomic():
        # A write while the batch ran has stored a newer review itself: keep it.
        current = dict(
            Person.objects.select_for_update()
            .filter(pk__in=[r.person_id for r in reviews])
            .values_list("pk", "history_version")
        )
        reviews = [r for r in reviews if current.get(r.person_id) == r.history_version]
        PersonReview.objects.bulk_create(
            reviews,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=[*REVIEW_FIELDS, "reviewed_at"],
        )
    return len(reviews)
