"""The API and two-factor sign-in: a clinician's browser session is refused in JSON
until it gave its code, and a token is made for a clinician only with a code."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.auth.models import User
from django.test import Client

from tests.two_factor import (
    authenticator_app,
    code_from_secret,
    signed_in_with_second_factor,
)
from tests.web.pages_support import PASSWORD
from walkwell.web.accounts.models import AccessToken
from walkwell.web.program.models import Person


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_clinicians_session_without_its_second_factor_is_refused_in_json(
    carol: User,
) -> None:
    for has_app in (False, True):
        if has_app:
            authenticator_app(carol)
        browser = Client()
        browser.force_login(carol)
        answer = browser.get("/api/v1/patients")
        assert answer.status_code == 403
        assert answer["Content-Type"].startswith("application/json")
        assert "two-factor" in answer.json()["message"]
        assert "items" not in answer.json()


def test_a_clinicians_session_with_its_second_factor_reads_the_patients(
    alice: Person, carol: User
) -> None:
    browser = signed_in_with_second_factor(carol)
    answer = browser.get("/api/v1/patients")
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["items"]] == [alice.pk]


def test_a_persons_session_needs_no_second_factor_until_they_turn_it_on(
    alice: Person,
) -> None:
    browser = Client()
    browser.force_login(alice.user)
    assert browser.get("/api/v1/me/today").status_code == 200
    authenticator_app(alice.user)
    refused = browser.get("/api/v1/me/today")
    assert refused.status_code == 403
    assert "two-factor" in refused.json()["message"]


def _token(username: str, code: str | None = None) -> tuple[int, dict[str, str]]:
    body = {"username": username, "password": PASSWORD, "name": "phone"}
    if code is not None:
        body["code"] = code
    answer = Client().post("/api/v1/auth/token", body, content_type="application/json")
    return answer.status_code, answer.json()


def test_a_clinician_gets_a_token_only_with_a_code(carol: User) -> None:
    _with_password(carol)
    status, body = _token("carol")
    assert (status, body["field"]) == (403, "code")
    assert "set up two-factor" in body["message"]

    app = authenticator_app(carol)
    status, body = _token("carol")
    assert (status, body["field"]) == (401, "code")
    status, body = _token("carol", "000000")
    assert (status, body["field"]) == (401, "code")
    assert not AccessToken.objects.filter(user=carol).exists()

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):
        status, body = _token("carol", code_from_secret(app.key))
    assert status == 201
    assert body["token"].startswith("ww_")
    assert AccessToken.objects.filter(user=carol).count() == 1


def test_a_person_without_two_factor_gets_a_token_with_the_password(
    alice: Person,
) -> None:
    _with_password(alice.user)
    status, body = _token("alice")
    assert status == 201
    authenticator_app(alice.user)
    status, body = _token("alice")
    assert (status, body["field"]) == (401, "code")
