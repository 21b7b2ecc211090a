"""Slow down many attempts from one network address, whatever usernames they try.

django-axes locks a username tried from one address; this counts every failed
sign-in (and every sign-up) from the address itself, so spraying one password
across many usernames is slowed too. It is a cool-off: once the oldest attempt
in the window ages out, the address may try again; nothing is locked for good,
so one shared address (a clinic's proxy) cannot lock everyone out for long.
"""

from __future__ import annotations

import datetime as dt
import math

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from walkwell.web.accounts.models import AddressAttempt

Kind = AddressAttempt.Kind


def client_address(request: HttpRequest) -> str:
    """The caller's address as django-axes sees it (PROXY_COUNT respected)."""
    return (get_client_ip_address(request) or "unknown")[:64]


def _limit(kind: str) -> int:
    if kind == Kind.SIGN_UP:
        return int(settings.WALKWELL_SIGNUPS_PER_ADDRESS)
    return int(settings.WALKWELL_ADDRESS_ATTEMPTS)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.WALKWELL_ADDRESS_WINDOW_MINUTES)


def wait_minutes(kind: str, address: str, *, now: dt.datetime | None = None) -> int:
    """Minutes the address must wait before another attempt of this kind (0: none)."""
    now = now or timezone.now()
    recent = list(
        AddressAttempt.objects.filter(
            kind=kind, address=address, at__gt=now - _window()
        )
        .order_by("-at")
        .values_list("at", flat=True)[: _limit(kind)]
    )
    if len(recent) < _limit(kind):
        return 0
    frees_at = recent[-1] + _window()
    return max(1, math.ceil((frees_at - now).total_seconds() / 60))


def record(kind: str, address: str, *, now: dt.datetime | None = None) -> None:
    """Count one attempt; attempts older than the window are dropped as we go."""
    now = now or timezone.now()
    with transaction.atomic():
        AddressAttempt.objects.filter(at__lte=now - _window()).delete()
        AddressAttempt.objects.create(kind=kind, address=address, at=now)
