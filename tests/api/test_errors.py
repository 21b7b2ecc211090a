"""Every refusal under /api/ is JSON with a message and the field, including the
ones Django makes itself (an unknown address, a method not taken)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from tests.api.conftest import Api
from tests.two_factor import signed_in_with_second_factor
from walkwell.web.api.main import api
from walkwell.web.program.models import Person


def test_an_unknown_address_is_a_json_404(as_alice: Api) -> None:
    response = as_alice.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["field"] is None
    assert "no such operation" in response.json()["message"]


def test_a_method_the_operation_does_not_take_is_a_json_405(as_alice: Api) -> None:
    response = as_alice.client.put(
        "/api/v1/me/walks",
        "{}",
        content_type="application/json",
        headers=as_alice.headers,
    )
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert "not allowed" in response.json()["message"]


def test_a_body_that_is_not_json_is_refused_in_json(as_alice: Api) -> None:
    response = as_alice.client.post(
        "/api/v1/me/walks",
        "{not json",
        content_type="application/json",
        headers=as_alice.headers,
    )
    assert response.status_code == 400
    assert set(response.json()) == {"message", "field"}


def test_a_rating_must_be_a_whole_number_not_true_or_text(
    as_alice: Api, alice: Person
) -> None:
    for wrong in (True, "3", 3.5):
        response = as_alice.post("/me/walks", {"minutes": 10, "pain_after": wrong})
        assert response.status_code == 422, wrong
        assert response.json()["field"] == "pain_after"
    assert not alice.walks.exists()


def test_every_wrong_field_is_listed(as_alice: Api) -> None:
    response = as_alice.post("/me/checkins", {"pain": "x", "sleep": 3})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"pain", "stiffness_min", "focus"}


def test_a_multipart_body_without_its_boundary_is_a_400_not_a_crash(
    anonymous: Api, as_alice: Api
) -> None:
    """Found by schemathesis: signing in (whose throttle reads the form) with a
    ``multipart/form-data`` type and no boundary was a 500."""
    for caller, path in ((anonymous, "/auth/token"), (as_alice, "/me/imports")):
        response = caller.client.post(
            "/api/v1" + path,
            '{"username": "", "password": "x", "name": ""}',
            content_type="multipart/form-data",
            headers=caller.headers,
        )
        assert response.status_code == 400, (path, response.content)
        assert response.json()["field"] == "Content-Type"
        assert "multipart/form-data" in response.json()["message"]


def test_the_schema_declares_the_refusals_every_operation_can_answer() -> None:
    """Found by schemathesis: a 401, a 422 for a bad parameter and a 400 for an
    unreadable body were answered but not declared."""
    for path, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            where = f"{method.upper()} {path}"
            if operation.get("security"):
                assert "401" in codes, where
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in codes, where
            if operation.get("requestBody"):
                assert "400" in codes, where


def test_the_served_schema_names_each_answer_once(db: None) -> None:
    """Ninja keys answers by number and the declared refusals by text: both
    became "422" in the served JSON, which the docs page could not read."""
    seen: list[str] = []

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        seen.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    served = Client().get("/api/v1/openapi.json")
    json.loads(served.content, object_pairs_hook=unique)
    assert seen == []


def test_a_page_number_past_any_list_is_refused_not_a_crash(
    cast: dict[str, Api], carol: User
) -> None:
    """Found by schemathesis: page 744512780999856128 overflowed the database's
    offset (a 500); now it is a 422 naming ``page``, and the clinic's list too."""
    for caller, path in (
        (cast["clinician"], "/patients"),
        (cast["patient"], "/me/walks"),
        (cast["clinician"], "/patients/1/walks"),
    ):
        response = caller.get(path, page=744512780999856128)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["field"] == "page"
    last = cast["clinician"].get("/patients", page=100_000)
    assert (last.status_code, last.json()["items"]) == (200, [])
    browser = signed_in_with_second_factor(carol)
    clinic = browser.get("/clinic/", {"page": 744512780999856128})
    assert clinic.status_code == 200  # the list, unfiltered, not a server error
