"""The API's side of a clinician's writes sent twice: the same body with the same
``idempotency_key`` is answered with the row stored the first time (the same id),
and a key in the wrong format is refused as JSON naming the field."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User

from tests.api.conftest import API_READ_ON, Api
from tests.clinic.conftest import open_stop
from walkwell.web.program.models import AuditEvent, Person

BODIES: dict[str, tuple[dict[str, object], str]] = {
    "notes": ({"text": "Lovely progress!"}, "clinician_notes"),
    "decision": (
        {"kind": "hold", "reason": "Let the knee settle"},
        "clinician_actions",
    ),
    "threshold": (
        {
            "threshold": "tolerance.max_rise_during",
            "value": 1,
            "reason": "Her ratings wobble",
        },
        "clinician_actions",
    ),
    "protocol": (
        {"protocol": "walkback-30x5", "reason": "A longer program suits her"},
        "clinician_actions",
    ),
    "clearance": ({"reason": "Reviewed"}, "clearances"),
}


@pytest.mark.parametrize("path", BODIES)
def test_the_same_body_with_the_same_key_twice_gives_the_same_id(
    path: str, alice: Person, carol: User
) -> None:
    api = Api(carol)
    body, rows = BODIES[path]
    if path == "clearance":
        open_stop(alice, API_READ_ON)  # something to clear, once
    sent = {**body, "idempotency_key": uuid.uuid4().hex}
    first = api.post(f"/patients/{alice.pk}/{path}", sent)
    again = api.post(f"/patients/{alice.pk}/{path}", sent)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert getattr(alice, rows).count() == 1
    assert alice.audit.filter(event_type=AuditEvent.CLINICIAN_ACTION).count() == 1


@pytest.mark.parametrize("path", BODIES)
def test_a_malformed_key_is_refused_naming_the_field_and_nothing_is_stored(
    path: str, alice: Person, carol: User
) -> None:
    api = Api(carol)
    body, rows = BODIES[path]
    for key in ("0123456789ABCDEF0123456789ABCDEF", "a-uuid-with-dashes", "x' or 1"):
        refused = api.post(
            f"/patients/{alice.pk}/{path}", {**body, "idempotency_key": key}
        )
        assert refused.status_code == 422
        problem = refused.json()
        assert problem["field"] == "idempotency_key"
        assert "32 lowercase hexadecimal characters (0-9 and a-f)" in problem["message"]
    assert getattr(alice, rows).count() == 0
    assert not alice.clinician_actions.exists()
    assert not alice.audit.filter(event_type=AuditEvent.CLINICIAN_ACTION).exists()


def test_the_key_is_described_in_the_api_schema(alice: Person, carol: User) -> None:
    schema = Api(carol).get("/openapi.json").json()["components"]["schemas"]
    for name in ("NoteIn", "DecisionIn", "ThresholdIn", "ProtocolIn", "ClearIn"):
        described = schema[name]["properties"]["idempotency_key"]["description"]
        assert "32 lowercase hexadecimal characters" in described
        assert "stored once" in described
        assert "idempotency_key" not in schema[name].get("required", [])
