"""Logged and imported walks count as what they were: their length against the
day's plan, the shoes they were walked in, and a habit that is part of the plan."""

from __future__ import annotations

from tests.core.scenarios import Story, rules, warning_rules
from walkwell.core.protocol import load_protocol

SEED = load_protocol("seed-3-phase")


def test_a_two_hour_hike_on_a_day_of_two_short_walks_is_too_much_too_early() -> None:
    """An imported 2-hour hike on a day of 2 x 10 minutes is a mistake that holds
    the next review, not a day's plan done several times over."""
    story = Story(baseline_minutes=10).walk(0, 120).follow_plan(1, 7)
    days = story.run()
    assert "mistakes.too_much_too_early" in warning_rules(days[0])
    assert any("120 minutes" in w for w in days[0]["warnings"])
    assert days[7]["decision"] == "hold"
    assert "tolerance.overdo_ratio" in rules(days[7])
    assert days[7]["prescription"]["minutes_per_session"] == 10


def test_many_short_walks_that_add_up_far_past_the_day_are_too_much_too_early() -> None:
    """Four 10-minute walks on a day of 2 x 10: each is the plan, the day is double."""
    story = Story(baseline_minutes=10)
    for _ in range(4):
        story.walk(0, 10)
    story.follow_plan(1, 7)
    days = story.run()
    assert warning_rules(days[0]).count("mistakes.too_much_too_early") == 1
    assert any("40 minutes today against 20" in w for w in days[0]["warnings"])
    assert days[7]["decision"] == "hold"


def test_a_third_short_walk_within_the_days_allowance_is_not_a_mistake() -> None:
    """Three walks of 10 on a day of 2 x 10 stay within 1.5 times the day's plan."""
    story = Story(baseline_minutes=10).walk(0, 10).walk(0, 10).walk(0, 10)
    assert "mistakes.too_much_too_early" not in warning_rules(story.run()[0])


def test_shoes_named_at_onboarding_apply_to_walks_that_do_not_say() -> None:
    worn = Story(profile_extra={"footwear": "worn_out"})
    assert "mistakes.poor_footwear" in warning_rules(worn.walk(0, 12).run()[0])
    changed = Story(profile_extra={"footwear": "worn_out"})
    changed.walk(0, 12, footwear="supportive")
    assert "mistakes.poor_footwear" not in warning_rules(changed.run()[0])
    good = Story(profile_extra={"footwear": "supportive"})
    good.walk(0, 12, footwear="barefoot_style")
    assert "mistakes.poor_footwear" in warning_rules(good.run()[0])


def test_the_habit_is_one_of_the_days_walks_never_an_extra_one() -> None:
    """2 x 12 minutes: a 10-minute habit is how to take one of them."""
    for day in Story().follow_plan(0, 6).run():
        rx = day["prescription"]
        assert "one of today's 12-minute walks, not an extra one" in rx["habit"]


def test_no_habit_is_suggested_that_is_longer_than_the_days_walks() -> None:
    """Walks of 4 minutes: every habit is longer, so none is suggested; at 5
    minutes only the 5-minute commute hack fits."""
    assert {d["prescription"]["habit"] for d in Story(baseline_minutes=4).run()} == {""}
    five = Story(baseline_minutes=5).follow_plan(0, 5).run()
    assert {d["prescription"]["habit"].split(":")[0] for d in five} == {"Commute hack"}


def test_no_habit_on_a_stop_day() -> None:
    """A warning sign stops the plan: the gentle walks come with no habit idea."""
    story = Story().follow_plan(0, 1)
    story.checkin(2, warning_signs=["radiating_leg_pain"])
    day = story.run()[2]
    assert day["decision"] == "stop_consult"
    assert day["prescription"]["sessions"] > 0
    assert day["prescription"]["habit"] == ""
