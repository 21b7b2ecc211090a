"""The CLI: walks before the start as history, the baseline they suggest, and the
recurrence question in the check-in (issue rules 9 and 13)."""

from __future__ import annotations

import datetime as dt
import json

import time_machine

from tests.cli.conftest import Walkwell
from walkwell.web.program import selectors, services
from walkwell.web.program.models import CheckIn, Person

SCORES = ("--stiffness-min", "20", "--sleep", "6", "--focus", "6")


def test_a_walk_before_the_start_is_stored_as_history_not_judged(
    enrolled: Walkwell,
) -> None:
    result = enrolled(
        "log-walk", "--date", "2025-12-30", "--minutes", "90", "--terrain", "hills"
    )
    assert result.exit_code == 0, result.output
    assert "Watch out" not in result.stdout
    with time_machine.travel("2026-01-06 12:00 +0000", tick=False):
        shown = json.loads(enrolled("history", "--json").stdout)
        text = enrolled("history").stdout
        status = json.loads(enrolled("status", "--json").stdout)
    assert [w["minutes"] for w in shown["before_start"]] == [90]
    assert all(not d["walks"] for d in shown["days"])
    assert "Before your start: 1 walk, 90 minutes in all" in text
    assert status["walks"] == 0


def test_checkin_records_the_recurrence_answer(enrolled: Walkwell) -> None:
    base = ("checkin", "--pain", "3", *SCORES)
    assert enrolled(*base, "--date", "2026-01-06", "--no-recurrence").exit_code == 0
    result = enrolled(*base, "--date", "2026-01-07", "--recurrence")
    assert result.exit_code == 0, result.output
    assert "24 hours or more" in result.stdout  # the step back says why
    assert enrolled(*base, "--date", "2026-01-08").exit_code == 0
    answers = dict(CheckIn.objects.values_list("date", "recurrence"))
    assert answers == {
        dt.date(2026, 1, 6): False,
        dt.date(2026, 1, 7): True,
        dt.date(2026, 1, 8): None,
    }


def test_interactive_init_suggests_a_baseline_from_walks_before_the_start(
    walkwell: Walkwell,
) -> None:
    """Onboarding stopped at an urgent answer; walks logged while waiting suggest
    the baseline, and Enter confirms it."""
    walkwell("init", "--start", "2026-01-05", input="n\n" * 5 + "y\n")
    person = Person.objects.get()
    for n in range(1, 29):
        day = dt.date(2026, 1, 20) - dt.timedelta(days=n)
        services.walk_log(person=person, date=day, minutes=12)
    cleared = walkwell("clearance", "--date", "2026-01-20", "--by", "Dr Patel", "--yes")
    assert cleared.exit_code == 0, cleared.output
    result = walkwell("init", "--start", "2026-01-20", input="n\n" * 11 + "\n")
    assert result.exit_code == 0, result.output
    assert "Suggested baseline: 7 minutes a walk" in result.stdout
    person.refresh_from_db()
    assert (person.start, person.baseline_minutes) == (dt.date(2026, 1, 20), 7)
    assert selectors.history_for(person).walks == ()
