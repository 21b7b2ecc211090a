"""The clinic benchmark's data generator: synthetic patients, each with N days of
walks and morning check-ins, written with bulk inserts (no fixtures, no services).

Run inside a set-up Django (``benchmarks.clinic_child`` does). ``generate(n, days)``
makes users ``patient00000``..., each enrolled ``days`` ago on the seed program,
with one walk and one check-in a day, in four stories picked by number:

- most walk steadily, a few more minutes each week;
- every 10th has recorded nothing for the last 10 days (silence);
- every 23rd walked a quarter of their minutes in the last fortnight (adherence);
- every 17th reported a warning sign yesterday (stopped, awaiting review).

Every person's history version is set after the inserts, as a write would.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import User
from django.db import transaction

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
    walks: list[Walk] = []
    checkins: list[CheckIn] = []
    symptoms: list[SymptomReport] = []

    def flush() -> None:
        with transaction.atomic():
            Walk.objects.bulk_create(walks, batch_size=BATCH)
            CheckIn.objects.bulk_create(checkins, batch_size=BATCH)
        walks.clear()
        checkins.clear()

    for number, person in enumerate(people, start=first):
        for day_no in range(days):
            day = start + dt.timedelta(days=day_no)
            minutes, checked = _story(number, day_no, days)
            pain = 2 + (day_no % 5 == 0)
            if minutes is not None:
                walks.append(
                    Walk(
                        person=person,
                        date=day,
                        minutes=minutes,
                        pain_before=pain,
                        pain_during=pain + 1,
                        pain_after=pain,
                    )
                )
            if checked:
                checkins.append(
                    CheckIn(
                        person=person,
                        date=day + dt.timedelta(days=1),
                        pain=pain,
                        morning_stiffness_min=max(30 - day_no // 7, 5),
                        sleep=min(5 + day_no // 30, 9),
                        focus=min(5 + day_no // 30, 9),
                    )
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
