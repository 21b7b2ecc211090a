"""Exercise readiness beyond red flags: a doctor's go-ahead, and adjustments.

Modelled on ACSM's pre-participation screening: some answers (known heart,
metabolic or kidney disease, or symptoms that suggest one) ask for a doctor's
go-ahead before the plan starts; others keep the plan and adjust every
prescription (no daypack, no uneven ground, intervals only after a go-ahead).
The questions and what each answer brings are protocol data, each with a source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from walkwell.core.model import DayPlan, Pace, Prescription, Reason, Terrain
from walkwell.core.protocol import Adjustment, Protocol, ReadinessQuestion


def unknown_ids(protocol: Protocol, answers: Iterable[str]) -> list[str]:
    known = set(protocol.readiness.ids)
    return [a for a in answers if a not in known]


def _questions(protocol: Protocol, answers: frozenset[str]) -> list[ReadinessQuestion]:
    return [q for q in protocol.readiness.questions if q.id in answers]


def needs_go_ahead(protocol: Protocol, answers: frozenset[str]) -> bool:
    return any(q.needs_go_ahead for q in _questions(protocol, answers))


def waits_for_go_ahead(
    protocol: Protocol,
    answers: frozenset[str],
    go_ahead: dt.date | None,
    day: dt.date,
) -> bool:
    """The plan waits: an answer asks for a go-ahead and none is recorded by ``day``."""
    if not answers or not needs_go_ahead(protocol, answers):
        return False
    return go_ahead is None or go_ahead > day


def _labels(questions: Iterable[ReadinessQuestion]) -> str:
    return ", ".join((q.label or q.id).lower() for q in questions)


def go_ahead_words(protocol: Protocol, answers: frozenset[str]) -> str:
    which = [q for q in _questions(protocol, answers) if q.needs_go_ahead]
    return (
        f"Before you start walking for exercise, please ask your doctor for a "
        f"go-ahead: you told us about {_labels(which)}. Your plan starts once the "
        "go-ahead is recorded."
    )


def adjustments(protocol: Protocol, answers: frozenset[str]) -> frozenset[Adjustment]:
    return frozenset(a for q in _questions(protocol, answers) for a in q.adjust)


def adjust(
    protocol: Protocol,
    planned: Prescription,
    answers: frozenset[str],
    *,
    go_ahead: bool,
) -> Prescription:
    """The prescription with the answers' adjustments applied."""
    if planned.sessions == 0:
        return planned
    return _adjust(protocol, planned, adjustments(protocol, answers), go_ahead)


@lru_cache(maxsize=4096)
def _adjust(
    protocol: Protocol,
    planned: Prescription,
    found: frozenset[Adjustment],
    go_ahead: bool,
) -> Prescription:
    out = planned
    if "no_load" in found and out.max_load_kg:
        out = replace(out, max_load_kg=0.0)
    if "no_uneven" in found and Terrain.UNEVEN in out.terrain:
        kept = tuple(t for t in out.terrain if t is not Terrain.UNEVEN)
        out = replace(out, terrain=kept or (Terrain.FLAT,))
    intervals = out.pace is Pace.INTERVALS or bool(out.intervals)
    if "intervals_after_go_ahead" in found and not go_ahead and intervals:
        steady = protocol.readiness.instead_of_intervals
        out = replace(out, pace=steady, intervals=())
    return out


def adjust_reason(
    protocol: Protocol, answers: frozenset[str], *, go_ahead: bool
) -> Reason | None:
    """Why the day's walks are adjusted, in words; None when nothing applies."""
    which = [q for q in _questions(protocol, answers) if q.adjust]
    if not which:
        return None
    found = adjustments(protocol, answers)
    parts = []
    if "no_load" in found:
        parts.append("no daypack")
    if "no_uneven" in found:
        parts.append("no uneven ground")
    if "intervals_after_go_ahead" in found and not go_ahead:
        parts.append("no intervals until a doctor's go-ahead is recorded")
    if not parts:
        return None
    text = f"Because you told us about {_labels(which)}: {', '.join(parts)}."
    return Reason("readiness.adjust", protocol.readiness.source, text)


def awaits_go_ahead(plan: DayPlan) -> bool:
    """The plan has not started: it waits for a doctor's go-ahead."""
    return any(r.rule == "readiness.go_ahead" for r in plan.reasons)
