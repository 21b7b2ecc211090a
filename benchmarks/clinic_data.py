"""The clinic benchmark's data generator: synthetic patients, each with N days of
walks and morning check-ins, written with bulk inserts (no fixtures, no services).

Run inside a set-up Django (``benchmarks.clinic_child`` does). ``generate(n, days)``
makes users ``patient00000``..., each enrolled ``days`` ago on the seed program,
with one walk and one check-in a day, in four stories picked by number:

- most walk steadily, a few more minutes each week;
- every 10th has recorded nothing for the last 10 days (silence);
- every 23rd walked a quarter of their minutes in the last fortnight (adherence);
- every 17th reported a warning sign yesterday (stopped, awaiting review).

Every person's history version is set after the inserts, as a write would. On
PostgreSQL the walks and check-ins go in with ``COPY`` (every column the model
has, the story's values and each field's own default for the rest): 7.3 million
rows through ``bulk_create`` took about 20 minutes on a loaded 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone

from walkwell.web.program.models import CheckIn, Person, SymptomReport, Walk

BATCH = 5000


def _story(i: int, day_no: int, days: int) -> tuple[float | None, bool]:
    """(minutes walked or None, whether a check-in was made) for day ``day_no``."""
    left = days - day_no
    if i % 10 == 0 and left <= 10:
        return None, False
    minutes = float(min(12 + day_no // 7, 40))
    if i % 23 == 0 and left <= 14:
        minutes = minutes / 4
    return minutes, True


def generate(n: int, days: int, today: dt.date, *, first: int = 0) -> list[int]:
    """``n`` patients with ``days`` of data each up to ``today``; their ids."""
    start = today - dt.timedelta(days=days)
    users = User.objects.bulk_create(
        [
            User(
                username=f"patient{i:05d}",
                first_name=f"Pat{i:05d}",
                last_name="Synthetic",
                password="!",  # noqa: S106 - unusable: no one signs in as them
            )
            for i in range(first, first + n)
        ],
        batch_size=BATCH,
    )
    people = Person.objects.bulk_create(
        [
            Person(
                user=u,
                protocol_id="seed-3-phase",
                start=start,
                baseline_minutes=12,
                history_version=uuid.uuid4(),
            )
            for u in users
        ],
        batch_size=BATCH,
    )
    walks: list[dict[str, Any]] = []
    checkins: list[dict[str, Any]] = []
    symptoms: list[SymptomReport] = []

    def flush() -> None:
        with transaction.atomic():
            _insert(Walk, walks)
            _insert(CheckIn, checkins)
        walks.clear()
        checkins.clear()

    for number, person in enumerate(people, start=first):
        for day_no in range(days):
            day = start + dt.timedelta(days=day_no)
            minutes, checked = _story(number, day_no, days)
            pain = 2 + (day_no % 5 == 0)
            if minutes is not None:
                walks.append(
                    {
                        "person_id": person.pk,
                        "date": day,
                        "minutes": minutes,
                        "pain_before": pain,
                        "pain_during": pain + 1,
                        "pain_after": pain,
                    }
                )
            if checked:
                checkins.append(
                    {
                        "person_id": person.pk,
                        "date": day + dt.timedelta(days=1),
                        "pain": pain,
                        "morning_stiffness_min": max(30 - day_no // 7, 5),
                        "sleep": min(5 + day_no // 30, 9),
                        "focus": min(5 + day_no // 30, 9),
                    }
                )
        if number % 17 == 0:
            symptoms.append(
                SymptomReport(
                    person=person,
                    date=today - dt.timedelta(days=1),
                    warning_signs=["radiating_leg_pain"],
                )
            )
        if len(walks) >= 20 * BATCH:
            flush()
    flush()
    SymptomReport.objects.bulk_create(symptoms, batch_size=BATCH)
    return [p.pk for p in people]


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Store ``rows`` (field values by attribute name; the model's defaults for
    the rest): ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**row) for row in rows], batch_size=BATCH
        )
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    fixed = {
        f.attname: now
        if getattr(f, "auto_now_add", False)
        else f.get_db_prep_save(f.get_default(), connection)
        for f in fields
    }
    names = [f.attname for f in fields]
    columns = ", ".join(
        connection.ops.quote_name(f.column or f.attname) for f in fields
    )
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row.get(name, fixed[name]) for name in names])
