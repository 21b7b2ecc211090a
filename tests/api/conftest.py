"""The API tests' people: the cast's Alice, a patient, and Bob, another patient, both
enrolled on ``API_START``; Carol, Alice's clinician; Mallory, here a clinician with
no access to Alice; and Ada, a clinic admin. Each has a client that sends a personal
access token.

Every test runs at 09:00 UTC on ``API_READ_ON`` unless its module names another
``READ_ON``: the API's answers name these January days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from tests.cast import BASELINE_MINUTES
from tests.web.pages_support import person
from walkwell.web.accounts import services_tokens
from walkwell.web.program import services_care
from walkwell.web.program.models import Person
from walkwell.web.program.roles import Role

API_START = dt.date(2026, 1, 5)  # a Monday
API_READ_ON = API_START + dt.timedelta(days=15)


@pytest.fixture
def cast_start() -> dt.date:
    return API_START


@pytest.fixture(autouse=True)
def _today(request: pytest.FixtureRequest) -> Iterator[None]:
    today: dt.date = getattr(request.module, "READ_ON", API_READ_ON)
    morning = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)
    with time_machine.travel(morning, tick=False):
        yield


def enrol(username: str, start: dt.date = API_START) -> Person:
    return person(username, start, baseline=BASELINE_MINUTES)


class Api:
    """A client that sends a personal access token on every request."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _, secret = services_tokens.token_create(user=user, name="tests")
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, headers=self.headers)

    def post(self, path: str, body: object = None) -> Any:
        return self.client.post(
            "/api/v1" + path,
            body if body is not None else {},
            content_type="application/json",
            headers=self.headers,
        )

    def delete(self, path: str) -> Any:
        return self.client.delete("/api/v1" + path, headers=self.headers)


@pytest.fixture
def as_alice(alice: Person) -> Api:
    return Api(alice.user)


@pytest.fixture
def as_bob(bob: Person) -> Api:
    return Api(bob.user)


@pytest.fixture
def anonymous(db: None) -> Api:
    return Api(None)


def staff(username: str, role: Role) -> User:
    user = User.objects.create_user(username=username)
    services_care.role_grant(user=user, role=role)
    return user


@pytest.fixture
def carol(alice: Person) -> User:
    """Alice's clinician."""
    user = staff("carol", Role.CLINICIAN)
    services_care.link_create(person=alice, clinician=user)
    return user


@pytest.fixture
def mallory(db: None) -> User:
    """A clinician, linked to nobody."""
    return staff("mallory", Role.CLINICIAN)


@pytest.fixture
def ada(db: None) -> User:
    """A clinic admin."""
    return staff("ada", Role.CLINIC_ADMIN)


ROLES = (
    "anonymous",
    "patient",
    "other_patient",
    "clinician",
    "other_clinician",
    "admin",
)


@pytest.fixture
def cast(
    alice: Person, bob: Person, carol: User, mallory: User, ada: User
) -> dict[str, Api]:
    """A client for each role, all around Alice's record."""
    return {
        "anonymous": Api(None),
        "patient": Api(alice.user),
        "other_patient": Api(bob.user),
        "clinician": Api(carol),
        "other_clinician": Api(mallory),
        "admin": Api(ada),
    }
