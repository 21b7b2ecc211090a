"""Upload size is refused before the body is read, per request and per file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from walkwell.web.imports.models import ImportRun
from walkwell.web.program.models import Person

SettingsWrapper = Any  # pytest-django's settings fixture


@pytest.fixture
def home(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.WALKWELL_HOME = tmp_path
    return tmp_path


def _client(person: Person, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(person.user)
    return client


def test_a_request_larger_than_the_limit_is_refused_from_its_length_alone(
    alice: Person, home: Path, settings: SettingsWrapper
) -> None:
    settings.WALKWELL_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    # The body announces 6 GB but holds a few bytes: reading it would fail the
    # test client's own check, so a refusal proves nothing was read.
    response = _client(alice).generic(
        "POST",
        "/imports/",
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(6 * 1024**3),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "more than the limit of 10 MB" in page
    assert ImportRun.objects.count() == 0
    assert not (home / "uploads").exists()


def test_one_file_past_the_per_file_limit_stops_the_upload_and_keeps_nothing(
    alice: Person, home: Path, settings: SettingsWrapper
) -> None:
    settings.WALKWELL_IMPORT_MAX_FILE_BYTES = 4096
    big = SimpleUploadedFile("huge.gpx", b"<gpx>" + b" " * 20_000 + b"</gpx>")
    response = _client(alice).post("/imports/", {"files": [big]})
    assert response.status_code == 413
    assert "huge.gpx: larger than the limit" in response.content.decode()
    assert ImportRun.objects.count() == 0
    assert not (home / "uploads").exists()


def test_a_small_upload_still_needs_its_csrf_token(alice: Person, home: Path) -> None:
    small = SimpleUploadedFile("walk.gpx", b"<gpx></gpx>")
    response = _client(alice, csrf=True).post("/imports/", {"files": [small]})
    assert response.status_code == 403
    assert ImportRun.objects.count() == 0
