"""Each person's own time zone: "today" and the calendar feed follow it, not the
server's TIME_ZONE."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.web.pages_support import PASSWORD, client_for, person, settings_answers
from walkwell.web.accounts.models import Preferences
from walkwell.web.accounts.zones import PersonTimeZoneMiddleware
from walkwell.web.program.models import Person

WINTER_START = dt.date(2026, 1, 5)  # a winter Monday: no zone is on summer time
# 20:00 on Monday in London is already Tuesday morning in Auckland (UTC+13).
EVENING_UTC = dt.datetime(2026, 1, 5, 20, 0, tzinfo=dt.UTC)


@pytest.fixture
def alice(db: None) -> Person:
    """Alice enrolled on ``WINTER_START``: the feed and dates below are that week's."""
    return person("alice", WINTER_START)


@pytest.fixture
def _evening() -> Iterator[None]:
    with time_machine.travel(EVENING_UTC, tick=False):
        yield


def test_settings_store_a_known_time_zone_and_refuse_an_unknown_one(
    alice: Person,
) -> None:
    client = client_for(alice)
    form = settings_answers()
    wrong = client.post("/accounts/settings/", {**form, "time_zone": "Mars/Olympus"})
    assert "is not a time zone WalkWell knows" in wrong.content.decode()
    assert not Preferences.objects.filter(user=alice.user).exists()
    saved = client.post(
        "/accounts/settings/", {**form, "time_zone": "Pacific/Auckland"}
    )
    assert saved.status_code == 302
    assert Preferences.objects.get(user=alice.user).time_zone == "Pacific/Auckland"


@pytest.mark.usefixtures("_evening")
def test_today_is_the_persons_own_day(alice: Person) -> None:
    seen: list[dt.date] = []

    def spy(request: object) -> None:
        seen.append(timezone.localdate())

    Preferences.objects.create(user=alice.user, time_zone="Pacific/Auckland")

    class Request:
        user = alice.user

    PersonTimeZoneMiddleware(spy)(Request())  # type: ignore[arg-type]
    assert seen == [dt.date(2026, 1, 6)]
    assert timezone.localdate() == dt.date(2026, 1, 5)  # and back to the server's


@pytest.mark.usefixtures("_evening")
def test_the_calendar_feed_starts_on_the_persons_day_in_their_zone(
    alice: Person,
) -> None:
    token = Preferences.objects.create(
        user=alice.user, time_zone="Pacific/Auckland"
    ).calendar_token
    feed = Client().get(f"/calendar/{token}.ics").content.decode()
    assert "TZID=Pacific/Auckland" in feed
    assert f"walkwell-{alice.pk}-2026-01-05-" not in feed  # already past there
    assert f"walkwell-{alice.pk}-2026-01-06-" in feed
    london = Preferences.objects.filter(user=alice.user)
    london.update(time_zone="")
    feed = Client().get(f"/calendar/{token}.ics").content.decode()
    assert f"walkwell-{alice.pk}-2026-01-05-" in feed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "stored"), [("Europe/Paris", "Europe/Paris"), ("Nowhere/Else", "")]
)
def test_sign_up_keeps_the_time_zone_the_browser_reported(
    given: str, stored: str
) -> None:
    page = Client().get("/accounts/sign-up/").content.decode()
    assert 'name="time_zone"' in page
    assert "data-time-zone-from-browser" in page
    response = Client().post(
        "/accounts/sign-up/",
        {
            "username": "sam",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": given,
        },
    )
    assert response.status_code == 302
    assert Preferences.objects.get(user__username="sam").time_zone == stored
