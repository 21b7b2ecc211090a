"""Today, the guided walk page, logging a walk and the morning check-in."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.test import Client

from tests.cast import START, TODAY
from tests.web.pages_support import (
    baseline_answers,
    checkin_answers,
    client_for,
    person,
    screening_answers,
    settled_weeks,
    walk_answers,
)
from walkwell.web.program import selectors
from walkwell.web.program.models import Person, Walk


def _walk_config(html: str) -> dict[str, object]:
    found = re.search(
        r'<script id="walk-config" type="application/json">(.*?)</script>', html
    )
    assert found, "the guided walk has its configuration"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_today_shows_the_engines_prescription_and_reasons(
    alice: Person, client: Client
) -> None:
    plan = selectors.plan_for(alice, TODAY)
    rx = plan.prescription
    html = client.get("/").content.decode()
    assert f"{rx.sessions} walks of {rx.minutes_per_session} minutes" in html
    assert "Phase 1: Reset" in html
    for reason in plan.reasons:
        assert reason.text in html
    assert "Stack your ears over your shoulders" in html
    assert (
        "Standing spinal decompression" in html
        or "standing spinal decompression" in html
    )
    assert "Start a guided walk" in html
    assert 'href="/learn/posture/"' in html  # the lesson for "continue"


def test_today_suggests_a_chosen_habit_slot(alice: Person, client: Client) -> None:
    client.post(
        "/accounts/settings/",
        {
            "distance_unit": "km",
            "weight_unit": "kg",
            "first_walk_time": "08:00",
            "second_walk_time": "13:00",
            "checkin_time": "07:30",
            "habit_slots": ["post_lunch_loop"],
        },
    )
    assert "Post-lunch loop: A 10-minute stroll" in client.get("/").content.decode()


def test_logging_a_walk_stores_it_and_returns_to_today(
    alice: Person, client: Client
) -> None:
    response = client.post("/log/", walk_answers(TODAY, minutes="11.5"))
    assert response["Location"] == "/"
    walk = alice.walks.get()
    assert (walk.date, walk.minutes, walk.pain_during, walk.source) == (
        TODAY,
        11.5,
        4,
        "typed",
    )
    assert "(1 done)" in client.get("/").content.decode()


def test_a_walk_can_be_logged_after_the_fact(alice: Person, client: Client) -> None:
    client.post("/log/", walk_answers(START))
    assert alice.walks.get().date == START


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "-5", "greater than or equal to 1"),
        ("minutes", "many", "Enter a number."),
        ("pain_during", "11", "from 0 to 10 for the highest pain during the walk"),
        ("date", "2026-03-09", "This date is in the future"),
        ("date", "yesterday", "Enter a date like 2026-03-14."),
        ("sign_radiating_leg_pain", "maybe", "Select a valid choice"),
        ("terrain", "lava", "Select a valid choice"),
    ],
)
def test_bad_walk_answers_are_shown_by_their_field_and_nothing_is_saved(
    alice: Person, client: Client, field: str, value: str, message: str
) -> None:
    response = client.post("/log/", walk_answers(TODAY, **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    errors = re.search(rf'id="id_{field}_errors">(.*?)</ul>', html, re.S)
    assert errors
    assert message in errors.group(1)
    assert "Nothing was saved" in html
    assert not alice.walks.exists()


def test_a_warning_sign_in_a_walk_log_is_impossible_to_miss(
    alice: Person, client: Client
) -> None:
    client.post("/log/", walk_answers(TODAY, sign_radiating_leg_pain="yes"))
    html = client.get("/").content.decode()
    assert 'class="alert alert-danger" role="alert"' in html
    assert "See a physiotherapist or musculoskeletal specialist" in html
    assert 'href="/learn/when-to-stop/"' in html


def test_the_guided_walk_is_set_up_from_todays_prescription(
    alice: Person, client: Client
) -> None:
    rx = selectors.plan_for(alice, TODAY).prescription
    html = client.get("/walk/").content.decode()
    config = _walk_config(html)
    assert config["minutes"] == rx.minutes_per_session
    assert config["cooldownMinutes"] == 2
    assert config["intervals"] == []
    cues = config["cues"]
    assert cues == list(rx.spoken_cues)
    assert any("ears over shoulders" in c for c in cues)
    assert any("arms swing" in c for c in cues)
    assert not any("nose" in c for c in cues)  # nasal breathing comes in phase 2
    assert "Stop at the whisper" in html
    assert 'src="/static/walkwell/walk.js"' in html


def test_phase_three_walks_carry_intervals_and_the_glute_cue(db: None) -> None:
    veteran = person("vera", dt.date(2026, 1, 19), baseline=30)
    settled_weeks(veteran, veteran.start, TODAY)
    assert selectors.plan_for(veteran, TODAY).phase == 3
    config = _walk_config(client_for(veteran).get("/walk/").content.decode())
    assert config["intervals"] == [["brisk", 3], ["slow", 1]]
    cues = config["cues"]
    assert isinstance(cues, list)
    assert any("Squeeze your glutes" in c for c in cues)
    assert any("nose" in c for c in cues)


def test_the_log_form_is_prefilled_from_the_guided_walk(client: Client) -> None:
    html = client.get(
        "/log/?minutes=7&terrain=flat&pace=easy&cooldown=1&from=timer"
        "&stopped=leg_pain&warning_signs=radiating_leg_pain"
    ).content.decode()
    assert 'name="minutes" value="7"' in html
    assert re.search(r'name="sign_radiating_leg_pain" value="yes"[^>]*checked', html)
    assert 'name="from" value="timer"' in html
    assert "You stopped early" in html


def test_a_cooldown_left_early_is_left_for_the_person_to_answer(
    client: Client,
) -> None:
    """The timer's cooldown ended before its time: neither yes nor no is chosen,
    and the form asks rather than saving a guess."""
    html = client.get("/log/?minutes=7&cooldown=early&from=timer").content.decode()
    assert 'name="cooldown"' in html
    assert not re.search(r'name="cooldown" value="(yes|no)"[^>]*checked', html)
    done = client.get("/log/?minutes=7&cooldown=1&from=timer").content.decode()
    assert re.search(r'name="cooldown" value="yes"[^>]*checked', done)
    unanswered = {**walk_answers(TODAY), "from": "timer"}
    del unanswered["cooldown"]
    refused = client.post("/log/", unanswered).content.decode()
    assert re.search(r'id="id_cooldown_errors"[^>]*>.*Please answer yes or no', refused)
    assert not Walk.objects.exists()


def test_a_walk_from_the_timer_is_recorded_as_such(
    alice: Person, client: Client
) -> None:
    client.post("/log/", {**walk_answers(TODAY), "from": "timer"})
    assert alice.walks.get().source == "timer"


def test_the_check_in_asks_the_warning_signs_explicitly(client: Client) -> None:
    html = client.get("/check-in/").content.decode()
    assert "Did pain travel down one leg (like sciatica)?" in html
    assert "Did the pain grow with every step instead of easing" in html
    assert re.search(r'name="sign_numbness_tingling" value="yes"', html)
    assert "around the back passage or genitals" in html


def test_a_check_in_is_stored(alice: Person, client: Client) -> None:
    response = client.post("/check-in/", checkin_answers(TODAY, stiffness="25"))
    assert response["Location"] == "/"
    checkin = alice.checkins.get()
    assert (checkin.pain, checkin.morning_stiffness_min, checkin.sleep) == (3, 25, 6)
    assert "Done for today" in client.get("/").content.decode()


def test_a_second_check_in_for_the_same_day_amends_the_first(
    alice: Person, client: Client
) -> None:
    client.post("/check-in/", checkin_answers(TODAY))
    response = client.post("/check-in/", checkin_answers(TODAY, pain="7"))
    assert response["Location"] == "/"
    assert alice.checkins.get().pain == 7


def test_unanswered_check_in_questions_are_shown_and_nothing_is_saved(
    alice: Person, client: Client
) -> None:
    answers = checkin_answers(TODAY)
    del answers["sign_numbness_tingling"]
    del answers["sleep"]
    html = client.post("/check-in/", answers).content.decode()
    assert 'id="id_sign_numbness_tingling_errors"' in html
    assert 'id="id_sleep_errors"' in html
    assert not alice.checkins.exists()


def test_a_red_flag_in_the_check_in_turns_today_into_an_emergency(
    alice: Person, client: Client
) -> None:
    client.post(
        "/check-in/", {**checkin_answers(TODAY), "red_flags": ["bladder_bowel_change"]}
    )
    html = client.get("/").content.decode()
    assert 'class="alert alert-urgent" role="alert"' in html
    assert "Go to an emergency department now" in html
    assert "Start a guided walk" not in html
    walk_page = client.get("/walk/").content.decode()
    assert "No walk is planned today" in walk_page
    assert "walk-config" not in walk_page


def test_a_clearance_lets_the_plan_pick_up_again(alice: Person, client: Client) -> None:
    client.post("/check-in/", {**checkin_answers(TODAY), "red_flags": ["fever"]})
    nameless = client.post("/clearance/", {"by": ""})
    assert nameless.status_code == 200
    assert 'aria-invalid="true"' in nameless.text
    assert not alice.clearances.exists()
    unconfirmed = client.post("/clearance/", {"by": "Dr Patel"})
    assert "Tick this box only when a clinician has cleared you." in unconfirmed.text
    assert not alice.clearances.exists()
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(noon, tick=False):
        cleared = client.post("/clearance/", {"by": "Dr Patel", "confirm": "on"})
    assert cleared["Location"] == "/rescreen/"
    assert alice.clearances.get().by == "Dr Patel"
    with time_machine.travel(noon + dt.timedelta(hours=1), tick=False):
        assert client.post("/rescreen/", screening_answers())["Location"] == "/"
    assert not selectors.plan_for(alice, TODAY).decision.is_escalation


def test_the_questionnaires_can_be_answered_again(
    alice: Person, client: Client
) -> None:
    page = client.get("/measures/").content.decode()
    assert "© Keele University" in page
    assert 'name="baseline_minutes"' not in page
    answers = baseline_answers(psfs_rating_1="7", psfs_rating_2="9")
    response = client.post("/measures/", answers)
    assert response["Location"] == "/"
    psfs = alice.outcomes.get(measure_id="psfs", date=TODAY)
    assert psfs.score == 8.0
    assert psfs.answers == {"Putting on socks": 7, "Gardening": 9}


FIRST_DAY = dt.date(2026, 11, 28)  # Nina finishes onboarding this Saturday morning


def _at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _nina() -> Person:
    """Nina, enrolled on the morning of ``FIRST_DAY`` (a start may not be ahead of
    the day it is recorded on)."""
    with time_machine.travel(_at_nine(FIRST_DAY), tick=False):
        return person("nina", FIRST_DAY)


def _today_on(who: Person, day: dt.date) -> str:
    with time_machine.travel(_at_nine(day), tick=False):
        return client_for(who).get("/").content.decode()


def test_the_first_day_asks_for_no_check_in_before_a_walk_it_could_report_on(
    db: None,
) -> None:
    """The morning check-in reports how yesterday's walks settled; on the plan's
    first day there are none yet, so Today says when the first one comes."""
    nina = _nina()
    html = _today_on(nina, FIRST_DAY)
    assert 'id="checkin-prompt"' not in html
    assert "Your first morning check-in is tomorrow" in html
    assert "yesterday" not in html.lower()


def test_the_morning_after_the_first_walks_the_check_in_card_has_its_button(
    db: None,
) -> None:
    nina = _nina()
    html = _today_on(nina, FIRST_DAY + dt.timedelta(days=1))
    prompt = html.split('id="checkin-prompt"')[1].split("</section>")[0]
    assert "How did yesterday's walking settle?" in prompt
    assert 'href="/check-in/">Check in</a>' in prompt


def test_the_first_day_is_headed_as_the_plans_start_not_as_more_of_the_same(
    db: None,
) -> None:
    nina = _nina()
    html = _today_on(nina, FIRST_DAY)
    assert "Your plan starts today" in html
    assert "as before" not in html
    later = _today_on(nina, FIRST_DAY + dt.timedelta(days=1))
    assert "Keep going: the same walks as before." in later
