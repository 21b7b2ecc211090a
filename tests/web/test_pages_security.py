"""Security: each person sees only their own data (Alice and Mallory), CSRF on every
form, a strict Content Security Policy, throttled sign-in, and safe cookies."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.cast import START
from tests.web.pages_support import PASSWORD, client_for, person
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import services
from walkwell.web.program.models import Person

READ_ON = START + dt.timedelta(days=3)  # the first Thursday

PAGES = (
    "/",
    "/plan/",
    "/walk/",
    "/log/",
    "/check-in/",
    "/progress/",
    "/accounts/settings/",
)


@pytest.fixture
def alice(alice: Person) -> Person:
    """The cast's Alice, who signs in with a password, after a walk and a check-in."""
    alice.user.set_password(PASSWORD)
    alice.user.save()
    services.walk_log(person=alice, date=START, minutes=13.5, pain_during=7)
    services.checkin_record(
        person=alice,
        date=START + dt.timedelta(days=1),
        pain=6,
        morning_stiffness_min=47,
        sleep=3,
        focus=4,
        warning_signs=["numbness_tingling"],
    )
    return alice


def test_mallory_sees_none_of_alices_data(alice: Person, mallory: Person) -> None:
    client = client_for(mallory)
    for url in PAGES:
        html = client.get(url).content.decode()
        assert "alice" not in html.lower(), url
        assert "13.5" not in html, url
        assert ">47<" not in html, url
        assert "numbness or tingling during or after the walk?: yes" not in html, url
    progress = client.get("/progress/").content.decode()
    assert "0 walks logged in all" in progress
    # Alice's own pages do show her data.
    alice_progress = client_for(alice).get("/progress/").content.decode()
    assert "1 walk logged in all" in alice_progress
    assert "<td>47</td>" in alice_progress


def test_a_post_changes_only_the_signed_in_persons_record(
    alice: Person, mallory: Person
) -> None:
    client_for(mallory).post(
        "/check-in/",
        {
            "date": READ_ON.isoformat(),
            "pain": "2",
            "stiffness": "5",
            "sleep": "8",
            "focus": "8",
            "sign_radiating_leg_pain": "no",
            "sign_numbness_tingling": "no",
            "sign_pain_increases_each_step": "no",
            # An attempt to write into Alice's record is simply not a field.
            "person": str(alice.pk),
        },
    )
    assert mallory.checkins.count() == 1
    assert alice.checkins.count() == 1


def test_each_calendar_feed_holds_only_its_owners_walks(
    alice: Person, mallory: Person
) -> None:
    alice_token = Preferences.objects.create(user=alice.user).calendar_token
    mallory_token = Preferences.objects.create(user=mallory.user).calendar_token
    anonymous = Client()
    alice_feed = anonymous.get(f"/calendar/{alice_token}.ics").content.decode()
    mallory_feed = anonymous.get(f"/calendar/{mallory_token}.ics").content.decode()
    assert f"walkwell-{alice.pk}-" in alice_feed
    assert f"walkwell-{mallory.pk}-" not in alice_feed
    assert f"walkwell-{alice.pk}-" not in mallory_feed
    assert anonymous.get("/calendar/guessed-token.ics").status_code == 404


def test_pages_need_a_signed_in_person(db: None) -> None:
    for url in PAGES:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/"), url


def test_every_form_needs_its_csrf_token(alice: Person) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice.user)
    for url in (
        "/log/",
        "/check-in/",
        "/clearance/",
        "/accounts/settings/",
        "/accounts/sign-out/",
    ):
        assert client.post(url, {}).status_code == 403, url
    assert alice.walks.count() == 1
    pages = [
        client.get(url).content.decode()
        for url in ("/log/", "/check-in/", "/accounts/settings/")
    ]
    for html in pages:
        for form in re.findall(r'<form method="post".*?</form>', html, re.S):
            assert 'name="csrfmiddlewaretoken"' in form


def test_the_content_security_policy_allows_only_our_own_scripts(alice: Person) -> None:
    response = client_for(alice).get("/walk/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    for tag in re.findall(r"<script(?![^>]*application/json)[^>]*>", html):
        assert f'nonce="{nonce.group(1)}"' in tag
        assert "src=" in tag
    assert "https://" not in "".join(re.findall(r"<(?:script|link)[^>]*>", html))


def test_session_cookie_is_http_only_and_same_site(alice: Person) -> None:
    response = Client().post(
        "/accounts/sign-in/", {"username": "alice", "password": PASSWORD}
    )
    assert response["Location"] == "/"
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_sign_in_is_throttled_by_username_and_address(alice: Person) -> None:
    client = Client()
    for _ in range(5):
        response = client.post(
            "/accounts/sign-in/", {"username": "alice", "password": "wrong-guess"}
        )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    # Even the right password is refused during the cool-off.
    right = client.post(
        "/accounts/sign-in/", {"username": "alice", "password": PASSWORD}
    )
    assert right.status_code == 429
    # Someone else signing in from the same address is not locked out.
    person("bob", READ_ON, password=PASSWORD)
    other = client.post("/accounts/sign-in/", {"username": "bob", "password": PASSWORD})
    assert other.status_code == 302


def test_sign_out_needs_a_post(alice: Person) -> None:
    client = client_for(alice)
    assert client.get("/accounts/sign-out/").status_code == 405
    assert client.post("/accounts/sign-out/")["Location"] == "/accounts/sign-in/"
    assert client.get("/")["Location"].startswith("/accounts/sign-in/")
