"""The record types a person owns: one definition each, read by the exports (JSON,
CSV, FHIR), the restore and the account deletion.

A record type names a model and the field that ties a row to its owner (``person``
or ``user``). Its columns are the model's own fields, found when they are needed,
so a field added to a model later is exported, restored and described without
touching this module. Links to other rows (an import run, a walk) are not
exported: they mean nothing in another account.

Apps above ``program`` register their own record types from ``AppConfig.ready``
(``accounts`` its preferences, ``imports`` the daily steps); a new record type is
one call to ``register``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models

from walkwell.core.limits import ValidationProblem
from walkwell.web.program.models import (
    AuditEvent,
    AuditLog,
    CheckIn,
    Clearance,
    OutcomeResponse,
    Person,
    Screening,
    SymptomReport,
    Walk,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Rows = Callable[["models.QuerySet[Any]"], "models.QuerySet[Any]"]


def _all(rows: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return rows


@dataclass(frozen=True)
class RecordType:
    """One kind of row a person owns, as exports and the restore see it."""

    name: str  # the key in the JSON export, the file name in the CSV zip
    model: type[models.Model]
    owner: str  # "person" or "user": the field that ties a row to its owner
    description: str  # one line for the CSV README and the JSON Schema
    # Fields never exported: secrets (the calendar token), bookkeeping of one
    # server (a form's retry key is kept; a foreign key is dropped by itself).
    exclude: frozenset[str] = frozenset()
    # Narrows the rows exported (the audit log leaves out its access events).
    only: Rows = field(default=_all)

    def fields(self) -> list[models.Field[Any, Any]]:
        """The exported columns: every concrete field but the key, the owner,
        links to other rows, and the excluded ones."""
        return [
            f
            for f in self.model._meta.concrete_fields
            if not f.primary_key
            and not f.is_relation
            and f.name != self.owner
            and f.name not in self.exclude
        ]

    def rows_of(self, person: Person) -> models.QuerySet[Any]:
        owner = person.user_id if self.owner == "user" else person.pk
        rows = self.model._default_manager.filter(**{f"{self.owner}_id": owner})
        ordering = [*(self.model._meta.ordering or ()), "pk"]
        return self.only(rows).order_by(*ordering)

    def timestamps(self) -> list[str]:
        """Fields Django fills in on save (``auto_now``): the restore puts the
        exported values back after inserting."""
        return [
            f.name
            for f in self.fields()
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]

    def encode(self, row: models.Model) -> dict[str, Any]:
        return {f.name: encode_value(f.value_from_object(row)) for f in self.fields()}

    def decode(self, data: object, where: str) -> models.Model:
        """An unsaved row from one exported record; a ``ValidationProblem`` naming
        the record and field when a value is not allowed."""
        if not isinstance(data, dict):
            raise ValidationProblem(where, "must be an object of fields and values")
        known = {f.name: f for f in self.fields()}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValidationProblem(
                f"{where}.{unknown[0]}",
                f"is not a field of {self.name} (known: {', '.join(known)})",
            )
        values: dict[str, Any] = {}
        for name, value in data.items():
            try:
                values[name] = known[name].to_python(value)
            except ValidationError as exc:
                raise ValidationProblem(f"{where}.{name}", _said(exc)) from None
            except (TypeError, ValueError):
                raise ValidationProblem(
                    f"{where}.{name}", f"has a value of the wrong kind ({value!r})"
                ) from None
        row = self.model(**values)
        # Empty values ("", [], {}) are what the services store for "none"; a
        # missing value where one is needed is refused by the database.
        skip = [
            self.owner,
            *(f.name for f in self.model._meta.fields if f.is_relation),
            *(n for n, v in values.items() if v in known[n].empty_values),
        ]
        try:
            row.clean_fields(exclude=skip)
        except ValidationError as exc:
            name, errors = next(iter(exc.message_dict.items()))
            raise ValidationProblem(f"{where}.{name}", " ".join(errors)) from None
        return row


def _said(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def encode_value(value: Any) -> Any:
    """A field's value as JSON: ISO dates and times, numbers as numbers."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


_REGISTRY: dict[str, RecordType] = {}


def register(record: RecordType) -> None:
    """Add a record type to every export, the restore and the deletion count.

    Registered once per name (a second ``ready`` in tests is harmless)."""
    _REGISTRY.setdefault(record.name, record)


def record_types() -> list[RecordType]:
    """In the order rows are restored: the person first, then the rest as
    registered."""
    return list(_REGISTRY.values())


def record_type(name: str) -> RecordType | None:
    return _REGISTRY.get(name)


# What apps above program keep outside the person's rows (files on disk, queued
# tasks), cleared by the account deletion (``services_export.account_delete``):
# each is called with the account before it is deleted. Registered here, not in
# ``services_export``, so that the apps' ``ready`` hooks do not import the export
# services every time Django starts.
Cleanup = Callable[["User", Person | None], None]
_CLEANUPS: list[Cleanup] = []


def register_cleanup(cleanup: Cleanup) -> None:
    if cleanup not in _CLEANUPS:
        _CLEANUPS.append(cleanup)


def cleanups() -> list[Cleanup]:
    return list(_CLEANUPS)


def iter_rows(record: RecordType, person: Person) -> Iterator[models.Model]:
    """Every row of one type, in a stable order, read in chunks (bounded memory)."""
    return record.rows_of(person).iterator(chunk_size=500)


# Events about the copy of the record, not in it: an export or restore leaves
# one in the account that did it, and none travels in the file (so an export
# restored and exported again gives the same file).
ACCESS_EVENTS = (AuditEvent.DATA_EXPORTED, AuditEvent.DATA_RESTORED)


def _clinical(rows: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return rows.exclude(event_type__in=ACCESS_EVENTS)


PERSON = RecordType(
    "person",
    Person,
    "user",
    "The enrolment: protocol, start day, baseline minutes, footwear, "
    "the last phase and decision seen.",
    # this server's cache key for the stored timeline, not part of the record
    exclude=frozenset({"history_version"}),
)

for _record in (
    PERSON,
    RecordType(
        "screenings", Screening, "person", "Red-flag screening: the answers of yes."
    ),
    RecordType(
        "walks",
        Walk,
        "person",
        "Walks: minutes, pain before, during and after, warning signs, and what "
        "a device recorded (start, duration, distance, climb).",
    ),
    RecordType(
        "checkins",
        CheckIn,
        "person",
        "Morning check-ins: pain, stiffness in minutes, sleep, focus, signs.",
    ),
    RecordType(
        "clearances", Clearance, "person", "Clearances: the day and who cleared."
    ),
    RecordType(
        "symptoms",
        SymptomReport,
        "person",
        "Warning signs and red flags reported on their own.",
    ),
    RecordType(
        "outcomes",
        OutcomeResponse,
        "person",
        "Outcome measures (pain NRS, PSFS, STarT Back): answers and score.",
    ),
    RecordType(
        "audit",
        AuditLog,
        "person",
        "Clinical changes: phase changes, escalations with their reasons, signs "
        "reported, clearances and amendments.",
        only=_clinical,
    ),
):
    register(_record)
