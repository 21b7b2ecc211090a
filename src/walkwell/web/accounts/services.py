"""Writes: a person's preferences."""

from __future__ import annotations

from django.contrib.auth.models import User

from walkwell.web.accounts.models import Preferences, new_calendar_token


def preferences_create(*, user: User) -> Preferences:
    """The defaults, stored for a new account."""
    return Preferences.objects.create(user=user)


def calendar_link_renew(*, user: User) -> Preferences:
    """A new secret for the calendar address: the old one stops working at once."""
    prefs, _ = Preferences.objects.get_or_create(user=user)
    prefs.calendar_token = new_calendar_token()
    prefs.save(update_fields=["calendar_token"])
    return prefs
