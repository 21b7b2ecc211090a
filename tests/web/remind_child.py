"""Reminder passes at one moment in processes of their own, on a real SQLite file.

Run as ``python -m tests.web.remind_child PORT WRITERS`` with ``WALKWELL_HOME``
naming an empty folder: it makes the database there, enrols one person who asked
for the check-in reminder at 07:30 UTC, then forks ``WRITERS`` processes, each
with its own database connection, holds them at a barrier and releases them
together into ``remind_pass`` at 07:35 on a day after walks, all sending through
the SMTP server on ``PORT``. Prints one JSON line: each pass's window start and
how many it sent.
"""

# ruff: noqa: E402 - Django must be set up before its models are imported

from __future__ import annotations

import os
import sys

os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "walkwell.web.settings"
os.environ.update(EMAIL_BACKEND="smtp", EMAIL_HOST="127.0.0.1", EMAIL_PORT=sys.argv[1])

import django

django.setup()

import datetime as dt
import json
import multiprocessing
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections

from walkwell.web.accounts.models import Preferences
from walkwell.web.accounts.reminders import remind_pass
from walkwell.web.program import services

START = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 4, 7, 35, tzinfo=dt.UTC)


def enrol() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.create_user("alice", email="alice@example.org")
    services.enrollment_start(user=user, start=START, baseline_minutes=12)
    Preferences.objects.create(user=user, time_zone="UTC", email_checkin=True)
    connections.close_all()


def one(barrier: Any, results: Any) -> None:
    barrier.wait()
    result = remind_pass(now=NOW)
    results.put({"start": result.start.isoformat(), "sent": result.sent})
    connections.close_all()


def main() -> None:
    enrol()
    count = int(sys.argv[2])
    fork = multiprocessing.get_context("fork")
    barrier, results = fork.Barrier(count), fork.Queue()
    workers = [fork.Process(target=one, args=(barrier, results)) for _ in range(count)]
    for worker in workers:
        worker.start()
    passes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join()
    print(json.dumps({"passes": passes}))  # noqa: T201 - the answer to the test


if __name__ == "__main__":
    main()
