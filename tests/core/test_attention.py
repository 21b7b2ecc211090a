"""Attention reasons: what puts a person forward on a clinician's list, and how far."""

from __future__ import annotations

import datetime as dt

from tests.cast import START
from walkwell.core import attention, engine
from walkwell.core.measures import Answer
from walkwell.core.model import (
    CheckIn,
    Decision,
    History,
    Profile,
    Screening,
    SymptomReport,
    Walk,
)
from walkwell.core.protocol import DEFAULT_PROTOCOL, load_protocol

SEED = load_protocol(DEFAULT_PROTOCOL)


def _history(
    days: int,
    *,
    minutes: float = 20,
    quiet_from: int | None = None,
    symptoms: tuple[SymptomReport, ...] = (),
    red_flags: frozenset[str] = frozenset(),
) -> History:
    walks, checkins = [], []
    for i in range(days):
        if quiet_from is not None and i >= quiet_from:
            break
        day = START + dt.timedelta(days=i)
        walks.append(Walk(day, minutes, pain_before=2, pain_during=2, pain_after=2))
        checkins.append(CheckIn(day, pain=2, morning_stiffness_min=5, sleep=7, focus=7))
    return History(
        protocol_id=DEFAULT_PROTOCOL,
        start=START,
        profile=Profile(baseline_minutes=15),
        screening=Screening(START, red_flags),
        walks=tuple(walks),
        checkins=tuple(checkins),
        symptoms=symptoms,
    )


def _reasons(
    history: History, today: dt.date, answers: tuple[Answer, ...] = ()
) -> tuple[attention.Reason, ...]:
    plan = engine.plan_day(SEED, history, today)
    return attention.reasons_for(SEED, history, plan, answers, today)


def _codes(reasons: tuple[attention.Reason, ...]) -> list[str]:
    return [r.code for r in reasons]


def test_a_person_walking_steadily_needs_no_attention() -> None:
    today = START + dt.timedelta(days=20)
    found = _reasons(_history(21), today)
    assert found == ()
    assert attention.urgency(found) == attention.NO_ATTENTION


def test_an_urgent_red_flag_comes_first() -> None:
    today = START + dt.timedelta(days=10)
    urgent = next(
        s.id
        for s in SEED.red_flags
        if SEED.tiers[s.tier].decision == Decision.SEEK_URGENT_CARE
    )
    symptoms = (SymptomReport(today, red_flags=frozenset([urgent])),)
    found = _reasons(_history(11, symptoms=symptoms), today)
    assert _codes(found)[0] == "urgent_red_flag"
    assert found[0].since == today
    assert attention.urgency(found) == 0


def test_a_warning_sign_stops_the_plan_until_reviewed() -> None:
    today = START + dt.timedelta(days=10)
    symptoms = (SymptomReport(today, warning_signs=frozenset(["radiating_leg_pain"])),)
    found = _reasons(_history(11, symptoms=symptoms), today)
    assert _codes(found)[0] == "warning_sign"
    assert found[0].source in SEED.sources


def test_silence_for_the_protocols_days_is_flagged() -> None:
    rule = attention.rules(SEED)
    today = START + dt.timedelta(days=10 + rule.no_data_days)
    found = _reasons(_history(30, quiet_from=11), today)
    assert "no_data" in _codes(found)
    quiet = next(r for r in found if r.code == "no_data")
    assert quiet.since == START + dt.timedelta(days=10)
    fewer = START + dt.timedelta(days=10 + rule.no_data_days - 1)
    assert "no_data" not in _codes(_reasons(_history(30, quiet_from=11), fewer))


def test_walking_halved_against_the_fortnight_before_is_falling_adherence() -> None:
    history = _history(28)
    today = START + dt.timedelta(days=27)
    halved = tuple(
        Walk(
            w.date,
            w.minutes / 4 if w.date > today - dt.timedelta(days=14) else w.minutes,
        )
        for w in history.walks
    )
    found = _reasons(
        History(
            protocol_id=history.protocol_id,
            start=history.start,
            profile=history.profile,
            screening=history.screening,
            walks=halved,
            checkins=history.checkins,
        ),
        today,
    )
    assert "adherence_falling" in _codes(found)


def test_a_measure_worse_by_its_minimal_important_change_is_flagged() -> None:
    today = START + dt.timedelta(days=20)
    mic = next(m.mic for m in SEED.measures if m.id == "pain_nrs")
    answers = (
        Answer("pain_nrs", START, 3),
        Answer("pain_nrs", today, 3 + mic),
    )
    found = _reasons(_history(21), today, answers)
    assert "measures_worse" in _codes(found)
    smaller = (Answer("pain_nrs", START, 3), Answer("pain_nrs", today, 3 + mic - 1))
    assert "measures_worse" not in _codes(_reasons(_history(21), today, smaller))


def test_reasons_come_most_urgent_first() -> None:
    today = START + dt.timedelta(days=30)
    symptoms = (SymptomReport(today, warning_signs=frozenset(["radiating_leg_pain"])),)
    found = _reasons(_history(31, quiet_from=10, symptoms=symptoms), today)
    ranks = [r.rank for r in found]
    assert ranks == sorted(ranks)
    assert _codes(found)[:1] == ["warning_sign"]
    assert "no_data" not in _codes(found)  # the symptom report is data


def test_a_protocol_without_an_attention_table_uses_the_defaults() -> None:
    bare = SEED.model_copy(update={"attention": None})
    assert attention.rules(bare) is attention.DEFAULT_ATTENTION
    assert attention.rules(SEED).source in SEED.sources
