"""Outcome measures: when they are due, and what the change since the start means."""

from __future__ import annotations

import datetime as dt

from tests.core.scenarios import STORY_START, checkin_event, date, walk_event
from walkwell.core import measures
from walkwell.core.measures import Answer
from walkwell.core.protocol import load_protocol
from walkwell.core.simulate import run_scenario

PROTOCOL = load_protocol("seed-3-phase")
ALL = ["pain_nrs", "psfs", "start_back"]


def _day(n: int) -> dt.date:
    return STORY_START + dt.timedelta(days=n)


def _scenario(last_day: int) -> dict[str, object]:
    events = [walk_event(n) for n in range(0, last_day + 1, 2)]
    events += [checkin_event(n) for n in range(1, last_day + 1, 2)]
    return {"start": date(0), "profile": {"baseline_minutes": 12}, "events": events}


def test_the_schedule_is_protocol_data_with_a_source() -> None:
    schedule = PROTOCOL.measure_schedule
    assert schedule.weeks == (0, 6, 12)
    assert schedule.repeat_weeks == 12
    assert schedule.source in PROTOCOL.sources


def test_measures_open_at_the_start_week_6_week_12_then_every_12_weeks() -> None:
    opened = [
        n for n in range(0, 400) if measures.opens_on(PROTOCOL, STORY_START, _day(n))
    ]
    assert opened == [0, 42, 84, 168, 252, 336]


def test_the_simulator_lists_measures_due_on_the_days_they_open() -> None:
    days = run_scenario(_scenario(90))["days"]
    due = {d["date"]: d["measures_due"] for d in days if d["measures_due"]}
    assert due == {date(0): ALL, date(42): ALL, date(84): ALL}


def test_a_due_occasion_stays_open_until_answered() -> None:
    answered: list[dt.date] = [_day(-1)]  # onboarding, the day before the start
    assert measures.open_occasion(PROTOCOL, STORY_START, _day(3), answered) is None
    assert measures.open_occasion(PROTOCOL, STORY_START, _day(45), answered) == _day(42)
    answered.append(_day(46))
    assert measures.open_occasion(PROTOCOL, STORY_START, _day(47), answered) is None


def test_an_unanswered_start_is_due_on_the_first_days() -> None:
    assert measures.open_occasion(PROTOCOL, STORY_START, _day(2), []) == STORY_START


def test_a_psfs_rise_of_two_points_is_a_meaningful_improvement() -> None:
    change = measures.change(
        PROTOCOL, Answer("psfs", _day(0), 3.3), Answer("psfs", _day(84), 6.0)
    )
    assert change.meaningful
    assert change.improved
    assert change.sentence == (
        "Your activities score rose from 3.3 to 6.0: a meaningful improvement."
    )


def test_a_pain_drop_of_one_point_is_not_yet_meaningful() -> None:
    change = measures.change(
        PROTOCOL, Answer("pain_nrs", _day(0), 6), Answer("pain_nrs", _day(42), 5)
    )
    assert not change.meaningful
    assert change.sentence == (
        "Your pain rating fell from 6 to 5: less than the 2 points that make a "
        "meaningful change."
    )


def test_pain_rising_two_points_is_a_meaningful_worsening() -> None:
    change = measures.change(
        PROTOCOL, Answer("pain_nrs", _day(0), 3), Answer("pain_nrs", _day(42), 5)
    )
    assert change.meaningful
    assert not change.improved
    assert "a meaningful worsening" in change.sentence


def test_start_back_counts_a_change_of_risk_group() -> None:
    change = measures.change(
        PROTOCOL,
        Answer("start_back", _day(0), 6, risk="high"),
        Answer("start_back", _day(84), 2, risk="low"),
    )
    assert change.meaningful
    assert change.improved
    assert change.sentence == (
        "Your STarT Back risk group went from high to low: a meaningful improvement."
    )
    same = measures.change(
        PROTOCOL,
        Answer("start_back", _day(0), 5, risk="medium"),
        Answer("start_back", _day(84), 4, risk="medium"),
    )
    assert not same.meaningful
    assert "stayed medium" in same.sentence


def test_the_minimal_important_changes_come_with_sources() -> None:
    mics = {m.id: m for m in PROTOCOL.measures}
    assert mics["pain_nrs"].mic == 2
    assert mics["psfs"].mic == 2
    assert mics["psfs"].mic_source == "stratford1995"
    assert mics["pain_nrs"].mic_source in PROTOCOL.sources


def test_a_high_start_back_risk_brings_nice_advice_and_two_lessons() -> None:
    advice = measures.start_back_advice(PROTOCOL, "high")
    assert advice is not None
    assert "psychologically informed" in advice.text
    assert advice.source == "nice_ng59"
    assert advice.lessons == ("fear-of-movement", "pacing")
    assert measures.start_back_advice(PROTOCOL, "low") is None
