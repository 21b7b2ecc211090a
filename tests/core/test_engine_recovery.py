"""Steps back, returns, new stressors, Maintain and the flare plan, as a
physiotherapist would tell them."""

from __future__ import annotations

import datetime as dt
import itertools
from functools import cache

from tests.core.scenarios import STORY_START, Day, Story, rules
from walkwell.core.model import CheckIn
from walkwell.core.progression import earliest_starts
from walkwell.core.protocol import load_protocol
from walkwell.core.recovery import days_since_recurrence


def _daily(day: Day) -> int:
    rx = day["prescription"]
    return int(rx["sessions"] * rx["minutes_per_session"])


def _weekly(day: Day) -> int:
    """The week's total the day's phase and dose make (5 walking days in Strengthen)."""
    days_a_week = {1: 7, 2: 7, 3: 5, 4: 5}[day["phase"]]
    return _daily(day) * days_a_week


@cache
def _to_maintain() -> tuple[Day, ...]:
    """Every walk done, pain low and settling, for 18 weeks."""
    return tuple(Story().follow_plan(0, 125).run())


def _first_day_in(days: tuple[Day, ...] | list[Day], phase: int) -> int:
    return next(i for i, d in enumerate(days) if d["phase"] == phase)


# --- 4. a step back never adds load ---------------------------------------------


def test_a_step_back_from_stabilize_into_reset_keeps_the_days_total_lower() -> None:
    """Stabilize's one 22-minute walk becomes Reset's two walks of 8, not two of 15:
    16 minutes a day, and no day of the week after holds more than 22."""
    story = Story().follow_plan(0, 22)
    story.checkin(23, 7)  # a strong flare after day 22's walk
    story.follow_plan(24, 31)
    days = story.run()
    before = _daily(days[22])
    assert days[23]["decision"] == "step_back"
    assert days[23]["phase"] == 1
    assert _daily(days[23]) < before
    assert all(_daily(d) <= before for d in days[23:31])


def test_the_review_in_the_week_after_a_step_back_does_not_move_on_a_phase() -> None:
    """A step back within Reset holds the day's total under the dose before it, even
    when the calendar says Stabilize may begin (20 minutes > 2 x 9 would be more)."""
    story = Story(baseline_minutes=15).follow_plan(0, 9)
    story.checkin(10, 7)  # strong flare: 15 -> 11 minutes, twice a day
    story.follow_plan(11, 17)
    days = story.run()
    assert days[10]["decision"] == "step_back"
    assert all(_daily(d) <= 30 for d in days[10:18])


# --- 5. returns are gradual -------------------------------------------------------


def test_a_cleared_stop_restarts_from_the_gentle_walks_not_the_dose_before_it() -> None:
    """Sciatica in Strengthen: ten days of 10-minute gentle walks, then a clearance.
    The plan restarts from about what was walked, not from 30+ minutes."""
    story = Story().follow_plan(0, 37)
    story.checkin(38, 2, warning_signs=["radiating_leg_pain"])
    for n in range(38, 48):
        story.walk(n, 10)
        story.checkin(n + 1)
    story.clearance(48)
    story.follow_plan(48, 62)
    days = story.run()
    before = days[37]["prescription"]["minutes_per_session"]
    assert days[38]["decision"] == "stop_consult"
    assert "returns.lookback_days" in rules(days[48])
    restart = days[48]["prescription"]["minutes_per_session"]
    assert restart < before
    walked_a_week = (10 * 10) * 7 / 14  # ten 10-minute walks in the last 14 days
    assert restart <= walked_a_week / 5 + 1
    walking = [_weekly(d) for d in days[48:63] if d["prescription"]["sessions"]]
    for a, b in itertools.pairwise(walking):
        assert b <= max(a + 5, a * 1.2)  # grows by the weekly cap from there


def test_a_return_brings_the_stressors_back_one_at_a_time() -> None:
    """After a cleared stop in Strengthen, the first week back has no intervals."""
    story = Story().follow_plan(0, 44)
    story.checkin(45, 2, warning_signs=["numbness_tingling"])
    story.clearance(50).follow_plan(50, 54)
    days = story.run()
    walking = [d for d in days[50:55] if d["prescription"]["sessions"]]
    assert walking
    assert all(d["prescription"]["intervals"] == [] for d in walking)
    assert all("hills" not in d["prescription"]["terrain"] for d in walking)


# --- 6. new stressors one at a time -------------------------------------------------


def test_strengthen_adds_intervals_hills_and_the_daypack_on_separate_weeks() -> None:
    """Week 1 moderate pace, week 2 intervals, week 3 hills, week 4 the daypack."""
    days = _to_maintain()
    start = _first_day_in(days, 3)
    weeks = [days[start + 7 * w] for w in range(4)]
    rx = [d["prescription"] for d in weeks]
    assert [p["pace"] for p in rx] == [
        "moderate",
        "intervals",
        "intervals",
        "intervals",
    ]
    assert ["hills" in p["terrain"] for p in rx] == [False, False, True, True]
    assert [p["max_load_kg"] for p in rx] == [0, 0, 0, 3]


def test_no_phase_change_raises_the_weeks_total_beyond_the_weekly_cap() -> None:
    """WalkBack-style: Begin's 3 days of 10 minutes (30 a week) do not jump to Build's
    4 days of 20 (80 a week); Build starts where 20 % more allows."""
    story = Story(baseline_minutes=10, protocol="walkback-30x5").follow_plan(0, 70)
    days = story.run()
    build = _first_day_in(days, 2)
    before = next(d for d in reversed(days[:build]) if d["prescription"]["sessions"])
    per_week_before = _daily(before) * 3
    assert _daily(days[build]) * 4 <= per_week_before * 1.2


# --- 9. Maintain -------------------------------------------------------------------


def test_maintain_follows_three_settled_weeks_at_strengthens_top_dose() -> None:
    days = _to_maintain()
    maintain = _first_day_in(days, 4)
    assert maintain >= 49  # not before week 8
    assert days[maintain]["decision"] == "advance"
    assert "phases[4]" in rules(days[maintain])
    top = [d for d in days[:maintain] if d["prescription"]["minutes_per_session"] == 45]
    assert (maintain - days.index(top[0])) >= 21


def _phase_starts(
    days: tuple[Day, ...] | list[Day], phases: tuple[int, ...] = (1, 2, 3, 4)
) -> tuple[dt.date, ...]:
    """The day the story first reached each of ``phases``."""
    return tuple(
        STORY_START + dt.timedelta(days=_first_day_in(days, n)) for n in phases
    )


def test_each_phases_earliest_start_is_the_day_someone_following_the_plan_reaches_it() -> (
    None
):
    """Stabilize in week 3, Strengthen in week 5, and Maintain not in week 8 (its
    calendar floor) but once Strengthen has climbed from 30 to 45 minutes and held
    there for three settled weekly reviews: week 16."""
    seed = load_protocol("seed-3-phase")
    starts = earliest_starts(seed, STORY_START, start_minutes=12)
    assert starts == _phase_starts(_to_maintain())
    assert [(d - STORY_START).days for d in starts] == [0, 14, 28, 105]


def test_a_start_below_resets_range_puts_every_later_phase_further_off() -> None:
    """Five minutes a walk must first grow to Reset's 10 before Stabilize can begin."""
    seed = load_protocol("seed-3-phase")
    starts = earliest_starts(seed, STORY_START, start_minutes=5)
    days = Story(baseline_minutes=5).follow_plan(0, 60).run()
    assert starts[:3] == _phase_starts(days, (1, 2, 3))
    assert [(d - STORY_START).days for d in starts[:3]] == [0, 42, 56]


def test_a_phase_begun_late_puts_each_phase_after_it_off_by_as_much() -> None:
    """Stabilize begun in week 6 instead of week 3: Strengthen two weeks later,
    and Maintain after Strengthen's whole climb from there."""
    seed = load_protocol("seed-3-phase")
    late = STORY_START + dt.timedelta(days=35)
    starts = earliest_starts(seed, STORY_START, 12, phase_number=2, began=late)
    assert [(d - STORY_START).days for d in starts] == [35, 49, 126]


def test_maintain_prescribes_at_least_150_minutes_over_5_days_with_variety() -> None:
    days = _to_maintain()
    week = days[_first_day_in(days, 4) :][:7]
    walking = [d for d in week if d["prescription"]["sessions"]]
    assert len(walking) >= 5
    assert sum(_daily(d) for d in week) >= 150
    assert len({d["prescription"]["pace"] for d in walking}) >= 3


def test_days_since_the_last_recurrence() -> None:
    checkins = [
        CheckIn(STORY_START, 2, 10, 6, 6, recurrence=True),
        CheckIn(STORY_START + dt.timedelta(days=3), 2, 10, 6, 6, recurrence=False),
        CheckIn(STORY_START + dt.timedelta(days=5), 2, 10, 6, 6),
    ]
    assert days_since_recurrence(checkins, STORY_START + dt.timedelta(days=9)) == 9
    assert days_since_recurrence(checkins[1:], STORY_START) is None


# --- 10. the flare plan -------------------------------------------------------------


def test_a_recurrence_in_maintain_gives_a_lighter_block_then_back_to_maintain() -> None:
    """Not back to Reset: lighter for a few days, then back up to Maintain's dose."""
    story = Story().follow_plan(0, 112)
    story.checkin(113, 3, recurrence=True).follow_plan(114, 140)
    days = story.run()
    before = days[112]
    assert before["phase"] == 4
    flare = days[113]
    assert flare["decision"] == "step_back"
    assert "recurrence" in rules(flare)
    assert "flare_plan" in rules(flare)
    assert "Lighter for a few days, then back up" in flare["flare_plan"]
    assert _daily(flare) < _daily(before) or not flare["prescription"]["sessions"]
    assert all(d["phase"] == 4 for d in days[113:])  # a lighter Maintain, not Reset
    back = next(i for i in range(114, 141) if not days[i]["flare_plan"])
    assert back - 113 <= 28  # within a few weeks
    assert "flare_plan.climb_days" in rules(days[back])
    assert any(
        d["prescription"]["minutes_per_session"] == 45 for d in days[back : back + 7]
    )


def test_the_day_of_a_step_back_says_its_flare_once() -> None:
    """The flare is one reason of the day; the flare plan's reason that day does
    not say it again, while the days after carry it as the plan's why."""
    story = Story().follow_plan(0, 3)
    story.checkin(4, 7).follow_plan(5, 6)
    days = story.run()
    texts = [t[: t.rindex(" (rule: ")] for t in days[4]["reasons"]]
    assert days[4]["decision"] == "step_back"
    flare = next(t for t in texts if t.startswith("This morning's pain is 7/10"))
    assert " ".join(texts).count(flare) == 1
    assert any(t.startswith("Lighter for a few days") for t in texts)
    assert flare in days[5]["flare_plan"]


def test_a_strong_flare_in_reset_climbs_back_to_the_dose_before_it() -> None:
    story = Story().follow_plan(0, 3)
    story.checkin(4, 7).follow_plan(5, 24)
    days = story.run()
    assert days[4]["flare_plan"]
    back = next(
        i for i in range(5, 25) if days[i]["prescription"]["minutes_per_session"] >= 12
    )
    assert days[back]["decision"] == "advance"
    assert "flare_plan.climb_days" in rules(days[back])
    assert days[back]["flare_plan"] == ""
