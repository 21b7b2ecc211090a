"""Writes around a person's whole record: the export's audit trace, the restore of a
JSON export into an empty account, and the deletion of an account with every row
and file that belongs to it.

Each runs in one transaction: a restore that meets a wrong value stores nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from walkwell.core import limits
from walkwell.core.limits import ValidationProblem
from walkwell.core.protocol import ProtocolError
from walkwell.web.program import audit, records, selectors
from walkwell.web.program import selectors_export as exports
from walkwell.web.program.models import AccountDeletion, AuditEvent, Person

BATCH = 500

# The days of a person's record that may not come after today, as the services
# refuse them (``limits.not_in_future``), by record type. A restore allows one day
# more: where the export was made, the day may already have turned.
DATED = {
    "person": ("start", "go_ahead"),
    "screenings": ("date",),
    "walks": ("date",),
    "checkins": ("date",),
    "clearances": ("date",),
    "symptoms": ("date",),
    "outcomes": ("date",),
}
RESTORE_DAY_AHEAD = dt.timedelta(days=1)
# Exports from the web with more rows than this are written by the task worker
# and offered for download when ready (WALKWELL_EXPORT_TASK_ROWS).
TASK_ROWS_DEFAULT = 20_000


def task_rows() -> int:
    configured = getattr(settings, "WALKWELL_EXPORT_TASK_ROWS", None)
    return TASK_ROWS_DEFAULT if configured is None else int(configured)


def export_write(
    *,
    person: Person,
    fmt: str,
    out: IO[bytes],
    exported_at: dt.datetime,
    actor: User | None = None,
) -> None:
    """Write the export in ``fmt`` (json, csv or fhir) to ``out``, then leave the
    trace of it in the audit log (with ``actor``, the clinician, when it was not
    the person)."""
    format_check(fmt)
    if fmt == "csv":
        exports.write_csv_zip(person, out, exported_at)
    else:
        for piece in exports.iter_text(fmt, person, exported_at):
            out.write(piece.encode())
    export_recorded(person=person, fmt=fmt, day=exported_at.date(), actor=actor)


def format_check(fmt: str) -> str:
    """``fmt`` if it is a format WalkWell exports, or a refusal naming them."""
    if fmt not in exports.FORMATS:
        raise ValidationProblem(
            "format", f"must be one of {', '.join(exports.FORMATS)} (got {fmt!r})"
        )
    return fmt


def exports_folder(user_id: int) -> Path:
    """Where exports made by the task worker wait: WALKWELL_HOME/exports/<user id>/."""
    return Path(settings.WALKWELL_HOME) / "exports" / str(user_id)


@dataclass(frozen=True)
class ReadyExport:
    name: str
    fmt: str
    size: int
    made_at: dt.datetime


def ready_exports(user_id: int) -> list[ReadyExport]:
    """The exports written by the worker for this account, newest first (a file
    still being written ends in ``.part`` and is not offered)."""
    folder = exports_folder(user_id)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        fmt = next(
            (f for f, suffix in exports.SUFFIX.items() if path.name.endswith(suffix)),
            None,
        )
        if fmt is None or path.name.endswith(".part"):
            continue
        if fmt == "json" and path.name.endswith(exports.SUFFIX["fhir"]):
            fmt = "fhir"
        made = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        found.append(ReadyExport(path.name, fmt, path.stat().st_size, made))
    return sorted(found, key=lambda e: e.made_at, reverse=True)


def ready_export_path(user_id: int, name: str) -> Path | None:
    """The file of one ready export, only if it is one of the account's own."""
    if name not in {e.name for e in ready_exports(user_id)}:
        return None
    return exports_folder(user_id) / name


def export_queue(*, person: Person, fmt: str) -> None:
    """Queue a large export for the worker (``walkwell manage db_worker``)."""
    format_check(fmt)
    user_id = person.user_id
    transaction.on_commit(lambda: export_file_task.enqueue(user_id, fmt))


def export_file(*, user_id: int, fmt: str, now: dt.datetime) -> Path | None:
    """Write an export into the account's exports folder (the worker's side)."""
    person = Person.objects.select_related("user").filter(user_id=user_id).first()
    if person is None:
        return None
    folder = exports_folder(user_id)
    for private in (folder.parent, folder):  # health data: the owner only
        private.mkdir(mode=0o700, exist_ok=True)
        private.chmod(0o700)
    target = folder / f"walkwell-{now:%Y%m%d-%H%M%S}{exports.SUFFIX[fmt]}"
    part = target.with_name(target.name + ".part")
    descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            export_write(person=person, fmt=fmt, out=out, exported_at=now)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.rename(target)
    return target


@task()
def export_file_task(user_id: int, fmt: str) -> None:
    """The background task of a large export from the Settings page."""
    export_file(user_id=user_id, fmt=fmt, now=dt.datetime.now(dt.UTC))


def export_recorded(
    *, person: Person, fmt: str, day: dt.date, actor: User | None = None
) -> None:
    audit.export_record(person=person, what=f"export as {fmt}", day=day, actor=actor)


# --- restore --------------------------------------------------------------------


def read_document(raw: bytes) -> dict[str, Any]:
    """A JSON export read and checked at the top level, or a clear refusal."""
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationProblem("file", f"is not JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != exports.FORMAT:
        raise ValidationProblem(
            "file", f'is not a WalkWell JSON export (no "format": "{exports.FORMAT}")'
        )
    version = document.get("format_version")
    if version != exports.FORMAT_VERSION:
        raise ValidationProblem(
            "format_version",
            f"must be {exports.FORMAT_VERSION}, the version this WalkWell reads "
            f"(got {version!r})",
        )
    if not isinstance(document.get("records"), dict):
        raise ValidationProblem("records", "must be an object of record lists")
    return document


def has_data(user: User) -> bool:
    """Whether the account holds any record (its preferences aside)."""
    return Person.objects.filter(user=user).exists()


@transaction.atomic
def restore(*, user: User, document: dict[str, Any], day: dt.date) -> Person:
    """Bring a JSON export into ``user``'s account, which must hold no record yet.

    All or nothing: the first wrong value is named (``walks[3].minutes``) and
    nothing is stored. A record dated after the day beyond ``day`` (the
    person's today) is one of them (``DATED``)."""
    if has_data(user):
        raise ValidationProblem(
            "account",
            "already holds a record; a restore only goes into a new, empty account "
            "(export this one first, or delete it, to start again)",
        )
    given: dict[str, Any] = document["records"]
    unknown = sorted(set(given) - {r.name for r in records.record_types()})
    if unknown:
        raise ValidationProblem(
            f"records.{unknown[0]}", "is not a kind of record this WalkWell knows"
        )
    people = given.get("person")
    if not isinstance(people, list) or len(people) != 1:
        raise ValidationProblem("records.person", "must be a list of exactly one")
    person = records.PERSON.decode(people[0], "records.person[0]")
    if not isinstance(person, Person):  # pragma: no cover - the type's own model
        raise TypeError(person)
    try:  # a protocol this WalkWell does not have is refused by name
        selectors.protocol_for(person)
    except ProtocolError as exc:
        raise ValidationProblem(
            "records.person[0].protocol_id", str(exc).splitlines()[0]
        ) from None
    for record in records.record_types():
        rows = given.get(record.name, [])
        if not isinstance(rows, list):
            raise ValidationProblem(f"records.{record.name}", "must be a list")
        _restore_rows(record, rows, user, person, day)
    audit.write(person, AuditEvent.DATA_RESTORED, day)
    return person


def _days_come(name: str, row: models.Model, where: str, day: dt.date) -> None:
    """Refuse a restored row dated after ``day`` and the day beyond it."""
    for field in DATED.get(name, ()):
        value = getattr(row, field)
        try:
            if value is not None:
                limits.not_in_future(f"{where}.{field}", value, day + RESTORE_DAY_AHEAD)
        except ValidationProblem as problem:
            raise ValidationProblem(
                problem.field,
                f"{problem.message}; nothing was restored (an export made on a "
                "machine whose clock ran ahead: correct its dates in the file)",
            ) from None


def _restore_rows(
    record: records.RecordType,
    rows: list[Any],
    user: User,
    person: Person,
    day: dt.date,
) -> None:
    stamps = record.timestamps()
    batch: list[tuple[models.Model, dict[str, Any]]] = []
    for i, data in enumerate(rows):
        where = f"records.{record.name}[{i}]"
        row = person if record.name == "person" else record.decode(data, where)
        _days_come(record.name, row, where, day)
        setattr(row, record.owner, user if record.owner == "user" else person)
        batch.append((row, {s: getattr(row, s) for s in stamps}))
        if len(batch) >= BATCH:
            _insert(record, batch, stamps, first=i + 1 - len(batch))
            batch = []
    _insert(record, batch, stamps, first=len(rows) - len(batch))


def _insert(
    record: records.RecordType,
    batch: list[tuple[models.Model, dict[str, Any]]],
    stamps: list[str],
    *,
    first: int,
) -> None:
    if not batch:
        return
    model = record.model
    try:
        with transaction.atomic():
            if record.owner == "user" and record.name != "person":
                # one row per account (the preferences): replaced, not added
                model._default_manager.filter(
                    user=batch[0][0].user  # type: ignore[attr-defined]
                ).delete()
            saved = model._default_manager.bulk_create([row for row, _ in batch])
    except IntegrityError as exc:
        raise _refusal(record, batch, first, exc) from None
    if stamps:
        for row, (_, given) in zip(saved, batch, strict=True):
            for name, value in given.items():
                setattr(row, name, value)
        model._default_manager.bulk_update(saved, stamps, batch_size=BATCH)


def _refusal(
    record: records.RecordType,
    batch: list[tuple[models.Model, dict[str, Any]]],
    first: int,
    exc: IntegrityError,
) -> ValidationProblem:
    """Which record broke a rule of the database, found once a batch failed (so
    a good restore never pays for checking each row's constraints)."""
    for n, (row, _) in enumerate(batch):
        try:
            row.validate_constraints()
        except ValidationError as problem:
            fields = problem.message_dict
            name = next(iter(fields))
            where = f"records.{record.name}[{first + n}]"
            field = where if name == NON_FIELD_ERRORS else f"{where}.{name}"
            return ValidationProblem(field, " ".join(fields[name]))
    return ValidationProblem(
        f"records.{record.name}",
        f"holds a value the record does not allow ({str(exc).splitlines()[0]})",
    )


# --- deletion -------------------------------------------------------------------


def _sessions_of(user: User) -> list[str]:
    """The keys of the account's sessions (a session stores its user id inside)."""
    return [
        session.session_key
        for session in Session.objects.iterator(chunk_size=500)
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]


def _axes_rows(user: User) -> list[models.QuerySet[Any]]:
    """The sign-in attempt logs kept by django-axes for this username."""
    found = []
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        found.append(model._default_manager.filter(username=user.get_username()))
    return found


@transaction.atomic
def account_delete(*, user: User) -> AccountDeletion:
    """Delete the account and everything that belongs to it: the record, the
    preferences, sessions, sign-in logs, import files and queued tasks.

    What remains is one ``AccountDeletion`` row saying that an account was
    deleted, when, and how many rows went: no name and no health data."""
    person = Person.objects.filter(user=user).first()
    counts: dict[str, int] = {}
    for cleanup in records.cleanups():
        cleanup(user, person)
    _forget_exports(user)
    for rows in _axes_rows(user):
        _count(counts, rows.delete())
    keys = _sessions_of(user)
    _count(counts, Session.objects.filter(session_key__in=keys).delete())
    _count(counts, user.delete())
    return AccountDeletion.objects.create(rows_removed=dict(sorted(counts.items())))


def _forget_exports(user: User) -> None:
    """Exports waiting on disk, and queued export tasks, of this account."""
    shutil.rmtree(exports_folder(user.pk), ignore_errors=True)
    func = export_file_task.func
    queued = DBTaskResult.objects.filter(
        task_path=f"{func.__module__}.{func.__qualname__}"
    )
    for result in queued.iterator(chunk_size=500):
        if result.args_kwargs.get("args", [None])[:1] == [user.pk]:
            result.delete()


def _count(counts: dict[str, int], deleted: tuple[int, dict[str, int]]) -> None:
    for label, number in deleted[1].items():
        if number:
            counts[label] = counts.get(label, 0) + number
