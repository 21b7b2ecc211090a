"""The weekly look back: on each review day a short card (minutes against the plan,
the mornings against the person's own start, what changes and why, the next
milestone) on Today, in Progress and as lines for the reminder emails. Rest and
holding are part of the plan: no streaks, nothing earned by walking more."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.cast import START
from tests.web.pages_support import client_for, person, settled_weeks
from walkwell.core.lookback import LookBack
from walkwell.web.program import selectors, services
from walkwell.web.program.models import Person
from walkwell.web.program.presenters import look_back_lines, look_back_on, look_backs


@pytest.fixture
def vera(db: None) -> Person:
    who = person("vera", START, baseline=12)
    settled_weeks(who, START, START + dt.timedelta(days=36))
    return who


def _weeks(who: Person, end: dt.date) -> tuple[list[dt.date], list[LookBack]]:
    plans = selectors.timeline_for(who, end)
    protocol = selectors.protocol_for(who)
    history = selectors.history_for(who)
    days = [p.date for p in plans if p.reviewed]
    return days, look_backs(protocol, plans, history.walks, history.checkins, limit=20)


def test_each_review_day_has_a_look_back_and_others_none(vera: Person) -> None:
    end = START + dt.timedelta(days=35)
    days, weeks = _weeks(vera, end)
    assert len(days) >= 4
    assert [w.day for w in weeks] == list(reversed(days))
    plans = selectors.timeline_for(vera, end)
    protocol, history = selectors.protocol_for(vera), selectors.history_for(vera)
    quiet = next(p.date for p in plans if not p.reviewed)
    assert look_back_on(protocol, plans, history.walks, history.checkins, quiet) is None


def test_a_look_back_compares_minutes_and_mornings_with_the_start(
    vera: Person,
) -> None:
    _, weeks = _weeks(vera, START + dt.timedelta(days=35))
    week = weeks[0]
    assert week.planned_min > 0
    assert f"{week.walked_min:.0f} of {week.planned_min:.0f} planned minutes" in (
        week.minutes_words
    )
    assert [m.name for m in week.mornings] == ["Pain", "Stiffness", "Sleep", "Focus"]
    # settled weeks: pain down, stiffness down, sleep and focus up, from the start
    assert {m.mark for m in week.mornings} <= {"better", "same"}
    assert week.mornings[1].mark == "better"
    assert week.milestone
    assert "part of the plan" in week.rest_note


def test_strengthens_first_look_back_dates_maintain_after_the_climb_to_45_minutes(
    vera: Person,
) -> None:
    """Strengthen began in week 5 at 30 minutes: Maintain waits for the climb to 45
    and three settled reviews there (week 16), not only for week 8."""
    _, weeks = _weeks(vera, START + dt.timedelta(days=35))
    assert weeks[0].milestone == (
        "Maintain can start on Monday 15 June if your walks keep settling."
    )


def test_a_phase_change_is_marked_with_what_changes(vera: Person) -> None:
    _, weeks = _weeks(vera, START + dt.timedelta(days=35))
    changed = [w for w in weeks if w.phase_change]
    assert changed, "Reset gave way to Stabilize at a review"
    assert changed[-1].phase_change.startswith("New phase: Stabilize.")
    assert "walk" in changed[-1].phase_change
    assert changed[-1].why  # and why


def test_walking_more_than_planned_earns_nothing_extra(db: None) -> None:
    who = person("otto", START, baseline=12)
    settled_weeks(who, START, START + dt.timedelta(days=8))
    for day in range(8):
        services.walk_log(
            person=who, date=START + dt.timedelta(days=day), minutes=40, pain_during=2
        )
    _, weeks = _weeks(who, START + dt.timedelta(days=8))
    assert weeks
    assert "More than planned earns nothing extra" in weeks[-1].minutes_words


def test_today_shows_the_card_on_a_review_day_and_progress_keeps_them(
    vera: Person,
) -> None:
    days, _ = _weeks(vera, START + dt.timedelta(days=35))
    client = client_for(vera)
    with time_machine.travel(dt.datetime.combine(days[-1], dt.time(9), dt.UTC)):
        html = client.get("/").content.decode()
        progress = client.get("/progress/").content.decode()
    assert "Your week, to" in html
    assert "planned minutes walked this week" in html
    assert "Next:" in html
    assert "streak" not in html.lower()
    assert "Weekly look backs" in progress
    assert progress.count("Your week, to") == len(days)
    with time_machine.travel(
        dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(9), dt.UTC)
    ):
        assert "Your week, to" not in client.get("/").content.decode()


def test_the_email_lines_carry_the_same_card(vera: Person) -> None:
    _, weeks = _weeks(vera, START + dt.timedelta(days=35))
    lines = look_back_lines(weeks[0])
    assert lines[0].startswith("Your week, to ")
    assert weeks[0].minutes_words in lines
    assert f"Next: {weeks[0].milestone}" in lines
    assert any(line.strip().startswith(("✓", "=", "!")) for line in lines)
