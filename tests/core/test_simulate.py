"""The simulator's contract: strict input, one output day per calendar day."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.core.scenarios import STORY_START, Story, checkin_event, date, walk_event
from walkwell.core.model import Decision
from walkwell.core.simulate import ScenarioError, run_scenario

ISSUE_EXAMPLE: dict[str, Any] = {
    "protocol": "seed-3-phase",
    "start": "2026-01-05",
    "profile": {"baseline_minutes": 12},
    "screening": {"red_flags": []},
    "events": [
        {
            "date": "2026-01-05",
            "type": "walk",
            "minutes": 12,
            "terrain": "flat",
            "pace": "easy",
            "pain_before": 3,
            "pain_during": 4,
            "pain_after": 3,
            "warning_signs": [],
            "cooldown": True,
            "load_kg": 0,
        },
        {
            "date": "2026-01-06",
            "type": "checkin",
            "pain": 3,
            "morning_stiffness_min": 20,
            "sleep": 6,
            "focus": 6,
        },
    ],
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**Story().scenario(), **changes}


def test_the_documented_example_replays_to_one_day_per_date() -> None:
    """The scenario from the issue runs and gives the documented output shape."""
    out = run_scenario(ISSUE_EXAMPLE)
    assert out["protocol"] == "seed-3-phase"
    assert [d["date"] for d in out["days"]] == ["2026-01-05", "2026-01-06"]
    for day in out["days"]:
        assert set(day) >= {
            "date",
            "phase",
            "decision",
            "reasons",
            "warnings",
            "prescription",
        }
        assert day["decision"] in {d.value for d in Decision}
        assert {"sessions", "minutes_per_session"} <= set(day["prescription"])
    json.dumps(out)  # the output is plain JSON


def test_the_timeline_runs_to_the_last_event_of_any_kind() -> None:
    """A clearance as the last event still extends the timeline to its date."""
    story = Story(red_flags=["fever"]).walk(2, 5).clearance(9)
    days = story.run()
    assert [d["date"] for d in days] == [date(n) for n in range(10)]


def test_a_scenario_without_events_is_just_its_first_day() -> None:
    days = Story().run()
    assert [d["date"] for d in days] == [STORY_START.isoformat()]


def test_events_in_any_order_give_the_same_timeline() -> None:
    """The simulator sorts events by date; the order in the file does not matter."""
    story = Story().follow_plan(0, 9)
    shuffled = Story(events=list(reversed(story.events)))
    assert shuffled.run() == story.run()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"events": [walk_event(0, pain_during=11)]}, "events[0].pain_during"),
        ({"events": [walk_event(0, pain_before=-1)]}, "events[0].pain_before"),
        ({"events": [checkin_event(1, pain=11)]}, "events[0].pain"),
        ({"events": [checkin_event(1, sleep=12)]}, "events[0].sleep"),
        ({"events": [{**checkin_event(1), "pain": "5"}]}, "events[0].pain"),
        (
            {"events": [checkin_event(1, morning_stiffness_min=-1)]},
            "events[0].morning_stiffness_min",
        ),
        ({"events": [walk_event(0, -5)]}, "events[0].minutes"),
        ({"events": [walk_event(0, load_kg=-1)]}, "events[0].load_kg"),
        ({"events": [walk_event(0, terrain="beach")]}, "events[0].terrain"),
        ({"events": [walk_event(0, pace="sprint")]}, "events[0].pace"),
        ({"events": [{**walk_event(0), "date": "2026-13-01"}]}, "events[0].date"),
        ({"events": [{**walk_event(0), "date": "05/01/2026"}]}, "events[0].date"),
        ({"start": "2026-02-30"}, "start"),
        ({"events": [walk_event(0, steps=100)]}, "events[0].steps"),
        ({"person": "Sam"}, "person"),
        ({"profile": {"baseline_minutes": 0}}, "profile.baseline_minutes"),
        ({"profile": {"baseline_minutes": 0.5}}, "profile.baseline_minutes"),
        ({"profile": {"baseline_minutes": 12, "age": 50}}, "profile.age"),
        ({"events": [{"date": date(0), "type": "swim"}]}, "events[0]"),
        ({"protocol": "no-such-program"}, "protocol"),
    ],
)
def test_bad_values_and_unknown_fields_are_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    """Pain 11, bad dates, negative minutes, unknown fields: refused, field named."""
    with pytest.raises(ScenarioError) as caught:
        run_scenario(_with(**changes))
    assert str(caught.value).startswith(f"{field}:")


def test_a_missing_field_is_refused_naming_it() -> None:
    event = checkin_event(1)
    del event["sleep"]
    with pytest.raises(ScenarioError, match=r"^events\[0\]\.sleep: Field required"):
        run_scenario(_with(events=[event]))


def test_an_unknown_warning_sign_is_refused_with_the_allowed_list() -> None:
    """A walk's warning sign must be one the protocol documents."""
    with pytest.raises(ScenarioError) as caught:
        run_scenario(_with(events=[walk_event(0, warning_signs=["sore_toe"])]))
    message = str(caught.value)
    assert message.startswith("events[0].warning_signs: unknown identifier 'sore_toe'")
    assert "radiating_leg_pain" in message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"screening": {"red_flags": ["sore_toe"]}}, "screening.red_flags"),
        ({"events": [checkin_event(1, red_flags=["sore_toe"])]}, "events[0].red_flags"),
        (
            {"events": [checkin_event(1, warning_signs=["sore_toe"])]},
            "events[0].warning_signs",
        ),
    ],
)
def test_unknown_red_flags_are_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        run_scenario(_with(**changes))
    assert str(caught.value).startswith(f"{field}: unknown identifier 'sore_toe'")


def test_a_checkin_before_the_start_is_refused() -> None:
    """Only walks may come before the start (as history); a check-in may not."""
    early = {**walk_event(-1), "type": "checkin", "pain": 2}
    for name in ("minutes", "terrain", "pace", "pain_before", "pain_during"):
        early.pop(name)
    for name in ("pain_after", "cooldown", "load_kg"):
        early.pop(name)
    early |= {"morning_stiffness_min": 10, "sleep": 5, "focus": 5}
    with pytest.raises(ScenarioError) as caught:
        run_scenario(_with(events=[walk_event(0), early]))
    assert str(caught.value) == (
        "events[1].date: 2026-01-04 is before the scenario's start 2026-01-05 "
        "(only walks may be: they are kept as history)"
    )


def test_a_scenario_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"^scenario: "):
        run_scenario([1, 2, 3])


def test_the_walkback_protocol_runs_through_the_same_engine() -> None:
    """A second program with other phases needs no engine code: 3 days a week first."""
    story = Story(protocol="walkback-30x5")
    for n in range(1, 29):
        story.checkin(n)
        if story.plan_for(n)["prescription"]["sessions"]:
            story.walk(n, 12)
    days = story.run()
    assert all(d["phase"] == 1 for d in days[:28])
    assert [d["prescription"]["sessions"] for d in days[:7]] == [1, 1, 1, 0, 0, 0, 0]


def test_a_protocol_file_path_is_refused_unless_the_caller_allows_files(
    tmp_path: Any,
) -> None:
    """Scenarios from the network may only name shipped protocols, never a file."""
    scenario = {
        "protocol": str(tmp_path / "mine.toml"),
        "start": "2026-01-05",
        "profile": {"baseline_minutes": 12},
    }
    with pytest.raises(ScenarioError, match="name a shipped protocol, not a file"):
        run_scenario(scenario)
