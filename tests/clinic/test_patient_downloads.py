"""The clinician downloads a linked patient's progress report (PDF) and exports
(JSON, CSV, FHIR) from the patient's page: the very files the patient takes from
Progress and Settings, each an audited read, refused to anyone else."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from tests.cast import START, TODAY
from tests.clinic.conftest import glass_open, signed_in
from tests.web.data_support import pdf_text
from tests.web.pages_support import client_for, first_days
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import services_care
from walkwell.web.program.models import AccessLog, AuditEvent, AuditLog, Person
from walkwell.web.program.permissions import RequestMeta


def _page(client: Client, alice: Person) -> str:
    return str(client.get(f"/clinic/patients/{alice.pk}/").content.decode())


def _export(client: Client, alice: Person, fmt: str) -> bytes:
    response = client.post(f"/clinic/patients/{alice.pk}/export/", {"format": fmt})
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _without_time(document: bytes) -> dict[str, object]:
    data = json.loads(document)
    data.pop("exported_at")
    return dict(data)


def test_the_patient_page_offers_the_report_and_each_export(
    alice: Person, chen: User
) -> None:
    html = _page(signed_in(chen), alice)
    assert f'href="/clinic/patients/{alice.pk}/report.pdf?from=' in html
    assert "Download the progress report (PDF)" in html
    assert f'action="/clinic/patients/{alice.pk}/export/"' in html
    for fmt in ("json", "csv", "fhir"):
        assert f'name="format" value="{fmt}"' in html


def test_the_clinician_gets_the_patients_report_with_their_notes(
    alice: Person, chen: User, tmp_path: Path
) -> None:
    first_days(alice, START)
    services_care.note_write(
        clinician=chen,
        person=alice,
        text="Keep the walks flat this week.",
        day=TODAY,
        request_meta=RequestMeta(),
    )
    response = signed_in(chen).get(
        f"/clinic/patients/{alice.pk}/report.pdf",
        {"from": START.isoformat(), "to": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        "walkwell-report-alice-2026-03-02-2026-03-04.pdf"
        in (response["Content-Disposition"])
    )
    text, pages = pdf_text(response.content, tmp_path)
    assert "Person" in text
    assert "alice" in text
    assert "Minutes walked against the plan" in text
    assert "Keep the walks flat this week." in text
    assert 1 <= pages <= 4
    row = AccessLog.objects.filter(person=alice).latest("id")
    assert (row.actor_name, row.what, row.allowed) == ("chen", "report (PDF)", True)


def test_the_clinicians_report_is_made_on_the_patients_clock(
    alice: Person, chen: User, tmp_path: Path
) -> None:
    """The same report says the same time to the patient and to a clinician in
    another zone: the patient's clock (09:00 UTC is 10:00 in Berlin), named."""
    Preferences.objects.create(user=alice.user, time_zone="Europe/Berlin")
    Preferences.objects.create(user=chen, time_zone="America/New_York")
    response = signed_in(chen).get(f"/clinic/patients/{alice.pk}/report.pdf")
    text, _ = pdf_text(response.content, tmp_path)
    assert "4 March 2026, 10:00 CET (UTC+01:00) by WalkWell" in text


def test_a_report_date_that_is_not_one_is_named(alice: Person, chen: User) -> None:
    response = signed_in(chen).get(
        f"/clinic/patients/{alice.pk}/report.pdf", {"from": "last week"}
    )
    assert response.status_code == 400
    assert response.content.decode().startswith("from: must be a date written")


def test_the_clinicians_json_export_is_the_patients_own(
    alice: Person, chen: User
) -> None:
    first_days(alice, START)
    theirs = _export(signed_in(chen), alice, "json")
    mine = client_for(alice).post("/accounts/settings/data/export/", {"format": "json"})
    assert mine.status_code == 200
    own = b"".join(mine.streaming_content)  # type: ignore[attr-defined]
    assert _without_time(theirs) == _without_time(own)
    assert len(json.loads(theirs)["records"]["walks"]) == 2


def test_each_export_is_audited_with_the_clinicians_name(
    alice: Person, chen: User
) -> None:
    client = signed_in(chen)
    archive = zipfile.ZipFile(io.BytesIO(_export(client, alice, "csv")))
    assert {"README.txt", "walks.csv"} <= set(archive.namelist())
    bundle = json.loads(_export(client, alice, "fhir"))
    assert bundle["resourceType"] == "Bundle"
    exports = AuditLog.objects.filter(
        person=alice, event_type=AuditEvent.DATA_EXPORTED
    ).order_by("id")
    assert [(e.actor, e.detail["what"]) for e in exports] == [
        (chen, "export as csv"),
        (chen, "export as fhir"),
    ]
    reads = AccessLog.objects.filter(person=alice, actor_name="chen").order_by("id")
    assert [r.what for r in reads][-2:] == ["export as csv", "export as fhir"]


def test_an_unknown_format_is_refused_beside_the_buttons(
    alice: Person, chen: User
) -> None:
    response = signed_in(chen).post(
        f"/clinic/patients/{alice.pk}/export/", {"format": "xml"}
    )
    assert response.status_code == 400
    assert "Format: Select a valid choice" in response.content.decode()
    assert not AuditLog.objects.filter(event_type=AuditEvent.DATA_EXPORTED).exists()


def test_an_unrelated_clinician_gets_neither_and_is_logged(
    alice: Person, diaz: User
) -> None:
    client = signed_in(diaz)
    report = client.get(f"/clinic/patients/{alice.pk}/report.pdf")
    export = client.post(f"/clinic/patients/{alice.pk}/export/", {"format": "json"})
    assert (report.status_code, export.status_code) == (403, 403)
    refused = AccessLog.objects.filter(person=alice, actor_name="diaz")
    assert [(r.what, r.allowed) for r in refused.order_by("id")] == [
        ("report (PDF)", False),
        ("export as json", False),
    ]
    assert not AuditLog.objects.filter(event_type=AuditEvent.DATA_EXPORTED).exists()


def test_the_patient_and_strangers_are_kept_off_the_clinic_downloads(
    alice: Person, bob: Person
) -> None:
    for client in (client_for(alice), client_for(bob)):
        assert client.get(f"/clinic/patients/{alice.pk}/report.pdf").status_code == 403
    anonymous = Client().get(f"/clinic/patients/{alice.pk}/report.pdf")
    assert anonymous["Location"].startswith("/accounts/sign-in/")


def test_an_admin_exports_only_through_break_glass(alice: Person, ada: User) -> None:
    client = signed_in(ada)
    url = f"/clinic/patients/{alice.pk}/export/"
    assert client.post(url, {"format": "json"}).status_code == 403
    glass_open(ada, alice)
    assert json.loads(_export(client, alice, "json"))["format"] == "walkwell-export"
    audit = AuditLog.objects.get(event_type=AuditEvent.DATA_EXPORTED)
    assert audit.actor == ada
    assert AccessLog.objects.filter(
        person=alice, what="export as json", break_glass=True
    ).exists()
