"""Helpers for the page tests: people, and the answers the forms expect."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.test import Client

from walkwell.core.instruments import START_BACK_ITEMS
from walkwell.core.protocol import load_protocol
from walkwell.web.program import selectors, services
from walkwell.web.program.models import Person

PROTOCOL = load_protocol("seed-3-phase")
PASSWORD = "walk-tall-every-day-2026"  # noqa: S105 - a test account


def person(
    username: str, start: dt.date, baseline: float = 12, *, password: str | None = None
) -> Person:
    """Enrolled on ``start``; no password unless a test signs in with one (hashing
    with Argon2 is deliberately slow)."""
    user = User.objects.create_user(username=username, password=password)
    return services.enrollment_start(user=user, start=start, baseline_minutes=baseline)


def client_for(who: Person) -> Client:
    client = Client()
    client.force_login(who.user)
    return client


def settings_answers(**changes: str) -> dict[str, str]:
    """The Settings form's answers: the defaults, with ``changes``."""
    return {
        "distance_unit": "km",
        "weight_unit": "kg",
        "first_walk_time": "08:00",
        "second_walk_time": "13:00",
        "checkin_time": "07:30",
        **changes,
    }


def screening_answers(*yes: str) -> dict[str, str]:
    return {f"sign_{s.id}": "yes" if s.id in yes else "no" for s in PROTOCOL.red_flags}


def warning_answers(*yes: str) -> dict[str, str]:
    return {
        f"sign_{s.id}": "yes" if s.id in yes else "no" for s in PROTOCOL.warning_signs
    }


def baseline_answers(**changes: str) -> dict[str, str]:
    data = {
        "baseline_minutes": "12",
        "pain": "4",
        "footwear": "supportive",
        "psfs_activity_1": "Putting on socks",
        "psfs_rating_1": "4",
        "psfs_activity_2": "Gardening",
        "psfs_rating_2": "6",
        "psfs_activity_3": "",
        "psfs_rating_3": "",
    }
    for item in START_BACK_ITEMS:
        data[f"sb_{item.id}"] = (
            item.options[-1] if item.id == "worrying" else item.options[0]
        )
    data.update(changes)
    return data


def walk_answers(day: dt.date, **changes: str) -> dict[str, str]:
    data = {
        "date": day.isoformat(),
        "minutes": "12",
        "terrain": "flat",
        "pace": "easy",
        "pain_before": "3",
        "pain_during": "4",
        "pain_after": "3",
        "cooldown": "yes",
        "load": "",
        "footwear": "supportive",
        **warning_answers(),
    }
    data.update(changes)
    return data


def checkin_answers(day: dt.date, **changes: str) -> dict[str, str]:
    data = {
        "date": day.isoformat(),
        "pain": "3",
        "stiffness": "20",
        "sleep": "6",
        "focus": "6",
        **warning_answers(),
    }
    data.update(changes)
    return data


def settled_weeks(who: Person, first: dt.date, until: dt.date) -> None:
    """Every prescribed walk done below the whisper, mornings improving week by week."""
    day = first
    while day < until:
        rx = selectors.plan_for(who, day).prescription
        week = (day - first).days // 7
        pain = max(5 - week // 2, 1)
        for _ in range(rx.sessions):
            services.walk_log(
                person=who,
                date=day,
                minutes=rx.minutes_per_session,
                pain_before=pain,
                pain_during=min(pain + 1, 5),  # at most the protocol's 5/10
                pain_after=pain,
            )
        services.checkin_record(
            person=who,
            date=day + dt.timedelta(days=1),
            pain=pain,
            morning_stiffness_min=max(30 - 5 * week, 5),
            sleep=min(5 + week, 9),
            focus=min(5 + week, 9),
        )
        day += dt.timedelta(days=1)


def first_days(who: Person, first: dt.date) -> None:
    """Two walks on the first day (22 minutes in all) and a check-in the next
    morning: what the Progress charts of the first week are drawn from."""
    services.walk_log(
        person=who, date=first, minutes=12, pain_before=3, pain_during=4, pain_after=3
    )
    services.walk_log(
        person=who, date=first, minutes=10, pain_before=3, pain_during=5, pain_after=4
    )
    services.checkin_record(
        person=who,
        date=first + dt.timedelta(days=1),
        pain=3,
        morning_stiffness_min=25,
        sleep=5,
        focus=6,
    )
