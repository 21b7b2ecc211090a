"""The cast's Alice and Mallory, both enrolled on ``CORPUS_START``: early enough for
the corpus's old walks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.cast import BASELINE_MINUTES
from tests.web.pages_support import person
from walkwell.web.imports import services
from walkwell.web.imports.report import ImportReport
from walkwell.web.program.models import Person

CORPUS_START = dt.date(2010, 1, 1)  # the corpus holds walks from 2010 on


def enrol(username: str) -> Person:
    return person(username, CORPUS_START, baseline=BASELINE_MINUTES)


@pytest.fixture
def cast_start() -> dt.date:
    return CORPUS_START


def run_import(person: Person, *paths: Path) -> ImportReport:
    return services.import_paths(person=person, paths=list(paths))


def reasons(entries: Sequence[object]) -> list[str]:
    return [str(getattr(e, "reason", "")) for e in entries]
