"""Look backs from the recent days equal those from the whole timeline.

Progress and Today build the weekly look backs from a window of recent days
(explained by the engine only for those days) and the timeline's course (the
plan's start and every phase change since, which the engine's window collects
without words), not from every day since the start. For stories with weekly
reviews, a phase change and a long stop (when reviews are further apart than the
window reaches, the window says so and the whole timeline is read), the look
backs are exactly those of the whole timeline.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from tests.cast import START
from walkwell.core import engine
from walkwell.core import model as core
from walkwell.core.lookback import Course, course_of
from walkwell.core.protocol import DEFAULT_PROTOCOL, load_protocol
from walkwell.web.pages.insight import LOOK_BACK_DAYS
from walkwell.web.program.presenters import look_backs, look_backs_within

SEED = load_protocol(DEFAULT_PROTOCOL)
DAYS = 150
STOPPED = (60, 105)  # a warning sign on day 60, cleared on day 105


@cache
def _story(*, stop: bool) -> core.History:
    """Every prescribed walk done below the whisper, mornings settling; with
    ``stop``, a warning sign stops the plan for weeks until a clearance."""
    history = core.History(
        protocol_id=SEED.id,
        start=START,
        profile=core.Profile(baseline_minutes=12),
        screening=core.Screening(date=START),
    )
    walks: list[core.Walk] = []
    checkins: list[core.CheckIn] = []
    for n in range(DAYS):
        day = START + dt.timedelta(days=n)
        if stop and n == STOPPED[0]:
            history = _with(history, symptoms=(_sign(day),))
        if stop and n == STOPPED[1]:
            history = _with(history, clearances=(core.Clearance(day, by="Dr Carol"),))
        rx = engine.plan_day(SEED, history, day).prescription
        pain = max(4 - n // 21, 1)
        walks += [
            core.Walk(day, rx.minutes_per_session, pain_before=pain, pain_during=pain)
            for _ in range(rx.sessions)
        ]
        checkins.append(
            core.CheckIn(day + dt.timedelta(days=1), pain, max(30 - n // 7, 5), 6, 6)
        )
        history = _with(history, walks=tuple(walks), checkins=tuple(checkins))
    return history


def _sign(day: dt.date) -> core.SymptomReport:
    return core.SymptomReport(day, warning_signs=frozenset({"radiating_leg_pain"}))


def _with(history: core.History, **changes: object) -> core.History:
    fields = {f: getattr(history, f) for f in core.History.__dataclass_fields__}
    return core.History(**{**fields, **changes})


@pytest.mark.parametrize("stop", [False, True], ids=["weekly", "long-stop"])
def test_look_backs_from_recent_days_equal_the_whole_timelines(stop: bool) -> None:
    history = _story(stop=stop)
    read_from_window = 0
    for n in range(14, DAYS, 4):
        end = START + dt.timedelta(days=n)
        full = engine.timeline(SEED, history, end)
        shown = engine.window(SEED, history, end - dt.timedelta(LOOK_BACK_DAYS), end)
        course = Course(START, shown.phase_changes)
        assert course == course_of(full)
        assert shown.plans == tuple(full[-len(shown.plans) :])
        expected = look_backs(SEED, full, history.walks, history.checkins)
        found = look_backs_within(
            SEED, shown.plans, history.walks, history.checkins, course=course
        )
        if found is not None:
            read_from_window += bool(expected)
            assert found == expected
    assert read_from_window > 0
    phases = {phase for _, phase in course_of(full).phase_changes}
    assert len(phases) >= 2  # the story crosses a phase change


def test_a_long_stop_sends_the_look_backs_to_the_whole_timeline() -> None:
    history = _story(stop=True)
    end = START + dt.timedelta(days=STOPPED[1] + 7)
    shown = engine.window(SEED, history, end - dt.timedelta(LOOK_BACK_DAYS), end)
    course = Course(START, shown.phase_changes)
    found = look_backs_within(
        SEED, shown.plans, history.walks, history.checkins, course=course
    )
    assert found is None  # fewer than eight reviews in the window
    assert look_backs(SEED, engine.timeline(SEED, history, end), (), ())
