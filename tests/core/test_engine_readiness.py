"""Readiness beyond red flags: a doctor's go-ahead, and adjustments to the walks.

Modelled on ACSM's pre-participation screening: known heart, metabolic or kidney
disease, or symptoms that suggest one, wait for a doctor's go-ahead before the plan
starts; pregnancy, osteoporosis, long-term steroids, a fall in the last year or an
age over 75 keep the plan with the protocol's adjustments.
"""

from __future__ import annotations

import pytest

from tests.core.scenarios import Story, date, rules
from walkwell.core.protocol import load_protocol
from walkwell.core.simulate import ScenarioError, run_scenario

SEED = load_protocol("seed-3-phase")
GO_AHEAD = ("heart_disease", "metabolic_disease", "kidney_disease", "cardiac_symptoms")


def _story(*answers: str, go_ahead: int | None = None) -> Story:
    extra: dict[str, object] = {"readiness": list(answers)}
    if go_ahead is not None:
        extra["go_ahead"] = date(go_ahead)
    return Story(profile_extra=extra)


@pytest.mark.parametrize("answer", GO_AHEAD)
def test_a_go_ahead_answer_holds_the_plan_until_the_go_ahead(answer: str) -> None:
    """The person sees why the plan waits; it starts on the go-ahead's day."""
    days = _story(answer, go_ahead=3).follow_plan(0, 5).run()
    for day in days[:3]:
        assert day["decision"] == "not_started"
        assert day["phase"] is None
        assert day["prescription"]["sessions"] == 0
        assert "readiness.go_ahead" in rules(day)
        assert "doctor" in day["reasons"][0]
    assert days[3]["phase"] == 1
    assert "start" in rules(days[3])
    assert days[3]["measures_due"] == ["pain_nrs", "psfs", "start_back"]


def test_without_a_go_ahead_the_plan_never_starts() -> None:
    days = _story("cardiac_symptoms").follow_plan(0, 20).run()
    assert {d["decision"] for d in days} == {"not_started"}


def test_a_red_flag_still_escalates_while_waiting_for_a_go_ahead() -> None:
    """Readiness never hides the red-flag path."""
    story = _story("heart_disease").checkin(2, red_flags=["saddle_numbness"])
    days = story.run()
    assert days[2]["decision"] == "seek_urgent_care"
    urgent = Story(
        red_flags=["saddle_numbness"], profile_extra={"readiness": ["heart_disease"]}
    )
    assert urgent.checkin(1).run()[0]["decision"] == "seek_urgent_care"


def _strengthen_days(*answers: str, go_ahead: int | None = None) -> list[dict]:  # type: ignore[type-arg]
    return _story(*answers, go_ahead=go_ahead).follow_plan(0, 70).run()


def test_pregnancy_keeps_the_plan_without_daypack_uneven_ground_or_intervals() -> None:
    days = _strengthen_days("pregnancy")
    plain = Story().follow_plan(0, 70).run()
    assert [d["phase"] for d in days] == [d["phase"] for d in plain]
    assert any(d["prescription"]["max_load_kg"] > 0 for d in plain)
    assert any(d["prescription"]["pace"] == "intervals" for d in plain)
    for day in days:
        rx = day["prescription"]
        assert rx["max_load_kg"] == 0
        assert "uneven" not in rx["terrain"]
        assert rx["pace"] != "intervals"
        assert rx["intervals"] == []
    walking = [d for d in days if d["prescription"]["sessions"]]
    assert all("readiness.adjust" in rules(d) for d in walking)


def test_intervals_come_back_once_a_go_ahead_is_recorded() -> None:
    days = _strengthen_days("age_over_75", go_ahead=0)
    assert any(d["prescription"]["pace"] == "intervals" for d in days)
    assert all("uneven" not in d["prescription"]["terrain"] for d in days)


def test_osteoporosis_allows_intervals_only_after_a_go_ahead_and_never_a_daypack() -> (
    None
):
    days = _strengthen_days("osteoporosis")
    assert all(d["prescription"]["pace"] != "intervals" for d in days)
    assert all(d["prescription"]["max_load_kg"] == 0 for d in days)


def test_a_fall_in_the_last_year_keeps_the_daypack_but_not_uneven_ground() -> None:
    days = _strengthen_days("fall_last_year", go_ahead=0)
    plain = Story().follow_plan(0, 70).run()
    loads = [d["prescription"]["max_load_kg"] for d in days]
    assert loads == [d["prescription"]["max_load_kg"] for d in plain]
    assert all("uneven" not in d["prescription"]["terrain"] for d in days)


def test_an_unknown_readiness_answer_is_refused_naming_the_field() -> None:
    scenario = _story("bad_knees").scenario()
    with pytest.raises(ScenarioError, match=r"profile\.readiness: unknown identifier"):
        run_scenario(scenario)


def test_every_readiness_question_has_a_source_and_does_something() -> None:
    assert len(SEED.readiness.questions) >= 9
    for q in SEED.readiness.questions:
        assert q.source in SEED.sources
        assert q.needs_go_ahead or q.adjust
