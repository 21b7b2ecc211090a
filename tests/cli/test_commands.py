"""The ``walkwell`` command end to end: what it stores, prints and refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine

from walkwell.core.protocol import available_protocols
from walkwell.web.program.models import (
    AuditEvent,
    AuditLog,
    CheckIn,
    Person,
    Screening,
    Walk,
)

from .conftest import Walkwell

WALK = ["log-walk", "--date", "2026-01-05", "--minutes", "12"]
PAINS = ["--pain-before", "3", "--pain-during", "4", "--pain-after", "3"]
CHECKIN = ["checkin", "--date", "2026-01-06", "--stiffness-min", "20"]
SCORES = ["--sleep", "6", "--focus", "6"]


def one_line_error(result: object) -> str:
    """The refusal: exit code 2 and exactly one line on stderr."""
    assert getattr(result, "exit_code", None) == 2
    lines = getattr(result, "stderr", "").strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in getattr(result, "output", "")
    return str(lines[0])


def test_init_with_yes_enrols_the_local_person_and_shows_the_first_plan(
    enrolled: Walkwell,
) -> None:
    person = Person.objects.get(user__username="local")
    assert (person.baseline_minutes, str(person.start)) == (12, "2026-01-05")
    today = json.loads(enrolled("today", "--date", "2026-01-05", "--json").stdout)
    assert today["phase"] == 1
    assert today["decision"] == "continue"
    assert today["prescription"]["sessions"] == 2
    assert today["prescription"]["minutes_per_session"] == 12


def test_pain_eleven_is_refused_and_nothing_is_stored(enrolled: Walkwell) -> None:
    result = enrolled(*WALK, "--pain-during", "11")
    line = one_line_error(result)
    assert "--pain-during" in line
    assert "0 to 10" in line
    assert Walk.objects.count() == 0


def test_a_date_in_the_wrong_form_is_refused_and_nothing_is_stored(
    enrolled: Walkwell,
) -> None:
    line = one_line_error(
        enrolled(
            "checkin",
            "--date",
            "06/01/2026",
            "--pain",
            "3",
            "--stiffness-min",
            "20",
            *SCORES,
        )
    )
    assert "--date" in line
    assert "YYYY-MM-DD" in line
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("command", [["today"], ["log-walk", "--minutes", "12"]])
def test_a_date_years_ahead_is_refused_and_nothing_is_stored(
    enrolled: Walkwell, command: list[str]
) -> None:
    with time_machine.travel("2026-01-07 12:00 +0000", tick=False):
        result = enrolled(*command, "--date", "9999-12-31")
    line = one_line_error(result)
    assert "--date" in line
    assert "2027-01-08" in line
    assert Walk.objects.count() == 0


def test_minutes_below_zero_are_refused(enrolled: Walkwell) -> None:
    line = one_line_error(
        enrolled("log-walk", "--date", "2026-01-05", "--minutes", "-5")
    )
    assert "--minutes" in line
    assert "0 to 600" in line
    assert Walk.objects.count() == 0


def test_an_unknown_warning_sign_is_refused_with_the_allowed_ones(
    enrolled: Walkwell,
) -> None:
    line = one_line_error(enrolled(*WALK, "--warning-sign", "sore_toe"))
    assert "--warning-sign" in line
    assert "numbness_tingling" in line
    assert Walk.objects.count() == 0


def test_a_missing_option_is_one_line_naming_it(enrolled: Walkwell) -> None:
    line = one_line_error(enrolled("checkin", "--date", "2026-01-06", "--pain", "3"))
    assert "--stiffness-min" in line
    assert CheckIn.objects.count() == 0


def test_today_before_any_plan_says_to_run_init(walkwell: Walkwell) -> None:
    line = one_line_error(walkwell("today"))
    assert "walkwell init" in line
    assert Person.objects.count() == 0


def test_init_with_yes_needs_a_baseline_and_stores_nothing(walkwell: Walkwell) -> None:
    line = one_line_error(walkwell("init", "--yes"))
    assert "--baseline-minutes" in line
    assert Person.objects.count() == 0


def test_an_urgent_screening_answer_ends_onboarding_with_what_to_do(
    walkwell: Walkwell,
) -> None:
    """The first question is about saddle numbness, an emergency sign."""
    result = walkwell("init", "--start", "2026-01-05", input="y\n")
    assert result.exit_code == 0, result.output
    assert "emergency department" in result.stdout
    assert "How many minutes" not in result.stdout
    person = Person.objects.get()
    assert person.baseline_minutes is None
    assert person.screenings.get().red_flags == ["saddle_numbness"]
    assert AuditLog.objects.filter(event_type=AuditEvent.RED_FLAG_REPORTED).exists()
    today = json.loads(walkwell("today", "--date", "2026-01-06", "--json").stdout)
    assert today["decision"] == "seek_urgent_care"
    assert today["prescription"]["sessions"] == 0


def test_interactive_init_asks_every_question_then_the_baseline(
    walkwell: Walkwell,
) -> None:
    questions = 11
    result = walkwell("init", "--start", "2026-01-05", input="n\n" * questions + "10\n")
    assert result.exit_code == 0, result.output
    assert "How many minutes" in result.stdout
    person = Person.objects.get()
    assert person.baseline_minutes == 10
    assert person.screenings.get().red_flags == []


def test_a_walk_and_the_morning_check_are_stored_and_shown_in_history(
    enrolled: Walkwell,
) -> None:
    assert enrolled(*WALK, *PAINS, "--terrain", "grass", "--no-cooldown").exit_code == 0
    assert enrolled(*CHECKIN, "--pain", "3", *SCORES).exit_code == 0
    walk = Walk.objects.get()
    assert (walk.terrain, walk.cooldown, walk.pain_during) == ("grass", False, 4)
    with time_machine.travel("2026-01-07 12:00 +0000", tick=False):
        days = json.loads(enrolled("history", "--json").stdout)["days"]
    assert [d["date"] for d in days] == ["2026-01-05", "2026-01-06", "2026-01-07"]
    assert days[0]["walks"][0]["minutes"] == 12
    assert days[1]["checkin"]["morning_stiffness_min"] == 20
    assert all(d["decision"] for d in days)


def test_status_json_reports_the_phase_and_the_last_week(enrolled: Walkwell) -> None:
    enrolled(*WALK, *PAINS)
    with time_machine.travel("2026-01-06 08:00 +0000", tick=False):
        status = json.loads(enrolled("status", "--json").stdout)
    assert status["phase"] == 1
    assert status["walks"] == 1
    assert status["minutes_last_7_days"] == 12
    assert status["last_walk"]["pain_during"] == 4


def test_a_red_flag_at_checkin_stops_walks_until_a_clearance_and_a_screening(
    enrolled: Walkwell,
) -> None:
    result = enrolled(*CHECKIN, "--pain", "4", *SCORES, "--red-flag", "fever")
    assert result.exit_code == 0, result.output
    assert "Get medical help today" in result.stdout
    held = json.loads(enrolled("today", "--date", "2026-01-07", "--json").stdout)
    assert held["decision"] == "seek_urgent_care"
    assert held["prescription"]["sessions"] == 0
    cleared = enrolled("clearance", "--date", "2026-01-08", "--by", "Dr Patel", "--yes")
    assert cleared.exit_code == 0, cleared.output
    waiting = json.loads(enrolled("today", "--date", "2026-01-08", "--json").stdout)
    assert waiting["decision"] == "seek_urgent_care"
    screened = enrolled("screen", "--date", "2026-01-08", "--yes")
    assert screened.exit_code == 0, screened.output
    assert "no red flags" in screened.stdout
    after = json.loads(enrolled("today", "--date", "2026-01-08", "--json").stdout)
    assert after["decision"] != "seek_urgent_care"
    assert after["prescription"]["sessions"] > 0


def test_a_second_init_is_refused_and_the_first_plan_kept(enrolled: Walkwell) -> None:
    line = one_line_error(enrolled("init", "--baseline-minutes", "30", "--yes"))
    assert "already started" in line
    assert Person.objects.get().baseline_minutes == 12


SCENARIO = {
    "protocol": "seed-3-phase",
    "start": "2026-01-05",
    "profile": {"baseline_minutes": 12},
    "screening": {"red_flags": []},
    "events": [
        {
            "date": "2026-01-05",
            "type": "walk",
            "minutes": 12,
            "pain_before": 3,
            "pain_during": 4,
            "pain_after": 3,
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


def test_simulate_prints_one_day_per_date_and_stores_nothing(
    walkwell: Walkwell, tmp_path: Path
) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    result = walkwell("simulate", str(scenario), "--json")
    assert result.exit_code == 0, result.output
    days = json.loads(result.stdout)["days"]
    assert [d["date"] for d in days] == ["2026-01-05", "2026-01-06"]
    assert days[0]["phase"] == 1
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"colour": "red"}, "colour"),
        ({"start": "5 Jan 2026"}, "start"),
    ],
)
def test_simulate_refuses_a_bad_scenario_in_one_line(
    walkwell: Walkwell, tmp_path: Path, change: dict[str, str], named: str
) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO | change), encoding="utf-8")
    line = one_line_error(walkwell("simulate", str(scenario), "--json"))
    assert named in line


def test_simulate_refuses_a_missing_file(walkwell: Walkwell, tmp_path: Path) -> None:
    line = one_line_error(walkwell("simulate", str(tmp_path / "nope.json"), "--json"))
    assert "FILE" in line


def test_after_an_urgent_answer_and_a_clearance_init_adds_the_baseline(
    walkwell: Walkwell,
) -> None:
    walkwell("init", "--start", "2026-01-05", input="n\n" * 5 + "y\n")
    refused = one_line_error(
        walkwell("init", "--baseline-minutes", "10", "--start", "2026-01-07", "--yes")
    )
    assert "clearance" in refused
    cleared = walkwell("clearance", "--date", "2026-01-07", input="Dr Patel\ny\n")
    assert cleared.exit_code == 0, cleared.output
    waiting = json.loads(walkwell("today", "--date", "2026-01-07", "--json").stdout)
    assert waiting["decision"] == "not_started"
    assert waiting["prescription"]["sessions"] == 0
    finished = walkwell(
        "init",
        "--baseline-minutes",
        "10",
        "--start",
        "2026-01-07",
        "--footwear",
        "supportive",
        "--yes",
    )
    assert finished.exit_code == 0, finished.output
    plan = json.loads(walkwell("today", "--date", "2026-01-07", "--json").stdout)
    assert (plan["phase"], plan["decision"]) == (1, "continue")
    assert plan["prescription"]["minutes_per_session"] == 10
    assert Person.objects.get().baseline_minutes == 10


def test_an_urgent_answer_again_before_a_clearance_is_a_second_screening(
    walkwell: Walkwell,
) -> None:
    """As on the pages: answering the screening again while waiting stores it."""
    urgent = "n\n" * 5 + "y\n"
    walkwell("init", "--start", "2026-01-05", input=urgent)
    again = walkwell("init", "--start", "2026-01-06", input=urgent)
    assert again.exit_code == 0, again.output
    assert [s.date.isoformat() for s in Screening.objects.order_by("date")] == [
        "2026-01-05",
        "2026-01-06",
    ]
    assert Person.objects.get().baseline_minutes is None


def test_a_walk_sent_again_with_the_same_key_is_stored_once(
    enrolled: Walkwell,
) -> None:
    first, again = (enrolled(*WALK, "--key", "run-41") for _ in range(2))
    assert enrolled(*WALK, "--key", "run-42").exit_code == 0
    assert enrolled(*WALK).exit_code == 0
    assert Walk.objects.count() == 3
    assert first.exit_code == again.exit_code == 0
    assert "stored:" in first.stdout
    assert "already stored" not in first.stdout
    assert "was already stored with this key" in again.stdout
    assert "nothing new was stored" in again.stdout


def test_a_protocol_file_given_by_path_is_used_again_later(
    walkwell: Walkwell, tmp_path: Path
) -> None:
    other = next(name for name in available_protocols() if name != "seed-3-phase")
    source = Path(__file__).resolve().parents[2] / "src/walkwell/protocols"
    copy = tmp_path / "my-program.toml"
    copy.write_text((source / f"{other}.toml").read_text(encoding="utf-8"))
    result = walkwell(
        "init",
        "--baseline-minutes",
        "15",
        "--protocol",
        str(copy),
        "--start",
        "2026-01-05",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert Person.objects.get().protocol_id == str(copy)
    plan = json.loads(walkwell("today", "--date", "2026-01-06", "--json").stdout)
    assert plan["phase"] == 1


def test_an_edited_protocol_file_is_followed_at_once_not_after_a_restart(
    walkwell: Walkwell, tmp_path: Path
) -> None:
    # The commands run in this one process, as a server would: its stored plans
    # and its loaded protocol must not outlive the file they came from.
    source = Path(__file__).resolve().parents[2] / "src/walkwell/protocols"
    copy = tmp_path / "my-program.toml"
    seed = (source / "seed-3-phase.toml").read_text(encoding="utf-8")
    copy.write_text(seed, encoding="utf-8")
    start = ("--baseline-minutes", "12", "--start", "2026-01-05", "--yes")
    assert walkwell("init", "--protocol", str(copy), *start).exit_code == 0
    before = json.loads(walkwell("today", "--date", "2026-01-06", "--json").stdout)
    assert before["prescription"]["sessions"] == 2
    edited = seed.replace("sessions_per_day = 2", "sessions_per_day = 3", 1)
    copy.write_text(edited + "\n", encoding="utf-8")  # one byte more: a new stamp
    after = json.loads(walkwell("today", "--date", "2026-01-06", "--json").stdout)
    assert after["prescription"]["sessions"] == 3


def test_an_unknown_protocol_is_refused_naming_the_shipped_ones(
    walkwell: Walkwell,
) -> None:
    line = one_line_error(
        walkwell(
            "init", "--baseline-minutes", "12", "--protocol", "couch-to-5k", "--yes"
        )
    )
    assert "seed-3-phase" in line
    assert Person.objects.count() == 0
