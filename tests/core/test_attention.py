"""Attention reasons: what puts a person forward on a clinician's list, and how far."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

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
from walkwell.core.protocol import DEFAULT_PROTOCOL, Attention, load_protocol

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
    week = today - dt.timedelta(days=attention.rules(SEED).overdo_window_days - 1)
    recent = engine.window(SEED, history, week, today).plans
    return attention.reasons_for(SEED, history, plan, answers, today, recent=recent)


def _overdone(days_ago: tuple[int, ...], today: dt.date) -> History:
    """Three weeks of 10-minute walks, but 40 minutes (well past the plan's 15)
    on the days this many days before ``today``."""
    history = _history(21, minutes=10)
    far = {today - dt.timedelta(days=n) for n in days_ago}
    walks = tuple(replace(w, minutes=40) if w.date in far else w for w in history.walks)
    return replace(history, walks=walks)


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


def test_walking_well_past_the_plan_on_three_days_of_the_week_is_flagged() -> None:
    today = START + dt.timedelta(days=20)
    found = _reasons(_overdone((0, 2, 5), today), today)
    assert _codes(found) == ["overdoing"]
    (overdoing,) = found
    assert overdoing.label == "Walking past the plan"
    assert overdoing.text.startswith(
        "Walked well past the plan on 3 of the last 7 days"
    )
    assert overdoing.since == today - dt.timedelta(days=5)
    assert overdoing.source in SEED.sources


def test_one_day_past_the_plan_in_the_week_is_not_flagged() -> None:
    today = START + dt.timedelta(days=20)
    assert _reasons(_overdone((1,), today), today) == ()
    # nor days past the plan that lie before the week
    assert _reasons(_overdone((7, 8, 9), today), today) == ()


def test_walking_past_the_plan_ranks_after_a_worse_measure_and_before_drop_offs() -> (
    None
):
    order = attention.REASONS
    assert order.index("measures_worse") < order.index("overdoing")
    assert order.index("overdoing") < order.index("adherence_falling")


def test_an_attention_table_written_before_overdoing_was_flagged_still_loads() -> None:
    older = {
        "no_data_days": 7,
        "adherence_days": 14,
        "adherence_ratio": 0.5,
        "adherence_min_minutes": 60,
        "source": "seed",
    }
    table = Attention.model_validate(older)
    assert (table.overdo_days, table.overdo_window_days) == (3, 7)
