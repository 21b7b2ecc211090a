"""Properties of a clinician's directives over random stories (hypothesis): the
stories of ``test_engine_properties`` with holds, steps back, early advances and
thresholds dropped in on random days."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from tests.core.scenarios import Story, date
from tests.core.test_engine_properties import (
    ESCALATED,
    PROPERTY,
    SEED,
    Generated,
    _by_day,
    _signs,
    assert_no_minutes_added_after,
    stories,
)

ACTIONS = ["hold", "step_back", "advance", "threshold"]
THRESHOLDS = [
    (t.field, int(t.low), int(t.high)) for t in SEED.clinician_rules.thresholds
]


@st.composite
def directed(draw: st.DrawFn) -> Generated:
    """A random story with up to four clinician's directives on random days."""
    generated = draw(stories())
    day = st.integers(0, generated.length - 1)
    for n, action in draw(
        st.lists(st.tuples(day, st.sampled_from(ACTIONS)), max_size=4)
    ):
        extra: dict[str, Any] = {}
        if action == "threshold":
            field, low, high = draw(st.sampled_from(THRESHOLDS))
            extra = {"threshold": field, "value": draw(st.integers(low, high))}
        elif action == "hold" and draw(st.booleans()):
            extra = {"until": date(n + draw(st.integers(0, 20)))}
        generated.story.directive(n, action, **extra)
    return generated


def _directives_on(events: list[dict[str, Any]], action: str) -> bool:
    return any(e["type"] == "clinician" and e["action"] == action for e in events)


@given(directed())
@PROPERTY
def test_a_directive_never_lets_the_plan_skip_a_safety_stop(
    generated: Generated,
) -> None:
    """From a reported sign until a clearance every day is a stop, whatever a
    clinician directed before or on it."""
    story = generated.story
    events = _by_day(story)
    open_sign = bool(story.red_flags)
    for day in story.run():
        today = events.get(day["date"], [])
        if any(e["type"] == "clearance" for e in today):
            open_sign = False
        open_sign = open_sign or _signs(today)
        if open_sign:
            assert day["decision"] in ESCALATED, day
            assert not any("(rule: clinician.advance;" in r for r in day["reasons"])


@given(directed())
@PROPERTY
def test_a_clinicians_step_back_never_adds_minutes(generated: Generated) -> None:
    """On the day of a clinician's step back and the week after it, no walking day
    holds more minutes than the last walking day before it."""
    days = generated.story.run()
    assert_no_minutes_added_after(
        days,
        lambda day: any("(rule: clinician.step_back;" in r for r in day["reasons"]),
    )


@given(directed())
@PROPERTY
def test_no_step_up_while_a_clinicians_hold_runs(generated: Generated) -> None:
    """A day whose reasons carry the clinician's hold never grows the dose nor
    changes the phase upwards, unless a clinician moved the plan on that same day
    (an advance and a hold on one day: the hold keeps the new phase's dose)."""
    days = generated.story.run()
    for prev, day in itertools.pairwise(days):
        if not any("(rule: clinician.hold;" in r for r in day["reasons"]):
            continue
        assert day["decision"] != "advance", day
        moved_on = any("(rule: clinician.advance;" in r for r in day["reasons"])
        if prev["phase"] and day["phase"] and not moved_on:
            assert day["phase"] <= prev["phase"], (prev, day)


# the plan begins on the day an onboarding red flag is cleared and re-screened,
# and the clinician moves it on that same day
BEGUN_AND_ADVANCED = Generated(
    story=Story(baseline_minutes=1, red_flags=["saddle_numbness"])
    .walk(0, 2)
    .clearance(0)
    .checkin(1, pain=5)
    .walk(1, 8)
    .screening(1)
    .directive(1, "advance"),
    length=2,
)


@given(directed())
@example(BEGUN_AND_ADVANCED)
@PROPERTY
def test_an_advance_never_passes_the_last_phase_nor_the_weekly_cap(
    generated: Generated,
) -> None:
    days = generated.story.run()
    cap = 1 + SEED.progression.max_weekly_growth
    # the phase the plan was last in: a stop day shows none, and before the plan
    # begins (onboarding's red flag awaiting its clearance) it is the first
    last_phase = 1
    for prev, day in itertools.pairwise(days):
        last_phase = prev["phase"] or last_phase
        assert day["phase"] is None or day["phase"] <= len(SEED.phases)
        if not any("(rule: clinician.advance;" in r for r in day["reasons"]):
            continue
        # one phase at a time (a step back later the same day may undo it)
        assert day["phase"] <= last_phase + 1, (prev, day)
        if day["decision"] != "advance" or day["phase"] != last_phase + 1:
            continue
        if prev["phase"] is None:
            continue  # the plan began (or resumed) today: no week before to cap on
        old, new = SEED.phase(prev["phase"]), SEED.phase(day["phase"])
        rx_old, rx_new = prev["prescription"], day["prescription"]
        if rx_old["sessions"] == 0 or prev["decision"] in ESCALATED:
            continue  # a rest day or a stop's gentle walks: not the week's dose
        week_old = (
            old.days_per_week * old.sessions_per_day * rx_old["minutes_per_session"]
        )
        week_new = (
            new.days_per_week * new.sessions_per_day * rx_new["minutes_per_session"]
        )
        assert week_new <= week_old * cap, (prev, day)
