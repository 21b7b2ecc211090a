"""A ``walkwell import`` process killed mid-way: a re-run completes the import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.corpus
WALKWELL = [sys.executable, "-c", "from walkwell.cli import main; main()"]


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "WALKWELL_HOME": str(home)}
    env.pop("DATABASE_URL", None)  # its own SQLite file, apart from the test database
    return env


def _walks(database: Path) -> int:
    if not database.exists():
        return 0
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
        try:
            return int(db.execute("select count(*) from program_walk").fetchone()[0])
        except sqlite3.OperationalError:  # the tables are still being created
            return 0


def _kill_after_first_walk(args: list[str], env: dict[str, str], database: Path) -> int:
    process = subprocess.Popen([*WALKWELL, *args], env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _walks(database) < 1 and process.poll() is None:
        assert time.monotonic() < deadline, "no walk was stored within two minutes"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return _walks(database)


def test_a_killed_import_keeps_its_walks_and_a_rerun_stores_the_rest(
    corpus: Path, tmp_path: Path
) -> None:
    env, database = _env(tmp_path), tmp_path / "walkwell.sqlite3"
    init = ["init", "--baseline-minutes", "12", "--start", "2010-01-01", "--yes"]
    subprocess.run([*WALKWELL, *init], env=env, check=True, capture_output=True)
    paths = [str(corpus / "gpx"), str(corpus / "fit")]
    kept = _kill_after_first_walk(["import", *paths], env, database)
    rerun = subprocess.run(
        [*WALKWELL, "import", *paths, "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(rerun.stdout)
    assert rerun.returncode == 0
    assert 1 <= kept < 3  # killed with walks stored and walks still to come
    assert len(report["imported"]) >= 1
    assert len(report["duplicates"]) == kept
    assert _walks(database) == kept + len(report["imported"]) == 3
