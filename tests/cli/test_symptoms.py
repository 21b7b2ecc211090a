"""`walkwell checkin --amend` and `walkwell symptom`: nothing reported is lost."""

from __future__ import annotations

import json

from walkwell.web.program.models import CheckIn

from .conftest import Walkwell
from .test_commands import CHECKIN, SCORES, one_line_error


def _checked_in(enrolled: Walkwell) -> None:
    result = enrolled(*CHECKIN, "--pain", "3", *SCORES)
    assert result.exit_code == 0, result.output


def test_a_red_flag_reported_after_the_check_in_stops_the_plan_at_once(
    enrolled: Walkwell,
) -> None:
    _checked_in(enrolled)
    result = enrolled("symptom", "--date", "2026-01-06", "--red-flag", "fever")
    assert result.exit_code == 0, result.output
    assert "Get medical help today" in result.stdout
    assert "seek urgent care" in result.stdout
    today = json.loads(enrolled("today", "--date", "2026-01-06", "--json").stdout)
    assert today["decision"] == "seek_urgent_care"
    assert today["prescription"]["sessions"] == 0


def test_a_warning_sign_stop_prints_only_the_gentle_walk(enrolled: Walkwell) -> None:
    result = enrolled(
        "symptom", "--date", "2026-01-06", "--warning-sign", "numbness_tingling"
    )
    assert result.exit_code == 0, result.output
    assert "stop consult" in result.stdout
    assert "See a physiotherapist" in result.stdout
    assert "Habit:" not in result.stdout
    assert "10 minutes" in result.stdout


def test_a_symptom_reported_twice_is_harmless(enrolled: Walkwell) -> None:
    args = ("symptom", "--date", "2026-01-06", "--red-flag", "fever")
    assert enrolled(*args).exit_code == 0
    again = enrolled(*args)
    assert again.exit_code == 0, again.output
    assert "already reported" in again.stdout


def test_an_unknown_symptom_names_the_allowed_ones(enrolled: Walkwell) -> None:
    line = one_line_error(enrolled("symptom", "--warning-sign", "sore_toe"))
    assert "--warning-sign" in line
    assert "numbness_tingling" in line


def test_a_symptom_command_without_a_sign_is_refused(enrolled: Walkwell) -> None:
    line = one_line_error(enrolled("symptom"))
    assert "--warning-sign" in line
    assert "--red-flag" in line


def test_amend_changes_only_the_fields_given(enrolled: Walkwell) -> None:
    _checked_in(enrolled)
    result = enrolled("checkin", "--amend", "--date", "2026-01-06", "--pain", "6")
    assert result.exit_code == 0, result.output
    assert "Check-in for 2026-01-06 amended: pain 3 → 6." in result.stdout
    stored = CheckIn.objects.get()
    assert (stored.pain, stored.morning_stiffness_min, stored.sleep) == (6, 20, 6)


def test_amend_with_a_red_flag_prints_the_new_decision(enrolled: Walkwell) -> None:
    _checked_in(enrolled)
    result = enrolled(
        "checkin", "--amend", "--date", "2026-01-06", "--red-flag", "fever"
    )
    assert result.exit_code == 0, result.output
    assert "Get medical help today" in result.stdout


def test_amend_without_a_check_in_is_one_line(enrolled: Walkwell) -> None:
    line = one_line_error(
        enrolled("checkin", "--amend", "--date", "2026-01-06", "--pain", "6")
    )
    assert "--date" in line
    assert "no check-in" in line
