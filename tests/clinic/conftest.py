"""People for the clinic tests: the cast's Alice, linked to Dr Chen, and Bob (another
patient), with Dr Diaz (a clinician not linked to Alice) and Ada (a clinic admin).

A module that imports ``TODAY`` runs its tests at 09:00 UTC on that day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.two_factor import signed_in_with_second_factor
from walkwell.web.program import services_care, services_symptoms
from walkwell.web.program.models import Clearance, LinkVia, Person
from walkwell.web.program.permissions import RequestMeta
from walkwell.web.program.roles import Role, is_staff_role


def staff(username: str, role: Role, name: str = "") -> User:
    first, _, last = name.partition(" ")
    user = User.objects.create_user(username=username, first_name=first, last_name=last)
    services_care.role_grant(user=user, role=role)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def chen(db: None) -> User:
    return staff("chen", Role.CLINICIAN, "Dr Chen")


@pytest.fixture
def diaz(db: None) -> User:
    return staff("diaz", Role.CLINICIAN, "Dr Diaz")


@pytest.fixture
def ada(db: None) -> User:
    return staff("ada", Role.CLINIC_ADMIN)


@pytest.fixture
def alice(alice: Person, chen: User) -> Person:
    """The cast's Alice, linked to Dr Chen."""
    services_care.link_create(person=alice, clinician=chen, via=LinkVia.DEMO)
    return alice


def signed_in(user: User) -> Client:
    """A signed-in client; a clinician's or admin's session has given its second
    factor (tests/two_factor.py), as every clinic page requires."""
    if is_staff_role(user):
        return signed_in_with_second_factor(user)
    client = Client()
    client.force_login(user)
    return client


def glass_open(admin: User, person: Person) -> None:
    """The clinic admin opens the person's record through break-glass, now."""
    services_care.break_glass_open(
        admin=admin,
        person=person,
        reason="she fell ill",
        now=timezone.now(),
        request_meta=RequestMeta(),
    )


def open_stop(who: Person, day: dt.date) -> None:
    """A warning sign reported the day before ``day``: the plan is stopped on
    ``day`` until a clinician clears it (the day before, so that a clearance on
    ``day`` comes after it even when the clock stands still)."""
    services_symptoms.symptom_report(
        person=who,
        date=day - dt.timedelta(days=1),
        warning_signs=["pain_increases_each_step"],
    )


def clear_as(
    clinician: User, who: Person, key: str, reason: str = "Reviewed"
) -> Clearance:
    """A clinician's clearance for ``who`` today, sent with ``key``."""
    return services_care.clearance_by_clinician(
        clinician=clinician,
        person=who,
        date=timezone.localdate(),
        reason=reason,
        request_meta=RequestMeta(ip="198.51.100.7", user_agent="clinic browser"),
        idempotency_key=key,
    )
