"""Urgent red flags need a re-screen; a clearance after a sign on the same day lifts it.

A stop for an urgent red flag (cauda equina signs, fever, new weakness: the tiers
marked ``rescreen``) is lifted only by a clinician's clearance AND a fresh screening
that reports no red flags. A warning-sign stop needs only the clearance, and one
recorded later the same day than the sign lifts it.
"""

from __future__ import annotations

import pytest

from tests.core.scenarios import Story, decisions, rules
from walkwell.core.protocol import TierName, load_protocol


def _urgent_story() -> Story:
    story = Story().follow_plan(0, 3)
    story.checkin(4, red_flags=["saddle_numbness"])
    return story


def test_a_clearance_alone_does_not_lift_a_cauda_equina_stop() -> None:
    """The clinician cleared the person, but nobody asked the red flags again."""
    story = _urgent_story().clearance(6).checkin(7).checkin(8)
    days = story.run()
    assert set(decisions(days[4:])) == {"seek_urgent_care"}
    assert all(d["prescription"]["sessions"] == 0 for d in days[4:])
    assert "safety.rescreen.cleared" in rules(days[8])
    assert "clearance is recorded" in " ".join(days[8]["reasons"])


def test_a_cleared_urgent_stop_no_longer_says_it_waits_for_a_clearance() -> None:
    """After the clearance, the reasons name only what is still owed: the
    red-flag questions again; before it, they say a clearance is needed."""
    days = _urgent_story().clearance(6).checkin(7).run()
    assert "safety.no_progress_until_clearance" in rules(days[5])
    assert "safety.no_progress_until_clearance" not in rules(days[7])
    assert "safety.rescreen.cleared" in rules(days[7])
    assert "until a clinician's clearance" not in " ".join(days[7]["reasons"])


def test_a_clean_screening_alone_does_not_lift_a_cauda_equina_stop() -> None:
    """Answering "no" to the red flags is not a clinician's assessment."""
    days = _urgent_story().screening(6).checkin(7).run()
    assert set(decisions(days[4:])) == {"seek_urgent_care"}
    assert "safety.rescreen.screened" in rules(days[7])
    assert "no red flags" in " ".join(days[7]["reasons"])


def test_a_clearance_then_a_clean_screening_lifts_the_stop_with_a_gradual_return() -> (
    None
):
    """Both recorded: the plan resumes, from what was really walked lately."""
    days = _urgent_story().clearance(6).screening(7).checkin(8).run()
    assert decisions(days[4:7]) == ["seek_urgent_care"] * 3
    assert days[7]["decision"] not in {"seek_urgent_care", "stop_consult"}
    assert "safety.clearance" in rules(days[7])
    assert days[7]["prescription"]["sessions"] > 0


def test_a_screening_that_reports_a_red_flag_keeps_the_stop_and_needs_new_clearance() -> (
    None
):
    """A re-screen with a red flag is a new report: the earlier clearance no longer counts."""
    story = _urgent_story().clearance(6).screening(7, ["bladder_bowel_change"])
    story.screening(8).checkin(9)
    days = story.run()
    assert set(decisions(days[4:])) == {"seek_urgent_care"}
    assert "red_flags.bladder_bowel_change" in rules(days[9])
    lifted = _urgent_story().clearance(6).screening(7, ["bladder_bowel_change"])
    lifted.clearance(8).screening(9).checkin(10)
    assert lifted.run()[9]["decision"] not in {"seek_urgent_care", "stop_consult"}


def test_a_red_flag_in_a_screening_escalates_like_one_in_a_check_in() -> None:
    """The re-screen asks the same questions; its answers count the same."""
    days = Story().follow_plan(0, 3).screening(4, ["fever"]).run()
    assert days[4]["decision"] == "seek_urgent_care"
    assert days[4]["prescription"]["sessions"] == 0


def test_a_red_flag_at_onboarding_waits_for_a_clearance_and_a_fresh_screening() -> None:
    """The plan held back by an urgent answer starts only once both are recorded."""
    story = Story(red_flags=["progressive_weakness"]).checkin(2).clearance(3)
    story.checkin(4).screening(5).checkin(6)
    days = story.run()
    assert [d["phase"] for d in days] == [None] * 5 + [1, 1]
    assert "start" in rules(days[5])


def test_a_medical_review_stop_needs_only_a_clearance() -> None:
    """Only the tiers marked rescreen wait for a screening."""
    story = Story().follow_plan(0, 3).checkin(4, red_flags=["major_trauma"])
    days = story.clearance(6).checkin(7).run()
    assert days[6]["decision"] != "stop_consult"
    assert "safety.rescreen" not in rules(days[5])


def test_a_clearance_recorded_after_a_warning_sign_on_the_same_day_lifts_it() -> None:
    """The walk at nine reported a warning sign; the physio cleared it at four."""
    story = Story().follow_plan(0, 2)
    story.walk(3, 10, warning_signs=["radiating_leg_pain"], at="09:00")
    story.clearance(3, at="16:00").checkin(4)
    days = story.run()
    assert days[3]["decision"] != "stop_consult"
    assert "safety.clearance" in rules(days[3])
    assert days[4]["decision"] != "stop_consult"


def test_a_clearance_recorded_before_a_warning_sign_on_the_same_day_does_not_lift_it() -> (
    None
):
    """The clearance of the morning cannot have seen the afternoon's sign."""
    story = Story().follow_plan(0, 2)
    story.clearance(3, at="08:00")
    story.walk(3, 10, warning_signs=["radiating_leg_pain"], at="15:00").checkin(4)
    days = story.run()
    assert decisions(days[3:]) == ["stop_consult", "stop_consult"]


def test_without_times_a_same_day_clearance_counts_as_before_the_sign() -> None:
    """When the order is unknown the engine takes the cautious one."""
    story = Story().follow_plan(0, 2)
    story.walk(3, 10, warning_signs=["radiating_leg_pain"]).clearance(3).checkin(4)
    assert decisions(story.run()[3:]) == ["stop_consult", "stop_consult"]


def test_same_day_urgent_sign_then_clearance_then_screening_lifts_it() -> None:
    """The morning check-in reported fever; cleared at noon, re-screened at two."""
    story = Story().follow_plan(0, 2)
    story.checkin(3, red_flags=["fever"], at="07:30")
    story.clearance(3, at="12:00").screening(3, at="14:00").checkin(4)
    days = story.run()
    assert days[3]["decision"] not in {"seek_urgent_care", "stop_consult"}


@pytest.mark.parametrize("tier", ["emergency", "urgent"])
def test_the_urgent_tiers_are_marked_rescreen_in_the_protocol_with_a_source(
    tier: TierName,
) -> None:
    protocol = load_protocol("seed-3-phase")
    assert protocol.tiers[tier].rescreen
    assert protocol.tiers[tier].source in protocol.sources
    assert not protocol.tiers["warning_sign"].rescreen
