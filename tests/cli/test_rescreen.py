"""`walkwell clearance` asks like the web form; `walkwell screen` asks the red flags again."""

from __future__ import annotations

import json

from tests.cli.conftest import Walkwell
from walkwell.web.program.models import Clearance, Screening

CHECKIN = ("checkin", "--date", "2026-01-07", "--pain", "3", "--stiffness-min", "10")
SCORES = ("--sleep", "6", "--focus", "6")


def _decision(walkwell: Walkwell, day: str) -> str:
    plan = json.loads(walkwell("today", "--date", day, "--json").stdout)
    return str(plan["decision"])


def test_clearance_asks_for_the_clinicians_name_and_a_confirmation(
    enrolled: Walkwell,
) -> None:
    result = enrolled("clearance", "--date", "2026-01-06", input="Dr Patel, GP\ny\n")
    assert result.exit_code == 0, result.output
    assert "Who checked you" in result.stdout
    assert Clearance.objects.get().by == "Dr Patel, GP"


def test_a_clearance_not_confirmed_stores_nothing(enrolled: Walkwell) -> None:
    result = enrolled("clearance", "--date", "2026-01-06", input="Dr Patel\nn\n")
    assert result.exit_code != 0
    assert "confirm" in result.stderr
    assert not Clearance.objects.exists()


def test_clearance_with_yes_needs_the_clinicians_name(enrolled: Walkwell) -> None:
    result = enrolled("clearance", "--date", "2026-01-06", "--yes")
    assert result.exit_code != 0
    assert "--by" in result.stderr
    assert "Traceback" not in result.output
    assert not Clearance.objects.exists()


def test_screen_asks_every_red_flag_question_and_stores_the_answers(
    enrolled: Walkwell,
) -> None:
    answers = "n\n" * 20
    result = enrolled("screen", "--date", "2026-01-06", input=answers)
    assert result.exit_code == 0, result.output
    assert "no red flags" in result.stdout
    assert Screening.objects.order_by("-id").first().red_flags == []  # type: ignore[union-attr]


def test_a_red_flag_in_a_screening_stops_the_plan(enrolled: Walkwell) -> None:
    result = enrolled("screen", "--date", "2026-01-06", "--red-flag", "fever", "--yes")
    assert result.exit_code == 0, result.output
    assert _decision(enrolled, "2026-01-06") == "seek_urgent_care"


def test_an_unknown_red_flag_in_a_screening_is_refused_naming_the_field(
    enrolled: Walkwell,
) -> None:
    result = enrolled("screen", "--red-flag", "nope", "--yes")
    assert result.exit_code != 0
    assert "--red-flag" in result.stderr
    assert "Traceback" not in result.output


def test_an_urgent_stop_lifts_after_clearance_and_screening_on_the_cli(
    enrolled: Walkwell,
) -> None:
    stopped = enrolled(*CHECKIN, *SCORES, "--red-flag", "saddle_numbness")
    assert stopped.exit_code == 0, stopped.output
    cleared = enrolled("clearance", "--date", "2026-01-07", "--by", "A&E", "--yes")
    assert cleared.exit_code == 0, cleared.output
    assert _decision(enrolled, "2026-01-07") == "seek_urgent_care"
    assert "again" in cleared.stdout
    screened = enrolled("screen", "--date", "2026-01-07", "--yes")
    assert screened.exit_code == 0, screened.output
    assert _decision(enrolled, "2026-01-07") not in {"seek_urgent_care", "stop_consult"}


def test_a_warning_sign_cleared_later_the_same_day_lifts_the_stop(
    enrolled: Walkwell,
) -> None:
    sign = enrolled(*CHECKIN, *SCORES, "--warning-sign", "numbness_tingling")
    assert sign.exit_code == 0, sign.output
    assert _decision(enrolled, "2026-01-07") == "stop_consult"
    cleared = enrolled("clearance", "--date", "2026-01-07", "--by", "Physio", "--yes")
    assert cleared.exit_code == 0, cleared.output
    assert _decision(enrolled, "2026-01-07") != "stop_consult"
