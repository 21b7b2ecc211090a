"""Settings, the private calendar feed, Learn, and the installable-app files."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from icalendar import Calendar

from tests.cast import TODAY
from tests.web.pages_support import PASSWORD, client_for, walk_answers
from walkwell.web.accounts.models import Preferences
from walkwell.web.pages.lessons import LESSONS
from walkwell.web.program import selectors, services
from walkwell.web.program.models import Person

SETTINGS = {
    "distance_unit": "mi",
    "weight_unit": "lb",
    "first_walk_time": "07:15",
    "second_walk_time": "18:30",
    "checkin_time": "07:00",
    "habit_slots": ["morning_light", "commute_hack"],
}


@pytest.fixture
def alice(alice: Person) -> Person:
    """The cast's Alice, who signs in with a password."""
    alice.user.set_password(PASSWORD)
    alice.user.save()
    return alice


def test_settings_are_saved(alice: Person) -> None:
    client = client_for(alice)
    assert (
        client.post("/accounts/settings/", SETTINGS)["Location"]
        == "/accounts/settings/"
    )
    prefs = Preferences.objects.get(user=alice.user)
    assert (prefs.distance_unit, prefs.weight_unit) == ("mi", "lb")
    assert prefs.first_walk_time == dt.time(7, 15)
    assert prefs.habit_slots == ["morning_light", "commute_hack"]
    html = client.get("/accounts/settings/").content.decode()
    assert 'value="07:15"' in html


def test_bad_settings_are_shown_by_their_field(alice: Person) -> None:
    response = client_for(alice).post(
        "/accounts/settings/", {**SETTINGS, "first_walk_time": "25:99"}
    )
    assert 'id="id_first_walk_time_errors"' in response.content.decode()
    assert not Preferences.objects.filter(user=alice.user, weight_unit="lb").exists()


def test_a_daypack_in_pounds_is_stored_in_kilograms(alice: Person) -> None:
    client = client_for(alice)
    client.post("/accounts/settings/", SETTINGS)
    assert "Daypack weight (lb)" in client.get("/log/").content.decode()
    client.post("/log/", walk_answers(TODAY, load="4.4"))
    assert alice.walks.get().load_kg == pytest.approx(2.0, abs=0.01)


def test_the_calendar_feed_lists_planned_walks_at_the_reminder_times(
    alice: Person,
) -> None:
    client = client_for(alice)
    client.post("/accounts/settings/", SETTINGS)
    prefs = Preferences.objects.get(user=alice.user)
    page = client.get("/accounts/settings/").content.decode()
    assert f"/calendar/{prefs.calendar_token}.ics" in page
    response = Client().get(f"/calendar/{prefs.calendar_token}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    rx = selectors.plan_for(alice, TODAY).prescription
    todays = [e for e in events if e.decoded("dtstart").date() == TODAY]
    assert [e.decoded("dtstart").time() for e in todays] == [
        dt.time(7, 15),
        dt.time(18, 30),
    ][: rx.sessions]
    first = todays[0]
    assert str(first["summary"]) == f"WalkWell: {rx.minutes_per_session}-minute walk"
    length = first.decoded("dtend") - first.decoded("dtstart")
    assert length == dt.timedelta(minutes=rx.minutes_per_session)
    assert max(e.decoded("dtstart").date() for e in events) == TODAY + dt.timedelta(
        days=28
    )
    checkins = [e for e in events if str(e["summary"]) == "WalkWell: morning check-in"]
    tomorrow = TODAY + dt.timedelta(days=1)
    assert any(
        e.decoded("dtstart")
        == dt.datetime.combine(tomorrow, dt.time(7, 0), tzinfo=dt.UTC)
        for e in checkins
    )


def test_today_lists_walks_in_the_persons_distance_unit(alice: Person) -> None:
    client = client_for(alice)
    client.post("/accounts/settings/", SETTINGS)
    services.walk_log(person=alice, date=TODAY, minutes=12)
    alice.walks.update(distance_m=1609.344)
    assert "<li>12 minutes, 1.0 miles</li>" in client.get("/").content.decode()


def test_a_new_calendar_address_retires_the_old_one(alice: Person) -> None:
    client = client_for(alice)
    client.post("/accounts/settings/calendar/")  # the first address
    old = Preferences.objects.get(user=alice.user).calendar_token
    fragment = client.post("/accounts/settings/calendar/", HTTP_HX_REQUEST="true")
    new = Preferences.objects.get(user=alice.user).calendar_token
    assert new != old
    assert f"/calendar/{new}.ics" in fragment.content.decode()
    assert Client().get(f"/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/calendar/{new}.ics").status_code == 200


def test_pages_read_preferences_without_storing_them(alice: Person) -> None:
    """A GET stores nothing: a person with no stored preferences sees the defaults,
    and they are stored the first time the person saves their settings."""
    client = client_for(alice)
    for page in ("/", "/log/", "/progress/", "/accounts/settings/"):
        assert client.get(page).status_code == 200
    assert not Preferences.objects.filter(user=alice.user).exists()
    settings_page = client.get("/accounts/settings/").content.decode()
    assert "You have no address yet" in settings_page
    assert 'value="km" id="id_distance_unit_0" required checked' in settings_page
    client.post("/accounts/settings/", SETTINGS)
    assert Preferences.objects.get(user=alice.user).distance_unit == "mi"


def test_password_change(alice: Person) -> None:
    client = client_for(alice)
    new_password = "a-brand-new-walk-2027"  # noqa: S105 - a test account
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert response["Location"] == "/accounts/settings/"
    alice.user.refresh_from_db()
    assert alice.user.check_password(new_password)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "x", "new_password2": "x"},
    )
    assert 'id="id_old_password_errors"' in wrong.content.decode()


def test_every_lesson_cites_its_sources(db: None) -> None:
    client = Client()
    index = client.get("/learn/").content.decode()
    for lesson in LESSONS:
        assert f'href="/learn/{lesson.slug}/"' in index
        html = client.get(f"/learn/{lesson.slug}/").content.decode()
        assert lesson.paragraphs[0] in html
        assert '<h2 id="src-h">Sources</h2>' in html
    when = client.get("/learn/when-to-stop/").content.decode()
    assert "NICE guideline NG59" in when
    assert client.get("/learn/no-such-lesson/").status_code == 404


def test_the_app_can_be_installed(db: None) -> None:
    client = Client()
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get("/sw.js")
    body = worker.content.decode()
    assert worker["Content-Type"].startswith("text/javascript")
    assert "/static/walkwell/walkwell.css" in body
    assert '"/offline/"' in body
    assert client.get("/offline/").status_code == 200
