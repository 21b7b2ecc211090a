"""The upload page: files saved, the task worker imports them, people see their own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from tests.cast import START, TODAY
from tests.imports.conftest import run_import
from tests.imports.walks import write_walks
from tests.web.pages_support import person
from walkwell.web.imports.models import ImportRun, RunStatus
from walkwell.web.imports.report import NewWalks, new_walks_words
from walkwell.web.program.models import Person, Walk

pytestmark = pytest.mark.corpus
SettingsWrapper = Any  # pytest-django's settings fixture


@pytest.fixture
def home(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.WALKWELL_HOME = tmp_path
    return tmp_path


@pytest.fixture
def immediate_tasks(settings: SettingsWrapper) -> None:
    """Tasks run as they are enqueued, in the test's own process and transaction."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _upload(corpus: Path, *names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(Path(n).name, (corpus / n).read_bytes()) for n in names]


def test_an_upload_is_queued_and_the_worker_imports_it(
    transactional_db: None,
    corpus: Path,
    alice: Person,
    home: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    files = _upload(corpus, "fit/garmin-fenix-5-walk.fit", "fit/Settings.fit")
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(alice).post("/imports/", {"files": files})
    run = ImportRun.objects.get(person=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}/"
    assert (run.status, run.origin) == (RunStatus.QUEUED, "web")
    assert sorted(p.name for p in (home / "uploads" / str(run.pk)).iterdir()) == [
        "Settings.fit",
        "garmin-fenix-5-walk.fit",
    ]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    run.refresh_from_db()
    assert (run.status, run.imported, run.skipped) == (RunStatus.FINISHED, 1, 1)
    assert Walk.objects.get(person=alice).source == "import"
    assert not (home / "uploads" / str(run.pk)).exists()
    page = _client(alice).get(f"/imports/{run.pk}/progress/").content.decode()
    assert "hx-trigger" not in page
    assert "Settings.fit: this FIT file holds no activity" in page


def test_with_the_immediate_backend_the_upload_is_imported_at_once(
    corpus: Path,
    alice: Person,
    home: Path,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    files = _upload(corpus, "apple-health/synthetic-export.zip")
    with django_capture_on_commit_callbacks(execute=True):
        _client(alice).post("/imports/", {"files": files})
    run = ImportRun.objects.get(person=alice)
    assert (run.status, run.imported, run.files_done) == (RunStatus.FINISHED, 3, 1)
    page = _client(alice).get(f"/imports/{run.pk}/").content.decode()
    assert "Done: 3 new walks" in page


def test_progress_is_polled_while_the_run_waits(alice: Person) -> None:
    run = ImportRun.objects.create(person=alice, files_total=2)
    page = _client(alice).get(f"/imports/{run.pk}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "0 of 2 files read" in page


def test_a_person_never_sees_another_persons_import(
    alice: Person, mallory: Person
) -> None:
    run = ImportRun.objects.create(person=alice)
    for url in (f"/imports/{run.pk}/", f"/imports/{run.pk}/progress/"):
        assert _client(mallory).get(url).status_code == 404
        assert _client(alice).get(url).status_code == 200
    listing = _client(mallory).get("/imports/").content.decode()
    assert f"/imports/{run.pk}/" not in listing
    assert _client(mallory).post(f"/imports/{run.pk}/retry/").status_code == 404


def test_an_upload_without_the_csrf_token_is_refused(
    corpus: Path, alice: Person, home: Path
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice.user)
    files = _upload(corpus, "fit/garmin-fenix-5-walk.fit")
    assert client.post("/imports/", {"files": files}).status_code == 403
    assert ImportRun.objects.count() == 0


def test_too_many_files_are_refused_with_the_limit(
    corpus: Path, alice: Person, home: Path, settings: SettingsWrapper
) -> None:
    settings.WALKWELL_UPLOAD_MAX_FILES = 1
    files = _upload(corpus, "fit/garmin-fenix-5-walk.fit", "fit/Settings.fit")
    response = _client(alice).post("/imports/", {"files": files})
    assert response.status_code == 400
    assert "at most 1 files at once (got 2)" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_signing_in_is_required(db: None) -> None:
    response = Client().get("/imports/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_a_run_whose_worker_died_can_be_tried_again_and_completes(
    corpus: Path,
    alice: Person,
    home: Path,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    run = ImportRun.objects.create(person=alice, origin="web", status="running")
    folder = home / "uploads" / str(run.pk)
    folder.mkdir(parents=True)
    (folder / "walk.fit").write_bytes(
        (corpus / "fit/garmin-fenix-5-walk.fit").read_bytes()
    )
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    ImportRun.objects.filter(pk=run.pk).update(updated_at=an_hour_ago)
    page = _client(alice).get(f"/imports/{run.pk}/progress/").content.decode()
    assert "no progress for 60 minutes" in page
    assert "hx-trigger" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(alice).post(f"/imports/{run.pk}/retry/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.imported) == (RunStatus.FINISHED, 1)
    assert Walk.objects.get(person=alice).source == "import"


ASK_ON_TODAY = "Add how your back felt on the Today page."


def _imported_page(tmp_path: Path, *firsts: tuple[dt.date, int]) -> str:
    """The page of a finished import of walks (``count`` a day from each
    ``first``) by someone who started on ``START``, read on ``TODAY``."""
    pia = person("pia", START)
    paths = [
        path
        for first, count in firsts
        for path in write_walks(tmp_path / str(first), count, first=first)
    ]
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(9), dt.UTC)):
        report = run_import(pia, *paths)
        return _client(pia).get(f"/imports/{report.run_id}/").content.decode()


def test_walks_from_before_the_start_are_not_sent_to_today_for_answers(
    db: None, tmp_path: Path
) -> None:
    page = _imported_page(tmp_path, (dt.date(2023, 5, 1), 3))
    assert "Done: 3 new walks" in page
    assert ASK_ON_TODAY not in page
    assert "how your back felt" not in page
    assert (
        "These walks are from before your program started on 2 March 2026: "
        "your history, shown on Progress, not judged and not counted in your plan."
    ) in page


def test_only_the_walks_today_asks_about_are_sent_there(
    db: None, tmp_path: Path
) -> None:
    history, recent = (dt.date(2023, 5, 1), 2), (START, 2)
    page = _imported_page(tmp_path, history, recent)
    assert "Done: 4 new walks" in page
    assert ASK_ON_TODAY in page
    assert (
        "The 2 walks are from before your program started on 2 March 2026: your "
        "history, shown on Progress, not judged and not counted in your plan."
    ) in page


def test_the_next_steps_name_only_what_is_true_of_the_new_walks() -> None:
    def words(imported: int, asked: int, history: int) -> list[str]:
        return new_walks_words(NewWalks(imported, asked, history, START))

    assert words(3, 0, 0) == []  # in the plan, too old for Today to ask
    assert words(3, 1, 0) == [
        "Add how your back felt on the Today page: it asks about 1 walk of "
        "these, the ones of the last few days."
    ]
    assert words(1, 0, 1) == [
        "This walk is from before your program started on 2 March 2026: your "
        "history, shown on Progress, not judged and not counted in your plan."
    ]
    assert words(2, 1, 1)[1].startswith("The walk is from before your program")
