"""Two-factor sign-in (django-otp): clinicians and admins give a code from an
authenticator app before any page with patient data, and anyone may turn it on.

Codes are computed here from the secret, as a phone's app computes them."""

from __future__ import annotations

import base64
import datetime as dt
import re

import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cast import TODAY
from tests.two_factor import (
    authenticator_app,
    code_from_secret,
    signed_in_with_second_factor,
)
from tests.web.pages_support import PASSWORD, client_for
from walkwell.web.program.models import Person

SET_UP = "/accounts/settings/two-factor/"
VERIFY = "/accounts/two-factor/"


def _password_sign_in(user: User, next_page: str = "/clinic/") -> Client:
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save()
    client = Client()
    answer = client.post(
        "/accounts/sign-in/",
        {"username": user.username, "password": PASSWORD, "next": next_page},
    )
    assert answer.status_code == 302, answer.content
    return client


def _secret_on_page(html: str) -> str:
    """The key as the page shows it to type into an app, back to hex."""
    shown = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html)
    assert shown, "the set-up page shows no secret"
    text = shown.group(1).replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8)).hex()


def test_a_clinician_without_an_app_is_sent_to_set_one_up_before_the_patient_list(
    alice: Person, chen: User
) -> None:
    client = Client()
    client.force_login(chen)
    for page in (
        "/clinic/",
        f"/clinic/patients/{alice.pk}/",
        "/",
        "/accounts/settings/",
    ):
        answer = client.get(page)
        assert answer.status_code == 302, page
        assert answer["Location"].startswith(SET_UP), page
        assert "alice" not in answer.content.decode()
    assert client.get("/clinic/")["Location"] == SET_UP + "?next=%2Fclinic%2F"


def test_setting_up_shows_the_secret_as_a_qr_code_and_text_and_a_code_confirms_it(
    alice: Person, chen: User
) -> None:
    client = Client()
    client.force_login(chen)
    intro = client.get(SET_UP + "?next=/clinic/")
    assert intro.status_code == 200
    assert not TOTPDevice.objects.filter(user=chen).exists()  # a GET stores nothing

    started = client.post(SET_UP + "?next=/clinic/", {"start": "1"})
    assert started.status_code == 302
    page = client.get(started["Location"]).content.decode()
    assert "<svg" in page
    assert "QR code for your authenticator app" in page
    key = _secret_on_page(page)
    assert key == TOTPDevice.objects.get(user=chen, confirmed=False).key

    wrong = client.post(SET_UP, {"code": "000000", "next": "/clinic/"})
    assert wrong.status_code == 400
    assert "did not match" in wrong.content.decode()
    assert client.get("/clinic/").status_code == 302

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)):
        done = client.post(SET_UP, {"code": code_from_secret(key), "next": "/clinic/"})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=chen).values_list("token", flat=True)
    )
    assert TOTPDevice.objects.get(user=chen).confirmed
    dashboard = client.get("/clinic/")
    assert dashboard.status_code == 200
    assert alice.user.username in dashboard.content.decode()


def test_a_clinician_with_an_app_but_no_code_is_denied(
    alice: Person, chen: User
) -> None:
    authenticator_app(chen)
    client = _password_sign_in(chen)
    answer = client.get("/clinic/")
    assert answer.status_code == 302
    assert answer["Location"] == VERIFY + "?next=%2Fclinic%2F"
    refused = client.post(VERIFY, {"code": "123456", "next": "/clinic/"})
    assert refused.status_code in {400, 429}
    assert "did not match" in refused.content.decode()
    assert client.get(f"/clinic/patients/{alice.pk}/").status_code == 302


def test_the_right_code_after_the_password_opens_the_patient_list(
    alice: Person, chen: User
) -> None:
    app = authenticator_app(chen)
    client = _password_sign_in(chen)
    passed = client.post(
        VERIFY, {"code": code_from_secret(app.key), "next": "/clinic/"}
    )
    assert passed.status_code == 302
    assert passed["Location"] == "/clinic/"
    assert client.get("/clinic/").status_code == 200
    assert client.get(f"/clinic/patients/{alice.pk}/").status_code == 200


def test_a_code_used_once_is_refused_the_second_time(chen: User) -> None:
    app = authenticator_app(chen)
    code = code_from_secret(app.key)
    first = _password_sign_in(chen)
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    second = _password_sign_in(chen)
    replayed = second.post(VERIFY, {"code": code})
    assert replayed.status_code in {400, 429}
    assert second.get("/clinic/")["Location"].startswith(VERIFY)


def test_after_a_wrong_code_even_the_right_one_waits(chen: User) -> None:
    app = authenticator_app(chen)
    client = _password_sign_in(chen)
    now = dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 400
        waits = client.post(VERIFY, {"code": code_from_secret(app.key)})
        assert waits.status_code == 429
        assert "Too many wrong codes in a row. Wait 1 s" in waits.content.decode()
    with time_machine.travel(now + dt.timedelta(seconds=2), tick=False):
        passed = client.post(VERIFY, {"code": code_from_secret(app.key)})
    assert passed.status_code == 302


def test_a_backup_code_stands_in_for_the_app_once(chen: User) -> None:
    client = Client()
    client.force_login(chen)
    client.post(SET_UP, {"start": "1"})
    key = TOTPDevice.objects.get(user=chen).key
    done = client.post(SET_UP, {"code": code_from_secret(key)})
    backup = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())[0]

    lost_phone = _password_sign_in(chen)
    assert lost_phone.post(VERIFY, {"code": backup})["Location"] == "/"
    assert lost_phone.get("/clinic/").status_code == 200
    again = _password_sign_in(chen)
    assert again.post(VERIFY, {"code": backup}).status_code in {400, 429}


def test_a_person_is_asked_for_a_code_only_once_they_turn_it_on(
    alice: Person,
) -> None:
    alice.user.set_password(PASSWORD)
    alice.user.save()
    plain = client_for(alice)
    assert plain.get("/").status_code == 200
    settings_page = plain.get("/accounts/settings/").content.decode()
    assert "Turn on two-factor sign-in" in settings_page

    plain.post(SET_UP, {"start": "1"})
    key = TOTPDevice.objects.get(user=alice.user).key
    assert plain.post(SET_UP, {"code": code_from_secret(key)}).status_code == 200
    assert plain.get("/").status_code == 200  # this session gave its code

    later = _password_sign_in(alice.user, next_page="/")
    assert later.get("/")["Location"].startswith(VERIFY)

    assert plain.post("/accounts/settings/two-factor/off/").status_code == 302
    assert not TOTPDevice.objects.filter(user=alice.user).exists()
    assert later.get("/").status_code == 200


def test_a_clinician_cannot_turn_it_off(chen: User) -> None:
    client = signed_in_with_second_factor(chen)
    page = client.get("/accounts/settings/").content.decode()
    assert "Turn two-factor sign-in off" not in page
    client.post("/accounts/settings/two-factor/off/")
    assert TOTPDevice.objects.filter(user=chen, confirmed=True).exists()
