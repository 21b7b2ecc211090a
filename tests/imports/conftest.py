"""Alice and Mallory, both enrolled early enough for the corpus's old walks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from walkwell.web.imports import services
from walkwell.web.imports.report import ImportReport
from walkwell.web.program import services as program
from walkwell.web.program.models import Person

START = dt.date(2010, 1, 1)  # the corpus holds walks from 2010 on


def enrol(username: str) -> Person:
    user = User.objects.create_user(username=username)
    return program.enrollment_start(user=user, start=START, baseline_minutes=12)


@pytest.fixture
def alice(db: None) -> Person:
    return enrol("alice")


@pytest.fixture
def mallory(db: None) -> Person:
    return enrol("mallory")


def run_import(person: Person, *paths: Path) -> ImportReport:
    return services.import_paths(person=person, paths=list(paths))


def reasons(entries: Sequence[object]) -> list[str]:
    return [str(getattr(e, "reason", "")) for e in entries]
