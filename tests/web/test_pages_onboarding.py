"""Sign-up and onboarding: red-flag screening comes before anything else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from tests.cast import START
from tests.web.pages_support import (
    PASSWORD,
    baseline_answers,
    client_for,
    person,
    screening_answers,
)
from walkwell.web.program.models import AuditLog, OutcomeResponse, Person

READ_ON = START  # the day she signs up


@pytest.fixture
def newcomer(db: None) -> Client:
    client = Client()
    response = client.post(
        "/accounts/sign-up/",
        {"username": "alice", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/start/"
    return client


def test_sign_up_hashes_the_password_with_argon2(newcomer: Client) -> None:
    user = User.objects.get(username="alice")
    assert user.password.startswith("argon2")


def test_sign_up_shows_a_mismatched_password_next_to_its_field(db: None) -> None:
    response = Client().post(
        "/accounts/sign-up/",
        {"username": "bob", "password1": PASSWORD, "password2": "something-else-77"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_password2_errors"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.filter(username="bob").exists()


def test_a_new_account_goes_to_the_screening_first(newcomer: Client) -> None:
    response = newcomer.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/start/screening/"
    html = response.content.decode()
    assert "Is there new numbness or pins and needles" in html
    # Without screening, the baseline is not reachable.
    assert newcomer.get("/start/baseline/")["Location"] == "/start/screening/"


def test_screening_needs_every_question_answered(newcomer: Client) -> None:
    answers = screening_answers()
    del answers["sign_fever"]
    response = newcomer.post("/start/screening/", answers)
    assert response.status_code == 200
    assert "Please answer yes or no." in response.content.decode()
    assert not Person.objects.exists()


def test_an_emergency_answer_ends_onboarding_and_is_recorded(newcomer: Client) -> None:
    response = newcomer.post(
        "/start/screening/", screening_answers("saddle_numbness"), follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/start/seek-care/"
    assert "Go to an emergency department now" in html
    person = Person.objects.get(user__username="alice")
    assert person.baseline_minutes is None
    assert person.screenings.get().red_flags == ["saddle_numbness"]
    audit = AuditLog.objects.get(person=person, event_type="red_flag_reported")
    assert audit.detail["tiers"] == {"saddle_numbness": "emergency"}
    # Onboarding stays ended: no baseline, and Today shows the instruction, no walk.
    for step in ("/start/screening/", "/start/baseline/", "/start/"):
        assert newcomer.get(step)["Location"] == "/start/seek-care/"
    answers_now_clear = newcomer.post("/start/screening/", screening_answers())
    assert answers_now_clear["Location"] == "/start/seek-care/"
    today = newcomer.get("/").content.decode()
    assert "Go to an emergency department now" in today
    assert "Start a guided walk" not in today


def test_an_urgent_answer_sends_to_same_day_care(newcomer: Client) -> None:
    response = newcomer.post(
        "/start/screening/", screening_answers("fever"), follow=True
    )
    assert "Get medical help today" in response.content.decode()


def test_after_a_clearance_onboarding_resumes_with_a_fresh_screening(
    newcomer: Client,
) -> None:
    newcomer.post("/start/screening/", screening_answers("fever"))
    response = newcomer.post("/clearance/", {"by": "Dr Patel, GP", "confirm": "on"})
    assert response["Location"] == "/start/screening/"
    newcomer.post("/start/screening/", screening_answers())
    response = newcomer.post("/start/baseline/", baseline_answers())
    assert response["Location"] == "/plan/"
    person = Person.objects.get(user__username="alice")
    assert person.baseline_minutes == 12
    assert person.clearances.get().by == "Dr Patel, GP"


def test_clear_screening_leads_to_the_baseline_and_the_plan(newcomer: Client) -> None:
    assert newcomer.post("/start/screening/", screening_answers())["Location"] == (
        "/start/baseline/"
    )
    assert not Person.objects.exists()
    page = newcomer.get("/start/baseline/").content.decode()
    assert "© Keele University" in page
    assert "My back pain has spread down my leg(s)" in page
    response = newcomer.post("/start/baseline/", baseline_answers(), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/plan/"
    person = Person.objects.get(user__username="alice")
    assert (person.start, person.baseline_minutes, person.footwear) == (
        READ_ON,
        12,
        "supportive",
    )
    scores = {o.measure_id: o.score for o in OutcomeResponse.objects.all()}
    assert scores == {"pain_nrs": 4, "psfs": 5.0, "start_back": 1}
    # The plan: the three phases with their earliest dates, and the start dose.
    assert "Phase 1: Reset" in html
    assert "Phase 2: Stabilize" in html
    assert "From 16 March 2026 at the earliest" in html
    assert "your walks start at <strong>12 minutes</strong>" in html


def test_bad_baseline_answers_are_shown_by_their_fields_and_nothing_is_saved(
    newcomer: Client,
) -> None:
    newcomer.post("/start/screening/", screening_answers())
    response = newcomer.post(
        "/start/baseline/",
        baseline_answers(baseline_minutes="-3", psfs_rating_2="", sb_bothersome=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_baseline_minutes_errors"' in html
    assert "Ensure this value is greater than or equal to 1" in html
    assert "Rate this activity, or clear its name." in html
    assert 'id="id_sb_bothersome_errors"' in html
    assert not Person.objects.exists()
    assert not OutcomeResponse.objects.exists()


def test_today_asks_to_finish_setting_up_after_a_clearance(newcomer: Client) -> None:
    newcomer.post("/start/screening/", screening_answers("major_trauma"))
    newcomer.post("/clearance/", {"by": "Orthopaedic clinic", "confirm": "on"})
    html = newcomer.get("/").content.decode()
    assert "Finish setting up" in html
    assert 'href="/start/"' in html


def _phase_dates(html: str) -> dict[str, str]:
    """Each phase on the plan page with the words under its name."""
    found = re.findall(r"<h3>Phase \d: (\w+).*?</h3>\s*<p[^>]*>([^<]+)</p>", html)
    return dict(found)


def test_a_plan_started_on_28_november_shows_each_phase_from_the_day_the_protocol_allows(
    db: None,
) -> None:
    """Two weeks of Reset, two of Stabilize; Maintain not at Strengthen's start but
    after its climb from 30 to 45 minutes and three settled weekly reviews there."""
    with time_machine.travel(dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC), tick=False):
        nina = person("nina", dt.date(2026, 11, 28))
        html = client_for(nina).get("/plan/").content.decode()
    assert _phase_dates(html) == {
        "Reset": "Began on 28 November 2026",
        "Stabilize": "From 12 December 2026 at the earliest",
        "Strengthen": "From 26 December 2026 at the earliest",
        "Maintain": "From 13 March 2027 at the earliest",
    }


def test_the_plan_page_counts_the_step_only_during_onboarding(
    newcomer: Client,
) -> None:
    newcomer.post("/start/screening/", screening_answers())
    response = newcomer.post("/start/baseline/", baseline_answers(), follow=True)
    assert "Step 3 of 3" in response.content.decode()
    later = newcomer.get("/plan/").content.decode()
    assert "Step 3 of 3" not in later
    assert "<h1>Your plan</h1>" in later
