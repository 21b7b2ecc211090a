"""Shared fixtures for the web tests.

Alice, a person with chronic low back pain, enrolled on the seed program; page test
modules override ``alice`` with their own. A module that defines ``TODAY`` runs its
tests at 09:00 UTC on that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from tests.web.pages_support import client_for
from walkwell.web.program import services
from walkwell.web.program.models import Person

START = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _today(request: pytest.FixtureRequest) -> Iterator[None]:
    today: dt.date | None = getattr(request.module, "TODAY", None)
    if today is None:
        yield
        return
    morning = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)
    with time_machine.travel(morning, tick=False):
        yield


@pytest.fixture
def alice_user(db: None) -> User:
    return User.objects.create_user(username="alice")


@pytest.fixture
def alice(alice_user: User) -> Person:
    return services.enrollment_start(user=alice_user, start=START, baseline_minutes=12)


@pytest.fixture
def client(alice: Person) -> Client:
    """Signed in as Alice."""
    return client_for(alice)
