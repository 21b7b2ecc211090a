"""Nothing a person reports is lost: symptoms after the check-in, amending it, and
what a stop day offers on Today, the guided walk and the calendar feed."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from icalendar import Calendar

from tests.cast import TODAY
from tests.web.pages_support import checkin_answers
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import selectors, services
from walkwell.web.program.models import AuditEvent, Person

SIGNED_IN_PAGES = ("/", "/walk/", "/log/", "/check-in/", "/progress/", "/learn/")
STAY_OFF = ("Keep going", "Step up", "Habit idea", "streak", "Commute hack")


def _checked_in(client: Client) -> None:
    response = client.post("/check-in/", checkin_answers(TODAY))
    assert response["Location"] == "/"


def _box(html: str, box_id: str) -> str:
    found = re.search(rf'id="{box_id}".*?</(?:div|section)>', html, re.S)
    assert found, f"the page has no #{box_id}"
    return found.group(0)


def _walk_config(html: str) -> dict[str, object]:
    found = re.search(
        r'<script id="walk-config" type="application/json">(.*?)</script>', html
    )
    assert found, "the guided walk has its configuration"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_report_a_symptom_is_one_tap_away_on_every_signed_in_page(
    client: Client,
) -> None:
    for address in SIGNED_IN_PAGES:
        html = client.get(address).content.decode()
        assert 'href="/symptom/"' in html, f"{address} has no link to report a symptom"


def test_the_symptom_page_lists_the_protocols_warning_signs_and_red_flags(
    client: Client,
) -> None:
    html = client.get("/symptom/").content.decode()
    assert "Did pain travel down one leg (like sciatica)?" in html
    assert "around the back passage or genitals" in html
    assert 'value="radiating_leg_pain"' in html
    assert 'value="bladder_bowel_change"' in html


def test_a_red_flag_reported_after_the_check_in_is_stored_and_stops_the_plan(
    alice: Person, client: Client
) -> None:
    _checked_in(client)
    response = client.post("/symptom/", {"red_flags": ["bladder_bowel_change"]})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert selectors.plan_for(alice, TODAY).decision == "seek_urgent_care"
    html = client.get("/").content.decode()
    assert 'class="alert alert-urgent" role="alert"' in html
    assert "Go to an emergency department now" in html
    assert "Start a guided walk" not in html
    assert alice.audit.filter(event_type=AuditEvent.RED_FLAG_REPORTED).exists()


def test_a_warning_sign_can_be_reported_before_any_check_in(
    alice: Person, client: Client
) -> None:
    response = client.post("/symptom/", {"warning_signs": ["numbness_tingling"]})
    assert response["Location"] == "/"
    assert not alice.checkins.exists()
    assert selectors.plan_for(alice, TODAY).decision == "stop_consult"


def test_a_double_report_is_harmless(alice: Person, client: Client) -> None:
    _checked_in(client)
    for _ in range(2):
        response = client.post("/symptom/", {"red_flags": ["fever"]})
        assert response["Location"] == "/"
    reported = alice.audit.filter(event_type=AuditEvent.RED_FLAG_REPORTED)
    assert reported.count() == 1
    assert alice.audit.filter(event_type=AuditEvent.DECISION_ESCALATED).count() == 1
    assert selectors.plan_for(alice, TODAY).decision == "seek_urgent_care"


def test_an_empty_symptom_report_is_refused_and_nothing_stored(
    alice: Person, client: Client
) -> None:
    response = client.post("/symptom/", {})
    assert response.status_code == 200
    assert "Tick at least one sign" in response.content.decode()
    assert selectors.plan_for(alice, TODAY).decision == "continue"


def test_the_check_in_page_shows_todays_answers_and_amends_them(
    alice: Person, client: Client
) -> None:
    _checked_in(client)
    page = client.get("/check-in/").content.decode()
    assert "already checked in today" in page
    assert re.search(r'name="stiffness" value="20"', page)
    changed = checkin_answers(TODAY, pain="7", sign_radiating_leg_pain="yes")
    response = client.post("/check-in/", changed)
    assert response["Location"] == "/"
    checkin = alice.checkins.get()
    assert (checkin.pain, checkin.morning_stiffness_min) == (7, 20)
    assert checkin.warning_signs == ["radiating_leg_pain"]
    assert alice.audit.filter(event_type=AuditEvent.CHECKIN_AMENDED).exists()
    today = client.get("/").content.decode()
    assert "Stop and see a professional" in today


def test_amending_the_check_in_keeps_the_signs_answered_no(
    alice: Person, client: Client
) -> None:
    _checked_in(client)
    page = client.get("/check-in/").content.decode()
    for sign in ("radiating_leg_pain", "numbness_tingling", "pain_increases_each_step"):
        assert re.search(rf'id="id_sign_{sign}_0"[^>]*checked', page), (
            f"{sign}: the stored 'no' is not shown"
        )
    response = client.post(
        "/check-in/", checkin_answers(TODAY, sign_radiating_leg_pain="yes")
    )
    assert response["Location"] == "/"
    page = client.get("/check-in/").content.decode()
    assert re.search(r'id="id_sign_radiating_leg_pain_1"[^>]*checked', page)


def test_a_warning_sign_stop_day_offers_only_the_gentle_walk(
    alice: Person, client: Client
) -> None:
    services.walk_log(
        person=alice, date=TODAY, minutes=12, pain_before=3, pain_during=7
    )
    client.post("/symptom/", {"warning_signs": ["radiating_leg_pain"]})
    html = client.get("/").content.decode()
    stop = _box(html, "escalation")
    assert "Did pain travel down one leg" in stop
    assert "whisper" not in stop  # a hold's reason is not the stop's
    for words in STAY_OFF:
        assert words not in html
    assert "10 minutes" in html  # the gentle walk, not the 12 planned
    walk_page = client.get("/walk/").content.decode()
    assert "Stop and see a professional" in walk_page
    config = _walk_config(walk_page)
    assert (config["minutes"], config["terrain"], config["pace"]) == (
        10,
        "flat",
        "easy",
    )


@pytest.mark.parametrize("flag", ["fever", "constant_night_pain"])
def test_an_urgent_or_medical_review_stop_offers_no_walk_nor_habit(
    alice: Person, client: Client, flag: str
) -> None:
    prefs, _ = Preferences.objects.get_or_create(user_id=alice.user_id)
    prefs.habit_slots = ["post_lunch_loop"]
    prefs.save()
    client.post("/symptom/", {"red_flags": [flag]})
    html = client.get("/").content.decode()
    for words in (*STAY_OFF, "Post-lunch loop", "Start a guided walk", "10-minute"):
        assert words not in html
    walk_page = client.get("/walk/").content.decode()
    assert "No walk is planned today" in walk_page
    assert "walk-config" not in walk_page


def _feed(client: Client) -> Calendar:
    client.post("/accounts/settings/calendar/")  # the person's first address
    html = client.get("/accounts/settings/").content.decode()
    address = re.search(r"/calendar/[\w-]+\.ics", html)
    assert address, "settings show the private feed address"
    return Calendar.from_ical(client.get(address.group(0)).content)


def _summaries(feed: Calendar) -> list[str]:
    return [str(e["summary"]) for e in feed.walk() if e.name == "VEVENT"]


def test_the_calendar_feed_offers_no_walk_after_an_urgent_report(
    client: Client,
) -> None:
    _checked_in(client)
    assert any("minute walk" in s for s in _summaries(_feed(client)))
    client.post("/symptom/", {"red_flags": ["fever"]})
    summaries = _summaries(_feed(client))
    assert not [s for s in summaries if "minute walk" in s]
    assert "WalkWell: not a day to walk as planned" in summaries


def test_the_calendar_feed_offers_no_walk_on_a_warning_sign_stop_only_what_to_do(
    client: Client,
) -> None:
    client.post("/symptom/", {"warning_signs": ["numbness_tingling"]})
    feed = _feed(client)
    events = [e for e in feed.walk() if e.name == "VEVENT"]
    assert not [e for e in events if "minute walk" in str(e["summary"])]
    stops = [e for e in events if "not a day to walk" in str(e["summary"])]
    assert stops, "the stop day says what to do instead"
    for event in stops:
        assert "See a physiotherapist" in str(event["description"])
        assert "clearance" in str(event["description"])
        assert not event.walk("VALARM"), "no alarm calls for a walk on a stop day"
