"""Demonstration data for the clinician's side: one clinician and synthetic patients
with a few weeks of walks and check-ins each, some needing attention.

Rows are stored in bulk (a plan is checked once per patient, not once per walk), so
a local instance is filled in seconds. Every name is made up.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from walkwell.core.limits import ValidationProblem
from walkwell.web.program import audit, services_care, services_symptoms
from walkwell.web.program.models import CheckIn, LinkVia, Person, Walk
from walkwell.web.program.roles import Role
from walkwell.web.program.services_enrolment import enrollment_start

FIRST = ("Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jon")
LAST = ("Okafor", "Silva", "Nowak", "Patel", "Moreau", "Larsen", "Kim", "Haddad")
MAX_PATIENTS = 500


@dataclass(frozen=True, slots=True)
class Demo:
    clinician: User
    password: str
    patients: list[Person]


def _days(start: dt.date, last: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((last - start).days + 1)]


def _fill(person: Person, rng: random.Random, last: dt.date) -> None:
    walks: list[Walk] = []
    checkins: list[CheckIn] = []
    minutes = float(person.baseline_minutes or 10)
    for day in _days(person.start, last):
        pain = rng.randint(2, 5)
        checkins.append(
            CheckIn(
                person=person,
                date=day,
                pain=pain,
                morning_stiffness_min=rng.randint(5, 30),
                sleep=rng.randint(5, 8),
                focus=rng.randint(5, 8),
            )
        )
        if rng.random() < 0.15:
            continue  # a rest day
        walks.extend(
            Walk(
                person=person,
                date=day,
                minutes=round(minutes, 1),
                pain_before=pain,
                pain_during=min(pain + rng.randint(0, 1), 10),
                pain_after=pain,
            )
            for _ in range(2)
        )
        minutes = min(minutes * 1.02, 45)
    Walk.objects.bulk_create(walks)
    CheckIn.objects.bulk_create(checkins)


@transaction.atomic
def demo_clinic(*, today: dt.date, patients: int = 12, seed: int = 10) -> Demo:
    """A clinician ``demo-clinician`` (a new password each time) and ``patients``
    synthetic patients linked to them; refused if the demo was loaded already."""
    if not 1 <= patients <= MAX_PATIENTS:
        raise ValidationProblem("patients", f"must be 1 to {MAX_PATIENTS}")
    if User.objects.filter(username="demo-clinician").exists():
        raise ValidationProblem(
            "demo", "is loaded already (the account demo-clinician exists)"
        )
    rng = random.Random(seed)  # noqa: S311 - made-up data, not a secret
    password = secrets.token_urlsafe(12)
    clinician = User.objects.create_user(
        username="demo-clinician",
        password=password,
        first_name="Dr Sam",
        last_name="Rivera",
    )
    services_care.role_grant(user=clinician, role=Role.CLINICIAN)
    made: list[Person] = []
    for i in range(patients):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 3) % len(LAST)]
        user = User.objects.create_user(
            username=f"demo-patient-{i + 1:03d}", first_name=first, last_name=last
        )
        start = today - dt.timedelta(days=rng.randint(20, 60))
        person = enrollment_start(
            user=user, start=start, baseline_minutes=rng.randint(8, 15), today=today
        )
        quiet = i % 6 == 4  # no data for the last ten days
        _fill(person, rng, today - dt.timedelta(days=10 if quiet else 1))
        services_care.link_create(person=person, clinician=clinician, via=LinkVia.DEMO)
        if i % 6 == 1:
            services_symptoms.symptom_report(
                person=person,
                date=today,
                warning_signs=["radiating_leg_pain"],
                today=today,
            )
        elif i % 12 == 7:
            services_symptoms.symptom_report(
                person=person, date=today, red_flags=["fever"], today=today
            )
        else:
            audit.plan_checked(person)
        made.append(person)
    return Demo(clinician=clinician, password=password, patients=made)
