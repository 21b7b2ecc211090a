"""What to remind by email, and when: at the person's own local time, never a walk
on a stop day, the check-in the morning after a day with walks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from tests.core.scenarios import STORY_START, Story
from walkwell.core.engine import plan_day
from walkwell.core.model import DayPlan
from walkwell.core.protocol import DEFAULT_PROTOCOL, load_protocol
from walkwell.core.reminders import (
    LATEST,
    RULES,
    Times,
    Topic,
    reminder_for,
    slots_due,
    window_start,
)
from walkwell.core.simulate import parse_scenario

SEED = load_protocol(DEFAULT_PROTOCOL)
TIMES = Times(
    checkin=dt.time(7, 30), first_walk=dt.time(8, 0), second_walk=dt.time(13, 0)
)
BOTH: frozenset[Topic] = frozenset({"checkin", "walks"})
CHECKIN: frozenset[Topic] = frozenset({"checkin"})
WALKS: frozenset[Topic] = frozenset({"walks"})
SYDNEY = zoneinfo.ZoneInfo("Australia/Sydney")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


def _plan(story: Story, n: int) -> DayPlan:
    _, history = parse_scenario(story.scenario())
    return plan_day(SEED, history, STORY_START + dt.timedelta(days=n))


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_the_same_0730_falls_at_a_different_instant_in_each_zone() -> None:
    start, end = _utc("2026-01-06T00:00"), _utc("2026-01-07T00:00")
    sydney = slots_due(start, end, SYDNEY, TIMES, CHECKIN)
    los_angeles = slots_due(start, end, LOS_ANGELES, TIMES, CHECKIN)
    # 07:30 in Sydney (UTC+11 in January) is 20:30 UTC the day before
    assert [(s.day, s.at.astimezone(dt.UTC)) for s in sydney] == [
        (dt.date(2026, 1, 7), _utc("2026-01-06T20:30"))
    ]
    # 07:30 in Los Angeles (UTC-8) is 15:30 UTC the same day
    assert [(s.day, s.at.astimezone(dt.UTC)) for s in los_angeles] == [
        (dt.date(2026, 1, 6), _utc("2026-01-06T15:30"))
    ]


def test_a_slot_is_due_in_the_window_that_ends_at_it_and_not_the_next() -> None:
    at = dt.datetime(2026, 1, 6, 8, 0, tzinfo=LOS_ANGELES)
    before = slots_due(at - dt.timedelta(minutes=5), at, LOS_ANGELES, TIMES, WALKS)
    after = slots_due(at, at + dt.timedelta(minutes=5), LOS_ANGELES, TIMES, WALKS)
    assert [s.kind for s in before] == ["walk1"]
    assert after == []


def test_only_the_topics_asked_for_fall_due() -> None:
    start, end = _utc("2026-01-06T08:00"), _utc("2026-01-07T08:00")
    kinds = {s.kind for s in slots_due(start, end, dt.UTC, TIMES, frozenset())}
    assert kinds == set()
    walks = slots_due(start, end, dt.UTC, TIMES, WALKS)
    assert {s.kind for s in walks} == {"walk1", "walk2"}


def test_a_time_the_clocks_skip_falls_once_on_that_day() -> None:
    """02:30 does not exist in Los Angeles on 8 March 2026 (clocks go forward)."""
    early = Times(
        checkin=dt.time(2, 30), first_walk=dt.time(8), second_walk=dt.time(13)
    )
    start, end = _utc("2026-03-08T00:00"), _utc("2026-03-09T00:00")
    found = slots_due(start, end, LOS_ANGELES, early, CHECKIN)
    assert [s.day for s in found] == [dt.date(2026, 3, 8)]


def test_a_pass_starts_at_the_last_one_but_never_more_than_latest_back() -> None:
    now = _utc("2026-01-06T12:00")
    recent = now - dt.timedelta(minutes=5)
    assert window_start(now, recent, dt.timedelta(minutes=15)) == recent
    long_ago = now - dt.timedelta(days=1)
    assert window_start(now, long_ago, dt.timedelta(minutes=15)) == now - LATEST
    assert window_start(now, None, dt.timedelta(minutes=15)) == now - dt.timedelta(
        minutes=15
    )


def test_each_planned_walk_is_reminded_and_no_more() -> None:
    story = Story().follow_plan(0, 1)
    plan = _plan(story, 2)
    assert plan.prescription.sessions == 2  # Reset: two walks a day
    first = reminder_for("walk1", plan, day_before=None, checked_in=False, topics=BOTH)
    second = reminder_for("walk2", plan, day_before=None, checked_in=False, topics=BOTH)
    assert first is not None
    assert (first.message, first.walk_number, first.walks_planned) == ("walk", 1, 2)
    assert second is not None
    assert second.walk_number == 2
    assert first.reason.source == "seed"


def test_a_stop_day_gets_no_walk_reminder_but_what_to_do_instead() -> None:
    story = Story().follow_plan(0, 1).checkin(2, warning_signs=["radiating_leg_pain"])
    plan = _plan(story, 2)
    assert plan.decision.is_escalation
    first = reminder_for("walk1", plan, day_before=None, checked_in=True, topics=BOTH)
    second = reminder_for("walk2", plan, day_before=None, checked_in=True, topics=BOTH)
    assert first is not None
    assert first.message == "stop"
    assert first.reason == RULES["reminders.stop_day"]
    assert second is None


def test_an_urgent_stop_day_is_no_walk_reminder_either() -> None:
    plan = _plan(Story(red_flags=["saddle_numbness"]), 1)
    first = reminder_for("walk1", plan, day_before=None, checked_in=False, topics=BOTH)
    assert first is not None
    assert first.message == "stop"


def test_the_checkin_is_reminded_the_morning_after_walks_until_it_is_done() -> None:
    story = Story().follow_plan(0, 1)
    yesterday, today = _plan(story, 1), _plan(story, 2)
    due = reminder_for(
        "checkin", today, day_before=yesterday, checked_in=False, topics=BOTH
    )
    assert due is not None
    assert due.message == "checkin"
    done = reminder_for(
        "checkin", today, day_before=yesterday, checked_in=True, topics=BOTH
    )
    assert done is None
    first_day = reminder_for(
        "checkin", _plan(story, 0), day_before=None, checked_in=False, topics=BOTH
    )
    assert first_day is None


def test_the_look_back_rides_on_the_first_walk_of_a_review_day() -> None:
    story = Story().follow_plan(0, 7)
    review = _plan(story, 7)
    assert review.reviewed
    before = _plan(story, 6)
    walk = reminder_for(
        "walk1", review, day_before=before, checked_in=True, topics=BOTH
    )
    checkin = reminder_for(
        "checkin", review, day_before=before, checked_in=False, topics=BOTH
    )
    only_checkin = reminder_for(
        "checkin",
        review,
        day_before=before,
        checked_in=False,
        topics=CHECKIN,
    )
    assert walk is not None
    assert walk.look_back
    assert checkin is not None
    assert not checkin.look_back
    assert only_checkin is not None
    assert only_checkin.look_back
