"""Health Connect exports: walking sessions and daily steps from its SQLite file.

No real export is in the corpus, so the database is built here with the table
and column names of the platform's storage (see ``health_connect``'s docstring).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from walkwell.importers.base import (
    Activity,
    DailySteps,
    ImportItem,
    ImportLimits,
    Refused,
    Skipped,
)
from walkwell.importers.health_connect import iter_database

LIMITS = ImportLimits()
CET = 3600  # zone offsets are stored in seconds
SCHEMA = """
CREATE TABLE application_info_table (
  row_id INTEGER PRIMARY KEY AUTOINCREMENT, package_name TEXT NOT NULL UNIQUE,
  app_name TEXT, app_icon BLOB, record_types_used TEXT);
CREATE TABLE steps_record_table (
  row_id INTEGER PRIMARY KEY AUTOINCREMENT, uuid BLOB NOT NULL UNIQUE,
  last_modified_time INTEGER NOT NULL, client_record_id TEXT,
  client_record_version TEXT, device_info_id INTEGER, app_info_id INTEGER,
  recording_method INTEGER, dedupe_hash BLOB, start_time INTEGER NOT NULL,
  start_zone_offset INTEGER, end_time INTEGER NOT NULL, end_zone_offset INTEGER,
  local_date INTEGER, count INTEGER NOT NULL);
CREATE TABLE exercise_session_record_table (
  row_id INTEGER PRIMARY KEY AUTOINCREMENT, uuid BLOB NOT NULL UNIQUE,
  last_modified_time INTEGER NOT NULL, client_record_id TEXT,
  client_record_version TEXT, device_info_id INTEGER, app_info_id INTEGER,
  recording_method INTEGER, dedupe_hash BLOB, start_time INTEGER NOT NULL,
  start_zone_offset INTEGER, end_time INTEGER NOT NULL, end_zone_offset INTEGER,
  local_date INTEGER, notes TEXT, exercise_type INTEGER NOT NULL, title TEXT,
  has_route INTEGER, planned_exercise_session_id BLOB);
CREATE TABLE exercise_route_table (
  row_id INTEGER PRIMARY KEY AUTOINCREMENT, parent_key INTEGER NOT NULL,
  timestamp_millis INTEGER NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL,
  altitude REAL, horizontal_accuracy REAL, vertical_accuracy REAL);
"""


def _ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp() * 1000)


def _session(
    db: sqlite3.Connection, n: int, start: str, minutes: int, kind: int
) -> None:
    begin = _ms(start)
    db.execute(
        "INSERT INTO exercise_session_record_table (uuid, last_modified_time, "
        "app_info_id, start_time, start_zone_offset, end_time, end_zone_offset, "
        "exercise_type, title, has_route) VALUES (?, 0, 2, ?, ?, ?, ?, ?, ?, 1)",
        (bytes([n]) * 16, begin, CET, begin + minutes * 60_000, CET, kind, f"walk {n}"),
    )


def _steps(db: sqlite3.Connection, n: int, start: str, count: int, app: int) -> None:
    begin = _ms(start)
    db.execute(
        "INSERT INTO steps_record_table (uuid, last_modified_time, app_info_id, "
        "start_time, start_zone_offset, end_time, end_zone_offset, count) "
        "VALUES (?, 0, ?, ?, ?, ?, ?, ?)",
        (bytes([100 + n]) * 16, app, begin, CET, begin + 600_000, CET, count),
    )


def build_database(path: Path) -> Path:
    """Two walks (one hike), a run, and steps from a phone and a watch."""
    with closing(sqlite3.connect(path)) as db:
        db.executescript(SCHEMA)
        db.execute(
            "INSERT INTO application_info_table (package_name, app_name) VALUES "
            "('com.google.android.apps.fitness', 'Fit'), ('com.garmin', 'Garmin')"
        )
        _session(db, 1, "2024-03-01T09:00:00+01:00", 30, 53)  # walking
        _session(db, 2, "2024-03-02T10:00:00+01:00", 90, 21)  # hiking
        _session(db, 3, "2024-03-03T07:00:00+01:00", 25, 33)  # running
        for i, (lat, minute) in enumerate([(52.0, 0), (52.001, 1), (52.002, 2)]):
            db.execute(
                "INSERT INTO exercise_route_table (parent_key, timestamp_millis, "
                "latitude, longitude, altitude) VALUES (1, ?, ?, 4.0, ?)",
                (_ms("2024-03-01T09:00:00+01:00") + minute * 60_000, lat, float(i)),
            )
        _steps(db, 1, "2024-03-01T08:00:00+01:00", 3000, 1)
        _steps(db, 2, "2024-03-01T18:00:00+01:00", 2500, 1)
        _steps(db, 3, "2024-03-01T08:00:00+01:00", 5200, 2)
        _steps(db, 4, "2024-03-02T00:30:00+01:00", 800, 2)  # 23:30 UTC the day before
        db.commit()
    return path


def _items(path: Path) -> list[ImportItem]:
    return list(iter_database(path, path.name, None, LIMITS))


def test_walking_and_hiking_sessions_become_walks(tmp_path: Path) -> None:
    items = _items(build_database(tmp_path / "hc.db"))
    walks = [i.track for i in items if isinstance(i, Activity)]
    assert [w.sport for w in walks] == ["walking", "hiking"]
    assert [w.duration_s for w in walks] == [1800, 5400]
    assert walks[0].start == dt.datetime.fromisoformat("2024-03-01T09:00:00+01:00")
    assert [p.lat for p in walks[0].points] == [52.0, 52.001, 52.002]
    assert walks[0].extra.app == "Garmin"


def test_a_running_session_is_skipped_with_its_type(tmp_path: Path) -> None:
    skipped = [
        i for i in _items(build_database(tmp_path / "hc.db")) if isinstance(i, Skipped)
    ]
    assert len(skipped) == 1
    assert "type 33" in skipped[0].reason


def test_daily_steps_take_the_busiest_app_on_the_local_day(tmp_path: Path) -> None:
    days = [
        i
        for i in _items(build_database(tmp_path / "hc.db"))
        if isinstance(i, DailySteps)
    ]
    assert [(d.date.isoformat(), d.steps, d.source) for d in days] == [
        ("2024-03-01", 5500, "Fit"),
        ("2024-03-02", 800, "Garmin"),
    ]


def test_a_database_without_health_connect_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    (item,) = _items(path)
    assert isinstance(item, Refused)
    assert "steps_record_table" in item.reason


def test_the_database_is_opened_from_a_copy_and_left_unchanged(tmp_path: Path) -> None:
    path = build_database(tmp_path / "hc.db")
    before = path.read_bytes()
    assert _items(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hc.db"]


def test_a_database_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = build_database(tmp_path / "hc.db")
    items = list(iter_database(path, "hc.db", None, ImportLimits(max_member_bytes=100)))
    assert len(items) == 1
    assert isinstance(items[0], Refused)
    assert "limit" in items[0].reason


def test_a_damaged_database_is_refused(tmp_path: Path) -> None:
    path = build_database(tmp_path / "hc.db")
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xff" * 3900
    path.write_bytes(bytes(data))
    items = _items(path)
    assert items
    assert isinstance(items[-1], Refused)


def _damage(path: Path, sql: str) -> Path:
    with closing(sqlite3.connect(path)) as db:
        db.executescript(sql)
        db.commit()
    return path


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE exercise_route_table SET latitude = 'north' WHERE row_id = 2",
        "UPDATE exercise_route_table SET timestamp_millis = 'x' WHERE row_id = 2",
        "UPDATE exercise_route_table SET timestamp_millis = 9e18 WHERE row_id = 2",
    ],
)
def test_a_session_with_a_damaged_route_is_refused_alone(
    tmp_path: Path, sql: str
) -> None:
    items = _items(_damage(build_database(tmp_path / "hc.db"), sql))
    assert [type(i).__name__ for i in items] == [
        "Refused",
        "Activity",
        "Skipped",
        "DailySteps",
        "DailySteps",
    ]
    assert isinstance(items[0], Refused)
    assert items[0].reason == "exercise session 1: bad route"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE steps_record_table SET start_zone_offset = 999999 WHERE row_id = 4",
        "UPDATE steps_record_table SET start_time = 9e18 WHERE row_id = 4",
    ],
)
def test_a_step_row_with_an_impossible_time_is_left_out(
    tmp_path: Path, sql: str
) -> None:
    items = _items(_damage(build_database(tmp_path / "hc.db"), sql))
    days = [
        (d.date.isoformat(), d.steps, d.source)
        for d in items
        if isinstance(d, DailySteps)
    ]
    assert days == [("2024-03-01", 5500, "Fit")]


def test_an_app_table_with_text_row_ids_names_no_app(tmp_path: Path) -> None:
    path = _damage(
        build_database(tmp_path / "hc.db"),
        "DROP TABLE application_info_table;"
        "CREATE TABLE application_info_table (row_id TEXT, app_name, package_name);"
        "INSERT INTO application_info_table VALUES ('x', 'Fit', 'com.fit')",
    )
    walks = [i.track for i in _items(path) if isinstance(i, Activity)]
    assert [w.extra.app for w in walks] == ["", ""]
