"""Reads for the outcome measures: answers, the change since the start, what is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from walkwell.core import measures
from walkwell.core.measures import Advice, Answer, Change
from walkwell.web.program import selectors
from walkwell.web.program.models import OutcomeResponse, Person


def _answer(row: OutcomeResponse) -> Answer:
    risk = row.result.get("risk") if isinstance(row.result, dict) else None
    return Answer(row.measure_id, row.date, float(row.score or 0), risk)


def measure_answers(person: Person) -> list[Answer]:
    """Every answer, oldest first."""
    return [_answer(r) for r in person.outcomes.order_by("date", "id")]


def answers_of(people: Sequence[Person]) -> dict[int, list[Answer]]:
    """``measure_answers`` of many people at once, in one query."""
    found: dict[int, list[Answer]] = {p.pk: [] for p in people}
    rows = OutcomeResponse.objects.filter(person__in=people).order_by(
        "person_id", "date", "id"
    )
    for row in rows:
        found[row.person_id].append(_answer(row))
    return found


def measure_changes(person: Person) -> list[Change]:
    """For each measure answered twice or more: the first answer against the latest."""
    return measures.changes(selectors.protocol_for(person), measure_answers(person))


def measures_open(person: Person, day: dt.date) -> dt.date | None:
    """The occasion waiting for answers on ``day``, if any."""
    answered = person.outcomes.values_list("date", flat=True)
    return measures.open_occasion(
        selectors.protocol_for(person), person.start, day, answered
    )


def psfs_activities(person: Person) -> list[str]:
    """The activities the person named the first time, asked again each time."""
    first = person.outcomes.filter(measure_id="psfs").order_by("date", "id").first()
    return list(first.answers) if first is not None else []


def start_back_advice(person: Person) -> Advice | None:
    """NICE NG59's advice when the latest STarT Back answer is high risk."""
    latest = (
        person.outcomes.filter(measure_id="start_back").order_by("date", "id").last()
    )
    risk = _answer(latest).risk if latest is not None else None
    return measures.start_back_advice(selectors.protocol_for(person), risk)
