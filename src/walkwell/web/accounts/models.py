"""A person's display and reminder preferences (the clinical record lives in program).

The table keeps the name it had when the model lived in the pages app, so moving
the model moved no rows (see migrations/0001_initial.py).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Preferences(models.Model):
    """Units, reminder times, habit slots and the secret of the private calendar feed."""

    class Distance(models.TextChoices):
        KM = "km", "Kilometres"
        MILES = "mi", "Miles"

    class Weight(models.TextChoices):
        KG = "kg", "Kilograms"
        LB = "lb", "Pounds"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    distance_unit = models.CharField(
        max_length=2, choices=Distance.choices, default=Distance.KM
    )
    weight_unit = models.CharField(
        max_length=2, choices=Weight.choices, default=Weight.KG
    )
    first_walk_time = models.TimeField(default=dt.time(8, 0))
    second_walk_time = models.TimeField(default=dt.time(13, 0))
    checkin_time = models.TimeField(default=dt.time(7, 30))
    habit_slots = models.JSONField(default=list, blank=True)
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token
    )
    # The person's own time zone (IANA name): "today", the check-in's day and the
    # calendar feed follow it. Empty: the server's TIME_ZONE.
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="An IANA time zone such as Europe/London; empty: the server's.",
    )
    # Reminders by email, opted in to one kind at a time (off until asked for).
    email_checkin = models.BooleanField(
        "email the morning check-in reminder", default=False
    )
    email_walks = models.BooleanField(
        "email a reminder for each planned walk", default=False
    )

    class Meta:
        db_table = "pages_preferences"

    def __str__(self) -> str:
        return f"preferences of user {self.user_id}"


class AddressAttempt(models.Model):
    """One failed sign-in or one sign-up from a network address, kept for the
    throttle's window only (accounts/throttle.py). Stored in the database so every
    app server counts the same attempts."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Failed sign-in"
        SIGN_UP = "sign_up", "Sign-up"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    address = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = (models.Index(fields=["kind", "address", "at"]),)

    def __str__(self) -> str:
        return f"{self.kind} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class AccessToken(models.Model):
    """A personal access token for the JSON API, named by its owner.

    Only a SHA-256 digest of the secret is stored: the secret is shown once, when it
    is made. A slow password hash is not needed here, because the secret is 256
    random bits, not something a person chose; a fast digest lets every API call
    look it up by an index. ``prefix`` is the secret's first characters, shown so the
    owner can tell their tokens apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"token {self.prefix}… ({self.name}) of user {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ReminderSent(models.Model):
    """One reminder email of one kind on one of the person's own days.

    The row is claimed (inserted) before the email goes out: the unique constraint
    lets exactly one of any number of concurrent passes claim it, so a reminder is
    sent at most once. ``sent_at`` is set once the mail server took it; a pass that
    fails to hand it over deletes its claim, so the next pass tries again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10)  # core.reminders.Kind
    day = models.DateField()  # the person's own local day
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("user", "kind", "day"), name="one_reminder_per_kind_and_day"
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} reminder of user {self.user_id} on {self.day}"


class ReminderPass(models.Model):
    """One pass of ``walkwell remind``: the next pass starts where the last
    finished one started, so nothing due in between is skipped."""

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"reminder pass at {self.started_at:%Y-%m-%d %H:%M}"
