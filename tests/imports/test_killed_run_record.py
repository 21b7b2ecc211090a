"""A ``walkwell import`` killed mid-way is recorded as failed, with the reason."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import time
from pathlib import Path

from tests.imports.test_killed_process import WALKWELL, _env, _walks
from tests.imports.walks import write_walks


def test_a_killed_import_is_listed_as_failed_with_its_reason(tmp_path: Path) -> None:
    home, files = tmp_path / "home", tmp_path / "walks"
    env, database = _env(home), home / "walkwell.sqlite3"
    write_walks(files, 150, first=dt.date(2025, 1, 1))
    init = ["init", "--baseline-minutes", "12", "--start", "2025-01-01", "--yes"]
    subprocess.run([*WALKWELL, *init], env=env, check=True, capture_output=True)
    process = subprocess.Popen([*WALKWELL, "import", str(files)], env=env)
    deadline = time.monotonic() + 120
    while _walks(database) < 1:
        assert process.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "no walk was stored within two minutes"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    listed = subprocess.run(
        [*WALKWELL, "imports", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    (run,) = json.loads(listed.stdout)
    assert run["status"] == "failed"
    assert run["origin"] == "cli"
    assert f"(process {process.pid}) ended before it finished" in run["error"]
    assert 1 <= run["imported"] < 150
    shown = subprocess.run(
        [*WALKWELL, "imports"], env=env, capture_output=True, text=True, check=True
    )
    assert f"failed (the process reading the files (process {process.pid})" in (
        shown.stdout
    )
