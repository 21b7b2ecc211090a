"""The Settings section for API tokens: make one (its secret shown once), see them
listed without their secrets, revoke one; nobody else's can be revoked."""

from __future__ import annotations

from django.test import Client

from tests.web.pages_support import client_for, person
from walkwell.web.accounts import services_tokens
from walkwell.web.accounts.models import AccessToken
from walkwell.web.program.models import Person


def test_a_new_token_is_shown_once_and_listed_by_name_only(alice: Person) -> None:
    client = client_for(alice)
    made = client.post("/accounts/settings/tokens/", {"name": "phone"})
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    secret = made.context["new_secret"]
    assert secret.startswith("ww_")
    assert secret in made.content.decode()
    token = AccessToken.objects.get(user=alice.user)
    assert token.name == "phone"
    again = client.get("/accounts/settings/").content.decode()
    assert "phone" in again
    assert token.prefix in again
    assert secret not in again
    api = Client().get(
        "/api/v1/me/today", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status_code == 200


def test_a_token_without_a_name_is_refused_beside_the_field(alice: Person) -> None:
    response = client_for(alice).post("/accounts/settings/tokens/", {"name": ""})
    assert response.status_code == 400
    assert response.context["token_form"].errors["name"]
    assert not AccessToken.objects.exists()


def test_revoking_a_token_stops_it_at_once(alice: Person) -> None:
    token, secret = services_tokens.token_create(user=alice.user, name="phone")
    response = client_for(alice).post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    api = Client().get(
        "/api/v1/me/today", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status_code == 401
    assert "revoked" in client_for(alice).get("/accounts/settings/").content.decode()


def test_nobody_revokes_another_persons_token(alice: Person) -> None:
    bob = person("bob", alice.start)
    token, _ = services_tokens.token_create(user=alice.user, name="phone")
    response = client_for(bob).post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_forms_need_a_signed_in_person(db: None) -> None:
    response = Client().post("/accounts/settings/tokens/", {"name": "phone"})
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]
    assert not AccessToken.objects.exists()
