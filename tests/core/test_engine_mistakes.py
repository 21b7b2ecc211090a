"""The seed's common mistakes: too much too early, skipped cooldown, poor shoes."""

from __future__ import annotations

import pytest

from tests.core.scenarios import Story, rules, warning_rules


def test_hills_in_reset_warn_too_much_too_early() -> None:
    """Hills in the first phase: a warning, and the walk counts as too hard."""
    day = Story().walk(0, 12, terrain="hills").run()[0]
    assert warning_rules(day) == ["mistakes.terrain_too_early"]
    assert "hills" in day["warnings"][0]
    assert day["warnings"][0].endswith("source: seed)")


@pytest.mark.parametrize("terrain", ["grass", "incline", "uneven"])
def test_any_terrain_beyond_flat_in_reset_warns(terrain: str) -> None:
    """Reset allows flat ground only."""
    day = Story().walk(0, 12, terrain=terrain).run()[0]
    assert "mistakes.terrain_too_early" in warning_rules(day)


def test_grass_and_inclines_are_fine_in_stabilize_but_hills_are_not() -> None:
    """Stabilize introduces slight inclines and grass; hills wait for Strengthen."""
    story = Story().follow_plan(0, 13)
    # three short walks, together within the day's 20 minutes and a half
    story.checkin(14).walk(14, 10, terrain="grass").walk(14, 10, terrain="incline")
    story.walk(14, 10, terrain="hills")
    day = story.run()[14]
    assert day["phase"] == 2
    assert warning_rules(day) == ["mistakes.terrain_too_early"]
    assert "hills" in day["warnings"][0]


def test_hills_and_uneven_ground_hold_back_the_next_review() -> None:
    """A too-hard walk keeps the dose where it is at the weekly review."""
    story = Story().follow_plan(0, 2)
    story.walk(3, 12, terrain="uneven").walk(3, 12)
    story.follow_plan(4, 7)
    day = story.run()[7]
    assert day["decision"] == "hold"
    assert day["prescription"]["minutes_per_session"] == 12


def test_a_walk_far_past_the_plan_warns_too_much_too_early() -> None:
    """More than one and a half times the prescribed minutes is too much, too early."""
    over = Story().walk(0, 19).run()[0]  # 12 planned: 18 is the limit
    at_limit = Story().walk(0, 18).run()[0]
    assert warning_rules(over) == ["mistakes.too_much_too_early"]
    assert "19 minutes against 12 planned" in over["warnings"][0]
    assert warning_rules(at_limit) == []


def test_brisk_walking_in_reset_warns() -> None:
    """Fast walking before Strengthen is one of the seed's mistakes."""
    day = Story().walk(0, 12, pace="brisk").run()[0]
    assert warning_rules(day) == ["mistakes.pace_too_early"]


def test_skipped_cooldown_warns() -> None:
    """No two minutes of standing decompression: a warning, but no hold."""
    story = Story().follow_plan(0, 6)
    story.events = [
        {**e, "cooldown": False} if e["type"] == "walk" else e for e in story.events
    ]
    story.follow_plan(7, 7)
    days = story.run()
    assert warning_rules(days[0]) == [
        "mistakes.cooldown_skipped",
        "mistakes.cooldown_skipped",
    ]
    assert "2 minutes of standing spinal decompression" in days[0]["warnings"][0]
    assert days[7]["decision"] == "advance"  # a warning, not too much load


@pytest.mark.parametrize("footwear", ["unsupportive", "worn_out", "barefoot_style"])
def test_unsupportive_footwear_warns(footwear: str) -> None:
    """Cushioning is not support: flagged shoes earn a warning on the walk."""
    day = Story().walk(0, 12, footwear=footwear).run()[0]
    assert warning_rules(day) == ["mistakes.poor_footwear"]
    assert "arch support" in day["warnings"][0]


def test_a_walk_that_names_no_shoes_is_judged_by_the_onboarding_answer() -> None:
    """The shoes named at onboarding count for walks that name none; a walk that
    names its own shoes is judged by those (the engine decides, for every path)."""
    story = Story(profile_extra={"footwear": "worn_out"})
    story.walk(0, 7).walk(0, 7, footwear="supportive")
    story.walk(0, 7, footwear="worn_out")
    day = story.run()[0]
    assert warning_rules(day) == ["mistakes.poor_footwear"] * 2


def test_supportive_footwear_does_not_warn() -> None:
    day = Story().walk(0, 12, footwear="supportive").run()[0]
    assert day["warnings"] == []


def test_daypack_before_strengthen_warns() -> None:
    """A light daypack belongs to Strengthen only."""
    day = Story().walk(0, 12, load_kg=2).run()[0]
    assert warning_rules(day) == ["mistakes.load_too_early"]
    assert "2 kg" in day["warnings"][0]


def _strengthen_week(week: int) -> tuple[Story, int]:
    """A story that follows the plan into Strengthen; the first day of its ``week``."""
    story = Story().follow_plan(0, 27)
    day = 28 + 7 * (week - 1)
    if week > 1:
        story.follow_plan(28, day - 1)
    return story, day


def test_a_light_daypack_in_strengthen_is_fine_but_a_heavy_one_warns() -> None:
    """From the daypack's week of Strengthen 1-3 kg is the add-on; more than 3 kg is
    still a mistake."""
    story, n = _strengthen_week(4)
    # two walks of 20 on a day of 30 or more: together within the day's allowance
    story.checkin(n).walk(n, 20, pace="intervals", load_kg=3)
    story.walk(n, 20, pace="intervals", terrain="hills", load_kg=5)
    day = story.run()[n]
    assert day["phase"] == 3
    assert day["prescription"]["max_load_kg"] == 3
    assert warning_rules(day) == ["mistakes.load_too_early"]
    assert "5 kg" in day["warnings"][0]


@pytest.mark.parametrize(
    ("walk", "mistake", "too_early", "allowed_from"),
    [
        ({"terrain": "hills"}, "mistakes.terrain_too_early", 2, 3),
        ({"pace": "brisk"}, "mistakes.pace_too_early", 1, 2),
        ({"pace": "intervals"}, "mistakes.pace_too_early", 1, 2),
        ({"load_kg": 2}, "mistakes.load_too_early", 3, 4),
    ],
)
def test_a_new_stressor_before_its_week_of_strengthen_is_a_mistake(
    walk: dict[str, object], mistake: str, too_early: int, allowed_from: int
) -> None:
    """Stressors come one at a time: a hill walk in a Strengthen week whose stage
    allows hills is fine; in an earlier week it is a mistake (and the prescription's
    terrain, pace and load say which week allows what)."""
    for week, expected in ((too_early, [mistake]), (allowed_from, [])):
        story, n = _strengthen_week(week)
        fields = {"pace": "intervals" if week > 1 else "moderate", **walk}
        story.checkin(n).walk(n, 30, **fields)
        day = story.run()[n]
        assert day["phase"] == 3, week
        assert warning_rules(day) == expected, (week, day["prescription"])


def test_each_warning_names_its_mistake_and_source() -> None:
    """Every mistake id the protocol defines is reachable and cites the seed."""
    day = (
        Story()
        .walk(0, 30, terrain="hills", pace="brisk", load_kg=2)
        .walk(0, 12, cooldown=False, footwear="worn_out")
        .run()[0]
    )
    assert sorted(warning_rules(day)) == [
        "mistakes.cooldown_skipped",
        "mistakes.load_too_early",
        "mistakes.pace_too_early",
        "mistakes.poor_footwear",
        "mistakes.terrain_too_early",
        "mistakes.too_much_too_early",
    ]
    assert all(w.endswith("source: seed)") for w in day["warnings"])
    assert "tolerance.whisper_holds" not in rules(day)
