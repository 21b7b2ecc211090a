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

    class Meta:
        db_table = "pages_preferences"

    def __str__(self) -> str:
        return f"preferences of user {self.user_id}"
