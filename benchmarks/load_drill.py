"""Load drill: many people at once against ``walkwell serve --workers N``.

    python -m benchmarks.load_drill --clients 50 --seconds 60 --database postgres
    python -m benchmarks.load_drill --clients 50 --seconds 60 --database sqlite

Each client is a person of their own, signed in through the sign-in form (for
the pages) and holding an API token (for the JSON API). For the given time each
one loops over a mix: the Today page, Progress, the API's today, a walk logged
through the API (a fresh idempotency key each), a morning check-in through the
site's check-in form (a day of its own each), and once an upload of a GPX walk
through the API. Afterwards the database must hold exactly the writes that were
answered with success: every acknowledged walk key, check-in day and import, and
nothing else. An error is any answer other than the expected one: a 5xx, a
refusal, or a connection that failed or timed out. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from benchmarks.crash_server import serve
from benchmarks.drill_client import Answer, Client, new_key
from benchmarks.drill_instance import Instance, stop
from benchmarks.trackgen import write_gpx

PASSWORD = "walk-tall-every-day-2026"  # noqa: S105 - throwaway drill accounts
MIN_STEPS = 3  # each client's least, however slow the machine
DAYS = 730  # each person's plan starts this many days ago
PEOPLE = """
import datetime as dt, json
from django.contrib.auth.models import User
from django.utils import timezone
from walkwell.web.accounts.services_tokens import token_create
from walkwell.web.program import services
start = timezone.localdate() - dt.timedelta(days={days})
tokens = []
for n in range({count}):
    user = User.objects.create_user(username=f"walker{{n}}", password="{password}")
    services.enrollment_start(user=user, start=start, baseline_minutes=12)
    tokens.append(token_create(user=user, name="load drill")[1])
print(json.dumps(tokens))
"""
_SIGN = re.compile(r'name="(sign_[a-z0-9_]+)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Person:
    """One client's person, what it was told was stored, and how each went."""

    number: int
    token: str
    days: list[str]
    walks: set[str] = field(default_factory=set)
    checkins: set[str] = field(default_factory=set)
    imports: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def timed(self, what: str, call: object, *expected: int) -> Answer:
        began = time.monotonic()
        answer: Answer = call()  # type: ignore[operator]
        self.latencies.append(time.monotonic() - began)
        if answer.status not in expected:
            said = (answer.text or answer.error)[:160].replace("\n", " ")
            self.errors.append(f"{what}: {answer.status} {said}")
        return answer


def _checkin_form(page: str, day: str) -> dict[str, str]:
    form = {"date": day, "pain": "3", "stiffness": "10", "sleep": "7", "focus": "7"}
    form |= dict.fromkeys(_SIGN.findall(page), "no")
    found = _CSRF.search(page)
    form["csrfmiddlewaretoken"] = found.group(1) if found else ""
    return form


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = new_key()
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{name}"\r\nContent-Type: application/gpx+xml\r\n\r\n'
    )
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def act(
    person: Person, site: Client, api: Client, gpx: bytes, rng: random.Random
) -> None:
    """One step of the mix."""
    roll = rng.random()
    if roll < 0.2:
        person.timed("today", lambda: site.request("GET", "/"), 200)
    elif roll < 0.35:
        person.timed("progress", lambda: site.request("GET", "/progress/"), 200)
    elif roll < 0.55:
        person.timed("api today", lambda: api.request("GET", "/api/v1/me/today"), 200)
    elif roll < 0.8 or not person.days:
        key = new_key()
        day = str(dt.date.today() - dt.timedelta(days=rng.randrange(300)))  # noqa: DTZ011
        if person.timed("walk", lambda: api.walk_api(day, key), 201).status == 201:
            person.walks.add(key)
    elif person.imports == 0 and roll > 0.97:
        body, kind = _multipart("walk.gpx", gpx)
        upload = person.timed(
            "import",
            lambda: api.request(
                "POST", "/api/v1/me/imports", raw=body, content_type=kind
            ),
            202,
        )
        person.imports += upload.status == 202
    else:
        day = person.days.pop()
        page = person.timed(
            "check-in form", lambda: site.request("GET", "/check-in/"), 200
        )
        form = _checkin_form(page.text, day)
        posted = person.timed(
            "check-in", lambda: site.request("POST", "/check-in/", form=form), 302
        )
        if posted.status == 302:
            person.checkins.add(day)


def client_loop(person: Person, url: str, until: float, gpx: bytes, seed: int) -> None:
    rng = random.Random(seed)
    site, api = Client(url, follow=False), Client(url, person.token)
    signed = person.timed(
        "sign-in", lambda: site.sign_in(f"walker{person.number}", PASSWORD), 302
    )
    if signed.status != 302:
        return
    steps = 0
    while time.monotonic() < until or steps < MIN_STEPS:
        act(person, site, api, gpx, rng)
        steps += 1


def exactly_stored(instance: Instance, people: list[Person]) -> list[str]:
    """What the database holds against what was acknowledged, person by person."""
    problems = []
    for p in people:
        user = f"walker{p.number}"
        person = instance.one(
            "select p.id from program_person p join auth_user u on u.id = p.user_id"
            " where u.username = ?",
            (user,),
        )
        keys = {r[0] for r in instance.query(
            "select idempotency_key from program_walk where person_id = ? and"
            " idempotency_key <> ''", (person,))}  # fmt: skip
        days = {str(r[0]) for r in instance.query(
            "select date from program_checkin where person_id = ?", (person,))}  # fmt: skip
        runs = instance.one(
            "select count(*) from imports_importrun where person_id = ? and origin = 'web'",
            (person,),
        )
        if keys != p.walks:
            problems.append(
                f"{user}: walks {len(keys)} stored, {len(p.walks)} acknowledged"
            )
        if days != p.checkins:
            problems.append(f"{user}: check-ins {sorted(days ^ p.checkins)[:3]} differ")
        if runs != p.imports:
            problems.append(f"{user}: {runs} imports stored, {p.imports} acknowledged")
    return problems


def _percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(share) - 1]


def _people(instance: Instance, count: int) -> list[Person]:
    script = PEOPLE.format(days=DAYS - 1, count=count, password=PASSWORD)
    said = instance.run("manage", "shell", "-c", script).stdout
    tokens = json.loads(said.strip().splitlines()[-1])  # after the shell's own lines
    first = dt.date.today() - dt.timedelta(days=DAYS - 1)  # noqa: DTZ011
    people = []
    for number, token in enumerate(tokens):
        days = [str(first + dt.timedelta(days=n)) for n in range(DAYS)]
        random.Random(number).shuffle(days)
        people.append(Person(number, token, days))
    return people


class Figures(TypedDict):
    database: str
    clients: int
    workers: int
    seconds: float
    requests: int
    errors: int
    error_examples: list[str]
    p50_ms: float
    p95_ms: float
    writes_acknowledged: int
    mismatches: list[str]
    load_average_before: list[float]
    load_average_after: list[float]


def load(clients: int, seconds: float, database: str, workers: int = 4) -> Figures:
    """Run the drill; return its figures (``errors`` and ``mismatches`` must be 0)."""
    with tempfile.TemporaryDirectory(prefix="walkwell-load-") as folder:
        work = Path(folder)
        instance = Instance.create(work / "home", database, "load")
        try:
            instance.run("setup")
            people = _people(instance, clients)
            gpx_path = work / "walk.gpx"
            write_gpx(gpx_path, 1800)
            gpx = gpx_path.read_bytes()
            server, url = serve(instance, workers, work / "serve.log")
            load_before = os.getloadavg()
            until = time.monotonic() + seconds
            threads = [
                threading.Thread(
                    target=client_loop, args=(p, url, until, gpx, p.number)
                )
                for p in people
            ]
            began = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - began
            load_after = os.getloadavg()
            stop(server)
            mismatches = exactly_stored(instance, people)
        finally:
            instance.drop()
    latencies = sorted(t for p in people for t in p.latencies)
    errors = [e for p in people for e in p.errors]
    acknowledged = sum(len(p.walks) + len(p.checkins) + p.imports for p in people)
    return {
        "database": database,
        "clients": clients,
        "workers": workers,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": len(errors),
        "error_examples": errors[:5],
        "p50_ms": round(1000 * _percentile(latencies, 50), 1),
        "p95_ms": round(1000 * _percentile(latencies, 95), 1),
        "writes_acknowledged": acknowledged,
        "mismatches": mismatches,
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in load_after],
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_drill")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--workers", type=int, default=4, help="walkwell serve --workers"
    )
    args = parser.parse_args()
    figures = load(args.clients, args.seconds, args.database, args.workers)
    print(json.dumps(figures, indent=2))
    return 1 if figures["errors"] or figures["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
