"""Shared fixtures: the cast of people (``tests/cast.py``), the day a module is read
on, and the path to the shared real-device corpus.

The corpus lives beside the repository (``../shared/corpus``; ``WALKWELL_CORPUS``
points elsewhere). Without it the corpus tests skip with the path they looked at,
except in CI (``CI`` or ``WALKWELL_CI`` set), where a missing corpus is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from tests.cast import BASELINE_MINUTES, START
from tests.web.pages_support import person
from walkwell.web.program.models import Person

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


def corpus_path() -> Path:
    found = os.environ.get("WALKWELL_CORPUS")
    return Path(found) if found else CORPUS


def in_ci() -> bool:
    flag = os.environ.get("CI", "").strip().lower()
    return flag not in {"", "0", "false", "no"} or bool(os.environ.get("WALKWELL_CI"))


@pytest.fixture
def corpus() -> Path:
    """The real-device corpus: a skip naming the path when absent, a failure in CI."""
    path = corpus_path()
    if not path.is_dir():
        message = (
            f"the real-device corpus is missing: expected a folder at {path} "
            "(../shared/corpus beside the repository, or set WALKWELL_CORPUS)"
        )
        if in_ci():
            pytest.fail(message + "; CI runs every corpus test", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def _today(request: pytest.FixtureRequest) -> Iterator[None]:
    """09:00 UTC on the module's ``READ_ON`` or, failing that, its ``TODAY``.

    The clock stands still there, unless the module sets ``CLOCK_RUNS = True``:
    then it runs on from 09:00, so records made one after another carry the times
    they were made in that order (a same-day clearance after a sign)."""
    today: dt.date | None = getattr(
        request.module, "READ_ON", getattr(request.module, "TODAY", None)
    )
    if today is None:
        yield
        return
    morning = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC)
    runs = bool(getattr(request.module, "CLOCK_RUNS", False))
    with time_machine.travel(morning, tick=runs):
        yield


@pytest.fixture
def cast_start() -> dt.date:
    """The day the cast enrols: ``START``, unless a folder's story begins elsewhere
    (the corpus's walks from 2010 on; the API's answers naming January's days)."""
    return START


@pytest.fixture
def alice(db: None, cast_start: dt.date) -> Person:
    """Alice, enrolled with a 12-minute baseline walk."""
    return person("alice", cast_start, baseline=BASELINE_MINUTES)


@pytest.fixture
def bob(db: None, cast_start: dt.date) -> Person:
    """Bob, another person enrolled the same day."""
    return person("bob", cast_start, baseline=BASELINE_MINUTES)


@pytest.fixture
def mallory(db: None, cast_start: dt.date) -> Person:
    """Mallory, enrolled the same day, who must never see Alice's record."""
    return person("mallory", cast_start, baseline=BASELINE_MINUTES)
