"""The API's side of a clinician's directives: a hold with an end date, a threshold
within the protocol's bounds, and refusals as JSON naming the field."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from tests.api.conftest import API_READ_ON, API_START, Api
from walkwell.web.program import services_care
from walkwell.web.program.models import ActionKind, ClinicianAction, Person
from walkwell.web.program.permissions import RequestMeta


def _reasons(body: dict[str, object]) -> str:
    today = body["today"]
    assert isinstance(today, dict)
    return " ".join(r["text"] for r in today["reasons"])


def test_a_threshold_within_bounds_changes_the_plans_reasons(
    alice: Person, carol: User
) -> None:
    api = Api(carol)
    made = api.post(
        f"/patients/{alice.pk}/threshold",
        {"threshold": "tolerance.max_rise_during", "value": 1, "reason": "Stricter"},
    )
    assert made.status_code == 201
    assert made.json()["kind"] == "threshold"
    assert made.json()["detail"]["value"] == 1
    record = api.get(f"/patients/{alice.pk}").json()
    assert "Rise in pain during a walk (the whisper): 1 for you" in _reasons(record)


def test_a_threshold_outside_its_bounds_is_refused_as_json(
    alice: Person, carol: User
) -> None:
    refused = Api(carol).post(
        f"/patients/{alice.pk}/threshold",
        {"threshold": "tolerance.max_pain_during", "value": 8, "reason": "Looser"},
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["field"] == "value"
    assert (
        body["message"] == "Highest pain during a walk must be between 3 and 5 (got 8)"
    )
    assert not ClinicianAction.objects.exists()


def test_an_unknown_threshold_is_refused_naming_the_allowed_ones(
    alice: Person, carol: User
) -> None:
    refused = Api(carol).post(
        f"/patients/{alice.pk}/threshold",
        {"threshold": "tolerance.severe_pain", "value": 9, "reason": "x"},
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "threshold"
    assert "tolerance.flare_rise" in refused.json()["message"]


def test_a_hold_until_a_date_holds_the_plan_through_it(
    alice: Person, carol: User
) -> None:
    api = Api(carol)
    until = API_READ_ON + dt.timedelta(days=9)
    made = api.post(
        f"/patients/{alice.pk}/decision",
        {"kind": "hold", "reason": "Until the scan", "until": until.isoformat()},
    )
    assert made.status_code == 201
    assert made.json()["detail"]["until"] == until.isoformat()
    record = api.get(f"/patients/{alice.pk}").json()
    assert record["today"]["decision"] == "hold"
    assert "Your clinician, carol, held the plan: Until the scan" in _reasons(record)


def test_a_hold_with_a_bad_end_date_is_refused_naming_until(
    alice: Person, carol: User
) -> None:
    api = Api(carol)
    early = api.post(
        f"/patients/{alice.pk}/decision",
        {"kind": "hold", "reason": "x", "until": "2020-01-01"},
    )
    assert early.status_code == 422
    assert early.json()["field"] == "until"
    garbled = api.post(
        f"/patients/{alice.pk}/decision",
        {"kind": "hold", "reason": "x", "until": "next week"},
    )
    assert garbled.status_code == 422
    assert garbled.json()["field"] == "until"
    assert not ClinicianAction.objects.exists()


def test_an_advance_past_the_last_phase_is_refused_as_json(
    alice: Person, carol: User
) -> None:
    api = Api(carol)
    for days in (1, 2):  # Stabilize and Strengthen in the first days
        services_care.decision_override(
            clinician=carol,
            person=alice,
            kind=ActionKind.ADVANCE,
            day=API_START + dt.timedelta(days=days),
            reason="Ready",
            request_meta=RequestMeta(ip="198.51.100.7", user_agent="tests"),
        )
    moved = api.post(
        f"/patients/{alice.pk}/decision", {"kind": "advance", "reason": "Ready"}
    )
    assert moved.status_code == 201
    assert api.get(f"/patients/{alice.pk}").json()["today"]["phase"] == 4
    refused = api.post(
        f"/patients/{alice.pk}/decision", {"kind": "advance", "reason": "More"}
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "kind"
    assert "last phase" in refused.json()["message"]
    assert ClinicianAction.objects.count() == 3


def test_the_care_team_lists_a_refused_threshold_as_not_carried_out(
    alice: Person, carol: User
) -> None:
    api = Api(carol)
    for value in (9, 4):
        api.post(
            f"/patients/{alice.pk}/threshold",
            {"threshold": "tolerance.max_pain_during", "value": value, "reason": "x"},
        )
    seen = Api(alice.user).get("/me/care").json()["access"]
    assert [(a["what"], a["allowed"], a["outcome"]) for a in seen] == [
        ("adjust a threshold", True, "done"),
        ("adjust a threshold", True, "refused"),
    ]
