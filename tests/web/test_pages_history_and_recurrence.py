"""Walks before the start as history, the recurrence question, and a usual morning
given at onboarding (issue rules 1, 9 and 13, on the pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.cast import START, TODAY
from tests.web.pages_support import (
    baseline_answers,
    checkin_answers,
    screening_answers,
    walk_answers,
)
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import selectors, services
from walkwell.web.program.models import Person


def test_a_walk_before_the_start_is_stored_as_history_and_never_judged(
    alice: Person, client: Client
) -> None:
    """A long hilly walk the week before the start: stored, shown on Progress,
    with no warning, and not counted in the plan's figures."""
    before = selectors.plan_for(alice, TODAY)
    earlier = START - dt.timedelta(days=5)
    response = client.post(
        "/log/", walk_answers(earlier, minutes="95", terrain="hills", pain_during="8")
    )
    assert response.status_code == 302
    assert alice.walks.get().date == earlier
    assert selectors.plan_for(alice, TODAY) == before
    status = selectors.status_for(alice, TODAY)
    assert (status.walks, status.minutes_last_7_days, status.last_walk) == (0, 0, None)
    html = client.get("/progress/").content.decode()
    assert "Before your program started" in html
    assert "1 walk from 25 February 2026 to 25 February 2026, 95 minutes in all" in html
    assert "not judged" in html
    assert "0 walks logged in all" in html


def test_a_warning_sign_on_a_walk_before_the_start_is_refused_and_nothing_stored(
    alice: Person, client: Client
) -> None:
    earlier = START - dt.timedelta(days=2)
    response = client.post("/log/", walk_answers(earlier, sign_numbness_tingling="yes"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "kept as history" in html
    assert not alice.walks.exists()


def test_an_imported_walk_before_the_start_is_stored_as_history(alice: Person) -> None:
    walk = services.walk_log(
        person=alice,
        date=START - dt.timedelta(days=10),
        minutes=30,
        source="import",
        imported=services.ImportedMetrics(content_hash="a" * 64),
    )
    assert walk.pk is not None
    assert selectors.walks_awaiting_answers(alice, START) == []
    history = selectors.history_for(alice)
    assert history.walks == ()
    assert [w.minutes for w in history.earlier] == [30]


def test_the_checkin_asks_about_recurrence_and_progress_counts_the_days(
    alice: Person, client: Client
) -> None:
    page = client.get("/check-in/").content.decode()
    assert "stopped you doing your usual activities for 24 hours or more" in page
    assert "No recurrence recorded" in client.get("/progress/").content.decode()
    response = client.post(
        "/check-in/", checkin_answers(START + dt.timedelta(days=1), recurrence="yes")
    )
    assert response.status_code == 302
    assert alice.checkins.get().recurrence is True
    html = client.get("/progress/").content.decode()
    assert "1 day since your last recurrence." in html
    # the engine reads it: a recurrence is the flare plan's lighter block
    plan = selectors.plan_for(alice, START + dt.timedelta(days=1))
    assert plan.decision == "step_back"
    # the next days show the flare plan: lighter for a few days, then back up
    today = client.get("/").content.decode()
    assert 'id="flare-plan"' in today
    assert "Lighter for a few days, then back up to where you were." in today


def test_a_checkin_left_without_the_recurrence_answer_stores_none(
    alice: Person, client: Client
) -> None:
    client.post("/check-in/", checkin_answers(TODAY))
    assert alice.checkins.get().recurrence is None


@pytest.fixture
def newcomer(db: None) -> Client:
    user = User.objects.create_user(username="bob")
    client = Client()
    client.force_login(user)
    return client


def test_a_usual_morning_given_at_onboarding_becomes_the_baseline(
    newcomer: Client,
) -> None:
    newcomer.post("/start/screening/", screening_answers())
    answers = baseline_answers(
        usual_pain="3", usual_stiffness="15", usual_sleep="6", usual_focus="7"
    )
    assert newcomer.post("/start/baseline/", answers)["Location"] == "/plan/"
    bob = Person.objects.get(user__username="bob")
    morning = selectors.history_for(bob).profile.baseline_morning
    assert morning is not None
    assert (morning.pain, morning.morning_stiffness_min, morning.sleep) == (3, 15, 6)
    assert morning.focus == 7


def test_a_usual_morning_left_out_leaves_the_first_week_to_make_the_baseline(
    newcomer: Client,
) -> None:
    newcomer.post("/start/screening/", screening_answers())
    newcomer.post("/start/baseline/", baseline_answers())
    bob = Person.objects.get(user__username="bob")
    assert selectors.history_for(bob).profile.baseline_morning is None


def test_a_half_given_usual_morning_is_refused_by_its_fields(newcomer: Client) -> None:
    newcomer.post("/start/screening/", screening_answers())
    response = newcomer.post(
        "/start/baseline/", baseline_answers(usual_pain="3", usual_sleep="6")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_usual_focus_errors"' in html
    assert "Answer all four questions about a usual morning, or none." in html
    assert not Person.objects.exists()


def test_the_service_refuses_a_usual_morning_out_of_range(db: None) -> None:
    user = User.objects.create_user(username="carol")
    usual = {"pain": 11, "morning_stiffness_min": 10, "sleep": 5, "focus": 5}
    with pytest.raises(ValidationProblem) as caught:
        services.enrollment_start(
            user=user, start=START, baseline_minutes=10, usual_morning=usual
        )
    assert caught.value.field == "usual_pain"
    assert not Person.objects.exists()


def test_walks_before_a_late_start_suggest_the_baseline_at_onboarding(
    newcomer: Client,
) -> None:
    """Onboarding stopped at an urgent answer; walks stored while waiting for the
    clearance suggest the baseline, which the person confirms."""
    newcomer.post("/start/screening/", screening_answers("fever"))
    bob = Person.objects.get(user__username="bob")
    for n in range(1, 29):
        services.walk_log(person=bob, date=TODAY - dt.timedelta(days=n), minutes=12)
    Person.objects.filter(pk=bob.pk).update(start=TODAY)
    newcomer.post("/clearance/", {"by": "Dr Patel, GP", "confirm": "on"})
    newcomer.post("/start/screening/", screening_answers())
    page = newcomer.get("/start/baseline/").content.decode()
    assert 'id="baseline-suggestion"' in page
    assert "Suggested baseline: 7 minutes a walk" in page
    assert 'name="baseline_minutes" value="7"' in page
    response = newcomer.post("/start/baseline/", baseline_answers(baseline_minutes="7"))
    assert response["Location"] == "/plan/"
    bob.refresh_from_db()
    assert bob.baseline_minutes == 7
