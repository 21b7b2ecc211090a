"""Exports that restore exactly: JSON (versioned, with a schema), CSV (a zip of
one file per record type) and FHIR R4 (validated with the R4B models)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from fhir.resources.R4B.bundle import Bundle

from tests.web.data_support import rich_person
from tests.web.pages_support import client_for
from walkwell.core.limits import ValidationProblem
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import records, selectors_export, services_export
from walkwell.web.program.models import AuditEvent, AuditLog, Person, Walk

NOW = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 3, 2, 11, 30, tzinfo=dt.UTC)
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "export.schema.json"


def _export(person: Person, fmt: str = "json", at: dt.datetime = NOW) -> bytes:
    out = io.BytesIO()
    services_export.export_write(person=person, fmt=fmt, out=out, exported_at=at)
    return out.getvalue()


def _without_time(raw: bytes) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(raw)
    document.pop("exported_at")
    return document


@pytest.fixture
def ann(db: None) -> Person:
    return rich_person("ann")


def test_export_restored_into_an_empty_account_exports_the_same_document(
    ann: Person,
) -> None:
    first = _export(ann)
    bob = User.objects.create_user(username="bob")
    document = services_export.read_document(first)
    services_export.restore(user=bob, document=document, day=LATER.date())
    again = _export(Person.objects.get(user=bob), at=LATER)

    assert _without_time(again) == _without_time(first)
    counts = {k: len(v) for k, v in json.loads(first)["records"].items()}
    assert counts["walks"] == 24
    assert counts["checkins"] == 24
    assert counts["daily_steps"] == 24
    assert counts["outcomes"] == 5
    assert counts["clearances"] == counts["symptoms"] == 1
    assert counts["screenings"] == 2  # at enrolment, and again
    assert counts["preferences"] == counts["person"] == 1
    assert counts["audit"] >= 2  # the warning sign and the clearance at least


def test_export_holds_track_summaries_timestamps_and_preferences(ann: Person) -> None:
    records_ = json.loads(_export(ann))["records"]
    imported = next(w for w in records_["walks"] if w["source"] == "import")
    assert imported["distance_m"] == 1234.5
    assert imported["elevation_gain_m"] == 12.25
    assert imported["started_at"].startswith("2026-01-06T08:15:00")
    assert imported["device"] == "Garmin Forerunner"
    assert records_["preferences"][0]["distance_unit"] == "mi"
    assert "calendar_token" not in records_["preferences"][0]
    assert records_["person"][0]["protocol_id"] == "seed-3-phase"
    assert records_["clearances"][0]["by"] == "Dr Patel, GP"


def test_restore_keeps_the_original_times_rows_were_written(ann: Person) -> None:
    Walk.objects.filter(person=ann).update(
        created_at=dt.datetime(2026, 1, 9, 7, 0, tzinfo=dt.UTC)
    )
    bob = User.objects.create_user(username="bob")
    document = services_export.read_document(_export(ann))
    restored = services_export.restore(user=bob, document=document, day=LATER.date())
    times = set(restored.walks.values_list("created_at", flat=True))
    assert times == {dt.datetime(2026, 1, 9, 7, 0, tzinfo=dt.UTC)}


def test_restore_into_an_account_with_data_is_refused(ann: Person) -> None:
    document = services_export.read_document(_export(ann))
    with pytest.raises(ValidationProblem, match="already holds a record") as refused:
        services_export.restore(user=ann.user, document=document, day=LATER.date())
    assert refused.value.field == "account"
    assert Walk.objects.filter(person=ann).count() == 24


def test_restore_with_a_wrong_value_names_it_and_stores_nothing(ann: Person) -> None:
    document = json.loads(_export(ann))
    document["records"]["walks"][3]["minutes"] = 5000
    bob = User.objects.create_user(username="bob")
    with pytest.raises(ValidationProblem) as refused:
        services_export.restore(user=bob, document=document, day=LATER.date())
    assert refused.value.field == "records.walks[3]"
    assert "walk_minutes_range" in refused.value.message
    assert not Person.objects.filter(user=bob).exists()
    document["records"]["walks"][3]["minutes"] = 12
    document["records"]["checkins"][2]["date"] = "2026-02-31"
    with pytest.raises(ValidationProblem) as wrong_date:
        services_export.restore(user=bob, document=document, day=LATER.date())
    assert wrong_date.value.field == "records.checkins[2].date"
    document["records"]["checkins"][2]["date"] = 20260107
    with pytest.raises(ValidationProblem) as a_number:
        services_export.restore(user=bob, document=document, day=LATER.date())
    assert a_number.value.field == "records.checkins[2].date"
    assert not Person.objects.filter(user=bob).exists()
    assert not Person.objects.filter(user=bob).exists()


def test_restore_of_a_protocol_this_walkwell_lacks_is_refused_by_name(
    ann: Person,
) -> None:
    document = json.loads(_export(ann))
    document["records"]["person"][0]["protocol_id"] = "no-such-program"
    bob = User.objects.create_user(username="bob")
    with pytest.raises(ValidationProblem) as refused:
        services_export.restore(user=bob, document=document, day=LATER.date())
    assert refused.value.field == "records.person[0].protocol_id"
    assert not Person.objects.filter(user=bob).exists()


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"not json", "file"),
        (b'{"format": "something else"}', "file"),
        (b'{"format": "walkwell-export", "format_version": 99}', "format_version"),
    ],
)
@pytest.mark.django_db
def test_a_file_that_is_not_a_walkwell_export_is_refused(
    raw: bytes, field: str
) -> None:
    with pytest.raises(ValidationProblem) as refused:
        services_export.read_document(raw)
    assert refused.value.field == field


def test_every_export_leaves_an_audit_row_that_the_export_does_not_carry(
    ann: Person,
) -> None:
    _export(ann, "csv")
    _export(ann, "fhir")
    events = AuditLog.objects.filter(person=ann, event_type=AuditEvent.DATA_EXPORTED)
    assert [e.detail["what"] for e in events] == ["export as csv", "export as fhir"]
    audit = json.loads(_export(ann))["records"]["audit"]
    assert all(a["event_type"] != "data_exported" for a in audit)


def test_a_field_added_to_a_model_is_exported_without_other_changes() -> None:
    walks = records.record_type("walks")
    assert walks is not None
    names = [f.name for f in walks.fields()]
    model_fields = [
        f.name
        for f in Walk._meta.concrete_fields
        if not f.primary_key and not f.is_relation
    ]
    assert names == model_fields


def test_every_model_with_a_person_or_user_is_registered_or_left_out_on_purpose() -> (
    None
):
    registered = {r.model for r in records.record_types()}
    # import runs are this server's log of reading files (their walks travel)
    not_exported = {"ImportRun", "ImportedItem", "AccessAttempt", "AccessLog",
                    "AccessFailureLog", "User", "Session", "AccountDeletion"}  # fmt: skip
    # The care team's rows name accounts of this server (the clinician, the admin)
    # that another server does not have; the stored review is worked out again from
    # the record; API tokens and two-factor devices (an authenticator app's secret,
    # backup codes) are secrets of this server.
    not_exported |= {"ClinicianLink", "ClinicianNote", "ClinicianAction",
                     "BreakGlass", "PersonReview", "AccessToken",
                     "TOTPDevice", "StaticDevice"}  # fmt: skip
    # Which reminder emails this server sent, kept 30 days so none goes twice.
    not_exported |= {"ReminderSent"}
    for model in apps.get_models():
        owned = {f.name for f in model._meta.fields} & {"person", "user"}
        if owned and model.__name__ not in not_exported:
            assert model in registered, f"{model.__name__} is not in the exports"


def test_the_schema_file_in_the_repository_is_the_one_built_from_the_records() -> None:
    assert json.loads(SCHEMA.read_text()) == selectors_export.json_schema()


def test_an_export_matches_its_json_schema(ann: Person) -> None:
    jsonschema.validate(json.loads(_export(ann)), selectors_export.json_schema())


def test_csv_export_is_a_zip_of_one_file_per_record_type_with_a_readme(
    ann: Person,
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(_export(ann, "csv")))
    names = set(archive.namelist())
    assert "README.txt" in names
    assert {f"{r.name}.csv" for r in records.record_types()} <= names
    text = archive.read("walks.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 24
    assert rows[0]["date"] == "2026-01-05"
    assert rows[1]["distance_m"] == "1234.5"
    assert rows[0]["warning_signs"] == ""
    readme = archive.read("README.txt").decode()
    assert "walks.csv" in readme
    assert "distance_m: number" in readme


def _validated_bundle(raw: bytes) -> Any:
    return Bundle.model_validate_json(raw)


def test_fhir_export_is_a_valid_r4_bundle_with_pain_walks_steps_and_measures(
    ann: Person,
) -> None:
    bundle = _validated_bundle(_export(ann, "fhir"))
    kinds = [e.resource.__resource_type__ for e in bundle.entry]
    assert kinds[0] == "Patient"
    assert kinds.count("QuestionnaireResponse") == 5
    codes = [
        c.code
        for e in bundle.entry
        if e.resource.__resource_type__ == "Observation"
        for c in e.resource.code.coding
    ]
    assert codes.count("72514-3") == 24 + 12 * 3  # mornings, and typed walks x3
    assert codes.count("55411-3") == 24  # walk durations
    assert codes.count("41950-7") == 24  # daily steps
    assert codes.count("walk-distance") == 12
    assert codes.count("morning-stiffness") == 24
    assert codes.count("sleep-quality") == 24


def _rows(model: type[Model]) -> int:
    return model._default_manager.count()


def test_settings_page_downloads_each_format(ann: Person) -> None:
    client: Client = client_for(ann)
    for fmt, media in selectors_export.MEDIA_TYPE.items():
        response = client.post("/accounts/settings/data/export/", {"format": fmt})
        assert response.status_code == 200
        assert response["Content-Type"] == media
        assert "attachment" in response["Content-Disposition"]
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if fmt == "json":
            assert json.loads(body)["records"]["walks"]
        if fmt == "csv":
            assert "walks.csv" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_settings_page_refuses_an_unknown_format_beside_the_field(ann: Person) -> None:
    response = client_for(ann).post(
        "/accounts/settings/data/export/", {"format": "xml"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_large_export_from_the_web_is_queued_and_offered_when_ready(
    ann: Person, settings: Any
) -> None:
    settings.WALKWELL_EXPORT_TASK_ROWS = 10
    client = client_for(ann)
    response = client.post(
        "/accounts/settings/data/export/", {"format": "json"}, follow=True
    )
    assert "being prepared" in response.content.decode()
    path = services_export.export_file(user_id=ann.user_id, fmt="json", now=NOW)
    assert path is not None
    page = client.get("/accounts/settings/data/").content.decode()
    assert path.name in page
    download = client.get(f"/accounts/settings/data/exports/{path.name}")
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert json.loads(body)["records"]["walks"]
    other = client_for(rich_person("carol", days=4))
    assert other.get(f"/accounts/settings/data/exports/{path.name}").status_code == 404


def test_a_ready_export_says_when_it_was_made_in_the_persons_zone_and_names_it(
    ann: Person,
) -> None:
    Preferences.objects.update_or_create(
        user=ann.user, defaults={"time_zone": "Europe/Berlin"}
    )
    path = services_export.export_file(user_id=ann.user_id, fmt="json", now=NOW)
    assert path is not None
    made = dt.datetime(2026, 1, 20, 9, 0, tzinfo=dt.UTC).timestamp()
    os.utime(path, (made, made))
    page = client_for(ann).get("/accounts/settings/data/").content.decode()
    assert "made 20 January 2026, 10:00 CET)" in page


def test_restore_upload_in_settings_brings_a_record_into_a_new_account(
    ann: Person,
) -> None:
    raw = _export(ann)
    bob = User.objects.create_user(username="bob")
    client = Client()
    client.force_login(bob)
    upload = io.BytesIO(raw)
    upload.name = "walkwell.json"
    response = client.post("/accounts/settings/data/restore/", {"file": upload})
    assert response.status_code == 302
    assert Person.objects.get(user=bob).walks.count() == 24
    again = io.BytesIO(raw)
    again.name = "walkwell.json"
    refused = client.post("/accounts/settings/data/restore/", {"file": again})
    assert refused.status_code == 400
    assert Person.objects.get(user=bob).walks.count() == 24
