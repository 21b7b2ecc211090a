"""The program as data: the shipped protocols, and refusals of broken files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from walkwell.core.protocol import (
    ProtocolError,
    available_protocols,
    load_protocol,
    parse_protocol,
)

SEED = load_protocol("seed-3-phase")
SEED_TEXT = (
    resources.files("walkwell.protocols")
    .joinpath("seed-3-phase.toml")
    .read_text("utf-8")
)


def _broken(old: str, new: str) -> str:
    """The seed file with one exact piece of text replaced."""
    assert SEED_TEXT.count(old) >= 1, old
    return SEED_TEXT.replace(old, new, 1)


def _problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text, "broken.toml")
    assert caught.value.file == "broken.toml"
    assert str(caught.value).startswith("broken.toml: ")
    return caught.value.problems


def test_both_shipped_protocols_load() -> None:
    assert available_protocols() == ["seed-3-phase", "walkback-30x5"]
    for name in available_protocols():
        assert load_protocol(name).id == name


def test_the_seed_protocol_holds_the_articles_three_phases_then_maintain() -> None:
    """Reset 10-15 min twice daily; Stabilize 20-30 once daily; Strengthen 30+ 5 days;
    then Maintain: at least 150 minutes a week over 5 days, not before week 8."""
    reset, stabilize, strengthen, maintain = SEED.phases
    assert (reset.sessions_per_day, reset.days_per_week) == (2, 7)
    assert (reset.minutes_min, reset.minutes_max, reset.min_days) == (10, 15, 14)
    assert reset.terrain == ("flat",)
    assert (stabilize.sessions_per_day, stabilize.days_per_week) == (1, 7)
    assert (stabilize.minutes_min, stabilize.minutes_max) == (20, 30)
    assert stabilize.reassess_on_exit
    assert (strengthen.days_per_week, strengthen.minutes_min) == (5, 30)
    assert strengthen.intervals == (("brisk", 3), ("slow", 1))
    assert [p.max_load_kg for p in SEED.phases] == [0, 0, 3, 3]
    assert maintain.minutes_min * maintain.days_per_week >= 150
    assert maintain.days_per_week >= 5
    assert maintain.earliest_day >= 49
    assert SEED.cooldown.minutes == 2
    assert {h.id for h in SEED.habits} == {
        "post_lunch_loop",
        "morning_light",
        "commute_hack",
    }


def test_every_rule_names_a_listed_source() -> None:
    """Each phase, threshold, tier, sign and measure cites an entry in [sources]."""
    sourced = [
        SEED,
        SEED.start,
        SEED.tolerance,
        SEED.progression,
        SEED.gap,
        SEED.reassess,
        SEED.cooldown,
        *SEED.phases,
        *SEED.habits,
        *SEED.mistakes,
        *SEED.tiers.values(),
        *SEED.red_flags,
        *SEED.warning_signs,
        *SEED.measures,
    ]
    assert {part.source for part in sourced} <= set(SEED.sources)
    assert SEED.tiers["emergency"].source == "girft_ces"
    assert SEED.tiers["warning_sign"].source == "seed"


def test_the_start_back_tool_keeps_keeles_copyright_notice() -> None:
    assert "Keele University" in SEED.sources["hill2008"].title


def test_an_unlisted_source_is_refused_naming_the_field() -> None:
    problems = _problems(_broken('source = "silbernagel2007"', 'source = "hearsay"'))
    assert len(problems) == 1
    assert "tolerance.source 'hearsay' is not listed in [sources]" in problems[0][1]


def test_a_phase_whose_maximum_is_below_its_minimum_is_refused() -> None:
    problems = _problems(_broken("minutes_max = 15", "minutes_max = 5"))
    assert problems[0][0] == "phases[0]"
    assert "minutes_max (5) is below minutes_min (10)" in problems[0][1]


def test_a_value_out_of_range_is_refused_with_its_field_path() -> None:
    problems = _problems(_broken("max_pain_during = 5", "max_pain_during = 11"))
    assert problems == [
        ("tolerance.max_pain_during", "Input should be less than or equal to 10")
    ]


def test_an_unknown_field_is_refused() -> None:
    problems = _problems(
        _broken("restart_days = 7", "restart_days = 7\nrestart_dayz = 8")
    )
    assert problems[0][0] == "gap.restart_dayz"
    assert "Extra inputs are not permitted" in problems[0][1]


def test_an_unknown_terrain_is_refused() -> None:
    problems = _problems(_broken('terrain = ["flat"]', 'terrain = ["lava"]'))
    assert problems[0][0] == "phases[0].terrain[0]"


def test_a_sign_in_an_unknown_tier_is_refused() -> None:
    problems = _problems(_broken('tier = "urgent"', 'tier = "whenever"'))
    assert problems[0][0] == "red_flags[5].tier"  # fever, the first urgent sign


def test_repeated_sign_identifiers_are_refused() -> None:
    problems = _problems(_broken('id = "fever"', 'id = "saddle_numbness"'))
    assert "sign identifiers are repeated: ['saddle_numbness']" in problems[0][1]


def test_phases_out_of_order_are_refused() -> None:
    problems = _problems(_broken("number = 2", "number = 4"))
    assert (
        "phases must be numbered 1, 2, 3... in order; found [1, 4, 3, 4]"
        in (problems[0][1])
    )


def test_a_missing_mistake_is_refused() -> None:
    problems = _problems(_broken('id = "poor_footwear"', 'id = "odd_socks"'))
    assert "mistakes lacks the entries ['poor_footwear']" in problems[0][1]


def test_a_severe_flare_milder_than_a_flare_is_refused() -> None:
    problems = _problems(_broken("severe_flare_rise = 4", "severe_flare_rise = 1"))
    assert problems[0][0] == "tolerance"
    assert "severe_flare_rise must be at least flare_rise" in problems[0][1]


def test_a_gap_that_steps_back_a_phase_before_restarting_is_refused() -> None:
    problems = _problems(_broken("phase_back_days = 21", "phase_back_days = 3"))
    assert "phase_back_days must be at least restart_days" in problems[0][1]


def test_text_that_is_not_toml_is_refused() -> None:
    problems = _problems("phases = [[[")
    assert problems[0][0] == "(file)"
    assert problems[0][1].startswith("not valid TOML")


def test_extending_an_unknown_protocol_is_refused() -> None:
    problems = _problems('extends = "nope"\n' + SEED_TEXT)
    assert problems[0][0] == "extends"
    assert "seed-3-phase" in problems[0][1]


def test_an_unknown_protocol_name_lists_the_choices() -> None:
    with pytest.raises(ProtocolError) as caught:
        load_protocol("nope")
    assert "choose one of: seed-3-phase, walkback-30x5" in str(caught.value)


def test_a_protocol_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ProtocolError) as caught:
        load_protocol(str(missing))
    assert caught.value.problems == [
        ("(file)", "cannot be read: No such file or directory")
    ]
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(ProtocolError) as caught:
        load_protocol(str(binary))
    assert caught.value.file == str(binary)
    assert caught.value.problems == [("(file)", "cannot be read: not UTF-8 text")]


def test_the_walkback_protocol_keeps_the_seeds_safety_rules() -> None:
    """The second program extends the first: same tiers and signs, its own phases."""
    walkback = load_protocol("walkback-30x5")
    assert walkback.red_flags == SEED.red_flags
    assert walkback.warning_signs == SEED.warning_signs
    assert walkback.tiers == SEED.tiers
    assert walkback.phases != SEED.phases
    assert walkback.phase(3).minutes_max == 30
    assert walkback.phase(3).days_per_week == 5


def test_an_adjustable_threshold_must_name_a_tolerance_field() -> None:
    text = _broken('field = "tolerance.flare_rise"', 'field = "gap.restart_days"')
    problems = _problems(text)
    assert "clinician.thresholds[0].field 'gap.restart_days'" in problems[0][1]


def test_an_adjustable_thresholds_bounds_must_hold_the_programs_value() -> None:
    text = _broken("low = 1\nhigh = 3", "low = 3\nhigh = 3")
    problems = _problems(text)
    assert "must hold the protocol's own tolerance.flare_rise (2)" in problems[0][1]


def test_an_adjustable_thresholds_bounds_must_be_values_the_field_accepts() -> None:
    # a flare rise of 5 would be milder than the strong flare (4): not a value
    text = _broken("low = 1\nhigh = 3", "low = 1\nhigh = 5")
    problems = _problems(text)
    assert "tolerance.flare_rise = 5 is not a value it accepts" in problems[0][1]


def test_an_adjustable_threshold_with_an_unlisted_source_is_refused() -> None:
    text = _broken(
        'field = "tolerance.flare_rise"\nlabel = "Next-morning pain rise that counts '
        'as a flare"\nlow = 1\nhigh = 3\nsource = "silbernagel2007"',
        'field = "tolerance.flare_rise"\nlabel = "Next-morning pain rise that counts '
        'as a flare"\nlow = 1\nhigh = 3\nsource = "hearsay"',
    )
    problems = _problems(text)
    assert "clinician.thresholds[0].source 'hearsay'" in problems[0][1]


def test_both_shipped_protocols_declare_the_same_adjustable_thresholds() -> None:
    declared = {
        name: [t.field for t in load_protocol(name).clinician_rules.thresholds]
        for name in available_protocols()
    }
    assert (
        declared["seed-3-phase"]
        == declared["walkback-30x5"]
        == [
            "tolerance.flare_rise",
            "tolerance.max_rise_during",
            "tolerance.max_pain_during",
        ]
    )
