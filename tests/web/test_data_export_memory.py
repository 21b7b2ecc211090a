"""Exports stream: the memory an export needs does not grow with the history.

Five years of walks, check-ins and steps export with about the same peak memory
as a few months: rows are read in chunks and written as they come."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from typing import Any

import pytest
from django.contrib.auth.models import User

from walkwell.web.imports.models import DailySteps
from walkwell.web.program import services, services_export
from walkwell.web.program.models import CheckIn, Person, Walk

YEARS_AGO = dt.date(2021, 1, 4)
NOW = dt.datetime(2026, 1, 4, 9, 0, tzinfo=dt.UTC)


class Discard:
    """A file that keeps nothing: only what the export holds at once counts."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def _history(username: str, days: int) -> Person:
    user = User.objects.create_user(username=username)
    person = services.enrollment_start(user=user, start=YEARS_AGO, baseline_minutes=12)
    dates = [YEARS_AGO + dt.timedelta(days=n) for n in range(days)]
    Walk.objects.bulk_create(
        Walk(person=person, date=d, minutes=20, pain_before=3, pain_during=4,
             pain_after=3, distance_m=1500.0, duration_s=1200.0)
        for d in dates
    )  # fmt: skip
    CheckIn.objects.bulk_create(
        CheckIn(person=person, date=d, pain=3, morning_stiffness_min=15, sleep=7, focus=7)
        for d in dates
    )  # fmt: skip
    DailySteps.objects.bulk_create(
        DailySteps(person=person, date=d, source="phone", steps=6000) for d in dates
    )
    return person


def _peak(person: Person, fmt: str) -> tuple[int, int]:
    sink: Any = Discard()
    tracemalloc.start()
    try:
        services_export.export_write(person=person, fmt=fmt, out=sink, exported_at=NOW)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.size


@pytest.mark.parametrize("fmt", ["json"])
@pytest.mark.django_db
def test_five_years_export_in_about_the_memory_of_three_months(fmt: str) -> None:
    short = _history("short", 90)
    long = _history("long", 5 * 365)
    short_peak, short_size = _peak(short, fmt)
    long_peak, long_size = _peak(long, fmt)
    assert long_size > 15 * short_size  # the long file is really much bigger
    assert long_peak < 2 * short_peak + 1_000_000  # its peak memory is not
