"""A day that has not come yet is refused by every command that records one, as
the forms and the API refuse it; today (this machine's day) is still accepted."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.db.models import Model

from walkwell.web.program import models

from .conftest import Walkwell
from .test_commands import one_line_error

TODAY = dt.date(2026, 1, 7)  # the clock stands at 09:00 UTC (tests/conftest.py)
TOMORROW = "2026-01-08"
SCORES = ["--pain", "3", "--stiffness-min", "20", "--sleep", "6", "--focus", "6"]

# Each command that records a dated event, given the day, and the rows it stores.
RECORDING: dict[str, tuple[list[str], type[Model]]] = {
    "log-walk": (["log-walk", "--minutes", "10", "--date"], models.Walk),
    "checkin": (["checkin", *SCORES, "--date"], models.CheckIn),
    "symptom": (
        ["symptom", "--warning-sign", "numbness_tingling", "--date"],
        models.SymptomReport,
    ),
    "clearance": (
        ["clearance", "--by", "Dr Patel, GP", "--yes", "--date"],
        models.Clearance,
    ),
    "screen": (["screen", "--yes", "--date"], models.Screening),
    "measures": (
        ["measures", "record", "--nrs", "4", "--date"],
        models.OutcomeResponse,
    ),
}


@pytest.mark.parametrize("command", RECORDING)
def test_a_day_in_the_future_is_refused_naming_date_and_nothing_is_stored(
    enrolled: Walkwell, command: str
) -> None:
    args, model = RECORDING[command]
    rows, audited = model._default_manager.count(), models.AuditLog.objects.count()
    line = one_line_error(enrolled(*args, TOMORROW))
    assert line == (
        "walkwell: error: --date: is in the future (2026-01-08); give today or earlier"
    )
    assert model._default_manager.count() == rows
    assert models.AuditLog.objects.count() == audited


@pytest.mark.parametrize("command", RECORDING)
def test_today_is_still_accepted(enrolled: Walkwell, command: str) -> None:
    args, model = RECORDING[command]
    rows = model._default_manager.count()
    result = enrolled(*args, TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert model._default_manager.count() == rows + 1


def test_amending_a_future_check_in_is_refused_as_a_future_day(
    enrolled: Walkwell,
) -> None:
    line = one_line_error(
        enrolled("checkin", "--amend", "--date", TOMORROW, "--pain", "5")
    )
    assert "--date: is in the future (2026-01-08)" in line


def test_a_go_ahead_dated_in_the_future_is_refused_and_not_stored(
    enrolled: Walkwell,
) -> None:
    result = enrolled("go-ahead", "--by", "Dr Okafor, GP", "--yes", "--date", TOMORROW)
    line = one_line_error(result)
    assert "--date: is in the future (2026-01-08)" in line
    assert models.Person.objects.get().go_ahead is None


def test_a_plan_cannot_start_on_a_day_to_come(walkwell: Walkwell) -> None:
    result = walkwell("init", "--baseline-minutes", "12", "--start", TOMORROW, "--yes")
    line = one_line_error(result)
    assert line == (
        "walkwell: error: --start: is in the future (2026-01-08); give today or earlier"
    )
    assert models.Person.objects.count() == 0
    assert models.Screening.objects.count() == 0


def test_the_machine_day_is_today_even_when_utc_is_still_yesterday(
    enrolled: Walkwell, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 23:30 UTC on the 7th it is already the 8th in Auckland: a machine set to
    Auckland's time logs a walk for its own today."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        with time_machine.travel("2026-01-07 23:30 +0000", tick=False):
            result = enrolled("log-walk", "--minutes", "10", "--date", TOMORROW)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert result.exit_code == 0, result.output
    assert models.Walk.objects.get().date.isoformat() == TOMORROW
