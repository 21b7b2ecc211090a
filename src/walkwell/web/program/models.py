"""What WalkWell stores about a person: enrolment, screening, walks, check-ins,
clearances, outcome measures, and an audit log of clinical state changes.

Rows hold no rules: services validate and write them, selectors turn them into the
core's frozen dataclasses. The constraints below are a second line of defence that
keeps impossible values out even if a future writer forgets a check.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from walkwell.core.model import Footwear, Pace, Terrain


def _choices(
    enum: type[Terrain] | type[Pace] | type[Footwear],
) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]


def _rating(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    """A 0-10 rating, as pain, sleep and focus are asked."""
    in_range = Q(**{f"{field}__gte": 0, f"{field}__lte": 10})
    if nullable:
        in_range |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=in_range, name=name)


PROTOCOL_NAME_MAX = 100


class Person(models.Model):
    """One person following one protocol: the enrolment (one per user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    protocol_id = models.CharField(max_length=PROTOCOL_NAME_MAX)
    start = models.DateField()
    # Null until given: an urgent screening answer ends onboarding before it.
    baseline_minutes = models.FloatField(null=True, blank=True)
    footwear = models.CharField(max_length=20, choices=_choices(Footwear), blank=True)
    # The engine's last answer seen by a service, so changes can be audited.
    last_phase = models.PositiveSmallIntegerField(null=True, blank=True)
    last_decision = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(baseline_minutes__isnull=True)
                | Q(baseline_minutes__gte=0, baseline_minutes__lte=600),
                name="person_baseline_minutes_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} on {self.protocol_id} from {self.start}"


class Screening(models.Model):
    """Red-flag screening answers: the identifiers answered yes."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="screenings"
    )
    date = models.DateField()
    red_flags = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"screening {self.date}: {self.red_flags or 'none'}"


class WalkSource(models.TextChoices):
    TYPED = "typed"
    TIMER = "timer"
    IMPORT = "import"


class Walk(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="walks")
    date = models.DateField()
    minutes = models.FloatField()
    terrain = models.CharField(max_length=10, choices=_choices(Terrain), default="flat")
    pace = models.CharField(max_length=10, choices=_choices(Pace), default="easy")
    # Nullable: an imported walk gets its pain answers later.
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    warning_signs = models.JSONField(default=list, blank=True)
    cooldown = models.BooleanField(default=True)
    load_kg = models.FloatField(default=0.0)
    footwear = models.CharField(max_length=20, choices=_choices(Footwear), blank=True)
    source = models.CharField(
        max_length=10, choices=WalkSource, default=WalkSource.TYPED
    )
    # What a device recorded, for imported walks.
    started_at = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    moving_s = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    elevation_gain_m = models.FloatField(null=True, blank=True)
    device = models.CharField(max_length=200, blank=True)
    device_activity_id = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    # The key of the form that stored the walk: a repost (a retry, a double tap)
    # finds the walk already stored instead of storing it twice.
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")
        indexes = (models.Index(fields=["person", "date"], name="walk_person_date"),)
        constraints = (
            models.CheckConstraint(
                condition=Q(minutes__gte=0, minutes__lte=1440),
                name="walk_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(load_kg__gte=0, load_kg__lte=50), name="walk_load_kg_range"
            ),
            _rating("pain_before", "walk_pain_before_range", nullable=True),
            _rating("pain_during", "walk_pain_during_range", nullable=True),
            _rating("pain_after", "walk_pain_after_range", nullable=True),
            models.UniqueConstraint(
                fields=["person", "content_hash"],
                condition=~Q(content_hash=""),
                name="walk_unique_content_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "device", "device_activity_id"],
                condition=~Q(device_activity_id=""),
                name="walk_unique_device_activity_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="walk_unique_form_key_per_person",
            ),
        )

    def __str__(self) -> str:
        return f"walk {self.date}: {self.minutes:g} min"


class CheckIn(models.Model):
    """The morning check (12-24 hours after a walk); one a day."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="checkins"
    )
    date = models.DateField()
    pain = models.PositiveSmallIntegerField()
    morning_stiffness_min = models.PositiveSmallIntegerField()
    sleep = models.PositiveSmallIntegerField()
    focus = models.PositiveSmallIntegerField()
    warning_signs = models.JSONField(default=list, blank=True)
    red_flags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date",)
        constraints = (
            models.UniqueConstraint(
                fields=["person", "date"], name="checkin_one_per_day"
            ),
            _rating("pain", "checkin_pain_range"),
            _rating("sleep", "checkin_sleep_range"),
            _rating("focus", "checkin_focus_range"),
            models.CheckConstraint(
                condition=Q(
                    morning_stiffness_min__gte=0, morning_stiffness_min__lte=1440
                ),
                name="checkin_stiffness_range",
            ),
        )

    def __str__(self) -> str:
        return f"check-in {self.date}: pain {self.pain}"


class Clearance(models.Model):
    """A clinician has seen the person after an escalation and cleared them."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="clearances"
    )
    date = models.DateField()
    by = models.CharField(max_length=200, default="clinician")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"clearance {self.date} by {self.by}"


class SymptomReport(models.Model):
    """Warning signs or red flags reported on their own, at any time of the day."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="symptoms"
    )
    date = models.DateField()
    warning_signs = models.JSONField(default=list, blank=True)
    red_flags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"symptoms {self.date}: {[*self.red_flags, *self.warning_signs]}"


class OutcomeResponse(models.Model):
    """Answers to an outcome measure (pain NRS, PSFS, STarT Back) and their score."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="outcomes"
    )
    measure_id = models.CharField(max_length=30)
    date = models.DateField()
    answers = models.JSONField(default=dict)
    score = models.FloatField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.date}: {self.score}"


class AuditEvent(models.TextChoices):
    ENROLLED = "enrolled"
    RED_FLAG_REPORTED = "red_flag_reported"
    WARNING_SIGN_REPORTED = "warning_sign_reported"
    PHASE_CHANGED = "phase_changed"
    DECISION_ESCALATED = "decision_escalated"
    CHECKIN_AMENDED = "checkin_amended"
    CLEARANCE_RECORDED = "clearance_recorded"
    DATA_EXPORTED = "data_exported"
    DATA_RESTORED = "data_restored"


class AuditLog(models.Model):
    """A clinical state change, written in the same transaction as its cause."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="audit")
    event_type = models.CharField(max_length=40, choices=AuditEvent)
    occurred_at = models.DateTimeField(auto_now_add=True)
    day = models.DateField(null=True, blank=True)
    detail: models.JSONField[Any] = models.JSONField(default=dict)

    class Meta:
        ordering = ("occurred_at", "id")
        indexes = (
            models.Index(fields=["person", "occurred_at"], name="audit_person_time"),
        )

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.event_type}"


class AccountDeletion(models.Model):
    """That an account was deleted, and how many rows went, per table: no name,
    no health data (the account's own audit log went with it)."""

    occurred_at = models.DateTimeField(auto_now_add=True)
    rows_removed: models.JSONField[Any] = models.JSONField(default=dict)

    class Meta:
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return f"account deleted {self.occurred_at:%Y-%m-%d %H:%M}"
