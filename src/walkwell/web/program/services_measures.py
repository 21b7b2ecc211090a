"""Outcome measures: questionnaires scored and stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from walkwell.core import instruments, limits
from walkwell.core.limits import ValidationProblem
from walkwell.web.program.models import (
    OutcomeResponse,
    Person,
)


def _score(measure_id: str, answers: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """The score of one questionnaire, and any subscales it reports."""
    if measure_id == "pain_nrs":
        return instruments.score_pain_nrs(answers.get("rating", -1)), {}
    if measure_id == "psfs":
        return instruments.score_psfs(answers), {}
    if measure_id == "start_back":
        result = instruments.score_start_back(answers)
        detail = {"psychosocial": result.psychosocial, "risk": result.risk.value}
        return result.total, detail
    raise ValidationProblem(
        "measure", f"must be one of pain_nrs, psfs, start_back (got {measure_id!r})"
    )


@transaction.atomic
def outcome_record(
    *, person: Person, measure_id: str, date: dt.date, answers: dict[str, Any]
) -> OutcomeResponse:
    """Score and store an outcome questionnaire (pain NRS, PSFS, STarT Back)."""
    limits.not_before("date", date, person.start)
    try:
        score, result = _score(measure_id, answers)
    except (instruments.InstrumentError, TypeError) as exc:
        field, _, message = str(exc).partition(": ")
        raise ValidationProblem(field, message or "cannot be scored") from None
    return OutcomeResponse.objects.create(
        person=person,
        measure_id=measure_id,
        date=date,
        answers=answers,
        score=score,
        result=result,
    )
