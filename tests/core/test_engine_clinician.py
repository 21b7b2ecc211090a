"""A clinician's directives, folded by the engine: hold, step back, advance a phase
early, and a threshold adjusted within the protocol's bounds. Each story runs
through the simulator, the engine's public contract."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.scenarios import Day, Story, date, rules
from walkwell.core.protocol import load_protocol
from walkwell.core.simulate import ScenarioError, run_scenario

SEED = load_protocol("seed-3-phase")


def _daily(day: Day) -> int:
    rx = day["prescription"]
    return int(rx["sessions"] * rx["minutes_per_session"])


def _weekly(day: Day) -> int:
    return SEED.phase(day["phase"]).days_per_week * _daily(day)


def _text(day: Day) -> str:
    return " ".join(day["reasons"])


# --- hold ------------------------------------------------------------------------


def test_without_a_hold_a_good_week_grows_the_dose_at_the_review() -> None:
    """The control for the next story: the same week, no clinician."""
    days = Story().follow_plan(0, 7).run()
    assert days[7]["decision"] == "advance"
    assert days[7]["prescription"]["minutes_per_session"] == 14


def test_a_hold_during_a_good_week_keeps_the_dose_at_the_review() -> None:
    story = Story().follow_plan(0, 4)
    story.directive(5, "hold", reason="Let the new shoes settle first")
    days = story.follow_plan(5, 14).run()
    assert days[4]["decision"] == "continue"  # before the hold nothing changes
    for day in days[5:12]:
        assert day["decision"] == "hold", day
        assert day["prescription"]["minutes_per_session"] == 12
        assert "clinician.hold" in rules(day)
        assert (
            "Your clinician, Dr Chen, held the plan: Let the new shoes settle first"
            in _text(day)
        )
    assert "would have stepped up; your clinician's hold keeps the dose" in _text(
        days[7]
    )
    # the review inside the hold keeps the dose; the hold lasts one review period
    # (``[clinician] hold_days``), so the plan grows again at the next review
    assert days[12]["decision"] != "hold"
    assert days[14]["decision"] == "advance"


def test_a_hold_with_an_end_date_lasts_through_that_day() -> None:
    story = Story().follow_plan(0, 2)
    story.directive(3, "hold", until=date(16))
    days = story.follow_plan(3, 17).run()
    assert all(d["decision"] == "hold" for d in days[3:17])
    assert "until" in _text(days[3]).lower()
    assert days[14]["prescription"]["minutes_per_session"] == 12  # no phase change
    assert days[17]["decision"] != "hold"


def test_a_hold_names_its_source_from_the_protocol() -> None:
    story = Story().follow_plan(0, 2).directive(3, "hold")
    day = story.run()[3]
    hold = next(t for t in day["reasons"] if "(rule: clinician.hold;" in t)
    assert f"source: {SEED.clinician_rules.source})" in hold


def test_a_warning_sign_during_a_hold_stops_the_plan() -> None:
    story = Story().follow_plan(0, 2).directive(3, "hold")
    story.walk(4, 12, warning_signs=["pain_increases_each_step"])
    days = story.run()
    assert days[4]["decision"] == "stop_consult"


# --- step back -------------------------------------------------------------------


def _flare_in_week_ten() -> Story:
    """Ten weeks of the plan, a flare on day 68 (morning pain 4 after walks at 2)."""
    story = Story()
    return story.follow_plan(0, 68, mornings=lambda n: {"pain": 4} if n == 68 else {})


def test_a_step_back_in_week_ten_after_a_flare_lowers_the_days_minutes() -> None:
    story = _flare_in_week_ten()
    story.directive(69, "step_back", reason="The flare needs a lighter week")
    days = story.follow_plan(69, 77).run()
    flare, stepped = days[68], days[69]
    assert flare["decision"] == "hold"
    assert stepped["decision"] == "step_back"
    assert "clinician.step_back" in rules(stepped)
    assert (
        "Your clinician, Dr Chen, stepped the plan back: The flare needs a lighter week"
        in _text(stepped)
    )
    # the week after it never holds more minutes a day than before the step back
    walking = [d for d in days[:69] if d["prescription"]["sessions"]][-1]
    after = [d for d in days[69:77] if d["prescription"]["sessions"]]
    assert after, "the week after the step back has walking days"
    for later in after:
        assert _daily(later) < _daily(walking), later


def test_a_step_back_on_the_day_a_flare_already_stepped_back_is_not_doubled() -> None:
    story = Story().follow_plan(0, 5, mornings=lambda n: {"pain": 9} if n == 5 else {})
    alone = story.run()[5]
    story.directive(5, "step_back")
    both = story.run()[5]
    assert alone["decision"] == both["decision"] == "step_back"
    assert _daily(both) == _daily(alone)


# --- advance ---------------------------------------------------------------------


def test_an_advance_moves_to_the_next_phase_early_within_the_weekly_cap() -> None:
    story = Story().follow_plan(0, 9)
    story.directive(10, "advance", reason="Walking well, ready for longer walks")
    days = story.follow_plan(10, 11).run()
    before, moved = days[9], days[10]
    assert (before["phase"], moved["phase"]) == (1, 2)
    assert moved["decision"] == "advance"
    assert "clinician.advance" in rules(moved)
    assert "Your clinician, Dr Chen, moved the plan on" in _text(moved)
    cap = 1 + SEED.progression.max_weekly_growth
    assert _weekly(moved) <= _weekly(before) * cap


def test_an_advance_is_refused_while_a_warning_sign_is_open() -> None:
    story = Story().follow_plan(0, 9)
    story.walk(10, 12, warning_signs=["pain_increases_each_step"])
    story.directive(11, "advance", reason="Doing well")
    days = story.run()
    refused = days[11]
    assert refused["decision"] == "stop_consult"
    assert "clinician.refused" in rules(refused)
    assert "warning sign" in _text(refused) or "stopped" in _text(refused)
    # refused, not deferred: the clearance later does not bring the advance back
    story.clearance(12)
    story.follow_plan(12, 13)
    assert all(d["phase"] in (1, None) for d in story.run()[11:14])


def test_an_advance_is_refused_on_the_programs_last_phase() -> None:
    story = Story(baseline_minutes=15).follow_plan(0, 1)
    for n in (2, 3, 4):
        story.directive(n, "advance")
    days = story.run()
    assert [d["phase"] for d in days[2:5]] == [2, 3, 4]
    story.directive(5, "advance")
    last = story.run()[5]
    assert last["phase"] == 4
    assert "clinician.refused" in rules(last)
    assert "last phase" in _text(last)


def test_a_second_advance_the_same_day_is_refused() -> None:
    story = Story().follow_plan(0, 2)
    story.directive(3, "advance").directive(3, "advance")
    day = story.run()[3]
    assert day["phase"] == 2
    assert "clinician.refused" in rules(day)
    assert "one step at a time" in _text(day)


def test_an_advance_after_a_step_up_keeps_the_week_within_the_cap_of_before() -> None:
    """A review grows the walks, and an advance two days later is capped against
    the week before that growth: two steps up in a review period do not compound."""
    story = Story(baseline_minutes=15, protocol="walkback-30x5").follow_plan(0, 15)
    story.directive(16, "advance")
    days = story.follow_plan(16, 16).run()
    grown = next(i for i, d in enumerate(days) if d["decision"] == "advance")
    assert grown < 16
    walkback = load_protocol("walkback-30x5")

    def week(d: Day) -> int:
        phase = walkback.phase(d["phase"])
        minutes = d["prescription"]["minutes_per_session"] or 0
        return phase.days_per_week * phase.sessions_per_day * minutes

    before = next(d for d in reversed(days[:grown]) if d["prescription"]["sessions"])
    moved = days[16]
    assert moved["phase"] == before["phase"] + 1
    cap = 1 + walkback.progression.max_weekly_growth
    assert week(moved) <= week(before) * cap


def test_an_advance_is_refused_the_morning_of_a_flare() -> None:
    story = Story().follow_plan(0, 6, mornings=lambda n: {"pain": 4} if n == 6 else {})
    story.directive(6, "advance")
    day = story.run()[6]
    assert day["phase"] == 1
    assert day["decision"] == "hold"
    assert "clinician.refused" in rules(day)


# --- thresholds ------------------------------------------------------------------


def _rise_of_two_on(n: int) -> Story:
    """Settled days, then a morning 2 points above the pain before yesterday's walk."""
    return Story().follow_plan(0, n, mornings=lambda k: {"pain": 4} if k == n else {})


def test_the_protocol_flare_rise_holds_a_rise_of_two() -> None:
    day = _rise_of_two_on(3).run()[3]
    assert day["decision"] == "hold"
    assert "tolerance.flare_rise" in rules(day)


def test_an_adjusted_flare_rise_changes_the_decision_from_its_day() -> None:
    story = _rise_of_two_on(3)
    story.directive(
        3,
        "threshold",
        reason="Her pain wobbles by two points from day to day",
        threshold="tolerance.flare_rise",
        value=3,
    )
    day = story.run()[3]
    assert day["decision"] == "continue"
    assert "tolerance.flare_rise" not in rules(day)
    assert "clinician.thresholds" in rules(day)
    assert "3" in _text(day)
    assert "Dr Chen" in _text(day)


def test_an_adjusted_threshold_changes_nothing_before_its_day() -> None:
    story = _rise_of_two_on(3)
    story.directive(4, "threshold", threshold="tolerance.flare_rise", value=3)
    days = story.run()
    assert days[3]["decision"] == "hold"
    assert "tolerance.flare_rise" in rules(days[3])


def test_a_tighter_whisper_holds_a_walk_the_protocol_would_let_pass() -> None:
    story = Story().follow_plan(0, 2)
    story.directive(3, "threshold", threshold="tolerance.max_rise_during", value=1)
    story.walk(3, 12, pain_before=2, pain_during=4, pain_after=2)
    day = story.run()[3]
    assert day["decision"] == "hold"
    assert "tolerance.max_rise_during" in rules(day)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"threshold": "tolerance.flare_rise", "value": 9},
            "Next-morning pain rise that counts as a flare must be between 1 and 3",
        ),
        (
            {"threshold": "tolerance.severe_pain", "value": 9},
            "lets a clinician adjust only",
        ),
        ({"threshold": "tolerance.flare_rise"}, "value"),
    ],
)
def test_the_simulator_refuses_a_threshold_outside_the_protocols_bounds(
    fields: dict[str, Any], message: str
) -> None:
    story = Story().directive(1, "threshold", **fields)
    with pytest.raises(ScenarioError, match=message):
        run_scenario(story.scenario())


def test_the_simulator_refuses_an_unknown_directive() -> None:
    story = Story().directive(1, "discharge")
    with pytest.raises(ScenarioError, match="action"):
        run_scenario(story.scenario())


def test_the_simulator_refuses_a_hold_that_ends_before_it_starts() -> None:
    story = Story().directive(5, "hold", until=date(4))
    with pytest.raises(ScenarioError, match="until"):
        run_scenario(story.scenario())
