"""Reads: a person's import runs and outcomes, and their daily step counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from walkwell.web.imports import liveness
from walkwell.web.imports.models import DailySteps, ImportRun, RunStatus
from walkwell.web.imports.report import ImportReport, NewWalks, report_for
from walkwell.web.program import selectors as program_selectors
from walkwell.web.program.models import Person


def run_as_seen(run: ImportRun, now: dt.datetime | None = None) -> ImportRun:
    """The run as a reader sees it: one whose process died shows as failed, with
    the reason. A read never stores that; a write does (``services.runs_reap``, run
    by a retry, ``walkwell import`` and ``walkwell imports``)."""
    now = now or timezone.now()
    reason = liveness.death_reason(run, now)
    if reason is not None:
        run.status = RunStatus.FAILED
        run.error = reason
        run.current_file = ""
        run.finished_at = now
    return run


def run_list(person: Person, *, limit: int = 20) -> list[ImportRun]:
    """The person's latest import runs, newest first, as seen now."""
    runs = person.import_runs.order_by("-created_at", "-id")[:limit]
    return [run_as_seen(run) for run in runs]


def run_for(person: Person, run_id: int) -> ImportRun | None:
    """One of the person's own runs, as seen now; None for anyone else's."""
    run = person.import_runs.filter(pk=run_id).first()
    return None if run is None else run_as_seen(run)


def run_report(run: ImportRun) -> ImportReport:
    return report_for(run)


def new_walks(person: Person, report: ImportReport, today: dt.date) -> NewWalks:
    """Which of the run's new walks Today asks about on ``today``, and which are
    from before the plan's start."""
    ids = {e.walk_id for e in report.imported if e.walk_id is not None}
    waiting = program_selectors.walks_awaiting_answers(person, today)
    return NewWalks(
        imported=len(report.imported),
        asked=sum(1 for walk in waiting if walk.pk in ids),
        history=person.walks.filter(pk__in=ids, date__lt=person.start).count(),
        start=person.start,
    )


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
