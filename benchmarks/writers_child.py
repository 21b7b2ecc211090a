"""A burst of writers at one moment against a real SQLite file under WALKWELL_HOME.

Run as ``python -m benchmarks.writers_child KIND WRITERS [--threads]``. KIND is
``walk`` (each writer logs a walk), ``checkin`` (each records the check-in of a
different day) or ``repeat`` (every writer posts the same walk form, as a double
tap or a retry does). Writers are forked processes (``--threads``: threads of this
one), each with its own database connection and Django test client, all held at a
barrier and released together; each posts the form through the whole web stack.
Prints one JSON line: ``{"ok": n, "errors": [...], "walks": n, "checkins": n}``.
Used by ``bench_writers`` and by the concurrency tests.
"""

# ruff: noqa: E402 - Django must be set up before its models are imported

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkwell.web.settings")

import django

django.setup()

import argparse
import datetime as dt
import json
import multiprocessing
import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

from walkwell.core.protocol import load_protocol
from walkwell.web.program import services
from walkwell.web.program.models import CheckIn, Walk

HISTORY_DAYS = 400  # room for a check-in a day for up to 400 writers
REPEATED_KEY = uuid.uuid4().hex


def prepare() -> int:
    """A fresh database and one enrolled person; returns the user's id."""
    call_command("migrate", verbosity=0)
    user = User.objects.create_user(username="writer")
    start = timezone.localdate() - dt.timedelta(days=HISTORY_DAYS)
    services.enrollment_start(user=user, start=start, baseline_minutes=12)
    connections.close_all()  # every writer opens its own connection
    return user.pk


def _signs() -> dict[str, str]:
    signs = load_protocol("seed-3-phase").warning_signs
    return {f"sign_{s.id}": "no" for s in signs}


def form(kind: str, index: int) -> tuple[str, dict[str, str]]:
    """The page and the answers one writer posts."""
    today = timezone.localdate()
    if kind == "checkin":
        day = today - dt.timedelta(days=index)
        answers = {"pain": "3", "stiffness": "20", "sleep": "6", "focus": "6"}
        return "/check-in/", {"date": day.isoformat(), **answers, **_signs()}
    key = REPEATED_KEY if kind == "repeat" else uuid.uuid4().hex
    walk = {
        "date": today.isoformat(),
        "minutes": str(10 + index % 20),
        "terrain": "flat",
        "pace": "easy",
        "pain_before": "3",
        "pain_during": "3",
        "pain_after": "3",
        "cooldown": "yes",
        "load": "",
        "footwear": "",
        "idempotency_key": key,
    }
    return "/log/", {**walk, **_signs()}


def write(user_id: int, kind: str, index: int, wait: Callable[[], Any]) -> str:
    """One writer: sign in, wait for the others, post. "ok" or what went wrong."""
    try:
        client = Client()
        client.force_login(User.objects.get(pk=user_id))
        url, data = form(kind, index)
        wait()
        response = client.post(url, data)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()
    if response.status_code != 302:
        return f"status {response.status_code}"
    return "ok"


def _in_threads(user_id: int, kind: str, writers: int) -> list[str]:
    barrier = threading.Barrier(writers)
    results = [""] * writers

    def one(index: int) -> None:
        results[index] = write(user_id, kind, index, barrier.wait)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _process(
    user_id: int, kind: str, index: int, barrier: Any, queue: Any
) -> None:  # pragma: no cover - runs in a forked child
    queue.put(write(user_id, kind, index, barrier.wait))


def _in_processes(user_id: int, kind: str, writers: int) -> list[str]:
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(writers), context.SimpleQueue()
    children = [
        context.Process(target=_process, args=(user_id, kind, i, barrier, queue))
        for i in range(writers)
    ]
    for child in children:
        child.start()
    results = [queue.get() for _ in children]
    for child in children:
        child.join()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.writers_child")
    parser.add_argument("kind", choices=("walk", "checkin", "repeat"))
    parser.add_argument("writers", type=int)
    parser.add_argument("--threads", action="store_true")
    args = parser.parse_args()
    setup_test_environment()
    user_id = prepare()
    burst = _in_threads if args.threads else _in_processes
    results = burst(user_id, args.kind, args.writers)
    errors = [r for r in results if r != "ok"]
    summary = {
        "ok": len(results) - len(errors),
        "errors": errors,
        "walks": Walk.objects.count(),
        "checkins": CheckIn.objects.count(),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
