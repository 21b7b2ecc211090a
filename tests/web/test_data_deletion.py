"""Delete my account and data: every row of the person goes (counted per table,
over every model the app registry knows), with their sessions, sign-in attempt
logs, uploaded files, exports and queued tasks; one row without health data says
that an account was deleted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.web.data_support import rich_person
from tests.web.pages_support import PASSWORD, client_for
from walkwell.web.imports import services as import_services
from walkwell.web.program import services_export
from walkwell.web.program.models import AccountDeletion, Person


def _rows_per_table() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def home(settings: Any, tmp_path: Path) -> Path:
    settings.WALKWELL_HOME = tmp_path
    return tmp_path


def _everything_an_account_leaves(
    username: str, django_capture_on_commit_callbacks: Any
) -> Person:
    """A rich record, a session, sign-in attempts (failed and successful), an
    upload waiting for the worker, and an export made and another queued."""
    person = rich_person(username, days=6)
    person.user.set_password(PASSWORD)
    person.user.save()
    browser = Client()
    browser.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
    # after the success, which clears the attempts (AXES_RESET_ON_SUCCESS)
    Client().post("/accounts/sign-in/", {"username": username, "password": "wrong"})
    client_for(person)  # a second session
    with django_capture_on_commit_callbacks(execute=True):
        import_services.upload_start(
            person=person, files=[SimpleUploadedFile("walk.gpx", b"<gpx></gpx>")]
        )
        services_export.export_queue(person=person, fmt="csv")
    services_export.export_file(
        user_id=person.user_id, fmt="json", now=dt.datetime.now(dt.UTC)
    )
    return person


def test_deleting_an_account_leaves_every_table_as_it_was_before_it(
    db: None, home: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _everything_an_account_leaves("bob", django_capture_on_commit_callbacks)
    before = _rows_per_table()
    ann = _everything_an_account_leaves("ann", django_capture_on_commit_callbacks)
    grew = {k for k, v in _rows_per_table().items() if v > before[k]}
    assert {
        "sessions.Session",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "django_tasks_database.DBTaskResult",
        "program.Walk",
        "imports.DailySteps",
        "imports.ImportRun",
        "accounts.Preferences",
    } <= grew
    uploads = list((home / "uploads").iterdir())
    assert len(uploads) == 2  # bob's and ann's

    services_export.account_delete(user=ann.user)

    expected = {
        **before,
        "program.AccountDeletion": before["program.AccountDeletion"] + 1,
    }
    after = _rows_per_table()
    # The address throttle's rows name a network address and a time, no account,
    # and leave by themselves once their window has passed.
    for throttle in (expected, after):
        throttle.pop("accounts.AddressAttempt", None)
    assert after == expected
    assert len(list((home / "uploads").iterdir())) == 1
    assert not (home / "exports" / str(ann.user_id)).exists()
    assert User.objects.filter(username="bob").exists()


def test_the_deletion_record_holds_counts_and_no_name_or_health_data(
    db: None, home: Path, django_capture_on_commit_callbacks: Any
) -> None:
    ann = _everything_an_account_leaves("ann", django_capture_on_commit_callbacks)
    services_export.account_delete(user=ann.user)
    record = AccountDeletion.objects.get()
    text = json.dumps(record.rows_removed)
    assert "ann" not in text
    assert record.rows_removed["program.Walk"] == 6
    assert all(isinstance(n, int) for n in record.rows_removed.values())
    fields = {f.name for f in AccountDeletion._meta.fields}
    assert fields == {"id", "occurred_at", "rows_removed"}


def test_delete_page_offers_an_export_and_asks_for_the_username(
    db: None, home: Path
) -> None:
    ann = rich_person("ann", days=4)
    client = client_for(ann)
    page = client.get("/accounts/settings/delete/").content.decode()
    assert "Download a copy" in page
    assert "Type your username to confirm" in page
    wrong = client.post("/accounts/settings/delete/", {"confirm": "someone"})
    assert wrong.status_code == 400
    assert "Type your username, ann, exactly" in wrong.content.decode()
    assert User.objects.filter(username="ann").exists()
    done = client.post("/accounts/settings/delete/", {"confirm": "ann"})
    assert done.status_code == 302
    assert not User.objects.filter(username="ann").exists()
    assert client.get("/accounts/settings/").status_code == 302  # signed out
