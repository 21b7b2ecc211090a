"""What each day prescribes, which measures are due, and how reasons read."""

from __future__ import annotations

import datetime as dt
import re

from tests.core.scenarios import STORY_START, Day, Story
from walkwell.core.engine import plan_day, timeline
from walkwell.core.model import Decision
from walkwell.core.protocol import load_protocol
from walkwell.core.simulate import parse_scenario

SEED = load_protocol("seed-3-phase")
REASON = re.compile(r"^.+ \(rule: [\w.\[\]]+; source: (\w+)\)$", re.DOTALL)
MEASURES = ["pain_nrs", "psfs", "start_back"]


def _six_weeks() -> list[Day]:
    return Story().follow_plan(0, 41).run()


def test_reset_prescribes_two_short_flat_easy_walks_a_day() -> None:
    """Phase 1: twice daily, flat ground, conversational pace, posture cues."""
    rx = Story().run()[0]["prescription"]
    assert rx["sessions"] == 2
    assert 10 <= rx["minutes_per_session"] <= 15
    assert rx["terrain"] == ["flat"]
    assert rx["pace"] == "easy"
    assert "conversation" in rx["breathing"]
    assert any("ears over your shoulders" in cue for cue in rx["cues"])
    assert rx["intervals"] == []
    assert rx["max_load_kg"] == 0


def test_stabilize_prescribes_one_longer_walk_with_nasal_breathing() -> None:
    """Phase 2: once daily, 20-30 minutes, grass or slight inclines allowed."""
    rx = _six_weeks()[14]["prescription"]
    assert rx["sessions"] == 1
    assert 20 <= rx["minutes_per_session"] <= 30
    assert rx["terrain"] == ["flat", "grass", "incline"]
    assert "nose" in rx["breathing"]


def test_every_walking_day_ends_with_the_two_minute_decompression_cooldown() -> None:
    """The cooldown and a habit idea come with every prescribed walk."""
    walking = [d for d in _six_weeks() if d["prescription"]["sessions"]]
    assert walking
    for day in walking:
        rx = day["prescription"]
        assert rx["cooldown_minutes"] == 2
        assert rx["cooldown"].startswith("Standing spinal decompression")
        assert rx["habit"].split(":")[0] in {
            "Post-lunch loop",
            "Morning light walk",
            "Commute hack",
        }


def test_rest_days_in_strengthen_prescribe_zero_sessions() -> None:
    """Strengthen is five days a week: two days in every seven prescribe nothing."""
    days = _six_weeks()
    strengthen = days[28:42]
    sessions = [d["prescription"]["sessions"] for d in strengthen]
    assert sessions == [1, 1, 1, 1, 1, 0, 0] * 2
    for rest in (d for d in strengthen if not d["prescription"]["sessions"]):
        assert rest["prescription"]["minutes_per_session"] == 0
        assert "a rest day" in " ".join(rest["reasons"])
    assert all(d["prescription"]["sessions"] for d in days[:28])


def test_intervals_3_brisk_1_slow_only_in_strengthen_from_its_second_week() -> None:
    """The brisk/slow pattern is prescribed in Strengthen, never before, and only
    from its second week: the first week adds nothing but a moderate pace."""
    days = _six_weeks()
    for day in days[:28]:
        assert day["prescription"]["intervals"] == []
        assert day["prescription"]["pace"] == "easy"
    first_week = [d for d in days[28:35] if d["prescription"]["sessions"]]
    assert first_week
    for day in first_week:
        assert day["prescription"]["intervals"] == []
        assert day["prescription"]["pace"] == "moderate"
        assert day["prescription"]["max_load_kg"] == 0
        assert day["prescription"]["minutes_per_session"] >= 30
    second_week = [d for d in days[35:42] if d["prescription"]["sessions"]]
    assert second_week
    for day in second_week:
        assert day["prescription"]["intervals"] == [
            {"kind": "brisk", "minutes": 3},
            {"kind": "slow", "minutes": 1},
        ]
        assert day["prescription"]["pace"] == "intervals"
        assert "hills" not in day["prescription"]["terrain"]


def test_measures_follow_their_schedule_not_the_phase_changes() -> None:
    """NRS, PSFS and STarT Back are asked at the start, and not again at the phase
    changes of weeks 2 and 4 (their next occasion is week 6)."""
    days = _six_weeks()
    due = {i: d["measures_due"] for i, d in enumerate(days) if d["measures_due"]}
    assert due == {0: MEASURES}


def test_reasons_name_their_rule_and_source() -> None:
    """Every reason and warning ends with its rule and a source the protocol lists."""
    story = Story().follow_plan(0, 20)
    story.walk(21, 30, terrain="hills", cooldown=False, pain_during=7)
    story.checkin(22, 6, warning_signs=["numbness_tingling"]).clearance(24)
    story.checkin(25, red_flags=["fever"])
    days = story.run()
    texts = [t for d in days for t in (*d["reasons"], *d["warnings"])]
    assert len(texts) > 2 * len(days)
    for text in texts:
        found = REASON.match(text)
        assert found is not None, text
        assert found.group(1) in SEED.sources
    assert all(d["reasons"] for d in days)


def test_the_day_says_which_phase_and_week_and_when_the_next_review_is() -> None:
    """Plain words for today: phase name, week number, walks, and the review date."""
    day = Story().follow_plan(0, 9).run()[9]
    assert any(
        r.startswith(
            "Reset, week 2: 2 walks of 14 minutes. Next review on Monday 19 January."
        )
        for r in day["reasons"]
    )


def test_plan_day_agrees_with_the_timeline_on_every_day() -> None:
    """Asking for one day gives the same plan as replaying the whole timeline."""
    story = Story().follow_plan(0, 30)
    story.checkin(31, 6).checkin(32, warning_signs=["radiating_leg_pain"])
    story.clearance(35).walk(35, 40, terrain="hills")
    protocol, history = parse_scenario(story.scenario())
    end = STORY_START + dt.timedelta(days=36)
    whole = timeline(protocol, history, end)
    assert len(whole) == 37
    for plan in whole:
        assert plan_day(protocol, history, plan.date) == plan


def test_plan_day_before_the_start_says_not_started() -> None:
    """A date before the plan begins prescribes nothing and says when it starts."""
    protocol, history = parse_scenario(Story().scenario())
    plan = plan_day(protocol, history, STORY_START - dt.timedelta(days=1))
    assert plan.decision is Decision.NOT_STARTED
    assert plan.phase is None
    assert plan.prescription.sessions == 0
    assert plan.reasons[0].text == "Your plan starts on Monday 5 January."
