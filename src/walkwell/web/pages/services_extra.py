"""Writes the pages need that the program's services do not offer (yet).

Kept apart so they can move into ``walkwell.web.program.services`` unchanged: each
validates first, then writes and audits in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from walkwell.core import instruments, limits, measures
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import selectors, selectors_measures
from walkwell.web.program.models import (
    AuditEvent,
    AuditLog,
    OutcomeResponse,
    Person,
    Screening,
)


@transaction.atomic
def screening_record(
    *, person: Person, day: dt.date, red_flags: Iterable[str]
) -> Screening:
    """A fresh red-flag screening for someone already enrolled (after a clearance)."""
    protocol = selectors.protocol_for(person)
    flags = limits.signs(protocol, "red_flag", red_flags, red_flags=True)
    screening = Screening.objects.create(person=person, date=day, red_flags=flags)
    if flags:
        tiers = {s: protocol.signs[s].tier for s in flags}
        AuditLog.objects.create(
            person=person,
            event_type=AuditEvent.RED_FLAG_REPORTED,
            day=day,
            detail={"where": "screening", "signs": flags, "tiers": tiers},
        )
    return screening


def _scored(measure: str, answers: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
    try:
        if measure == "pain_nrs":
            return float(instruments.score_pain_nrs(int(answers["rating"]))), {}
        if measure == "psfs":
            return instruments.score_psfs(dict(answers)), {}
        if measure == "start_back":
            result = instruments.score_start_back(dict(answers))
            detail = {"psychosocial": result.psychosocial, "risk": result.risk.value}
            return float(result.total), detail
    except instruments.InstrumentError as exc:
        raise ValidationProblem(measure, str(exc)) from None
    raise ValidationProblem("measure", f"unknown measure {measure!r}")


@transaction.atomic
def outcomes_record(
    *, person: Person, day: dt.date, answers: Mapping[str, Mapping[str, Any]]
) -> list[OutcomeResponse]:
    """Score and store several measures at once; all or nothing. PSFS rates the
    activities named the first time."""
    if "psfs" in answers:
        first = selectors_measures.psfs_activities(person)
        wrong = measures.same_activities(first, list(answers["psfs"]))
        if wrong:
            raise ValidationProblem("psfs", wrong)
    scored = {m: _scored(m, a) for m, a in answers.items()}
    return [
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
