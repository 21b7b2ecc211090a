"""A throwaway WalkWell instance for the drills: its own home, and its own SQLite
file or PostgreSQL database, driven only through ``walkwell`` commands and HTTP.

The drills read the database with plain SQL (``sqlite3`` or psycopg), never
through Django, so what they see is what a fresh process would find on disk.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

WALKWELL = [sys.executable, "-c", "from walkwell.cli import main; main()"]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
START = "2010-01-01"  # early enough for the corpus's walks and years of check-ins
STARTUP_S = 120.0


def postgres_base() -> str:
    """The server to make drill databases on (``WALKWELL_TEST_POSTGRES_URL``, or
    ``DATABASE_URL`` when it names PostgreSQL, or the local default)."""
    for name in ("WALKWELL_TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return DEFAULT_POSTGRES


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(autocommit: bool = True) -> psycopg.Connection[Any]:
    return psycopg.connect(
        _with_database(postgres_base(), "postgres"), autocommit=autocommit
    )


@dataclass
class Instance:
    """One WalkWell: ``home`` (secret key, uploads; the SQLite file) and, on
    PostgreSQL, the database ``pg_name``."""

    home: Path
    database: str  # "sqlite" or "postgres"
    pg_name: str = ""

    @classmethod
    def create(cls, home: Path, database: str, label: str) -> Instance:
        if database not in {"sqlite", "postgres"}:
            raise ValueError(f"--database must be sqlite or postgres (got {database})")
        home.mkdir(parents=True, exist_ok=True)
        made = cls(home, database)
        if database == "postgres":
            made.pg_name = f"walkwell_drill_{os.getpid()}_{label}"
            with _admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{made.pg_name}"')
                admin.execute(f'CREATE DATABASE "{made.pg_name}"')
        return made

    def clone(self, home: Path, label: str) -> Instance:
        """A copy of this (stopped) instance: its home, and its database."""
        shutil.copytree(self.home, home)
        copy = Instance(home, self.database)
        if self.database == "postgres":
            copy.pg_name = f"walkwell_drill_{os.getpid()}_{label}"
            with _admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{copy.pg_name}"')
                admin.execute(
                    f'CREATE DATABASE "{copy.pg_name}" TEMPLATE "{self.pg_name}"'
                )
        return copy

    def drop(self) -> None:
        if self.database == "postgres" and self.pg_name:
            with _admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.home, ignore_errors=True)

    # -- processes ---------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        env = {**os.environ, "WALKWELL_HOME": str(self.home), **extra}
        env.pop("TEST_DATABASE_NAME", None)
        env.pop("DATABASE_URL", None)
        if self.database == "postgres":
            env["DATABASE_URL"] = _with_database(postgres_base(), self.pg_name)
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*WALKWELL, *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"walkwell {' '.join(args)}: {done.stderr.strip()}")
        return done

    def start(self, *args: str, log: Path | None = None) -> subprocess.Popen[bytes]:
        """``walkwell ARGS`` in a session of its own (so the whole tree can go)."""
        out = log.open("ab") if log else subprocess.DEVNULL
        return subprocess.Popen(
            [*WALKWELL, *args],
            env=self.env(),
            stdout=out,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
            start_new_session=True,
        )

    def enrol(self) -> str:
        """A plan for the terminal's person, and an API token for it."""
        self.run("init", "--baseline-minutes", "12", "--start", START, "--yes")
        made = json.loads(self.run("token", "create", "drill", "--json").stdout)
        return str(made["token"])

    # -- the database ------------------------------------------------------

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        if self.database == "sqlite":
            path = self.home / "walkwell.sqlite3"
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
                return db.execute(sql, tuple(params)).fetchall()
        url = _with_database(postgres_base(), self.pg_name)
        with psycopg.connect(url) as db:
            return db.execute(sql.replace("?", "%s"), tuple(params)).fetchall()

    def one(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self.query(sql, params)[0][0]

    def integrity(self) -> str:
        """SQLite's ``integrity_check`` and ``foreign_key_check``; "ok" when both
        find nothing (PostgreSQL checks its constraints on every write)."""
        if self.database != "sqlite":
            return "ok"
        path = self.home / "walkwell.sqlite3"
        with sqlite3.connect(path, timeout=30) as db:
            found = [r[0] for r in db.execute("pragma integrity_check")]
            dangling = db.execute("pragma foreign_key_check").fetchall()
        db.close()
        if found != ["ok"]:
            return "; ".join(found)
        return f"foreign keys broken: {dangling[:3]}" if dangling else "ok"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"the server exited ({server.returncode}) before serving"
            )
        health = f"{url}/api/v1/health"
        with suppress(OSError), urllib.request.urlopen(health, timeout=5) as answer:  # noqa: S310
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {STARTUP_S:.0f} s")


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):
            stat = (entry / "stat").read_text(encoding="ascii")
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[-1].split()[1])
    found, frontier = [pid], [pid]
    while frontier:
        below = [child for child, parent in parents.items() if parent in frontier]
        found.extend(below)
        frontier = below
    return found


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the process and everything it started, all at once."""
    for pid in _tree(process.pid):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM as a service manager would, then SIGKILL whatever is left."""
    below = _tree(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for pid in below[1:]:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
