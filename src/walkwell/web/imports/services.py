"""Writes: import files into a person's log, queue uploads and retry them.

``import_paths`` reads every file with the importers (which never touch the
database) and stores what they found through ``storing.RunWriter``: one
transaction per walk, nothing of a file that failed half-way, daily steps in
bulk. The run's counters are updated as it goes, for progress bars and pages.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django_tasks import task

from walkwell.core.limits import ValidationProblem
from walkwell.importers.dispatch import iter_path
from walkwell.web.imports import conf, liveness
from walkwell.web.imports.models import ImportRun, Outcome, RunOrigin, RunStatus
from walkwell.web.imports.report import ImportReport, report_for
from walkwell.web.imports.storing import Group, Key, RunWriter
from walkwell.web.program.models import Person

logger = logging.getLogger(__name__)

SAVE_EVERY_S = 1.0  # how often a long file's progress is written for the web page


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Where a run stands; handed to the ``progress`` callback as it moves on."""

    files_total: int
    files_done: int
    current_file: str
    imported: int
    duplicates: int
    skipped: int
    refused: int
    step_days: int


Progress = Callable[[ImportProgress], None]


def import_paths(
    *,
    person: Person,
    paths: Sequence[Path],
    progress: Progress | None = None,
    run: ImportRun | None = None,
    root: Path | None = None,
) -> ImportReport:
    """Import every walk and daily step count found in files, folders and zips.

    Files are named in the report as given (or relative to ``root``). Raises
    ``ValidationProblem`` before anything is stored when a path does not exist.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ValidationProblem("PATH", f"no such file or folder: {', '.join(missing)}")
    run = run or ImportRun.objects.create(person=person, origin=RunOrigin.CLI)
    _begin(run, files_total=sum(_count_files(p) for p in paths))
    reader = _Reader(person, run, progress)
    try:
        for path in paths:
            reader.read(path, _display(path, root))
        reader.finish()
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt | SystemExit):  # stopped on purpose
            logger.warning("import run %s stopped: %s", run.pk, stop_reason(error))
        else:
            logger.exception("import run %s stopped before the end", run.pk)
        _end(run, RunStatus.FAILED, stop_reason(error))
        raise
    _end(run, RunStatus.FINISHED)
    return report_for(run)


def stop_reason(error: BaseException) -> str:
    """A plain reason for a person; the exception itself goes to the server log."""
    if isinstance(error, KeyboardInterrupt | SystemExit):
        return "the importer was stopped (its server shut down, or Ctrl-C)"
    if isinstance(error, MemoryError):
        return "the computer ran out of memory"
    if isinstance(error, DatabaseError):
        return "the database could not be written to"
    if isinstance(error, OSError):
        return "a file could not be read or written"
    return "an unexpected problem; the details are in the server log"


def _count_files(path: Path) -> int:
    if not path.is_dir():
        return 1
    return sum(len(names) for _, _, names in os.walk(path))


def _display(path: Path, root: Path | None) -> str:
    if root is None:
        return str(path)
    shown = path.resolve().relative_to(root.resolve())
    return "" if str(shown) == "." else str(shown)


def _begin(run: ImportRun, *, files_total: int) -> None:
    """Mark the run as read by this process; a retried run starts its count again.

    Walks a retried run stored before it stopped stay in its report once; every
    other outcome is found again by this reading.
    """
    with transaction.atomic():
        run.items.exclude(outcome=Outcome.IMPORTED).delete()
        run.imported = run.items.count()
        run.duplicates = run.skipped = run.refused = run.step_days = 0
        run.status = RunStatus.RUNNING
        run.files_total, run.files_done = files_total, 0
        run.started_at, run.finished_at = timezone.now(), None
        run.error = ""
        run.worker_host, run.worker_pid = liveness.this_process()
        run.save()


def _end(run: ImportRun, status: RunStatus, error: str = "") -> None:
    run.status = status
    run.error = error[:2000]
    run.current_file = ""
    run.finished_at = timezone.now()
    if status == RunStatus.FINISHED:
        run.files_done = run.files_total
    run.save(
        update_fields=[
            "status",
            "error",
            "current_file",
            "finished_at",
            "files_done",
            "updated_at",
        ]
    )


class _Reader:
    """Feeds items to groups, stores each group when it ends, reports progress."""

    def __init__(self, person: Person, run: ImportRun, progress: Progress | None):
        self.run = run
        self.progress = progress
        self.group: Group | None = None
        self.writer = RunWriter(person, run)
        self.limits = conf.import_limits()
        self.saved_at = time.monotonic()

    def read(self, path: Path, shown: str) -> None:
        folder = path.is_dir()
        for item in iter_path(path, self.limits):
            label = _joined(shown, item.file) if folder else shown or item.file
            key: Key = (label, item.member)
            if self.group is None or self.group.key != key:
                self._store(next_file=label)
                self.group = Group(key)
            self.group.take(dataclasses.replace(item, file=label))
            self._tick()

    def finish(self) -> None:
        self._store(next_file=None)

    def _store(self, next_file: str | None) -> None:
        group, self.group = self.group, None
        if group is not None:
            self.writer.store(group)
            if next_file != group.key[0]:
                done = self.run.files_done + 1
                self.run.files_done = min(done, self.run.files_total)
        self.run.current_file = (next_file or "")[:500]
        self._save()

    def _tick(self) -> None:
        if time.monotonic() - self.saved_at >= SAVE_EVERY_S:
            self._save()

    def _save(self) -> None:
        self.saved_at = time.monotonic()
        self.run.save(update_fields=["files_done", "current_file", "updated_at"])
        if self.progress is not None:
            self.progress(progress_of(self.run))


def _joined(folder: str, file: str) -> str:
    return f"{folder.rstrip('/')}/{file}" if folder else file


def progress_of(run: ImportRun) -> ImportProgress:
    """A run's counters as the progress callback receives them."""
    return ImportProgress(
        files_total=run.files_total,
        files_done=run.files_done,
        current_file=run.current_file,
        imported=run.imported,
        duplicates=run.duplicates,
        skipped=run.skipped,
        refused=run.refused,
        step_days=run.step_days,
    )


# --- uploads from the web pages -----------------------------------------------


def upload_folder(run: ImportRun) -> Path:
    """Where an upload's files wait for the worker: WALKWELL_HOME/uploads/<run id>/."""
    return Path(settings.WALKWELL_HOME) / "uploads" / str(run.pk)


def upload_check(*, files: Sequence[UploadedFile[bytes]]) -> None:
    """Refuse an upload over the limits before anything is stored."""
    if not files:
        raise ValidationProblem("files", "choose at least one file to import")
    most = conf.upload_max_files()
    if len(files) > most:
        raise ValidationProblem(
            "files", f"at most {most} files at once (got {len(files)})"
        )
    total, limit = sum(f.size or 0 for f in files), conf.upload_max_bytes()
    if total > limit:
        raise ValidationProblem(
            "files", f"together larger than the limit of {limit:,} bytes ({total:,})"
        )


@transaction.atomic
def upload_start(*, person: Person, files: Sequence[UploadedFile[bytes]]) -> ImportRun:
    """Save uploaded files under the run's folder and queue their import.

    The request returns as soon as the files are on disk: the worker
    (``walkwell manage db_worker``) reads them, however large.
    """
    upload_check(files=files)
    run = ImportRun.objects.create(
        person=person, origin=RunOrigin.WEB, files_total=len(files)
    )
    folder = upload_folder(run)
    for private in (folder.parent, folder):  # health data: the owner only
        private.mkdir(mode=0o700, exist_ok=True)
        private.chmod(0o700)
    for upload in files:
        _save_upload(upload, _free_name(folder, upload.name))
    transaction.on_commit(lambda: import_run_task.enqueue(run.pk))
    return run


def _free_name(folder: Path, name: str | None) -> Path:
    """A path in ``folder`` that cannot leave it, not yet taken by another file."""
    base = get_valid_filename(Path(name or "upload").name)[:150] or "upload"
    target, number = folder / base, 1
    while target.exists():
        number += 1
        target = folder / f"{Path(base).stem}-{number}{Path(base).suffix}"
    return target


def _save_upload(upload: UploadedFile[bytes], target: Path) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)


def run_execute(*, run_id: int) -> ImportRun | None:
    """The worker's side of an upload: import the files, then delete them."""
    run = ImportRun.objects.select_related("person").filter(pk=run_id).first()
    if run is None or run.status == RunStatus.FINISHED:
        return run
    folder = upload_folder(run)
    if not folder.is_dir():
        _end(run, RunStatus.FAILED, "the uploaded files are no longer on the server")
        return run
    import_paths(person=run.person, paths=[folder], run=run, root=folder)
    shutil.rmtree(folder, ignore_errors=True)
    return run


@task()
def import_run_task(run_id: int) -> None:
    """The background task of an upload: the worker (``walkwell manage db_worker``)
    imports the files of run ``run_id`` and keeps its progress counters current.

    Defined here, beside what queues it, so the services and the task module do
    not import each other."""
    run_execute(run_id=run_id)


def run_retry(*, person: Person, run_id: int) -> ImportRun:
    """Queue a stopped web run again: walks stored before it stopped stay once.

    Stopped means failed, including a run whose worker was killed mid-way (its
    row may still say running: reads never store a death). A refused retry
    changes nothing; the queueing is conditional on the row as it was read, so a
    worker that wrote progress meanwhile is never doubled.
    """
    run = ImportRun.objects.filter(pk=run_id, person=person).first()
    if run is None:
        raise ValidationProblem("run", "no such import")
    dead = liveness.death_reason(run, timezone.now()) is not None
    stopped = run.status == RunStatus.FAILED or dead
    if not stopped or not upload_folder(run).is_dir():
        raise ValidationProblem("run", "only a stopped import can be tried again")
    queued = ImportRun.objects.filter(
        pk=run.pk, status=run.status, updated_at=run.updated_at
    ).update(status=RunStatus.QUEUED, current_file="", updated_at=timezone.now())
    if not queued:
        raise ValidationProblem("run", "the import changed meanwhile; try again")
    run.refresh_from_db()
    transaction.on_commit(lambda: import_run_task.enqueue(run.pk))
    return run


def runs_reap(*, person: Person | None = None) -> int:
    """Mark failed, with the reason, every running run whose process died.

    The update is conditional on the run being unchanged since it was read, so a
    live worker that writes progress at that moment is never marked failed.
    """
    now, reaped = timezone.now(), 0
    running = ImportRun.objects.filter(status=RunStatus.RUNNING)
    if person is not None:
        running = running.filter(person=person)
    for run in running:
        reason = liveness.death_reason(run, now)
        if reason is None:
            continue
        reaped += ImportRun.objects.filter(
            pk=run.pk, status=RunStatus.RUNNING, updated_at=run.updated_at
        ).update(
            status=RunStatus.FAILED,
            error=reason,
            current_file="",
            finished_at=now,
            updated_at=now,
        )
    return reaped
