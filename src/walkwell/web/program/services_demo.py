"""Demonstration data for the clinician's side: one clinician and synthetic patients
with up to three months of walks and check-ins each, most following the plan the
engine gives them, a few needing the clinician (``demo_stories``).

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

from walkwell.core import model as core
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import (
    audit,
    demo_stories,
    selectors,
    services_care,
    services_symptoms,
)
from walkwell.web.program.demo_stories import Story
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
    stories: dict[int, Story]  # each patient's story, by the person's id


def _fill(person: Person, story: Story, rng: random.Random, today: dt.date) -> None:
    """The person's walks and check-ins, day by day as their plan asks."""
    walks, checkins = demo_stories.lived(
        selectors.protocol_for(person),
        selectors.history_for(person),
        story,
        rng,
        demo_stories.last_day(story, today),
    )
    Walk.objects.bulk_create(_walk_row(person, w) for w in walks)
    CheckIn.objects.bulk_create(_checkin_row(person, c) for c in checkins)


def _walk_row(person: Person, walk: core.Walk) -> Walk:
    return Walk(
        person=person,
        date=walk.date,
        minutes=walk.minutes,
        terrain=walk.terrain.value,
        pace=walk.pace.value,
        pain_before=walk.pain_before,
        pain_during=walk.pain_during,
        pain_after=walk.pain_after,
    )


def _checkin_row(person: Person, checkin: core.CheckIn) -> CheckIn:
    return CheckIn(
        person=person,
        date=checkin.date,
        pain=checkin.pain,
        morning_stiffness_min=checkin.morning_stiffness_min,
        sleep=checkin.sleep,
        focus=checkin.focus,
    )


def _signs_today(person: Person, story: Story, today: dt.date) -> None:
    """A warning sign or a red flag reported today, else the plan checked once."""
    if story is Story.WARNING_SIGN:
        services_symptoms.symptom_report(
            person=person,
            date=today,
            warning_signs=["radiating_leg_pain"],
            today=today,
        )
    elif story is Story.RED_FLAG:
        services_symptoms.symptom_report(
            person=person, date=today, red_flags=["fever"], today=today
        )
    else:
        audit.plan_checked(person)


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
    stories: dict[int, Story] = {}
    for i, part in enumerate(demo_stories.cast(patients, rng)):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 3) % len(LAST)]
        user = User.objects.create_user(
            username=f"demo-patient-{i + 1:03d}", first_name=first, last_name=last
        )
        person = enrollment_start(
            user=user,
            start=demo_stories.started(part, today, rng),
            baseline_minutes=rng.randint(8, 15),
            today=today,
        )
        _fill(person, part.story, rng, today)
        services_care.link_create(person=person, clinician=clinician, via=LinkVia.DEMO)
        _signs_today(person, part.story, today)
        made.append(person)
        stories[person.pk] = part.story
    return Demo(clinician=clinician, password=password, patients=made, stories=stories)
