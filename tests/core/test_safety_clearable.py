"""What a clinician's clearance can lift: a safety stop not cleared yet, and a
pause to reassess; nothing on a day that is neither, nor an urgent stop whose
clearance is in and which waits for the fresh screening alone."""

from __future__ import annotations

import datetime as dt

from tests.core.scenarios import Story, decisions
from tests.core.test_engine_trend import _creeping_mornings
from walkwell.core import safety
from walkwell.core.engine import timeline
from walkwell.core.model import DayPlan
from walkwell.core.simulate import parse_scenario


def _plan(story: Story, day: int) -> DayPlan:
    protocol, history = parse_scenario(story.scenario())
    return timeline(protocol, history, history.start + dt.timedelta(days=day))[day]


def test_a_pause_to_reassess_can_be_cleared_and_the_clearance_lifts_it() -> None:
    story = Story().follow_plan(0, 72, mornings=_creeping_mornings)
    first = decisions(story.run()).index("pause_reassess")
    paused = _plan(story, first)
    assert paused.decision == "pause_reassess"
    assert safety.nothing_to_clear(paused, paused.date) == ""
    story.clearance(first + 1)
    assert story.run()[first + 1]["decision"] != "pause_reassess"


def test_an_ordinary_day_has_nothing_to_clear() -> None:
    plan = _plan(Story().follow_plan(0, 5), 3)
    assert plan.decision == "continue"
    refusal = safety.nothing_to_clear(plan, plan.date)
    assert refusal.startswith(f"there is no open stop to clear on {plan.date}")


def test_an_urgent_stop_is_clearable_once_then_waits_for_the_screening() -> None:
    story = Story().follow_plan(0, 3).checkin(4, red_flags=["saddle_numbness"])
    assert safety.nothing_to_clear(_plan(story, 4), _plan(story, 4).date) == ""
    story.clearance(5)
    cleared = _plan(story, 6)
    assert "cleared already" in safety.nothing_to_clear(cleared, cleared.date)
