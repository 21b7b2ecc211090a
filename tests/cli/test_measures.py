"""``walkwell measures``: answer the outcome measures and see the change since the start."""

from __future__ import annotations

import json
from pathlib import Path

from typer.main import get_command

from tests.cli.conftest import Walkwell
from walkwell.cli import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
HIGH_RISK = (
    "--leg-pain", "--no-shoulder-neck", "--walked-short", "--dressed-slowly",
    "--not-safe", "--worrying", "--terrible", "--not-enjoyed",
    "--bothersome", "very-much",
)  # fmt: skip
LOW_RISK = (
    "--no-leg-pain", "--no-shoulder-neck", "--walked-short", "--no-dressed-slowly",
    "--no-not-safe", "--no-worrying", "--no-terrible", "--no-not-enjoyed",
    "--bothersome", "slightly",
)  # fmt: skip


def _record(walkwell: Walkwell, date: str, nrs: str, *more: str) -> str:
    result = walkwell("measures", "record", "--date", date, "--nrs", nrs, *more)
    assert result.exit_code == 0, result.output
    return result.output


def test_today_names_the_questionnaires_due_as_a_person_reads_them(
    enrolled: Walkwell,
) -> None:
    out = enrolled("today", "--date", "2026-01-05").output
    due = out.split("Questionnaires due:")[1].split()
    assert (
        " ".join(due)
        == "• pain rating • Patient-Specific Functional Scale • STarT Back"
    )


def test_answers_recorded_from_flags_are_listed_with_their_change(
    enrolled: Walkwell,
) -> None:
    _record(
        enrolled, "2026-01-05", "6", "--psfs", "walking 20 minutes=3",
        "--psfs", "gardening=4", *HIGH_RISK,
    )  # fmt: skip
    out = _record(
        enrolled, "2026-02-16", "3", "--psfs", "walking 20 minutes=6",
        "--psfs", "gardening=6", *LOW_RISK,
    )  # fmt: skip
    assert (
        "Your activities score rose from 3.5 to 6.0: a meaningful improvement." in out
    )
    listed = enrolled("measures", "list", "--json")
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.output)
    assert [a["date"] for a in data["answers"] if a["measure"] == "psfs"] == [
        "2026-01-05",
        "2026-02-16",
    ]
    changes = {c["measure"]: c for c in data["changes"]}
    assert changes["pain_nrs"]["meaningful"] is True
    assert changes["start_back"]["sentence"] == (
        "Your STarT Back risk group went from high to low: a meaningful improvement."
    )


def test_a_high_start_back_risk_prints_the_nice_advice_and_the_lessons(
    enrolled: Walkwell,
) -> None:
    out = _record(enrolled, "2026-01-05", "5", *HIGH_RISK)
    assert "high-risk group" in out
    assert "psychologically informed" in out
    assert "fear-of-movement" in out
    assert "pacing" in out
    assert "NICE guideline NG59" in out


def test_psfs_asks_again_for_the_activities_named_the_first_time(
    enrolled: Walkwell,
) -> None:
    _record(enrolled, "2026-01-05", "5", "--psfs", "walking 20 minutes=3")
    result = enrolled(
        "measures", "record", "--date", "2026-02-16", "--psfs", "cycling=7"
    )
    assert result.exit_code == 2
    assert "walking 20 minutes" in result.output
    assert "psfs" in result.output
    answers = json.loads(enrolled("measures", "list", "--json").output)["answers"]
    assert len(answers) == 2  # nothing of the refused answer was stored


def test_half_answered_start_back_names_the_missing_item(enrolled: Walkwell) -> None:
    result = enrolled("measures", "record", "--date", "2026-01-05", "--leg-pain")
    assert result.exit_code == 2
    assert "--shoulder-neck" in result.output
    assert json.loads(enrolled("measures", "list", "--json").output)["answers"] == []


def test_a_pain_rating_out_of_range_names_the_nrs_option_once(
    enrolled: Walkwell,
) -> None:
    result = enrolled("measures", "record", "--date", "2026-01-05", "--nrs", "11")
    assert result.exit_code == 2
    assert "--nrs: rate 0 (no pain) to 10" in result.output
    assert "pain_nrs" not in result.output
    assert json.loads(enrolled("measures", "list", "--json").output)["answers"] == []


def test_list_says_when_the_measures_are_due(enrolled: Walkwell) -> None:
    data = json.loads(
        enrolled("measures", "list", "--json", "--date", "2026-02-17").output
    )
    assert data["due"] == "2026-02-16"
    text = enrolled("measures", "list", "--date", "2026-02-17").output
    assert "due" in text


def test_the_measures_commands_are_documented_with_every_option() -> None:
    group = get_command(app).commands["measures"]  # type: ignore[attr-defined]
    docs = DOCS.read_text(encoding="utf-8")
    assert "## `walkwell measures`" in docs
    for name, command in group.commands.items():
        assert f"$ walkwell measures {name}" in docs
        assert (command.help or "").strip()
        for param in command.params:
            flags = [o for o in param.opts if o.startswith("--") and o != "--help"]
            if flags:
                assert f"`{flags[0]}" in docs, f"docs/cli.md lacks {name} {flags[0]}"
