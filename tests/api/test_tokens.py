"""Personal access tokens: made by signing in, named, stored hashed, shown once,
revoked by their owner only; and the browser session with its CSRF token."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.api.conftest import Api
from walkwell.web.accounts.models import AccessToken
from walkwell.web.program.models import Person

PASSWORD = "walk-tall-every-day-2026"  # noqa: S105 - a test account
WRONG = "not-her-password"


@pytest.fixture
def carol_user(db: None) -> User:
    return User.objects.create_user(username="carol", password=PASSWORD)


def sign_in(**body: str) -> Any:
    return Client().post("/api/v1/auth/token", body, content_type="application/json")


def test_signing_in_gives_a_named_token_shown_once_and_stored_hashed(
    carol_user: User,
) -> None:
    response = sign_in(username="carol", password=PASSWORD, name="phone")
    assert response.status_code == 201
    body = response.json()
    secret = body["token"]
    assert secret.startswith("ww_")
    stored = AccessToken.objects.get(pk=body["id"])
    assert stored.name == "phone"
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.digest, stored.prefix}
    listed = Client().get(
        "/api/v1/auth/tokens", headers={"Authorization": f"Bearer {secret}"}
    )
    assert listed.status_code == 200
    assert "token" not in listed.json()["items"][0]
    assert listed.json()["items"][0]["name"] == "phone"


def test_a_wrong_password_is_refused_naming_the_field(carol_user: User) -> None:
    response = sign_in(username="carol", password=WRONG, name="phone")
    assert response.status_code == 401
    assert response.json() == {
        "message": "the username or password is wrong",
        "field": "password",
    }
    assert not AccessToken.objects.exists()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_repeated_wrong_passwords_lock_sign_in_with_a_json_answer(
    carol_user: User,
) -> None:
    for _ in range(2):
        sign_in(username="carol", password=WRONG, name="phone")
    response = sign_in(username="carol", password=PASSWORD, name="phone")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["field"] == "password"
    assert "too many failed sign-ins" in response.json()["message"]
    assert not AccessToken.objects.exists()


def test_a_missing_field_is_named(carol_user: User) -> None:
    response = sign_in(username="carol", password=PASSWORD)
    assert response.status_code == 422
    assert response.json()["field"] == "name"


def test_a_revoked_token_stops_working_at_once(alice: Person) -> None:
    as_alice = Api(alice.user)
    token = AccessToken.objects.get(user=alice.user)
    assert as_alice.get("/me/today").status_code == 200
    assert as_alice.delete(f"/auth/tokens/{token.pk}").status_code == 200
    assert as_alice.get("/me/today").status_code == 401


def test_nobody_can_revoke_another_persons_token(as_alice: Api, bob: Person) -> None:
    as_bob = Api(bob.user)
    bobs = AccessToken.objects.get(user=bob.user)
    response = as_alice.delete(f"/auth/tokens/{bobs.pk}")
    assert response.status_code == 404
    assert response.json()["field"] == "token"
    assert as_bob.get("/me/today").status_code == 200


def test_a_token_of_a_deactivated_account_is_refused(alice: Person) -> None:
    as_alice = Api(alice.user)
    User.objects.filter(pk=alice.user.pk).update(is_active=False)
    assert as_alice.get("/me/today").status_code == 401


def test_a_token_made_through_the_api_is_named_and_works(as_alice: Api) -> None:
    response = as_alice.post("/auth/tokens", {"name": "  clinic   system "})
    assert response.status_code == 201
    assert response.json()["name"] == "clinic system"
    other = Client().get(
        "/api/v1/me/today",
        headers={"Authorization": f"Bearer {response.json()['token']}"},
    )
    assert other.status_code == 200


def test_a_token_needs_a_name(as_alice: Api) -> None:
    response = as_alice.post("/auth/tokens", {"name": "   "})
    assert response.status_code == 422
    assert response.json()["field"] == "name"


def test_the_browser_session_reads_without_and_writes_with_its_csrf_token(
    alice: Person,
) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice.user)
    assert browser.get("/api/v1/me/today").status_code == 200
    walk = {"minutes": 10}
    refused = browser.post("/api/v1/me/walks", walk, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    assert not alice.walks.exists()
    browser.get("/accounts/settings/")  # the page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    stored = browser.post(
        "/api/v1/me/walks",
        walk,
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert stored.status_code == 201, stored.content
    assert alice.walks.count() == 1
