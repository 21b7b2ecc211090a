"""A run whose process died is marked failed with its reason; a retry counts once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.imports.walks import write_walks
from walkwell.web.imports import liveness, services
from walkwell.web.imports.models import ImportRun, RunStatus
from walkwell.web.imports.report import report_for
from walkwell.web.imports.services import ImportProgress
from walkwell.web.program.models import Person, Walk

SettingsWrapper = Any  # pytest-django's settings fixture


class CrashError(Exception):
    """The worker dying mid-way, as far as the import can tell."""


@pytest.fixture
def home(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.WALKWELL_HOME = tmp_path
    return tmp_path


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _dead_pid() -> int:
    """The id of a real process that has ended (and been collected)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process.kill()
    process.wait()
    return process.pid


def _running(person: Person, *, host: str, pid: int | None) -> ImportRun:
    return ImportRun.objects.create(
        person=person,
        origin="web",
        status=RunStatus.RUNNING,
        files_total=2,
        worker_host=host,
        worker_pid=pid,
    )


def test_a_run_whose_worker_process_died_shows_failed_and_is_stored_so_by_a_write(
    alice: Person,
) -> None:
    host, _ = liveness.this_process()
    pid = _dead_pid()
    run = _running(alice, host=host, pid=pid)
    page = _client(alice).get(f"/imports/{run.pk}/progress/").content.decode()
    assert "The import stopped before the end" in page
    assert f"process {pid}" in page
    assert "hx-trigger" not in page
    assert "Try again" in page
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # a read stores nothing
    assert services.runs_reap(person=alice) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert f"(process {pid}) ended before it finished" in run.error
    assert run.finished_at is not None


def test_a_run_whose_worker_died_can_be_retried_before_anything_stored_its_death(
    alice: Person, home: Path
) -> None:
    run = _running(alice, host=liveness.this_process()[0], pid=_dead_pid())
    services.upload_folder(run).mkdir(parents=True)
    retried = services.run_retry(person=alice, run_id=run.pk)
    assert retried.status == RunStatus.QUEUED


def test_a_run_whose_worker_is_alive_stays_running_however_quiet(
    alice: Person,
) -> None:
    host, pid = liveness.this_process()
    run = _running(alice, host=host, pid=pid)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    ImportRun.objects.filter(pk=run.pk).update(updated_at=an_hour_ago)
    assert services.runs_reap(person=alice) == 0
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING


def test_a_silent_run_on_another_machine_is_marked_failed_after_ten_minutes(
    alice: Person, mallory: Person
) -> None:
    quiet = _running(alice, host="worker-7.internal", pid=4242)
    busy = _running(mallory, host="worker-7.internal", pid=4243)
    eleven_minutes_ago = timezone.now() - dt.timedelta(minutes=11)
    ImportRun.objects.filter(pk=quiet.pk).update(updated_at=eleven_minutes_ago)
    assert services.runs_reap() == 1
    quiet.refresh_from_db()
    busy.refresh_from_db()
    assert quiet.status == RunStatus.FAILED
    assert "no progress for 11 minutes" in quiet.error
    assert "worker-7.internal" in quiet.error
    assert busy.status == RunStatus.RUNNING


def test_the_page_says_so_when_no_worker_claims_a_queued_run(alice: Person) -> None:
    fresh = ImportRun.objects.create(person=alice, origin="web", files_total=1)
    waiting = ImportRun.objects.create(person=alice, origin="web", files_total=1)
    half_a_minute_ago = timezone.now() - dt.timedelta(seconds=30)
    ImportRun.objects.filter(pk=waiting.pk).update(updated_at=half_a_minute_ago)
    client = _client(alice)
    early = client.get(f"/imports/{fresh.pk}/progress/").content.decode()
    late = client.get(f"/imports/{waiting.pk}/progress/").content.decode()
    assert "No importer has picked up" not in early
    assert "No importer has picked up these files in 30 seconds" in late
    assert "walkwell manage db_worker" in late
    assert 'hx-trigger="every 2s"' in late  # it keeps watching for the worker


def test_a_retried_run_reports_each_walk_once(alice: Person, home: Path) -> None:
    run = ImportRun.objects.create(person=alice, origin="web", files_total=3)
    folder = services.upload_folder(run)
    write_walks(folder, 3, first=dt.date(2026, 1, 5))

    def crash_after_first_walk(state: ImportProgress) -> None:
        if state.imported == 1:
            raise CrashError

    with pytest.raises(CrashError):
        services.import_paths(
            person=alice,
            paths=[folder],
            run=run,
            root=folder,
            progress=crash_after_first_walk,
        )
    services.run_retry(person=alice, run_id=run.pk)
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    report = report_for(run)
    assert (run.status, run.imported, run.duplicates) == (RunStatus.FINISHED, 3, 0)
    assert (len(report.imported), len(report.duplicates)) == (3, 0)
    assert len({entry.walk_id for entry in report.imported}) == 3
    assert Walk.objects.filter(person=alice).count() == 3
    assert run.files_done == run.files_total == 3
    assert run.error == ""
