"""Writes: a person's preferences."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.forms import ModelForm

from walkwell.web.accounts.models import Preferences, new_calendar_token
from walkwell.web.accounts.zones import known_zones


def preferences_create(*, user: User, time_zone: str = "") -> Preferences:
    """The defaults, stored for a new account, in the time zone its browser
    reported (an unknown name is left out: the server's zone applies)."""
    zone = time_zone if time_zone in known_zones() else ""
    return Preferences.objects.create(user=user, time_zone=zone)


def calendar_link_renew(*, user: User) -> Preferences:
    """A new secret for the calendar address: the old one stops working at once."""
    prefs, _ = Preferences.objects.get_or_create(user=user)
    prefs.calendar_token = new_calendar_token()
    prefs.save(update_fields=["calendar_token"])
    return prefs


def preferences_save(*, form: ModelForm[Preferences], user: User) -> Preferences:
    """The settings form's preferences, and the reminders' address when the
    account had none, together or not at all."""
    with transaction.atomic():
        prefs = form.save()
        address = form.cleaned_data.get("reminder_email")
        if address and not user.email:
            user.email = address
            user.save(update_fields=["email"])
    return prefs
