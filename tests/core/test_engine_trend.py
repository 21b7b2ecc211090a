"""The trend, not only yesterday: the person's own baseline, Stabilize's exit, and
pain that lasts (after a walk, or week after week above the limit)."""

from __future__ import annotations

import math
from statistics import fmean
from typing import Any

import pytest

from tests.core.scenarios import Day, Story, decisions, rules

# The order in which a week's days pick up a creep's next point, so a 0-10 rating
# creeps half a point a week without ever jumping two points overnight.
_DITHER = (0, 4, 1, 5, 2, 6, 3)


def _creep(n: int, *, start: int, base: int = 1, per_week: float = 0.5) -> int:
    """Morning pain on day ``n``: ``base`` until ``start``, then a slow creep."""
    if n < start:
        return base
    x = (n - start) * per_week / 7
    return base + math.floor(x + _DITHER[n % 7] / 7)


def _creeping_mornings(n: int) -> dict[str, Any]:
    """From Strengthen on, pain creeps from 1/10 (kept at most 4/10, so that no
    walk goes past the 5/10 limit and muddles the story)."""
    return {"pain": min(4, _creep(n, start=28))}


def _reviews_with(days: list[Day], rule: str) -> list[int]:
    return [i for i, d in enumerate(days) if rule in rules(d)]


def test_a_slow_creep_in_morning_pain_is_caught_against_the_persons_baseline() -> None:
    """Half a point a week never trips yesterday's or last week's comparison, but
    once the week's average sits 2 points over the first week's, the plan stops
    growing; a second period like it pauses to talk to a physiotherapist."""
    story = Story().follow_plan(0, 76, mornings=_creeping_mornings)
    days = story.run()
    assert days[28]["phase"] == 3  # the creep starts once Strengthen has begun
    held = _reviews_with(days, "baseline.pain_rise")
    assert held, "the creep was never caught"
    first = held[0]
    window = [_creeping_mornings(n)["pain"] for n in range(first - 7, first)]
    assert fmean(window) >= 1 + 2  # baseline 1/10, the minimal important change 2
    assert days[first]["decision"] == "hold"
    # nothing earlier looked wrong day to day or week to week
    assert "hold" not in decisions(days[:first])
    assert "advance" not in decisions(days[first:])
    minutes = {d["prescription"]["minutes_per_session"] for d in days[first:]}
    assert len(minutes - {0}) == 1  # the dose stays where it was
    paused = days[first + 7]
    assert paused["decision"] == "pause_reassess"
    assert "baseline.reassess" in rules(paused)
    assert "physiotherapist" in paused["reasons"][0]
    assert set(decisions(days[first + 7 :])) == {"pause_reassess"}


@pytest.mark.parametrize(
    ("measure", "weeks", "rule"),
    [
        ("sleep", (6, 5, 4), "baseline.sleep_drop"),
        ("focus", (6, 5, 4), "baseline.focus_drop"),
        ("morning_stiffness_min", (20, 25, 30), "baseline.stiffness_rise_min"),
    ],
)
def test_sleep_focus_and_stiffness_worse_than_the_baseline_hold(
    measure: str, weeks: tuple[int, int, int], rule: str
) -> None:
    """A small slide each week adds up: two points of sleep or focus, or ten more
    minutes of stiffness, below the first week's holds the plan."""

    def mornings(n: int) -> dict[str, Any]:
        usual = {"sleep": 6, "focus": 6, "morning_stiffness_min": 20}
        return {**usual, measure: weeks[min(n // 7, 2)]}

    days = Story().follow_plan(0, 21, mornings=mornings).run()
    assert days[14]["decision"] == "advance"  # one step worse is not yet meaningful
    assert days[21]["decision"] == "hold"
    assert rule in rules(days[21])
    dose = ("sessions", "minutes_per_session")
    assert [days[21]["prescription"][k] for k in dose] == [
        days[20]["prescription"][k] for k in dose
    ]


def test_the_baseline_given_at_onboarding_is_the_one_compared_with() -> None:
    """Someone who said mornings are usually 1/10 and now wakes at 3/10 every day."""
    usual = {"pain": 1, "morning_stiffness_min": 30, "sleep": 4, "focus": 4}
    told = Story(profile_extra={"baseline_morning": usual})
    told.follow_plan(0, 7, pain=3)
    untold = Story().follow_plan(0, 7, pain=3)
    assert told.run()[7]["decision"] == "hold"
    assert "baseline.pain_rise" in rules(told.run()[7])
    assert untold.run()[7]["decision"] == "advance"  # their first week was 3/10 too


def test_a_clearance_lifts_a_baseline_pause_and_the_watch_starts_again() -> None:
    """The physiotherapist saw them: the pause lifts; the dose still does not grow
    while mornings stay above the baseline, and two more such periods ask again."""
    story = Story().follow_plan(0, 72, mornings=_creeping_mornings)
    first_pause = decisions(story.run()).index("pause_reassess")
    story.clearance(first_pause + 1)
    story.follow_plan(73, first_pause + 16, mornings=_creeping_mornings)
    days = story.run()
    assert "safety.clearance" in rules(days[first_pause + 1])
    assert days[first_pause + 1]["decision"] != "pause_reassess"
    assert "advance" not in decisions(days[first_pause:])
    assert days[first_pause + 15]["decision"] == "pause_reassess"


def _painful_weeks(weeks: int, bad: tuple[int, ...] = (2, 5)) -> Story:
    """Every prescribed walk done and mornings settled, but on two days of every
    week the walks hurt past the protocol's limit (6/10)."""
    story = Story()
    for n in range(7 * weeks):
        if n:
            story.checkin(n)
        during = 6 if n % 7 in bad else 3
        story.walk(n, 12, pain_during=during).walk(n, 12, pain_during=during)
    return story


def test_pain_during_walks_above_the_limit_for_two_review_periods_asks_for_a_clinician() -> (
    None
):
    """Holding the dose forever is no answer: the second such period pauses."""
    days = _painful_weeks(3).run()
    assert days[7]["decision"] == "hold"
    assert days[14]["decision"] == "pause_reassess"
    assert "tolerance.persistent_pain_reviews" in rules(days[14])
    text = days[14]["reasons"][0]
    assert "physiotherapist" in text
    assert set(decisions(days[14:])) == {"pause_reassess"}


def test_one_painful_walk_a_week_holds_but_does_not_pause() -> None:
    """A single day past the limit in a week is a hold, not a pattern."""
    days = _painful_weeks(3, bad=(3,)).run()
    assert days[7]["decision"] == "hold"
    assert days[14]["decision"] == "hold"
    assert "pause_reassess" not in decisions(days)


# --- Stabilize's exit ----------------------------------------------------------


def _stabilize(later: dict[int, dict[str, Any]]) -> list[Day]:
    """Reset as usual (stiffness 30, sleep and focus 4/10, pain 1/10), then
    Stabilize's two weeks with the mornings given for each of its weeks."""

    def mornings(n: int) -> dict[str, Any]:
        usual = {"pain": 1, "morning_stiffness_min": 30, "sleep": 4, "focus": 4}
        return {**usual, **later.get(n // 7, {})}

    return Story().follow_plan(0, 28, mornings=mornings).run()


def test_stabilize_moves_on_when_mornings_improve_and_nothing_got_worse() -> None:
    days = _stabilize({2: {"sleep": 5}, 3: {"sleep": 6}})
    assert days[28]["decision"] == "advance"
    assert days[28]["phase"] == 3


def test_better_sleep_with_worse_stiffness_is_not_improvement() -> None:
    """Sleep two points better, but mornings six minutes stiffer: pause."""
    days = _stabilize(
        {
            2: {"sleep": 5, "morning_stiffness_min": 33},
            3: {"sleep": 6, "morning_stiffness_min": 36},
        }
    )
    assert days[27]["phase"] == 2
    assert days[28]["decision"] == "pause_reassess"
    assert days[28]["phase"] == 2
    assert "morning stiffness (+6 minutes)" in days[28]["reasons"][0]
    assert "got worse" in days[28]["reasons"][0]


def test_better_sleep_with_more_morning_pain_is_not_improvement() -> None:
    """Sleep better, but morning pain a point higher than before Stabilize: pause."""

    def stabilize_pain(n: int) -> int:
        return 1 + (n % 2) if n < 21 else 2

    def mornings(n: int) -> dict[str, Any]:
        if n < 14:
            return {"pain": 1, "morning_stiffness_min": 30, "sleep": 4, "focus": 4}
        sleep = 5 if n < 21 else 6
        return {
            "pain": stabilize_pain(n),
            "morning_stiffness_min": 30,
            "sleep": sleep,
            "focus": 4,
        }

    days = Story().follow_plan(0, 28, mornings=mornings).run()
    assert days[28]["decision"] == "pause_reassess"
    assert "morning pain (+1.0)" in days[28]["reasons"][0]


# --- pain after the walk ---------------------------------------------------------


def test_pain_after_a_walk_above_the_limit_holds_even_if_the_walk_felt_fine() -> None:
    high = Story().walk(0, 12, pain_before=2, pain_during=3, pain_after=6).run()[0]
    assert high["decision"] == "hold"
    assert rules(high)[:2] == ["tolerance.max_pain_after", "tolerance.after_holds"]


def test_pain_after_a_walk_rising_past_the_whisper_holds() -> None:
    steep = Story().walk(0, 12, pain_before=1, pain_during=2, pain_after=4).run()[0]
    within = Story().walk(0, 12, pain_before=1, pain_during=2, pain_after=3).run()[0]
    assert steep["decision"] == "hold"
    assert "tolerance.max_rise_after" in rules(steep)
    assert within["decision"] == "continue"


def test_a_walk_that_left_pain_high_keeps_the_next_review_from_growing_the_dose() -> (
    None
):
    story = Story().follow_plan(0, 2)
    story.walk(3, 12, pain_before=2, pain_during=3, pain_after=6).walk(3, 12)
    story.follow_plan(4, 7)
    day = story.run()[7]
    assert day["decision"] == "hold"
    assert day["prescription"]["minutes_per_session"] == 12
