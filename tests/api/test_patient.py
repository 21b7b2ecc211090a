"""The patient's operations, driven through the API as Alice."""

from __future__ import annotations

from tests.api.conftest import Api
from walkwell.web.program.models import Person


def test_today_gives_the_plan_with_its_reasons(as_alice: Api) -> None:
    response = as_alice.get("/me/today")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["plan"]["date"] == "2026-01-20"
    assert body["plan"]["prescription"]["sessions"] >= 1
    assert body["plan"]["reasons"]
    assert body["checked_in"] is False


def test_a_logged_walk_is_stored_through_walk_log(as_alice: Api, alice: Person) -> None:
    response = as_alice.post("/me/walks", {"minutes": 12, "pain_after": 3})
    assert response.status_code == 201, response.content
    assert response.json()["date"] == "2026-01-20"
    assert alice.walks.get().minutes == 12


def test_a_refused_walk_names_its_field_and_stores_nothing(
    as_alice: Api, alice: Person
) -> None:
    response = as_alice.post("/me/walks", {"minutes": 12, "pain_after": 11})
    assert response.status_code == 422
    assert response.json()["field"] == "pain_after"
    assert "0 to 10" in response.json()["message"]
    assert not alice.walks.exists()
