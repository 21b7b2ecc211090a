"""The child process of ``bench_clinic``: generate a clinic, time its list and review.

Run as ``python -m benchmarks.clinic_child quick|full`` with WALKWELL_HOME set to a
temporary folder and DATABASE_URL naming an empty database; prints one JSON line.
``WALKWELL_BENCH_CLINIC_SIZES=NIGHTLY,DASHBOARD,DAYS`` sets other sizes (the
list's figures do not depend on DAYS: it reads the stored reviews only).

1. ``benchmarks.clinic_data.generate`` makes the patients (bulk inserts).
2. The nightly review: ``walkwell review --all`` queues its batches, then two task
   workers (``walkwell worker --batch``, one per core) run them; the time is from
   the queueing to the last worker's exit.
3. The dashboard: a clinician's first ``DASHBOARD`` patients, through
   ``needs_attention`` (first page of 50) and a template rendering its rows, timed
   ``RENDERS`` times after a few warm-up calls; p50 and p95.
"""

# ruff: noqa: E402 - Django must be set up before its models are imported

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkwell.web.settings")

import django

django.setup()

import json
import resource
import statistics
import subprocess
import sys
import time

from django.core.management import call_command
from django.db import connection
from django.template import Context, Engine
from django.utils import timezone

from benchmarks.clinic_data import generate
from walkwell.web.program.models import Person
from walkwell.web.program.selectors_attention import needs_attention

ROWS = Engine().from_string(
    """<table>{% for r in page.rows %}<tr><td>{{ r.name }}</td><td>{{ r.label }}</td>
<td>{{ r.text }}</td><td>{{ r.since|default:"" }}</td><td>{{ r.decision }}</td>
<td>{{ r.phase|default:"" }}</td></tr>{% endfor %}</table>
<p>{{ page.total }} patients, page {{ page.page }} of {{ page.pages }}</p>"""
)
SELF = [sys.executable, "-c", "from walkwell.cli import main; main()"]
RENDERS = 200


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _nightly(day: str, workers: int) -> tuple[float, float]:
    """Wall seconds from queueing to the last worker's exit, and the CPU seconds
    the command and the workers used (PostgreSQL's own not counted)."""
    cpu = _children_cpu()
    begin = time.perf_counter()
    subprocess.run(
        [*SELF, "review", "--all", "--date", day], check=True, capture_output=True
    )
    running = [
        subprocess.Popen(
            [*SELF, "worker", "--batch"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for worker in running:
        if worker.wait() != 0:
            raise SystemExit("a review worker failed")
    return time.perf_counter() - begin, _children_cpu() - cpu


def main(quick: bool) -> None:
    call_command("migrate", verbosity=0)
    nightly, dashboard, days = (500, 100, 90) if quick else (10_000, 1_000, 365)
    sizes = os.environ.get("WALKWELL_BENCH_CLINIC_SIZES")  # "nightly,dashboard,days"
    if sizes:
        nightly, dashboard, days = (int(n) for n in sizes.split(","))
    today = timezone.localdate()
    begin = time.perf_counter()
    ids = generate(nightly, days, today)
    generated = time.perf_counter() - begin
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds, cpu_seconds = _nightly(today.isoformat(), workers=2)
    # The clinician's patients as the clinic's permission layer gives them: a
    # subquery, not a list of ids.
    mine = Person.objects.filter(pk__gte=ids[0], pk__lte=ids[dashboard - 1]).values(
        "pk"
    )
    times, cpu = [], []
    for i in range(RENDERS + 10):
        start, start_cpu = time.perf_counter(), time.process_time()
        page = needs_attention(mine, page=1 + i % 3)
        ROWS.render(Context({"page": page}))
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times, cpu = times[10:], cpu[10:]
    cuts = statistics.quantiles(times, n=100)
    load = os.getloadavg()[0]
    result = {
        "database": connection.vendor,
        "patients": dashboard,
        "days_each": days,
        "dashboard_p50_ms": round(statistics.median(times), 2),
        "dashboard_p95_ms": round(cuts[94], 2),
        "nightly_patients": nightly,
        "nightly_review_s": round(seconds, 2),
        "nightly_workers": 2,
        "nightly_cpu_s": round(cpu_seconds, 2),
        "dashboard_cpu_p50_ms": round(statistics.median(cpu), 2),
        "dashboard_cpu_p95_ms": round(statistics.quantiles(cpu, n=100)[94], 2),
        "load_average": round(load, 1),
        "generate_s": round(generated, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(quick=sys.argv[1:] == ["quick"])
