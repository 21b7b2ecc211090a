"""Outcome measures: questionnaires scored and stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from walkwell.core import instruments, measures
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import (
    days,
    selectors_measures,
    services_review,
    versions,
)
from walkwell.web.program.models import OutcomeResponse, Person

MEASURES = ("pain_nrs", "psfs", "start_back")


def _scored(measure: str, answers: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
    """The score of one questionnaire, and any subscales it reports."""
    try:
        if measure == "pain_nrs":
            return float(instruments.score_pain_nrs(int(answers["rating"]))), {}
        if measure == "psfs":
            return instruments.score_psfs(dict(answers)), {}
        if measure == "start_back":
            result = instruments.score_start_back(dict(answers))
            detail = {"psychosocial": result.psychosocial, "risk": result.risk.value}
            return float(result.total), detail
    except (instruments.InstrumentError, KeyError, TypeError, ValueError) as exc:
        known = isinstance(exc, instruments.InstrumentError)
        # the scorer names the measure itself; the field already says which one
        message = (
            str(exc).removeprefix(f"{measure}: ")
            if known
            else "the answers cannot be scored"
        )
        raise ValidationProblem(measure, message) from None
    raise ValidationProblem(
        "measure", f"must be one of {', '.join(MEASURES)} (got {measure!r})"
    )


@transaction.atomic
def outcomes_record(
    *,
    person: Person,
    day: dt.date,
    answers: Mapping[str, Mapping[str, Any]],
    today: dt.date | None = None,
) -> list[OutcomeResponse]:
    """Score and store the questionnaires answered on ``day`` (pain NRS, PSFS,
    STarT Back), keyed by measure; all or nothing. PSFS rates the activities
    named the first time."""
    days.come("date", day, today)
    if "psfs" in answers:
        first = selectors_measures.psfs_activities(person)
        wrong = measures.same_activities(first, list(answers["psfs"]))
        if wrong:
            raise ValidationProblem("psfs", wrong)
    scored = {m: _scored(m, a) for m, a in answers.items()}
    stored = [
        OutcomeResponse.objects.create(
            person=person,
            measure_id=measure,
            date=day,
            answers=dict(answers[measure]),
            score=score,
            result=result,
        )
        for measure, (score, result) in scored.items()
    ]
    versions.bump(person)
    services_review.review_refresh(person=person, today=timezone.localdate())
    return stored
