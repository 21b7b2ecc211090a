"""The person's time zone: "today", the check-in's day and the calendar feed
follow it, not the server's ``TIME_ZONE``."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from walkwell.web.accounts import selectors
from walkwell.web.accounts.models import Preferences


@lru_cache(maxsize=1)
def known_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def zone_of(prefs: Preferences) -> zoneinfo.ZoneInfo:
    """The person's zone, or the server's when none is set (or it is unknown)."""
    name = prefs.time_zone if prefs.time_zone in known_zones() else ""
    return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)


def clock_of(user_id: int) -> dt.datetime:
    """Now on this account's clock: in their zone, whoever is asking (a report
    they or their clinician download says when it was made in the person's time)."""
    return timezone.localtime(timezone=zone_of(selectors.preferences_for(user_id)))


class PersonTimeZoneMiddleware:
    """Every page of a signed-in person runs in their own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_of(selectors.preferences_for(user.pk)))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
