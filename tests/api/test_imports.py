"""Uploads through the API: queued by the same service as the Import page, then
followed to their report; nobody else's import can be seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.api.conftest import Api
from walkwell.web.imports import services
from walkwell.web.imports.models import ImportRun, RunStatus
from walkwell.web.program.models import Person

GPX = (
    b"""<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
<trk><type>walking</type><trkseg>
"""
    + b"".join(
        f'<trkpt lat="51.{5000 + i * 10:04d}" lon="-0.1000"><time>2026-01-19T08:{i // 6:02d}:{i % 6 * 10:02d}Z</time></trkpt>\n'.encode()
        for i in range(90)
    )
    + b"</trkseg></trk></gpx>"
)


@pytest.fixture(autouse=True)
def _home(settings: object, tmp_path: Path) -> None:
    settings.WALKWELL_HOME = tmp_path  # type: ignore[attr-defined]


def upload(api: Api, *files: tuple[str, bytes]) -> object:
    sent = [SimpleUploadedFile(name, data) for name, data in files]
    return api.client.post("/api/v1/me/imports", {"files": sent}, headers=api.headers)


def test_an_upload_is_queued_then_followed_to_its_report(
    as_alice: Api, alice: Person, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks():  # type: ignore[operator]
        response = upload(as_alice, ("walk.gpx", GPX))
    assert response.status_code == 202, response.content  # type: ignore[attr-defined]
    run_id = response.json()["id"]  # type: ignore[attr-defined]
    assert response.json()["status"] == "queued"  # type: ignore[attr-defined]
    services.run_execute(run_id=run_id)
    done = as_alice.get(f"/me/imports/{run_id}").json()
    assert done["done"] is True
    assert done["status"] == "finished"
    assert done["report"] is not None
    assert done["files_total"] == 1
    listed = as_alice.get("/me/imports").json()
    assert [r["id"] for r in listed["items"]] == [run_id]


def test_an_upload_without_files_is_refused_naming_the_field(as_alice: Api) -> None:
    response = as_alice.client.post("/api/v1/me/imports", {}, headers=as_alice.headers)
    assert response.status_code == 422
    assert response.json()["field"] == "files"
    assert not ImportRun.objects.exists()


def test_another_patients_import_is_not_found(
    as_alice: Api, as_bob: Api, alice: Person
) -> None:
    run = ImportRun.objects.create(person=alice, status=RunStatus.FINISHED)
    assert as_alice.get(f"/me/imports/{run.pk}").status_code == 200
    response = as_bob.get(f"/me/imports/{run.pk}")
    assert response.status_code == 404
    assert as_bob.post(f"/me/imports/{run.pk}/retry").status_code == 404


def test_only_a_stopped_import_can_be_tried_again(as_alice: Api, alice: Person) -> None:
    run = ImportRun.objects.create(person=alice, status=RunStatus.FINISHED)
    response = as_alice.post(f"/me/imports/{run.pk}/retry")
    assert response.status_code == 422
    assert response.json()["field"] == "run"


def test_an_anonymous_upload_stores_nothing(db: None) -> None:
    sent = SimpleUploadedFile("walk.gpx", GPX)
    response = Client().post("/api/v1/me/imports", {"files": [sent]})
    assert response.status_code == 401
    assert not ImportRun.objects.exists()
