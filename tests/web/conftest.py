"""Alice, a person with chronic low back pain, enrolled on the seed program."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from walkwell.web.program import services
from walkwell.web.program.models import Person

START = dt.date(2026, 1, 5)


@pytest.fixture
def alice_user(db: None) -> User:
    return User.objects.create_user(username="alice")


@pytest.fixture
def alice(alice_user: User) -> Person:
    return services.enrollment_start(user=alice_user, start=START, baseline_minutes=12)
