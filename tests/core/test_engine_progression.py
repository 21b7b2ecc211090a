"""Progression: the seed's calendar, paced by how the body takes the walks."""

from __future__ import annotations

import pytest

from tests.core.scenarios import Day, Story, decisions, rules


def _minutes(days: list[Day]) -> list[int]:
    return [d["prescription"]["minutes_per_session"] for d in days]


def _first_day_in(days: list[Day], phase: int) -> int:
    return next(i for i, d in enumerate(days) if d["phase"] == phase)


def test_a_person_following_the_plan_reaches_phase_2_no_earlier_than_week_3_and_phase_3_no_earlier_than_week_5() -> (
    None
):
    """Low, settling pain and every walk done: Stabilize in week 3, Strengthen in week 5."""
    days = Story().follow_plan(0, 41).run()
    assert _first_day_in(days, 2) == 14  # first day of week 3
    assert _first_day_in(days, 3) == 28  # first day of week 5
    assert days[14]["decision"] == "advance"
    assert "phases[2]" in rules(days[14])
    assert days[28]["decision"] == "advance"
    assert "phases[3]" in rules(days[28])


def test_walking_more_than_prescribed_never_reaches_a_phase_early() -> None:
    """Even a person who walks twice the plan stays in Reset for its full two weeks."""
    story = Story(baseline_minutes=15)
    for n in range(14):
        story.checkin(n + 1).walk(n, 15).walk(n, 15).walk(n, 15)
    days = story.run()
    assert all(d["phase"] == 1 for d in days[:14])


def test_baseline_below_the_range_starts_at_the_baseline_and_builds_up_before_any_advance() -> (
    None
):
    """Baseline 4 minutes: start at 4, add a minute a week, move on only from 10."""
    days = Story(baseline_minutes=4).follow_plan(0, 56).run()
    assert days[0]["prescription"]["minutes_per_session"] == 4
    assert "start" in rules(days[0])
    phase_2 = _first_day_in(days, 2)
    reset = _minutes(days[:phase_2])
    assert reset == sorted(reset)
    assert reset[-1] >= 10  # the range was reached before the phase advanced
    assert sorted(set(reset)) == list(range(4, 11))  # one minute at a time
    assert phase_2 > 14  # building up took longer than the calendar's two weeks


@pytest.mark.parametrize(
    ("baseline", "start"),
    [(1, 1), (4.9, 4), (10, 10), (12, 12), (12.7, 12), (15, 15), (40, 15)],
)
def test_start_dose_is_never_above_the_baseline(baseline: float, start: int) -> None:
    """Stop at the whisper: the first dose is what the person can walk now, at most."""
    day = Story(baseline_minutes=baseline).run()[0]
    minutes = day["prescription"]["minutes_per_session"]
    assert minutes == start
    assert minutes <= baseline


def test_a_long_baseline_starts_at_the_top_of_the_reset_range() -> None:
    """Someone who can walk 40 minutes still starts Reset within its 10-15 minutes."""
    day = Story(baseline_minutes=40).run()[0]
    assert 10 <= day["prescription"]["minutes_per_session"] <= 15


def test_a_quiet_week_grows_each_walk_by_at_most_the_weekly_cap() -> None:
    """After a settled week the walk grows by two minutes (12 -> 14, under 20 %)."""
    days = Story().follow_plan(0, 8).run()
    assert _minutes(days[:7]) == [12] * 7
    assert days[7]["decision"] == "advance"
    assert "progression.max_weekly_growth" in rules(days[7])
    assert days[7]["prescription"]["minutes_per_session"] == 14


def test_a_flare_the_next_morning_holds_the_dose() -> None:
    """Morning pain 2 points over the pain before yesterday's walk: hold, no growth."""
    story = Story().follow_plan(0, 3)
    story.checkin(4, 4)  # walks on day 3 began at 2/10
    story.walk(4, 12).walk(4, 12).follow_plan(5, 7)
    days = story.run()
    assert days[4]["decision"] == "hold"
    assert rules(days[4])[:2] == ["tolerance.flare_rise", "tolerance.flare_holds"]
    assert days[4]["prescription"]["minutes_per_session"] == 12
    assert days[7]["decision"] == "hold"  # the week's review sees the flare
    assert days[7]["prescription"]["minutes_per_session"] == 12


def test_a_small_rise_the_next_morning_is_settled_not_a_flare() -> None:
    """One point up by morning is the everyday wobble, not a flare."""
    story = Story().follow_plan(0, 3)
    story.checkin(4, 3)
    day = story.run()[4]
    assert day["decision"] == "continue"
    assert "tolerance.settle_margin" in rules(day)


def test_a_severe_flare_steps_back_at_once() -> None:
    """Morning pain 4 points up: the dose steps back by a quarter straight away."""
    story = Story().follow_plan(0, 3)
    story.checkin(4, 6)
    day = story.run()[4]
    assert day["decision"] == "step_back"
    assert "tolerance.severe_flare_rise" in rules(day)
    assert "progression.step_back_fraction" in rules(day)
    assert day["prescription"]["minutes_per_session"] == 9  # 12 less a quarter


def test_morning_pain_at_the_severe_level_steps_back_even_after_a_rest_day() -> None:
    """Waking at 9/10 is a strong flare whether or not there was a walk yesterday."""
    story = Story().follow_plan(0, 5)
    story.checkin(6, 2).checkin(7, 9)  # no walks on day 6
    day = story.run()[7]
    assert day["decision"] == "step_back"
    assert day["prescription"]["minutes_per_session"] < 12


def test_two_flares_in_a_week_step_back() -> None:
    """A second flare within the review week steps the dose back."""
    story = Story().follow_plan(0, 1)
    story.checkin(2, 4).walk(2, 12).walk(2, 12)
    story.follow_plan(3, 4)
    story.checkin(5, 4)
    days = story.run()
    assert days[2]["decision"] == "hold"
    assert days[5]["decision"] == "step_back"
    assert "tolerance.flare_rise" in rules(days[5])
    assert days[5]["prescription"]["minutes_per_session"] == 9


def test_pain_past_the_whisper_holds() -> None:
    """Pain during a walk above 5/10, or rising more than 2 points: hold."""
    too_high = Story().walk(0, 12, pain_before=4, pain_during=6).run()[0]
    too_steep = Story().walk(0, 12, pain_before=1, pain_during=4).run()[0]
    at_the_whisper = Story().walk(0, 12, pain_before=1, pain_during=3).run()[0]
    assert too_high["decision"] == "hold"
    assert rules(too_high)[:2] == [
        "tolerance.max_pain_during",
        "tolerance.whisper_holds",
    ]
    assert too_steep["decision"] == "hold"
    assert "tolerance.max_rise_during" in rules(too_steep)
    assert at_the_whisper["decision"] == "continue"


def test_a_walk_past_the_whisper_keeps_the_next_review_from_growing_the_dose() -> None:
    """The weekly review holds when a day of the week went past the whisper."""
    story = Story().follow_plan(0, 2)
    story.walk(3, 12, pain_before=2, pain_during=6)
    story.walk(3, 12)
    story.follow_plan(4, 7)
    day = story.run()[7]
    assert day["decision"] == "hold"
    assert day["prescription"]["minutes_per_session"] == 12


def test_the_week_on_week_rise_in_morning_pain_holds() -> None:
    """Pain creeping up week on week (Silbernagel) holds even without a flare."""
    story = Story().follow_plan(0, 6, pain=2)
    for n, pain in zip(range(7, 14), (3, 4, 4, 4, 4, 4, 4), strict=True):
        story.follow_plan(n, n, pain=pain)
    story.follow_plan(14, 14, pain=4)
    days = story.run()
    assert days[7]["decision"] == "advance"  # week one was quiet
    assert all(d["decision"] != "hold" for d in days[8:14])  # no flare on the way
    assert days[14]["decision"] == "hold"
    assert "tolerance.weekly_pain_rise" in rules(days[14])
    assert days[14]["phase"] == 1


def test_the_week_on_week_rise_in_morning_stiffness_holds() -> None:
    """Morning stiffness up by ten minutes or more on average: the dose holds."""
    story = Story().follow_plan(0, 6, improving=False)
    for n in range(7, 15):
        story.checkin(n, morning_stiffness_min=45, sleep=4, focus=4)
        story.walk(n, 14).walk(n, 14)
    days = story.run()
    assert days[14]["decision"] == "hold"
    assert "tolerance.weekly_stiffness_rise_min" in rules(days[14])


def test_too_few_check_ins_hold() -> None:
    """Without enough mornings recorded nobody knows the walks settled: hold."""
    story = Story()
    for n in range(7):
        story.walk(n, 12).walk(n, 12)
    story.checkin(3).checkin(7)  # two mornings; the rule asks for three
    day = story.run()[7]
    assert day["decision"] == "hold"
    assert "progression.min_checkins" in rules(day)
    assert day["prescription"]["minutes_per_session"] == 12


def test_low_adherence_holds() -> None:
    """Fewer than 70 % of the week's walks done: the dose does not grow."""
    story = Story()
    for n in range(7):
        story.checkin(n + 1).walk(n, 12)  # one of two walks a day: 50 %
    day = story.run()[7]
    assert day["decision"] == "hold"
    assert "progression.min_adherence" in rules(day)
    assert "7 of 14" in day["reasons"][0]
    assert day["prescription"]["minutes_per_session"] == 12


def test_stabilize_without_better_sleep_stiffness_or_focus_pauses_to_reassess() -> None:
    """After Stabilize's two weeks with no change in sleep, stiffness or focus: pause."""
    days = Story().follow_plan(0, 34, improving=False).run()
    assert days[27]["phase"] == 2
    assert set(decisions(days[28:])) == {"pause_reassess"}
    assert all(d["phase"] == 2 for d in days[28:])
    assert "reassess" in rules(days[28])
    assert "physiotherapist" in days[28]["reasons"][0]
    assert len({d["prescription"]["minutes_per_session"] for d in days[28:]}) == 1


def test_a_clearance_lets_a_paused_stabilize_move_on() -> None:
    """The physio reviews the pause and clears it: Strengthen starts at the next review."""
    story = Story().follow_plan(0, 29, improving=False).clearance(30)
    story.follow_plan(30, 38, improving=False)
    days = story.run()
    assert days[30]["decision"] != "pause_reassess"
    assert "safety.clearance" in rules(days[30])
    assert _first_day_in(days, 3) == 37
    assert days[37]["decision"] == "advance"


def test_a_week_without_walks_restarts_the_dose_lower() -> None:
    """Seven days without a walk: restart from what was really walked in the last
    two weeks (8 walking days of 24-28 minutes, about 102 minutes a week: 7 minutes
    a walk), never above the phase's starting dose."""
    story = Story().follow_plan(0, 9)  # 14 minutes from day 7; last walk on day 9
    for n in range(10, 18):
        story.checkin(n)
    days = story.run()
    assert days[15]["prescription"]["minutes_per_session"] == 14
    assert days[16]["decision"] == "step_back"
    assert "gap.restart_days" in rules(days[16])
    assert days[16]["prescription"]["minutes_per_session"] == 7
    assert days[17]["prescription"]["minutes_per_session"] == 7


def test_three_weeks_without_walks_steps_back_a_phase() -> None:
    """Twenty-one days without a walk in Stabilize: back to Reset to rebuild, with
    the day's total kept (12 minutes once a day become 2 walks of 6)."""
    story = Story().follow_plan(0, 20)  # Stabilize from day 14; last walk on day 20
    for n in range(21, 43):
        story.checkin(n)
    days = story.run()
    assert days[40]["phase"] == 2
    assert days[41]["phase"] == 1
    assert days[41]["decision"] == "step_back"
    assert "gap.phase_back_days" in rules(days[41])
    assert days[41]["prescription"]["sessions"] == 2
    assert days[41]["prescription"]["minutes_per_session"] == 6


def test_a_flare_in_stabilize_near_the_bottom_of_its_range_steps_back_a_phase() -> None:
    """Stepping back below Stabilize's 20 minutes lands in Reset with a lower daily
    total: 20 minutes a day less a quarter is 15, so two walks of 7."""
    story = Story().follow_plan(0, 15)
    story.checkin(16, 7)  # walks on day 15 began at 2/10: a strong flare
    day = story.run()[16]
    assert day["decision"] == "step_back"
    assert day["phase"] == 1
    assert day["prescription"]["sessions"] == 2
    assert day["prescription"]["minutes_per_session"] == 7


def test_a_walk_past_the_whisper_on_a_review_day_takes_back_that_mornings_step_up() -> (
    None
):
    """The day shows hold, and the dose stays where it was, not one step higher."""
    story = Story().follow_plan(0, 7)
    story.walk(7, 12, pain_before=2, pain_during=6).follow_plan(8, 8)
    days = story.run()
    review_day = days[7]
    assert review_day["decision"] == "hold"
    assert review_day["prescription"]["minutes_per_session"] == 12
    assert not any("grows from" in r for r in review_day["reasons"])
    assert days[8]["prescription"]["minutes_per_session"] == 12
