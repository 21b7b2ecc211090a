"""Migrations on a populated database: a new database migrated to a state from
before each app's latest migrations (the record before the care team, reviews, walk
shapes, readiness and the stricter limits; imports before the run's heartbeat
and worker; accounts before tokens, the address throttle and time zones), a row
written into every table that existed then, and everything migrated forward to
the latest. The rows survive, the new columns take their defaults, the new
constraints hold.

Run for real, in a database of its own on the server the suite runs on (SQLite,
and PostgreSQL when DATABASE_URL names it), with ``MigrationExecutor`` as
``test_preferences_move.py`` does.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.db import IntegrityError, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from benchmarks.drill_instance import Instance
from walkwell.web.accounts.models import Preferences
from walkwell.web.imports.models import DailySteps, ImportedItem, ImportRun
from walkwell.web.program.models import (
    AuditLog,
    CheckIn,
    Clearance,
    OutcomeResponse,
    Person,
    Screening,
    SymptomReport,
    Walk,
    WalkShape,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "walkwell.web.settings"
STORY = (
    "import django; django.setup(); "
    "from tests.drills.test_migrations_populated import story; story()"
)
OLD = [
    ("program", "0004_walk_idempotency_key"),
    ("imports", "0001_initial"),
    ("accounts", "0001_initial"),
]
START = dt.date(2026, 1, 5)
AT = dt.datetime(2026, 1, 6, 8, 0, tzinfo=dt.UTC)
KEY = "0123456789abcdef0123456789abcdef"
MODELS = (Person, Screening, Walk, CheckIn, Clearance, SymptomReport,
          OutcomeResponse, AuditLog, ImportRun, ImportedItem, DailySteps, Preferences)  # fmt: skip
ALIAS = "default"


def _migrate(
    alias: str, targets: Sequence[tuple[str, str | None]]
) -> MigrationExecutor:
    executor = MigrationExecutor(connections[alias])
    executor.loader.build_graph()
    executor.migrate(list(targets))
    return executor


def _latest(alias: str) -> list[tuple[str, str | None]]:
    return list(MigrationExecutor(connections[alias]).loader.graph.leaf_nodes())


def _populate(apps: Apps, alias: str) -> None:
    """A row in every table of the old state: one person's whole record."""

    def make(label: str, **fields: Any) -> Any:
        app, model = label.split(".")
        return apps.get_model(app, model).objects.using(alias).create(**fields)

    user = make("auth.User", username="alice")
    person = make("program.Person", user_id=user.pk, protocol_id="seed-3-phase",
                  start=START, baseline_minutes=12.0, footwear="supportive")  # fmt: skip
    of = {"person_id": person.pk}
    make("program.Screening", **of, date=START, red_flags=[])
    walk = make("program.Walk", **of, date=START, minutes=12.0, pain_before=2,
                pain_during=3, pain_after=2, idempotency_key=KEY)  # fmt: skip
    make("program.CheckIn", **of, date=START + dt.timedelta(days=1), pain=3,
         morning_stiffness_min=10, sleep=7, focus=6)  # fmt: skip
    make("program.Clearance", **of, date=START, by="Dr Carol")
    make("program.SymptomReport", **of, date=START, warning_signs=["numbness"])
    make("program.OutcomeResponse", **of, measure_id="pain_nrs", date=START,
         answers={"pain": 4}, score=4.0)  # fmt: skip
    make("program.AuditLog", **of, event_type="enrolled", day=START)
    run = make("imports.ImportRun", **of, status="finished", files_total=1,
               files_done=1, imported=1, step_days=1)  # fmt: skip
    make("imports.ImportedItem", run_id=run.pk, walk_id=walk.pk, outcome="imported",
         file="walk.gpx", started_at=AT, duration_s=720.0)  # fmt: skip
    make(
        "imports.DailySteps",
        **of,
        date=START,
        source="phone",
        steps=4321,
        run_id=run.pk,
    )
    make("accounts.Preferences", user_id=user.pk, distance_unit="mi",
         checkin_time=dt.time(6, 45), calendar_token="alice-feed")  # noqa: S106  # fmt: skip


def _refused(create: Any, alias: str) -> bool:
    try:
        with transaction.atomic(using=alias):
            create()
    except IntegrityError:
        return True
    return False


def test_a_populated_database_migrates_forward_with_every_row_and_the_new_rules(
    tmp_path: Path, database: str
) -> None:
    """The story runs in a process of its own on a new database (the suite's test
    database is already at the latest state, and a migration's own code, like
    django-tasks-db's, reads the default connection)."""
    instance = Instance.create(tmp_path / "home", database, "migrations")
    try:
        told = subprocess.run(
            [sys.executable, "-c", STORY], env=instance.env(DJANGO_SETTINGS_MODULE=SETTINGS),
            capture_output=True, text=True, check=False, cwd=ROOT,
        )  # fmt: skip
    finally:
        instance.drop()
    assert told.returncode == 0, told.stderr[-3000:]
    assert told.stdout.strip().endswith("every row survived; the new rules hold")


def story(fresh: str = ALIAS) -> None:
    """From nothing to ``OLD``, a row in every table, then to the latest."""
    old = _migrate(fresh, list(OLD)).loader.project_state(OLD).apps
    _populate(old, fresh)

    _migrate(fresh, _latest(fresh))

    counts = {m.__name__: m.objects.using(fresh).count() for m in MODELS}
    assert counts == {m.__name__: 1 for m in MODELS}
    person = Person.objects.using(fresh).get()
    assert (person.start, person.baseline_minutes) == (START, 12.0)
    assert person.history_version is not None  # a new column, filled in
    assert (person.readiness, person.go_ahead, person.usual_pain) == ([], None, None)
    walk = Walk.objects.using(fresh).get()
    assert (walk.minutes, walk.pain_during, walk.idempotency_key) == (12.0, 3, KEY)
    assert not WalkShape.objects.using(fresh).exists()  # a new table, empty
    checkin = CheckIn.objects.using(fresh).get()
    assert (checkin.pain, checkin.morning_stiffness_min) == (3, 10)
    assert checkin.recurrence is None
    clearance = Clearance.objects.using(fresh).get()
    assert (clearance.by, clearance.self_reported) == ("Dr Carol", True)
    assert clearance.recorded_by_id is None
    run = ImportRun.objects.using(fresh).get()
    assert (run.imported, run.step_days, run.worker_pid, run.worker_host) == (
        1,
        1,
        None,
        "",
    )
    assert run.updated_at is not None
    assert ImportedItem.objects.using(fresh).get().walk_id == walk.pk
    assert DailySteps.objects.using(fresh).get().steps == 4321
    preferences = Preferences.objects.using(fresh).get()
    assert (preferences.distance_unit, preferences.calendar_token) == (
        "mi",
        "alice-feed",
    )
    assert preferences.checkin_time == dt.time(6, 45)
    # the constraints of the later migrations hold on the migrated tables
    walks = Walk.objects.using(fresh)
    assert _refused(lambda: walks.create(person=person, date=START, minutes=601), fresh)
    assert _refused(lambda: walks.create(person=person, date=START, minutes=10,
                                         idempotency_key=KEY), fresh)  # fmt: skip
    people = Person.objects.using(fresh).filter(pk=person.pk)
    assert _refused(lambda: people.update(usual_pain=11), fresh)
    assert _refused(lambda: CheckIn.objects.using(fresh).create(
        person=person, date=checkin.date, pain=1, morning_stiffness_min=0, sleep=5,
        focus=5), fresh)  # fmt: skip
    assert not _refused(
        lambda: people.update(usual_pain=4), fresh
    )  # and allow the rest
    print("every row survived; the new rules hold")  # noqa: T201 - read by the test
