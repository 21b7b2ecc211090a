"""People for the clinic tests: Alice (a patient) linked to Dr Chen, Bob (another
patient), Dr Diaz (a clinician not linked to Alice) and Ada (a clinic admin).

A module that defines ``TODAY`` runs its tests from 09:00 UTC on that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from tests.web.pages_support import person
from walkwell.web.program import services_care
from walkwell.web.program.models import LinkVia, Person
from walkwell.web.program.roles import Role

START = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(request: pytest.FixtureRequest) -> Iterator[None]:
    today: dt.date | None = getattr(request.module, "TODAY", None)
    if today is None:
        yield
        return
    morning = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)
    # the clock runs on from 09:00, so a sign and the clearance after it carry
    # the times they were recorded in that order, as they do in real use
    with time_machine.travel(morning, tick=True):
        yield


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
def alice(db: None, chen: User) -> Person:
    """Alice, linked to Dr Chen."""
    alice = person("alice", START)
    services_care.link_create(person=alice, clinician=chen, via=LinkVia.DEMO)
    return alice


@pytest.fixture
def bob(db: None) -> Person:
    return person("bob", START)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
