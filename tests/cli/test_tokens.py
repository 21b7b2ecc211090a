"""``walkwell token``: make, list and revoke the API tokens of the account the
commands act as."""

from __future__ import annotations

import json

from django.test import Client

from tests.cli.conftest import Walkwell
from walkwell.web.accounts.models import AccessToken


def test_a_token_made_on_the_command_line_works_until_revoked(
    enrolled: Walkwell,
) -> None:
    made = enrolled("token", "create", "phone", "--json")
    assert made.exit_code == 0, made.output
    created = json.loads(made.output)
    secret = created["token"]
    api = Client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/me/today", headers=bearer).status_code == 200
    listed = enrolled("token", "list")
    assert "phone" in listed.output
    assert secret not in listed.output
    revoked = enrolled("token", "revoke", str(created["id"]))
    assert revoked.exit_code == 0, revoked.output
    assert api.get("/api/v1/me/today", headers=bearer).status_code == 401
    assert "revoked" in enrolled("token", "list").output


def test_an_unknown_token_number_is_named(enrolled: Walkwell) -> None:
    result = enrolled("token", "revoke", "42")
    assert result.exit_code == 2
    assert "no token number 42" in result.output


def test_a_token_needs_a_name(enrolled: Walkwell) -> None:
    result = enrolled("token", "create", "  ")
    assert result.exit_code == 2
    assert "name" in result.output
    assert not AccessToken.objects.exists()
