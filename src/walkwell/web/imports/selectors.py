"""Reads: a person's import runs and outcomes, and their daily step counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from walkwell.web.imports.models import DailySteps, ImportRun
from walkwell.web.imports.report import ImportReport, report_for
from walkwell.web.program.models import Person


def run_list(person: Person, *, limit: int = 20) -> list[ImportRun]:
    """The person's latest import runs, newest first."""
    return list(person.import_runs.order_by("-created_at", "-id")[:limit])


def run_for(person: Person, run_id: int) -> ImportRun | None:
    """One of the person's own runs; None for anyone else's."""
    return person.import_runs.filter(pk=run_id).first()


def run_report(run: ImportRun) -> ImportReport:
    return report_for(run)


def steps_by_day(person: Person, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """Steps a day from ``start`` to ``end``: the busiest source of each day.

    Two sources on one day (a phone export and a Health Connect export) count the
    same steps, so they are never added together.
    """
    rows = (
        DailySteps.objects.filter(person=person, date__gte=start, date__lte=end)
        .values("date")
        .annotate(steps=Max("steps"))
        .order_by("date")
    )
    return {row["date"]: row["steps"] for row in rows}
