"""Walks before the program's start (issue rule 13): kept as history, never judged,
never counted, and the starting baseline they suggest."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.core.scenarios import STORY_START, Story, walk_event
from walkwell.core.baseline import suggest_baseline
from walkwell.core.model import Walk
from walkwell.core.protocol import load_protocol
from walkwell.core.simulate import ScenarioError, run_scenario

SEED = load_protocol("seed-3-phase")


def _walk(days_before: int, minutes: float, **fields: object) -> Walk:
    return Walk.from_plain(
        {
            "date": STORY_START - dt.timedelta(days=days_before),
            "minutes": minutes,
            **fields,
        }
    )


def test_walks_before_the_start_are_reported_as_history_and_never_judged() -> None:
    """A 2-hour hike on hills the week before: history, with no warning and no hold."""
    story = Story()
    story.walk(-3, 120, terrain="hills", pace="brisk", pain_during=9, load_kg=5)
    story.walk(-1, 15)
    story.checkin(0, pain=6).walk(0, 12)
    result = run_scenario(story.scenario())
    earlier = result["before_start"]
    assert [w["date"] for w in earlier["walks"]] == ["2026-01-02", "2026-01-04"]
    assert earlier["minutes"] == 135
    first = result["days"][0]
    assert first["date"] == STORY_START.isoformat()
    assert first["warnings"] == []
    # the morning is not compared with the walk the day before the start
    assert first["decision"] == "continue"


def test_history_does_not_change_a_single_day_of_the_plan() -> None:
    """The same story with and without walks before the start: the same days."""
    plain = Story().follow_plan(0, 20)
    with_history = Story().follow_plan(0, 20)
    for n in range(1, 28):
        with_history.walk(-n, 40, terrain="uneven", pace="brisk", pain_during=8)
    assert with_history.run() == plain.run()


def test_a_warning_sign_on_a_walk_before_the_start_is_refused() -> None:
    """Signs belong to days of the plan: the message names the field and why."""
    story = Story().walk(-2, 10, warning_signs=["numbness_tingling"]).walk(0, 12)
    with pytest.raises(ScenarioError, match=r"^events\[0\]\.warning_signs: "):
        run_scenario(story.scenario())


def test_the_suggestion_is_the_usual_tolerated_walk_capped_by_the_weekly_cap() -> None:
    """Walks of 20 minutes three times a week (60 a week): Reset's 2 walks a day,
    every day, may hold at most 72 minutes a week, so 5 minutes a walk."""
    walks = [_walk(d, 20) for d in range(1, 28, 2)][:12]
    found = suggest_baseline(SEED, walks, STORY_START)
    assert found is not None
    per_week = sum(w.minutes for w in walks) * 7 / 28
    assert found.per_week == pytest.approx(per_week)
    assert found.minutes == int(per_week * 1.2 // 14)
    assert found.daily_minutes == 2 * found.minutes
    assert "Suggested baseline" in found.text


def test_walks_past_the_whisper_do_not_set_the_usual_length() -> None:
    """Daily walks: short ones that settled, long ones that hurt; the short ones count."""
    walks = [_walk(d, 10, pain_before=2, pain_during=3) for d in range(1, 15)]
    walks += [_walk(d, 45, pain_before=2, pain_during=7) for d in range(1, 15)]
    found = suggest_baseline(SEED, walks, STORY_START)
    assert found is not None
    assert found.usual_minutes == 10
    assert found.minutes == 10


def test_too_few_recent_walks_suggest_nothing() -> None:
    """Two walks, or walks older than the lookback, say nothing about now."""
    assert suggest_baseline(SEED, [_walk(1, 20), _walk(3, 20)], STORY_START) is None
    old = [_walk(40 + d, 20) for d in range(10)]
    assert suggest_baseline(SEED, old, STORY_START) is None
    assert (
        run_scenario(Story().walk(-1, 20).walk(0, 12).scenario())["before_start"][
            "suggested_baseline"
        ]
        is None
    )


def test_the_simulator_reports_the_suggested_baseline() -> None:
    """One walk of 12 minutes a day for four weeks is 84 minutes a week: Reset's
    two walks a day keep the day's total near it (2 x 7), not twice it (2 x 12)."""
    story = Story()
    for n in range(1, 29):
        story.events.append(walk_event(-n, 12))
    story.walk(0, 12)
    suggestion = run_scenario(story.scenario())["before_start"]["suggested_baseline"]
    assert suggestion["minutes"] == 7
    assert suggestion["daily_minutes"] == 14
    assert suggestion["rule"] == "history.lookback_days"
    assert suggestion["source"] == "gabbett2016"
