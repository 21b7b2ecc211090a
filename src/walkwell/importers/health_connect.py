"""Android Health Connect exports: walks and daily steps from its SQLite database.

Health Connect's "Export data" (Android 14+) writes a zip holding one SQLite
database (``health_connect_export.db``) with the platform's own tables. WalkWell
reads it as untrusted input: the member is copied (size-limited) into a private
temporary file, opened read-only (``mode=ro`` URI, ``query_only``), and only the
known tables and columns below are queried; a database without them is refused.

Schema assumption (no real export is in the test corpus; the layout follows the
platform's storage helpers in AOSP ``packages/modules/HealthFitness``):

* ``steps_record_table(start_time, start_zone_offset, end_time, count,
  app_info_id, ...)``: times in epoch milliseconds, zone offsets in seconds.
* ``exercise_session_record_table(row_id, uuid, start_time, start_zone_offset,
  end_time, exercise_type, title, app_info_id, ...)``.
* ``exercise_route_table(parent_key, timestamp_millis, latitude, longitude,
  altitude)``: optional; its rows are a session's route.
* ``application_info_table(row_id, app_name, package_name)``: optional; names the
  app that wrote a record (the step count's source).

Exercise types: the database stores the *platform* constants of
``android.health.connect.datatypes.ExerciseSessionType`` (WALKING = 53,
HIKING = 21), not the Jetpack ``androidx.health.connect`` ones that app
developers see (EXERCISE_TYPE_WALKING = 79, EXERCISE_TYPE_HIKING = 37); the
Jetpack library maps between the two. 79 is no platform type, so it is also
read as walking should a tool ever write Jetpack values; 37 is not, because it
is the platform's SKATING.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import BinaryIO

from walkwell.core.model import Track, TrackExtra
from walkwell.importers.base import (
    Activity,
    DailySteps,
    ImportItem,
    ImportLimits,
    ImportRefused,
    Refused,
    Skipped,
)
from walkwell.importers.steps import StepTally
from walkwell.importers.trackpoints import TooManyPoints, accumulator, too_many_points

WALKING_TYPES = {53: "walking", 21: "hiking", 79: "walking"}
REQUIRED_TABLES = ("steps_record_table", "exercise_session_record_table")
COPY_CHUNK = 1024 * 1024


def iter_database(
    source: Path | BinaryIO, file_label: str, member: str | None, limits: ImportLimits
) -> Iterator[ImportItem]:
    """Yield walking sessions, then one DailySteps a day (busiest app per day)."""
    with tempfile.TemporaryDirectory(prefix="walkwell-hc-") as folder:
        copy = Path(folder) / "export.db"
        try:
            _copy_limited(source, copy, limits.max_member_bytes)
            yield from _read(copy, file_label, member, limits)
        except ImportRefused as refused:
            yield Refused(file_label, member, refused.reason)
        except sqlite3.DatabaseError as error:
            reason = f"not a readable Health Connect database ({error})"
            yield Refused(file_label, member, reason)


def _copy_limited(source: Path | BinaryIO, target: Path, limit: int) -> None:
    """Copy into our own temporary file: SQLite needs a real, private file."""
    if isinstance(source, Path):
        if source.stat().st_size > limit:
            raise ImportRefused(f"the database is over the limit of {limit:,} bytes")
        shutil.copyfile(source, target)
        return
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                raise ImportRefused(
                    f"the database is over the limit of {limit:,} bytes"
                )
            out.write(chunk)


def _read(
    path: Path, file_label: str, member: str | None, limits: ImportLimits
) -> Iterator[ImportItem]:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        db.execute("PRAGMA query_only = ON")
        db.execute("PRAGMA trusted_schema = OFF")
        _require_tables(db)
        apps = _app_names(db)
        for row in db.execute(SESSIONS_SQL):
            yield _session_item(db, row, apps, (file_label, member), limits)
        yield from _daily_steps(db, apps, file_label, member)


def _tables(db: sqlite3.Connection) -> set[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(name) for (name,) in rows}


def _require_tables(db: sqlite3.Connection) -> None:
    missing = [name for name in REQUIRED_TABLES if name not in _tables(db)]
    if missing:
        raise ImportRefused(
            "not a Health Connect export: the database has no " + " or ".join(missing)
        )


def _app_names(db: sqlite3.Connection) -> dict[int, str]:
    if "application_info_table" not in _tables(db):
        return {}
    rows = db.execute(
        "SELECT row_id, app_name, package_name FROM application_info_table"
    )
    return {
        row_id: str(name or package)
        for row_id, name, package in rows
        if isinstance(row_id, int)
    }


SESSIONS_SQL = """
    SELECT row_id, uuid, start_time, start_zone_offset, end_time,
           exercise_type, title, app_info_id
    FROM exercise_session_record_table ORDER BY start_time
"""
STEPS_SQL = (
    "SELECT start_time, start_zone_offset, count, app_info_id FROM steps_record_table"
)
ROUTE_SQL = """
    SELECT timestamp_millis, latitude, longitude, altitude
    FROM exercise_route_table WHERE parent_key = ? ORDER BY timestamp_millis
"""


def _local_time(millis: int, offset_s: int | None) -> dt.datetime:
    """Epoch milliseconds in the zone the phone was in when it recorded them."""
    zone = dt.timezone(dt.timedelta(seconds=offset_s or 0))
    return dt.datetime.fromtimestamp(millis / 1000, tz=zone)


def _session_item(
    db: sqlite3.Connection,
    row: tuple[object, ...],
    apps: dict[int, str],
    where: tuple[str, str | None],
    limits: ImportLimits,
) -> ImportItem:
    file_label, member = where
    row_id, uuid, start, offset, end, kind, title, app = row
    try:
        begins = _checked_start(start, offset, end)
    except (ValueError, OverflowError, OSError):
        return Refused(file_label, member, f"exercise session {row_id}: bad times")
    sport = WALKING_TYPES.get(kind if isinstance(kind, int) else -1)
    if sport is None:
        reason = (
            f"exercise session of {begins:%Y-%m-%d %H:%M} (type {kind}): not a walk"
        )
        return Skipped(file_label, member, reason)
    try:
        route = _route(db, row_id, limits)
    except ImportRefused as refused:
        return Refused(
            file_label, member, f"exercise session {row_id}: {refused.reason}"
        )
    except (TypeError, ValueError, OverflowError, OSError):
        return Refused(file_label, member, f"exercise session {row_id}: bad route")
    track = Track(
        source_format="health_connect",
        sport=sport,
        points=route.points,
        metrics=route.metrics,
        point_count=route.point_count,
        start=begins,
        duration_s=(int(str(end)) - int(str(start))) / 1000,
        device_activity_id=uuid.hex() if isinstance(uuid, bytes) else str(uuid),
        name=str(title) if title else None,
        extra=TrackExtra(app=apps.get(app, "") if isinstance(app, int) else ""),
    )
    digest = hashlib.sha256(repr(row).encode()).hexdigest()
    return Activity(file_label, member, track, digest)


def _checked_start(start: object, offset: object, end: object) -> dt.datetime:
    if not isinstance(start, int) or not isinstance(end, int) or end < start:
        raise ValueError("bad times")
    return _local_time(start, offset if isinstance(offset, int) else None)


def _route(db: sqlite3.Connection, row_id: object, limits: ImportLimits) -> Track:
    """The session's route rows, measured as they are read (no points kept)."""
    if "exercise_route_table" not in _tables(db):
        return Track(source_format="health_connect", sport=None)
    acc = accumulator(limits)
    try:
        for millis, lat, lon, alt in db.execute(ROUTE_SQL, (row_id,)):
            acc.add(
                _local_time(int(millis), 0),
                float(lat),
                float(lon),
                float(alt) if alt is not None else None,
            )
    except TooManyPoints as error:
        raise too_many_points("Health Connect route", error) from None
    if not acc.count:
        return Track(source_format="health_connect", sport=None)
    return Track(
        source_format="health_connect",
        sport=None,
        points=acc.route(),
        metrics=acc.result(),
        point_count=acc.count,
    )


def _daily_steps(
    db: sqlite3.Connection, apps: dict[int, str], file_label: str, member: str | None
) -> Iterator[DailySteps]:
    """Steps per local day; like Apple Health, the busiest source wins the day."""
    tally = StepTally()
    for start, offset, count, app in db.execute(STEPS_SQL):
        if not isinstance(start, int) or not isinstance(count, int) or count < 0:
            continue
        try:
            day = _local_time(start, offset if isinstance(offset, int) else None)
        except (ValueError, OverflowError, OSError):
            continue  # a time or zone no clock shows: as unreadable as a non-integer
        source = apps.get(app, f"app {app}") if isinstance(app, int) else "unknown"
        tally.add(day.date().isoformat(), source, count)
    yield from tally.daily(file_label, member)
