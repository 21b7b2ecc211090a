"""The installed ``walkwell`` program on a real SQLite file under WALKWELL_HOME."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

WALKWELL = Path(sys.executable).with_name("walkwell")


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WALKWELL_HOME"] = str(home)
    return subprocess.run(
        [str(WALKWELL), *args], env=env, capture_output=True, text=True, check=False
    )


def test_setup_creates_the_sqlite_database_quietly_and_can_run_again(
    tmp_path: Path,
) -> None:
    first, second = run(tmp_path, "setup"), run(tmp_path, "setup")
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
    with sqlite3.connect(tmp_path / "walkwell.sqlite3") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master")}
    assert {"program_person", "program_walk", "program_auditlog"} <= tables


def test_a_session_survives_between_runs_and_a_refusal_stores_nothing(
    tmp_path: Path,
) -> None:
    started = run(
        tmp_path, "init", "--baseline-minutes", "12", "--start", "2026-01-05", "--yes"
    )
    assert started.returncode == 0, started.stderr
    walked = run(tmp_path, "log-walk", "--date", "2026-01-05", "--minutes", "12")
    assert walked.returncode == 0, walked.stderr
    refused = run(
        tmp_path,
        "log-walk",
        "--date",
        "2026-01-05",
        "--minutes",
        "12",
        "--pain-after",
        "11",
    )
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "--pain-after" in refused.stderr
    with sqlite3.connect(tmp_path / "walkwell.sqlite3") as db:
        walks = db.execute("select minutes, pain_after from program_walk").fetchall()
    assert walks == [(12.0, None)]
    plan = json.loads(run(tmp_path, "today", "--date", "2026-01-06", "--json").stdout)
    assert plan["phase"] == 1


def test_simulate_touches_no_database(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(
        json.dumps(
            {
                "protocol": "seed-3-phase",
                "start": "2026-01-05",
                "profile": {"baseline_minutes": 12},
                "events": [],
            }
        ),
        encoding="utf-8",
    )
    home = tmp_path / "home"
    home.mkdir()
    result = run(home, "simulate", str(scenario), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["days"][0]["date"] == "2026-01-05"
    assert list(home.iterdir()) == []


def test_manage_runs_django_commands_on_the_same_database(tmp_path: Path) -> None:
    assert run(tmp_path, "setup").returncode == 0
    shown = run(tmp_path, "manage", "showmigrations", "program")
    assert shown.returncode == 0, shown.stderr
    assert "[X] 0001_initial" in shown.stdout
