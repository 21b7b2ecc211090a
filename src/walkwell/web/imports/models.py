"""What an import run did: its progress, one row per outcome, and daily steps.

A walk found in a file becomes a ``program.Walk`` (through ``walk_log``); these
rows only say where it came from. Daily step counts are context for the engine,
one row per person, day and source (a phone and a watch count the same steps).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from walkwell.web.program.models import Person, Walk

# A run on another machine, silent this long, lost its worker (on this machine
# the worker's process is looked up instead).
STALLED_AFTER = dt.timedelta(minutes=10)
# A queued run no worker has claimed this long: the page says how to start one.
UNCLAIMED_AFTER = dt.timedelta(seconds=25)


class RunStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class RunOrigin(models.TextChoices):
    CLI = "cli"
    WEB = "web"


class ImportRun(models.Model):
    """One import of one or more files, with counters that show its progress."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="import_runs"
    )
    origin = models.CharField(max_length=10, choices=RunOrigin, default=RunOrigin.CLI)
    status = models.CharField(
        max_length=10, choices=RunStatus, default=RunStatus.QUEUED
    )
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    current_file = models.CharField(max_length=500, blank=True)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    step_days = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with the progress (about once a second while running): the
    # heartbeat that tells a slow run from a dead one on another machine.
    updated_at = models.DateTimeField(auto_now=True)
    # The process reading the files (a ``walkwell import`` or a task worker), so
    # a run whose process died is told apart from one that is slow.
    worker_host = models.CharField(max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=["person", "created_at"], name="importrun_person"),
        )

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status in {RunStatus.FINISHED, RunStatus.FAILED}

    @property
    def is_unclaimed(self) -> bool:
        """Queued, and no worker has taken it for a while: none may be running."""
        quiet = timezone.now() - self.updated_at
        return self.status == RunStatus.QUEUED and quiet > UNCLAIMED_AFTER

    @property
    def waited_s(self) -> int:
        """Seconds since the run was queued (or last moved on)."""
        return int((timezone.now() - self.updated_at).total_seconds())


class Outcome(models.TextChoices):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    REFUSED = "refused"


class ImportedItem(models.Model):
    """What became of one activity, file or archive member in a run."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="items")
    outcome = models.CharField(max_length=10, choices=Outcome)
    file = models.CharField(max_length=500)
    member = models.CharField(max_length=500, blank=True)
    reason = models.TextField(blank=True)
    walk = models.ForeignKey(
        Walk, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    utc_offset_s = models.IntegerField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    moving_s = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    elevation_gain_m = models.FloatField(null=True, blank=True)
    terrain = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ("id",)
        indexes = (models.Index(fields=["run", "outcome"], name="importitem_outcome"),)

    def __str__(self) -> str:
        where = f"{self.file}:{self.member}" if self.member else self.file
        return f"{self.outcome} {where}"


class DailySteps(models.Model):
    """One day's step count from one source, as the device counted it."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="daily_steps"
    )
    date = models.DateField()
    source = models.CharField(max_length=200)
    steps = models.PositiveIntegerField()
    run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("date", "source")
        constraints = (
            models.UniqueConstraint(
                fields=["person", "date", "source"], name="dailysteps_one_per_source"
            ),
            models.CheckConstraint(
                condition=Q(steps__lte=1_000_000), name="dailysteps_plausible"
            ),
        )

    def __str__(self) -> str:
        return f"{self.date}: {self.steps} steps ({self.source})"
