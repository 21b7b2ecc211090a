"""Rules the engine reads from the protocol file, not from its own code: which
mistakes block progress, which shoes are poor, the gentle dose while a warning sign
is open, the sources of the whisper and the clearance, the lesson for the day, and
the labels of the "why did you stop?" choices."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from tests.core.scenarios import STORY_START, Story
from walkwell.core.daystate import rules_for
from walkwell.core.engine import plan_day, waiting_for_baseline
from walkwell.core.model import Decision
from walkwell.core.protocol import (
    DEFAULT_PROTOCOL,
    ProtocolError,
    load_protocol,
    parse_protocol,
)
from walkwell.core.simulate import parse_scenario

SEED = load_protocol(DEFAULT_PROTOCOL)
SEED_TEXT = (
    resources.files("walkwell.protocols")
    .joinpath(f"{DEFAULT_PROTOCOL}.toml")
    .read_text("utf-8")
)


def _edited(old: str, new: str) -> str:
    assert SEED_TEXT.count(old) == 1, old
    return SEED_TEXT.replace(old, new)


def _days(story: Story, text: str) -> list[tuple[Decision, int]]:
    """The story replayed on a protocol parsed from ``text``: (decision, minutes)."""
    _, history = parse_scenario(story.scenario())
    protocol = parse_protocol(text, "edited.toml")
    end = max(w.date for w in history.walks)
    plans = [
        plan_day(protocol, history, STORY_START + dt.timedelta(days=i))
        for i in range((end - STORY_START).days + 1)
    ]
    return [(p.decision, p.prescription.minutes_per_session) for p in plans]


def test_escalation_is_one_property_of_the_decision() -> None:
    escalated = {d for d in Decision if d.is_escalation}
    assert escalated == {Decision.STOP_CONSULT, Decision.SEEK_URGENT_CARE}
    assert {SEED.tiers[t].decision for t in SEED.tiers} == escalated


def test_a_mistake_blocks_the_step_up_only_when_the_protocol_says_so() -> None:
    """Walks on hills in Reset are too hard and hold the review; a protocol that
    marks hills as a warning only lets the same week grow the dose."""
    story = Story().follow_plan(0, 7)
    story.walk(3, 12, terrain="hills")
    blocking = _days(story, SEED_TEXT)
    lenient = _days(
        story,
        _edited(
            'id = "terrain_too_early"\nblocks_progress = true',
            'id = "terrain_too_early"\nblocks_progress = false',
        ),
    )
    assert blocking[-1] == (Decision.HOLD, 12)
    assert lenient[-1] == (Decision.ADVANCE, 14)


def test_the_gentle_dose_during_a_stop_comes_from_the_protocol() -> None:
    story = Story(baseline_minutes=15).walk(0, 15)
    story.walk(1, 15, warning_signs=["radiating_leg_pain"])
    assert _days(story, SEED_TEXT)[1] == (Decision.STOP_CONSULT, 10)
    shorter = _edited("max_minutes = 10", "max_minutes = 6")
    assert _days(story, shorter)[1] == (Decision.STOP_CONSULT, 6)


def test_poor_shoes_are_the_protocols_list() -> None:
    story = Story().walk(0, 12, footwear="barefoot_style")
    assert "mistakes.poor_footwear" in story.run()[0]["warnings"][0]
    text = _edited(
        'poor = ["unsupportive", "worn_out", "barefoot_style"]',
        'poor = ["unsupportive", "worn_out"]',
    )
    _, history = parse_scenario(story.scenario())
    plan = plan_day(parse_protocol(text, "edited.toml"), history, STORY_START)
    assert plan.warnings == ()


def test_the_whisper_and_the_clearance_name_the_sources_the_protocol_gives() -> None:
    story = Story().walk(0, 12, pain_before=1, pain_during=4)
    story.walk(1, 12, warning_signs=["numbness_tingling"]).clearance(2).walk(2, 12)
    text = _edited('whisper_source = "seed"', 'whisper_source = "ostelo2008"')
    text = text.replace(
        '[safety]\n# An escalation lasts until a clinician\'s clearance is recorded; then the plan resumes.\nsource = "nice_ng59"',
        '[safety]\nsource = "girft_ces"',
    )
    _, history = parse_scenario(story.scenario())
    protocol = parse_protocol(text, "edited.toml")
    sources = {
        r.rule: r.source
        for i in range(3)
        for r in plan_day(protocol, history, STORY_START + dt.timedelta(days=i)).reasons
    }
    assert sources["tolerance.max_rise_during"] == "ostelo2008"
    assert sources["tolerance.whisper_holds"] == "ostelo2008"
    assert sources["safety.clearance"] == "girft_ces"


def test_the_urgent_action_is_a_field_of_the_day() -> None:
    story = Story().walk(0, 12).checkin(1, red_flags=["saddle_numbness"])
    _, history = parse_scenario(story.scenario())
    plan = plan_day(SEED, history, STORY_START + dt.timedelta(days=1))
    assert plan.decision == Decision.SEEK_URGENT_CARE
    assert plan.action is not None
    assert plan.action.text == SEED.tiers["emergency"].action
    calm = plan_day(SEED, history, STORY_START)
    assert calm.action is None


@pytest.mark.parametrize(
    ("story", "lesson"),
    [
        (Story().walk(0, 12), "posture"),
        (Story().walk(0, 12, footwear="worn_out"), "footwear"),
        (Story().walk(0, 12, cooldown=False), "recovery"),
        (
            Story().walk(
                0, 12, footwear="worn_out", warning_signs=["numbness_tingling"]
            ),
            "when-to-stop",
        ),
    ],
)
def test_the_days_lesson_is_the_protocols_choice(story: Story, lesson: str) -> None:
    _, history = parse_scenario(story.scenario())
    assert plan_day(SEED, history, STORY_START).lesson == lesson


def test_a_plan_waiting_for_its_baseline_names_the_protocols_start_source() -> None:
    walkback = load_protocol("walkback-30x5")
    plan = waiting_for_baseline(walkback, STORY_START)
    assert plan.reasons[0].source == walkback.start.source == "walkback2024"
    assert plan.lesson == walkback.lessons.by_decision[Decision.NOT_STARTED]


def test_every_warning_sign_needs_a_why_stopped_label() -> None:
    text = _edited('label = "Numbness or tingling"\n', "")
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text, "edited.toml")
    assert "numbness_tingling" in str(caught.value)


def test_lessons_must_cover_every_decision() -> None:
    text = _edited('hold = "pain-loop"\n', "")
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text, "edited.toml")
    assert "by_decision lacks the decisions ['hold']" in str(caught.value)


def test_rules_are_built_once_per_protocol_and_kept_apart() -> None:
    other = parse_protocol(SEED_TEXT, "copy.toml")
    assert rules_for(SEED) is rules_for(SEED)
    assert rules_for(other) is not rules_for(SEED)
    assert rules_for(other).protocol is other
