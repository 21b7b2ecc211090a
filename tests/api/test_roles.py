"""Every operation, driven as each role: anonymous, the patient (Alice), another
patient (Bob), the linked clinician (Carol), an unrelated clinician (Mallory) and
a clinic admin (Ada). The answers come from the one permission layer the clinic
pages use, so the API and the pages cannot disagree."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.api.conftest import ROLES, Api, enrol
from tests.web.pages_support import PROTOCOL
from walkwell.web.accounts import services_tokens
from walkwell.web.api.main import api
from walkwell.web.imports.models import ImportRun, RunStatus
from walkwell.web.program import services_care
from walkwell.web.program.models import AccessLog, AuditEvent, AuditLog, Person

CHECKIN = {"pain": 3, "stiffness_min": 5, "sleep": 7, "focus": 6}
FLAG = PROTOCOL.red_flags[0].id
WARNING = PROTOCOL.warning_signs[0].id

# The patient's own operations: each caller acts on their own record. A caller
# without one (a clinician or an admin) is told to start a plan (409).
OWN = {"anonymous": 401, "patient": 200, "other_patient": 200}
OWN |= {"clinician": 409, "other_clinician": 409, "admin": 409}
OWN_WRITE = {**OWN, "patient": 201, "other_patient": 201}

# Alice's own things by id (an import, a token): anyone else's is not found.
ALICES_OWN = {**OWN, "other_patient": 404}
TOKEN_REVOKE = {"anonymous": 401, "patient": 200}
TOKEN_REVOKE |= {r: 404 for r in ROLES if r not in TOKEN_REVOKE}
UPLOAD = {**OWN, "patient": 202, "other_patient": 202}
FILES = "files"  # the body of an upload: a multipart form with one GPX file

# Reads of Alice's record: herself, her clinician; nobody else.
READ = {"anonymous": 401, "patient": 200, "other_patient": 403}
READ |= {"clinician": 200, "other_clinician": 403, "admin": 403}
# Actions on Alice's record: her linked clinician only.
ACT = {"anonymous": 401, "patient": 403, "other_patient": 403}
ACT |= {"clinician": 201, "other_clinician": 403, "admin": 403}
# A clearance when Alice has no open stop: her clinician is told there is nothing
# to clear; everyone else is refused by the permission check first, as above.
NOTHING_TO_CLEAR = {**ACT, "clinician": 422}
# The patient list: clinicians only (each sees their own patients).
LIST = {"anonymous": 401, "patient": 403, "other_patient": 403}
LIST |= {"clinician": 200, "other_clinician": 200, "admin": 403}
# Break-glass: the clinic admin only.
GLASS = {"anonymous": 401, "patient": 403, "other_patient": 403}
GLASS |= {"clinician": 403, "other_clinician": 403, "admin": 201}
# Tokens: every signed-in account manages its own.
TOKENS = {"anonymous": 401} | {r: 200 for r in ROLES if r != "anonymous"}
TOKEN_NEW = {"anonymous": 401} | {r: 201 for r in ROLES if r != "anonymous"}

CASES: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", "/me/today", None, OWN),
    ("POST", "/me/walks", {"minutes": 10}, OWN_WRITE),
    ("GET", "/me/walks", None, OWN),
    ("POST", "/me/checkins", CHECKIN, OWN_WRITE),
    ("GET", "/me/checkins", None, OWN),
    ("POST", "/me/symptoms", {"warning_signs": [WARNING]}, OWN_WRITE),
    ("GET", "/me/history", None, OWN),
    ("GET", "/me/plan/{day}", None, OWN),
    ("GET", "/me/care", None, OWN),
    ("POST", "/me/care/links", {"code": "{code}"}, OWN_WRITE),
    ("DELETE", "/me/care/links/{link}", None, {**OWN, "other_patient": 422}),
    ("POST", "/me/clearance", {"by": "Dr Ruiz"}, {**OWN_WRITE, "patient": 422}),
    ("GET", "/me/measures", None, OWN),
    ("POST", "/me/measures", {"answers": {"pain_nrs": {"rating": 4}}}, OWN_WRITE),
    ("GET", "/me/imports", None, OWN),
    ("POST", "/me/imports", FILES, UPLOAD),
    ("GET", "/me/imports/{run}", None, ALICES_OWN),
    ("POST", "/me/imports/{run}/retry", None, {**ALICES_OWN, "patient": 422}),
    ("GET", "/auth/tokens", None, TOKENS),
    ("POST", "/auth/tokens", {"name": "another"}, TOKEN_NEW),
    ("DELETE", "/auth/tokens/{token}", None, TOKEN_REVOKE),
    ("GET", "/patients", None, LIST),
    (
        "POST",
        "/invites",
        {"label": "for Dan"},
        {**LIST, "clinician": 201, "other_clinician": 201},
    ),
    ("GET", "/patients/{alice}", None, READ),
    ("GET", "/patients/{alice}/history", None, READ),
    ("GET", "/patients/{alice}/walks", None, READ),
    ("GET", "/patients/{alice}/report", None, READ),
    ("GET", "/patients/{alice}/export", None, READ),
    ("POST", "/patients/{alice}/clearance", {"reason": "seen today"}, NOTHING_TO_CLEAR),
    (
        "POST",
        "/patients/{alice}/decision",
        {"kind": "confirm", "reason": "as planned"},
        ACT,
    ),
    (
        "POST",
        "/patients/{alice}/threshold",
        {"threshold": "tolerance.flare_rise", "value": 3, "reason": "she wobbles"},
        ACT,
    ),
    (
        "POST",
        "/patients/{alice}/protocol",
        {"protocol": "walkback-30x5", "reason": "she prefers it"},
        ACT,
    ),
    ("POST", "/patients/{alice}/notes", {"text": "Good week."}, ACT),
    ("POST", "/patients/{alice}/break-glass", {"reason": "she fell ill"}, GLASS),
]


@pytest.fixture
def ids(alice: Person, carol: User, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """What the paths name: Alice, a day, one of her imports, one of her tokens,
    her link to Carol, and an invitation from Carol."""
    settings.WALKWELL_HOME = tmp_path
    run = ImportRun.objects.create(person=alice, status=RunStatus.FINISHED)
    token, _ = services_tokens.token_create(user=alice.user, name="spare")
    invite = services_care.invite_create(clinician=carol, now=timezone.now())
    return {
        "alice": alice.pk,
        "day": "2026-01-19",
        "run": run.pk,
        "token": token.pk,
        "link": alice.clinician_links.get().pk,
        "code": invite.code,
    }


def call(client: Api, method: str, path: str, body: Any, ids: dict[str, Any]) -> Any:
    url = path.format(**ids)
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    if body == FILES:
        gpx = SimpleUploadedFile("walk.gpx", b"<gpx></gpx>")
        return client.client.post(
            "/api/v1" + url, {"files": [gpx]}, headers=client.headers
        )
    if isinstance(body, dict):
        body = {
            k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()
        }
    return client.post(url, body)


def test_the_cases_cover_every_operation_but_the_public_ones() -> None:
    """A new operation must join this table (the public ones are tested in
    test_anonymous_surface)."""
    covered = {(m, re.sub(r"\{\w+\}", "{}", p)) for m, p, _, _ in CASES}
    elsewhere = {
        ("GET", "/health"),
        ("POST", "/auth/token"),
    }
    every = {
        (method.upper(), re.sub(r"\{\w+\}", "{}", path.removeprefix("/api/v1")))
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
    }
    assert every - elsewhere == covered


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[f"{m} {p}" for m, p, _, _ in CASES])
def test_each_role_gets_what_the_permission_layer_allows(
    cast: dict[str, Api], ids: dict[str, Any], role: str, case: Any
) -> None:
    method, path, body, expected = case
    response = call(cast[role], method, path, body, ids)
    assert response.status_code == expected[role], (role, response.content)
    if response.status_code >= 400:
        assert set(response.json()) >= {"message", "field"}


def test_the_clinician_sees_only_their_own_patients(
    cast: dict[str, Api], alice: Person
) -> None:
    carols = cast["clinician"].get("/patients").json()
    assert [p["id"] for p in carols["items"]] == [alice.pk]
    assert cast["other_clinician"].get("/patients").json()["count"] == 0


def test_every_read_by_someone_else_is_logged_allowed_or_denied(
    cast: dict[str, Api], alice: Person
) -> None:
    cast["clinician"].get(f"/patients/{alice.pk}")
    cast["other_clinician"].get(f"/patients/{alice.pk}")
    cast["patient"].get(f"/patients/{alice.pk}")  # her own reads are not logged
    rows = AccessLog.objects.filter(person=alice).order_by("id")
    assert [(r.actor_name, r.allowed) for r in rows] == [
        ("carol", True),
        ("mallory", False),
    ]
    seen = cast["patient"].get("/me/care").json()["access"]
    assert {(a["who"], a["allowed"]) for a in seen} == {
        ("carol", True),
        ("mallory", False),
    }


def test_an_unknown_patient_is_named_in_the_refusal(cast: dict[str, Api]) -> None:
    response = cast["clinician"].get("/patients/999999")
    assert response.status_code == 422
    assert response.json()["field"] == "person_id"


def test_the_admin_reads_a_record_only_through_break_glass(
    cast: dict[str, Api], alice: Person
) -> None:
    admin = cast["admin"]
    assert admin.get(f"/patients/{alice.pk}").status_code == 403
    opened = admin.post(f"/patients/{alice.pk}/break-glass", {"reason": "she fell ill"})
    assert opened.status_code == 201
    assert admin.get(f"/patients/{alice.pk}").status_code == 200
    assert admin.post(f"/patients/{alice.pk}/notes", {"text": "x"}).status_code == 403
    glass = [
        a for a in cast["patient"].get("/me/care").json()["access"] if a["break_glass"]
    ]
    assert glass


def test_a_clinicians_clearance_lifts_the_stop_and_the_patient_sees_who(
    cast: dict[str, Api], alice: Person
) -> None:
    patient, clinician = cast["patient"], cast["clinician"]
    patient.post("/me/symptoms", {"red_flags": [FLAG]})
    assert patient.get("/me/today").json()["plan"]["escalated"] is True
    listed = clinician.get("/patients").json()["items"]
    assert listed[0]["reason"] == "urgent_red_flag"
    cleared = clinician.post(f"/patients/{alice.pk}/clearance", {"reason": "reviewed"})
    assert cleared.status_code == 201
    assert cleared.json()["self_reported"] is False
    clearances = patient.get("/me/care").json()["clearances"]
    assert clearances[0]["by"] == "carol"
    assert clearances[0]["self_reported"] is False
    actions = patient.get("/me/today").json()["clinician_actions"]
    assert [(a["kind"], a["actor"]) for a in actions] == [("clear_stop", "carol")]


def test_a_clearance_for_a_patient_who_is_not_stopped_is_refused_and_stores_nothing(
    cast: dict[str, Api], alice: Person
) -> None:
    assert cast["patient"].get("/me/today").json()["plan"]["escalated"] is False
    refused = cast["clinician"].post(
        f"/patients/{alice.pk}/clearance", {"reason": "reviewed"}
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["field"] == "date"
    assert "no open stop to clear" in problem["message"]
    assert not alice.clearances.exists()
    assert not alice.clinician_actions.exists()
    assert not alice.audit.filter(
        event_type__in=[AuditEvent.CLEARANCE_RECORDED, AuditEvent.CLINICIAN_ACTION]
    ).exists()
    stranger = cast["other_clinician"].post(
        f"/patients/{alice.pk}/clearance", {"reason": "reviewed"}
    )
    assert stranger.status_code == 403  # the permission check comes first


def test_a_note_from_the_clinician_reaches_the_patient(
    cast: dict[str, Api], alice: Person
) -> None:
    cast["clinician"].post(f"/patients/{alice.pk}/notes", {"text": "Lovely progress."})
    notes = cast["patient"].get("/me/care").json()["notes"]
    assert notes[0]["text"] == "Lovely progress."
    assert notes[0]["author"] == "carol"
    today = cast["patient"].get("/me/today").json()
    assert [n["text"] for n in today["clinician_notes"]] == ["Lovely progress."]


def test_an_override_needs_a_known_kind_and_a_reason(
    cast: dict[str, Api], alice: Person
) -> None:
    clinician = cast["clinician"]
    wrong = clinician.post(
        f"/patients/{alice.pk}/decision", {"kind": "skip", "reason": "x"}
    )
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "kind"
    bare = clinician.post(
        f"/patients/{alice.pk}/decision", {"kind": "hold", "reason": " "}
    )
    assert bare.status_code == 422
    assert bare.json()["field"] == "reason"


def test_the_patient_list_filters_by_reason(cast: dict[str, Api]) -> None:
    clinician = cast["clinician"]
    assert clinician.get("/patients", reason="urgent_red_flag").json()["count"] == 0
    wrong = clinician.get("/patients", reason="bored")
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "reason"


def test_a_patient_links_a_clinician_by_code_and_unlinks_at_any_time(
    cast: dict[str, Api], bob: Person, mallory: User
) -> None:
    invite = services_care.invite_create(clinician=mallory, now=timezone.now())
    patient, clinician = cast["other_patient"], cast["other_clinician"]
    assert clinician.get(f"/patients/{bob.pk}").status_code == 403
    joined = patient.post("/me/care/links", {"code": invite.code})
    assert joined.status_code == 201
    assert joined.json()["name"] == "mallory"
    assert clinician.get(f"/patients/{bob.pk}").status_code == 200
    again = patient.post("/me/care/links", {"code": invite.code})
    assert again.status_code == 422
    assert again.json()["field"] == "code"
    left = patient.delete(f"/me/care/links/{joined.json()['id']}")
    assert left.status_code == 200
    assert clinician.get(f"/patients/{bob.pk}").status_code == 403


def test_a_clearance_recorded_by_the_patient_is_marked_self_reported(
    cast: dict[str, Api],
) -> None:
    bob = cast["other_patient"]  # Bob has no clinician
    bob.post("/me/symptoms", {"red_flags": [FLAG]})
    cleared = bob.post("/me/clearance", {"by": "Dr Ruiz at the practice"})
    assert cleared.status_code == 201
    assert cleared.json()["self_reported"] is True
    assert bob.get("/me/care").json()["clearances"][0]["self_reported"] is True


def test_a_patient_with_a_clinician_leaves_the_clearance_to_them(
    cast: dict[str, Api],
) -> None:
    refused = cast["patient"].post("/me/clearance", {"by": "myself"})
    assert refused.status_code == 422
    assert refused.json()["field"] == "by"


def test_the_patient_list_paginates(cast: dict[str, Api], carol: User) -> None:
    for name in ("dan", "eve"):
        services_care.link_create(person=enrol(name), clinician=carol)
    clinician = cast["clinician"]
    first = clinician.get("/patients", page_size=2).json()
    assert (first["count"], first["pages"], len(first["items"])) == (3, 2, 2)
    second = clinician.get("/patients", page_size=2, page=2).json()
    assert len(second["items"]) == 1
    assert clinician.get("/patients", page_size=2, page=3).json()["items"] == []
    found = clinician.get("/patients", q="dan").json()
    assert [p["name"] for p in found["items"]] == ["dan"]


def test_the_clinician_downloads_the_report_and_each_export_audited(
    cast: dict[str, Api], alice: Person, carol: User
) -> None:
    clinician = cast["clinician"]
    pdf = clinician.get(f"/patients/{alice.pk}/report", to="2026-01-20")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "walkwell-report-alice-" in pdf["Content-Disposition"]
    for fmt, media in (
        ("json", "application/json"),
        ("csv", "application/zip"),
        ("fhir", "application/fhir+json"),
    ):
        got = clinician.get(f"/patients/{alice.pk}/export", format=fmt)
        assert got.status_code == 200, got.content[:200]
        assert got["Content-Type"] == media
        body = b"".join(got.streaming_content)
        assert body.startswith(b"PK" if fmt == "csv" else b"{")
    exports = AuditLog.objects.filter(
        person=alice, event_type=AuditEvent.DATA_EXPORTED
    ).order_by("id")
    assert [(e.actor, e.detail["what"]) for e in exports] == [
        (carol, "export as json"),
        (carol, "export as csv"),
        (carol, "export as fhir"),
    ]
    reads = AccessLog.objects.filter(person=alice, actor_name="carol").order_by("id")
    assert [r.what for r in reads] == [
        "report (API)",
        "export as json (API)",
        "export as csv (API)",
        "export as fhir (API)",
    ]


def test_the_report_and_export_refuse_what_they_cannot_read(
    cast: dict[str, Api], alice: Person
) -> None:
    clinician = cast["clinician"]
    day = clinician.get(f"/patients/{alice.pk}/report", **{"from": "next week"})
    assert day.status_code == 422
    assert day.json()["field"] == "from"
    fmt = clinician.get(f"/patients/{alice.pk}/export", format="xml")
    assert fmt.status_code == 422
    assert fmt.json()["field"] == "format"
    assert not AuditLog.objects.filter(event_type=AuditEvent.DATA_EXPORTED).exists()
    refused = cast["other_clinician"].get(f"/patients/{alice.pk}/export")
    assert refused.status_code == 403
    assert AccessLog.objects.filter(
        person=alice, actor_name="mallory", what="export as json (API)", allowed=False
    ).exists()


def test_the_admin_exports_only_through_break_glass(
    cast: dict[str, Api], alice: Person, ada: User
) -> None:
    admin = cast["admin"]
    assert admin.get(f"/patients/{alice.pk}/export").status_code == 403
    admin.post(f"/patients/{alice.pk}/break-glass", {"reason": "she fell ill"})
    opened = admin.get(f"/patients/{alice.pk}/export")
    assert opened.status_code == 200
    document = json.loads(b"".join(opened.streaming_content))
    assert document["format"] == "walkwell-export"
    audit = AuditLog.objects.get(event_type=AuditEvent.DATA_EXPORTED)
    assert audit.actor == ada
