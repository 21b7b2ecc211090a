"""Safety comes first: red flags and warning signs, their tiers, and clearances."""

from __future__ import annotations

import pytest

from tests.core.scenarios import Story, decisions, rules, warning_rules

EMERGENCY = (
    "saddle_numbness",
    "bladder_bowel_change",
    "sexual_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_weakness",
)
URGENT = ("fever", "new_weakness_or_numbness")
MEDICAL_REVIEW = (
    "cancer_history",
    "unexplained_weight_loss",
    "major_trauma",
    "constant_night_pain",
)
WARNING_SIGNS = ("radiating_leg_pain", "numbness_tingling", "pain_increases_each_step")

RED_FLAG_TIERS = [
    *((flag, "emergency", "seek_urgent_care") for flag in EMERGENCY),
    *((flag, "urgent", "seek_urgent_care") for flag in URGENT),
    *((flag, "medical_review", "stop_consult") for flag in MEDICAL_REVIEW),
]


def test_saddle_numbness_at_screening_sends_to_emergency_and_prescribes_no_walks() -> (
    None
):
    """Cauda equina signs at onboarding: go to an emergency department, no plan."""
    days = Story(red_flags=["saddle_numbness"]).checkin(5).run()
    first = days[0]
    assert first["decision"] == "seek_urgent_care"
    assert first["phase"] is None
    assert first["prescription"]["sessions"] == 0
    assert "emergency department" in first["reasons"][0]
    assert "tiers.emergency" in rules(first)
    assert "red_flags.saddle_numbness" in rules(first)
    assert all(d["decision"] == "seek_urgent_care" for d in days)
    assert all(d["prescription"]["sessions"] == 0 for d in days)


@pytest.mark.parametrize(("flag", "tier", "decision"), RED_FLAG_TIERS)
def test_every_red_flag_at_screening_gets_its_tier_and_no_walks(
    flag: str, tier: str, decision: str
) -> None:
    """Each red flag asked at onboarding maps to its tier's decision; no walks."""
    days = Story(red_flags=[flag]).checkin(2).run()
    for day in days:
        assert day["decision"] == decision
        assert day["prescription"]["sessions"] == 0
        assert day["phase"] is None
        assert f"tiers.{tier}" in rules(day)
        assert f"red_flags.{flag}" in rules(day)
        assert "safety.no_progress_until_clearance" in rules(day)


@pytest.mark.parametrize(("flag", "tier", "decision"), RED_FLAG_TIERS)
def test_every_red_flag_in_a_morning_check_in_gets_its_tier_and_stops_the_walks(
    flag: str, tier: str, decision: str
) -> None:
    """A red flag reported the morning after a walk overrides the plan that day."""
    story = Story().follow_plan(0, 3)
    story.checkin(4, red_flags=[flag]).checkin(6)
    days = story.run()
    assert decisions(days[:4]) == ["continue"] * 4
    for day in days[4:]:
        assert day["decision"] == decision
        assert day["prescription"]["sessions"] == 0
        assert day["phase"] == 1
        assert f"tiers.{tier}" in rules(day)


@pytest.mark.parametrize("sign", WARNING_SIGNS)
def test_a_warning_sign_during_a_walk_stops_to_consult_with_gentle_walks(
    sign: str,
) -> None:
    """The seed's signs: see a physio; meanwhile short, flat, easy walks only."""
    story = Story().follow_plan(0, 30)  # in Strengthen by day 28
    story.walk(30, 30, warning_signs=[sign]).checkin(31).checkin(32)
    days = story.run()
    assert days[29]["phase"] == 3
    for day in days[30:]:
        assert day["decision"] == "stop_consult"
        assert f"warning_signs.{sign}" in rules(day)
        assert "tiers.warning_sign" in rules(day)
        assert "physiotherapist" in day["reasons"][0]
        rx = day["prescription"]
        assert rx["sessions"] == 1
        assert rx["minutes_per_session"] == 10
        assert rx["terrain"] == ["flat"]
        assert rx["pace"] == "easy"
        assert rx["intervals"] == []
        assert rx["max_load_kg"] == 0


@pytest.mark.parametrize("sign", WARNING_SIGNS)
def test_a_warning_sign_reported_in_a_morning_check_in_stops_to_consult(
    sign: str,
) -> None:
    """New symptoms the next morning count just like symptoms during the walk."""
    story = Story().follow_plan(0, 2)
    story.checkin(3, warning_signs=[sign])
    day = story.run()[3]
    assert day["decision"] == "stop_consult"
    assert f"warning_signs.{sign}" in rules(day)
    assert day["prescription"]["sessions"] == 2
    assert day["prescription"]["minutes_per_session"] == 10


def test_a_warning_sign_on_the_very_first_walk_still_prescribes_gentle_walks() -> None:
    """The plan has started on day one, so a warning sign then keeps gentle walks."""
    story = Story().walk(0, 12, warning_signs=["numbness_tingling"]).checkin(1)
    days = story.run()
    for day in days:
        assert day["decision"] == "stop_consult"
        assert day["phase"] == 1
        assert day["prescription"]["sessions"] == 2
        assert day["prescription"]["minutes_per_session"] == 10


def test_walks_resume_only_after_a_recorded_clearance_and_a_fresh_screening() -> None:
    """After seek_urgent_care, no walk is prescribed on any day until a clearance
    and a re-screen that reports no red flags."""
    story = Story().follow_plan(0, 3)
    story.checkin(4, red_flags=["fever"])
    for n in range(5, 15):
        story.checkin(n)
    story.clearance(15).screening(15).checkin(16)
    days = story.run()
    assert all(d["sessions"] == 0 for d in (x["prescription"] for x in days[4:15]))
    assert set(decisions(days[4:15])) == {"seek_urgent_care"}
    assert "safety.clearance" in rules(days[15])
    assert days[15]["decision"] not in {"seek_urgent_care", "stop_consult"}
    assert days[15]["prescription"]["sessions"] == 2
    assert days[16]["prescription"]["sessions"] == 2


def test_a_plan_held_back_by_screening_starts_on_the_clearance_day() -> None:
    """A red flag at onboarding delays the start; the clearance day is day one."""
    story = Story(red_flags=["major_trauma"]).checkin(3).clearance(4).checkin(5)
    days = story.run()
    assert [d["phase"] for d in days] == [None, None, None, None, 1, 1]
    assert days[4]["prescription"]["minutes_per_session"] == 12
    assert "start" in rules(days[4])
    assert days[4]["measures_due"] == ["pain_nrs", "psfs", "start_back"]


def test_a_later_milder_sign_never_lowers_an_open_emergency() -> None:
    """Once an emergency sign is open, a warning sign later keeps the emergency."""
    story = Story().follow_plan(0, 2)
    story.checkin(3, red_flags=["bladder_bowel_change"])
    story.checkin(4, warning_signs=["radiating_leg_pain"])
    days = story.run()
    assert decisions(days[3:]) == ["seek_urgent_care", "seek_urgent_care"]
    assert "tiers.emergency" in rules(days[4])
    assert "warning_signs.radiating_leg_pain" in rules(days[4])
    assert days[4]["prescription"]["sessions"] == 0


def test_a_worse_sign_raises_an_open_warning_to_emergency() -> None:
    """A warning sign, then saddle numbness: the emergency tier takes over."""
    story = Story().follow_plan(0, 2)
    story.checkin(3, warning_signs=["numbness_tingling"])
    story.checkin(4, red_flags=["saddle_numbness"])
    days = story.run()
    assert decisions(days[3:]) == ["stop_consult", "seek_urgent_care"]
    assert days[3]["prescription"]["sessions"] == 2
    assert days[4]["prescription"]["sessions"] == 0


def test_a_sign_reported_on_the_clearance_day_keeps_the_plan_stopped() -> None:
    """A clearance covers what came before it, not a sign reported the same day."""
    story = Story().follow_plan(0, 2)
    story.checkin(3, red_flags=["fever"]).clearance(5)
    story.checkin(5, red_flags=["fever"])
    day = story.run()[5]
    assert day["decision"] == "seek_urgent_care"
    assert day["prescription"]["sessions"] == 0


def test_a_clearance_with_nothing_open_changes_nothing() -> None:
    """A stray clearance is not a reason to progress or to reset anything."""
    with_clearance = Story().follow_plan(0, 9).clearance(3).run()
    without = Story().follow_plan(0, 9).run()
    assert [d["decision"] for d in with_clearance] == decisions(without)
    assert [d["prescription"] for d in with_clearance] == [
        d["prescription"] for d in without
    ]


def test_gentle_walks_while_waiting_for_a_physio_count_as_walking() -> None:
    """Walking gently during a warning sign is not a gap: no restart after clearance."""
    story = Story().follow_plan(0, 2)
    story.walk(3, 10, warning_signs=["radiating_leg_pain"])
    for n in range(4, 12):
        story.checkin(n).walk(n, 10).walk(n, 10)
    story.clearance(12).checkin(12)
    day = story.run()[12]
    assert "gap.restart_days" not in rules(day)
    assert day["decision"] != "step_back"


def test_mistakes_are_still_warned_about_while_a_warning_sign_is_open() -> None:
    """Hills or a skipped cooldown during the gentle-walks period still get a warning."""
    story = Story().follow_plan(0, 2)
    story.checkin(3, warning_signs=["numbness_tingling"])
    story.walk(3, 10, terrain="hills", cooldown=False)
    day = story.run()[3]
    assert day["decision"] == "stop_consult"
    assert "mistakes.terrain_too_early" in warning_rules(day)
    assert "mistakes.cooldown_skipped" in warning_rules(day)
