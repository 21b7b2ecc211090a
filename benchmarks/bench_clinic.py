"""The clinic at scale: the needs-attention list and the nightly review.

A fresh PostgreSQL database (``WALKWELL_BENCH_POSTGRES_URL``, default the local
server at 127.0.0.1:5432 as ``postgres``; SQLite when none answers) gets 10,000
synthetic patients with a year of walks and check-ins each
(``benchmarks/clinic_data.py``, bulk inserts; ``--quick``: 500 with 90 days). The
nightly review of all of them runs on two task workers; then a clinician with
1,000 of them opens the list 200 times. ``python -m benchmarks --only clinic
--json`` prints the figures as one JSON object.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from typing import Any

import psycopg

from benchmarks.harness import Figure

DASHBOARD_P95_MS = 200.0
NIGHTLY_S = 60.0
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def _postgres_database() -> tuple[str | None, Any]:
    """A new empty database on the benchmark server, and a function dropping it."""
    server = os.environ.get("WALKWELL_BENCH_POSTGRES_URL", DEFAULT_SERVER)
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=3)
    except psycopg.Error:
        return None, lambda: None
    name = f"walkwell_bench_clinic_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"{base}/{name}", drop


def measure(quick: bool) -> dict[str, Any]:
    url, drop = _postgres_database()
    try:
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "WALKWELL_HOME": home}
            env.pop("DATABASE_URL", None)
            env.pop("TEST_DATABASE_NAME", None)
            if url:
                env["DATABASE_URL"] = url
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.clinic_child"]
                + (["quick"] if quick else ["full"]),
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
    finally:
        drop()
    found: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def figures(found: dict[str, Any]) -> list[Figure]:
    on = found["database"]
    return [
        Figure(
            name=f"clinic list, {found['patients']} patients x {found['days_each']} "
            f"days, p95 ({on}; p50 {found['dashboard_p50_ms']:.1f} ms)",
            value=found["dashboard_p95_ms"],
            unit="ms",
            reference=f"< {DASHBOARD_P95_MS:.0f} ms",
            ok=found["dashboard_p95_ms"] < DASHBOARD_P95_MS,
        ),
        Figure(
            name=f"nightly review, {found['nightly_patients']} patients x "
            f"{found['days_each']} days, {found['nightly_workers']} workers ({on})",
            value=found["nightly_review_s"],
            unit="s",
            reference=f"< {NIGHTLY_S:.0f} s",
            ok=found["nightly_review_s"] < NIGHTLY_S,
        ),
    ]


def run(quick: bool) -> list[Figure]:
    return figures(measure(quick))
