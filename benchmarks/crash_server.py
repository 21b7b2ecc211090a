"""The crash drill's server rounds: ``walkwell serve`` killed while a client writes.

A client posts walks (each with its own idempotency key) and check-ins (each for
a day of its own) through the JSON API with a token; at a random moment the
server and every process it started (gunicorn's workers, the task worker) are
killed together. Then every write the client was told was stored must be there,
and, once the server is up again, the requests the kill cut off are sent again
and stored once (a check-in found already stored counts).
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.drill_client import Client, new_key
from benchmarks.drill_instance import Instance, free_port, kill_tree, stop, wait_healthy

DAYS = 730  # check-in days to choose from, ending today


@dataclass
class Tally:
    rounds: int = 0
    kills: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, label: str, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(f"{label}: {what}")

    def extend(self, label: str, problems: list[str]) -> None:
        self.failures.extend(f"{label}: {p}" for p in problems)


@dataclass
class Writes:
    """What the client sent and what it was told."""

    walks: set[str] = field(default_factory=set)  # idempotency keys acknowledged
    checkins: set[str] = field(default_factory=set)  # days acknowledged
    cut_off: list[tuple[str, str]] = field(default_factory=list)  # (kind, key or day)
    refused: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)  # check-in days not yet used

    def stored(self, kind: str, value: str) -> None:
        (self.walks if kind == "walk" else self.checkins).add(value)


def _walk_day(key: str) -> str:
    """A walk's day, spread over the last year by its key."""
    return str(dt.date.today() - dt.timedelta(days=int(key[:4], 16) % 365))  # noqa: DTZ011


def _post(client: Client, kind: str, value: str) -> tuple[int, str]:
    if kind == "walk":
        answer = client.walk_api(_walk_day(value), value)
    else:
        answer = client.checkin_api(value)
    return answer.status, answer.text or answer.error


def write_until(
    client: Client, writes: Writes, stop_now: threading.Event, rng: random.Random
) -> None:
    """Walks and check-ins, one after another, until told to stop or cut off."""
    while not stop_now.is_set():
        kind = "walk" if rng.random() < 0.6 or not writes.days else "checkin"
        value = new_key() if kind == "walk" else writes.days.pop()
        status, said = _post(client, kind, value)
        if status == 201:
            writes.stored(kind, value)
        elif status == 0:
            writes.cut_off.append((kind, value))
            return
        else:
            writes.refused.append(f"{kind} {value}: {status} {said[:200]}")


def retry_cut_off(client: Client, writes: Writes, tally: Tally, label: str) -> None:
    """Requests the kill cut off, sent again: stored once, or found stored."""
    for kind, value in writes.cut_off:
        status, said = _post(client, kind, value)
        again = status == 201 or (
            kind == "checkin" and status == 422 and "already" in said
        )
        tally.check(label, again, f"retried {kind} {value}: {status} {said[:200]}")
        if again:
            writes.stored(kind, value)
    writes.cut_off.clear()


def stored_problems(instance: Instance, writes: Writes) -> list[str]:
    """An unsound file, an acknowledged write missing, or a walk stored twice."""
    problems = []
    if (found := instance.integrity()) != "ok":
        problems.append(f"integrity_check: {found}")
    keys = {r[0] for r in instance.query("select idempotency_key from program_walk")}
    days = {str(r[0]) for r in instance.query("select date from program_checkin")}
    if lost := writes.walks - keys:
        problems.append(f"{len(lost)} acknowledged walks missing: {sorted(lost)[:2]}")
    if lost := writes.checkins - days:
        problems.append(
            f"{len(lost)} acknowledged check-ins missing: {sorted(lost)[:3]}"
        )
    twice = instance.one(
        "select count(*) from (select idempotency_key from program_walk where"
        " idempotency_key <> '' group by idempotency_key having count(*) > 1) t"
    )
    if twice:
        problems.append(f"{twice} walks stored twice")
    return problems


def serve(
    instance: Instance, workers: int, log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    extra = ["--workers", str(workers)] if workers else []
    server = instance.start("serve", "--port", str(port), *extra, log=log)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, server)
    return server, url


@dataclass
class ServerDrill:
    instance: Instance
    token: str
    workers: int
    rng: random.Random
    tally: Tally = field(default_factory=Tally)
    writes: Writes = field(default_factory=Writes)

    def __post_init__(self) -> None:
        first = dt.date.today() - dt.timedelta(days=DAYS - 1)  # noqa: DTZ011
        self.writes.days = [str(first + dt.timedelta(days=n)) for n in range(DAYS)]
        self.rng.shuffle(self.writes.days)

    def round(self, label: str) -> None:
        """Serve, retry what the last kill cut off, write, kill, check."""
        log = self.instance.home / "serve.log"
        server, url = serve(self.instance, self.workers, log)
        client = Client(url, self.token)
        retry_cut_off(client, self.writes, self.tally, label)
        stop_now = threading.Event()
        writer = threading.Thread(
            target=write_until, args=(client, self.writes, stop_now, self.rng)
        )
        writer.start()
        time.sleep(self.rng.uniform(0.05, 2.5))
        alive = server.poll() is None
        kill_tree(server)
        stop_now.set()
        writer.join()
        self.tally.rounds += 1
        self.tally.kills += alive
        self.tally.extend(label, stored_problems(self.instance, self.writes))

    def finish(self) -> None:
        """Up once more: the last cut-off requests retried, then a clean stop."""
        label = "server, last re-run"
        server, url = serve(
            self.instance, self.workers, self.instance.home / "serve.log"
        )
        retry_cut_off(Client(url, self.token), self.writes, self.tally, label)
        stop(server)
        self.tally.extend(label, stored_problems(self.instance, self.writes))
        self.tally.failures.extend(f"refused: {r}" for r in self.writes.refused)
        acknowledged = len(self.writes.walks) + len(self.writes.checkins)
        self.tally.check(label, acknowledged > 0, "no write was acknowledged")
