"""The child process of ``bench_pages``: a fresh database, a year of data, timings.

Run as ``python -m benchmarks.pages_child quick|full|decade`` with WALKWELL_HOME set to a
temporary folder; prints one JSON line: page -> [best ms, median ms, best CPU ms,
median CPU ms] (the CPU time of this process, user and system, which a loaded
machine inflates far less than the wall time). A page named
``COLD <url>`` is timed with an empty cache before each request (Progress keeps
its drawn charts in the cache; this is the first view after new data).
"""

# ruff: noqa: E402 - Django must be set up before its models are imported

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkwell.web.settings")

import django

django.setup()

import datetime as dt
import json
import statistics
import sys
import time

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

from walkwell.web.accounts.models import Preferences
from walkwell.web.program import services, versions
from walkwell.web.program.models import CheckIn, Person, Walk

PAGES = (
    "/",
    "/plan/",
    "/walk/",
    "/log/",
    "/check-in/",
    "/measures/",
    "/progress/",
    "/progress/?range=4w",
    "/progress/?range=1y",
    "COLD /progress/",
    "COLD /progress/?range=1y",
    "/learn/",
    "/learn/pain-loop/",
    "/accounts/settings/",
    "CALENDAR",
)


def fill(days: int) -> Person:
    """One person, ``days`` of walks (two a day in the first fortnight) and mornings."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=days)
    user = User.objects.create_user(username="bench")
    person = services.enrollment_start(user=user, start=start, baseline_minutes=12)
    walks: list[Walk] = []
    checkins: list[CheckIn] = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        pain = 2 + (i % 5 == 0)
        walks.extend(
            Walk(
                person=person,
                date=day,
                minutes=min(12 + i // 7 * 2, 40),
                pain_before=pain,
                pain_during=pain + 1,
                pain_after=pain,
            )
            for _ in range(2 if i < 14 else 1)
        )
        checkins.append(
            CheckIn(
                person=person,
                date=day + dt.timedelta(days=1),
                pain=pain,
                morning_stiffness_min=max(30 - i // 7, 5),
                sleep=min(5 + i // 30, 9),
                focus=min(5 + i // 30, 9),
            )
        )
    Walk.objects.bulk_create(walks, batch_size=2000)
    CheckIn.objects.bulk_create(checkins, batch_size=2000)
    versions.bump(person)  # rows written around the services: a new history version
    return person


DECADE_PAGES = ("/", "/progress/", "/progress/?range=1y", "COLD /", "COLD /progress/")


def main(size: str) -> None:
    """``size``: quick (12 weeks), full (a year), decade (10 years: Today and
    Progress only, read from the stored timeline; COLD rows empty the cache first,
    so they fold the whole history as the first view after a write does)."""
    quick = size == "quick"
    setup_test_environment()
    call_command("migrate", verbosity=0)
    days = {"quick": 84, "full": 365, "decade": 3650}[size]
    person = fill(days)
    client = Client()
    client.force_login(person.user)
    token = Preferences.objects.create(user=person.user).calendar_token
    results = {}
    for page in DECADE_PAGES if size == "decade" else PAGES:
        url = f"/calendar/{token}.ics" if page == "CALENDAR" else page
        cold = url.startswith("COLD ")  # the Progress charts drawn, not cached
        url = url.removeprefix("COLD ")
        runs, cpu = [], []
        for _ in range(4 if quick else 8):
            if cold:
                cache.clear()
            begin, begin_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            runs.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: status {response.status_code}")
        results[page] = (
            min(runs[1:]),
            statistics.median(runs[1:]),
            min(cpu[1:]),
            statistics.median(cpu[1:]),
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "full")
