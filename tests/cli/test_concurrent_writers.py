"""Many ``walkwell`` processes writing one real SQLite file at the same moment.

Each writer waits for the one before it instead of failing with "database is
locked"; a second check-in for the same day is refused in one plain line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from benchmarks import trackgen

WALKWELL = Path(sys.executable).with_name("walkwell")
WRITERS_START = dt.date(2024, 1, 1)  # the refusals below name its days


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WALKWELL_HOME"] = str(home)
    return env


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(WALKWELL), *args],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _all(processes: Sequence[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    """Each process's exit code and standard error, once all have ended."""
    errors = [p.communicate()[1] for p in processes]
    return [(p.returncode, error) for p, error in zip(processes, errors, strict=True)]


def _count(home: Path, table: str) -> int:
    with sqlite3.connect(home / "walkwell.sqlite3") as db:
        return int(db.execute(f"select count(*) from {table}").fetchone()[0])  # noqa: S608


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A person enrolled from the CLI on their own SQLite file."""
    init = [
        "init",
        "--baseline-minutes",
        "12",
        "--start",
        WRITERS_START.isoformat(),
        "--yes",
    ]
    started = subprocess.run(
        [str(WALKWELL), *init], env=_env(tmp_path), capture_output=True, check=False
    )
    assert started.returncode == 0, started.stderr
    return tmp_path


def _checkin(home: Path, day: dt.date) -> subprocess.Popen[str]:
    answers = ["--pain", "3", "--stiffness-min", "20", "--sleep", "6", "--focus", "6"]
    return _start(home, "checkin", "--date", day.isoformat(), *answers)


def test_twenty_checkins_at_the_same_moment_are_all_stored(home: Path) -> None:
    days = [WRITERS_START + dt.timedelta(days=i) for i in range(20)]
    results = _all([_checkin(home, day) for day in days])
    assert [code for code, _ in results] == [0] * 20, results
    assert _count(home, "program_checkin") == 20


def test_twenty_walks_logged_at_the_same_moment_are_all_stored(home: Path) -> None:
    walks = [
        _start(home, "log-walk", "--date", "2024-01-02", "--minutes", str(10 + i))
        for i in range(20)
    ]
    results = _all(walks)
    assert [code for code, _ in results] == [0] * 20, results
    assert _count(home, "program_walk") == 20


def test_the_same_checkin_sent_three_times_at_once_is_stored_once_and_refused_plainly(
    home: Path,
) -> None:
    results = _all([_checkin(home, WRITERS_START) for _ in range(3)])
    assert sorted(code for code, _ in results) == [0, 2, 2], results
    refusals = [err for code, err in results if code == 2]
    assert (
        refusals
        == ["walkwell: error: --date: a check-in for 2024-01-01 is already recorded\n"]
        * 2
    )
    assert _count(home, "program_checkin") == 1


def test_walks_and_checkins_written_while_an_import_runs_all_succeed(
    home: Path,
) -> None:
    folder = home / "exports"
    folder.mkdir()
    for i in range(30):  # different lengths, so different recordings
        trackgen.write_gpx(folder / f"walk-{i:02}.gpx", 1200 + i)
    importing = _start(home, "import", str(folder), "--json")
    writers = [_checkin(home, WRITERS_START + dt.timedelta(days=i)) for i in range(5)]
    writers += [
        _start(home, "log-walk", "--date", "2024-01-03", "--minutes", "12")
        for _ in range(5)
    ]
    results = _all(writers)
    report, errors = importing.communicate()
    assert importing.returncode == 0, errors
    assert [code for code, _ in results] == [0] * 10, results
    assert len(json.loads(report)["imported"]) == 30
    assert _count(home, "program_walk") == 35
    assert _count(home, "program_checkin") == 5
