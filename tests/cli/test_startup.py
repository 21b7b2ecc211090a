"""The command starts light: each command imports what it needs, no more.

Not timed (the machine's load would make a timing flaky): what is checked is
which modules a fresh process has loaded when the command has finished, since
that is what the start-up time is made of (docs/performance.md, "CLI start-up").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.cli.conftest import Walkwell
from tests.cli.test_commands import SCENARIO
from walkwell import __version__
from walkwell.cli_context import _every_migration_applied

# Modules no command needs before it runs, and --help and version never.
HEAVY = (
    "django",
    "rich",
    "pydantic",
    "lxml",
    "fitdecode",
    "weasyprint",
    "ninja",
    "walkwell.web",
    "walkwell.importers",
    "walkwell.core.engine",
    "walkwell.core.protocol",
    "walkwell.core.simulate",
    "walkwell.cli_render",
)

# Runs the real command in a fresh interpreter, then lists the heavy modules loaded.
PROBE = """
import atexit, json, sys
from walkwell.cli import main
heavy = sys.argv[1].split(",")
sys.argv = ["walkwell", *sys.argv[2:]]

def report():
    loaded = sorted(m for m in sys.modules if any(
        m == h or m.startswith(h + ".") for h in heavy))
    print(json.dumps(loaded), file=sys.stderr)

atexit.register(report)
main()
"""


def _loaded_after(tmp_path: Path, *args: str) -> tuple[str, list[str]]:
    """The command's output, and the heavy modules its process had loaded."""
    env = {**os.environ, "WALKWELL_HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (("--help",), "Usage: walkwell [OPTIONS] COMMAND"),
        (("version",), __version__),
        (("today", "--help"), "Show what to walk today, and why."),
        (("import", "--help"), "Files, folders or zips"),
        (("measures", "--help"), "Example: walkwell measures record"),
        (("token", "list", "--help"), "never their secrets"),
    ],
)
def test_help_and_version_load_neither_django_nor_the_engine_nor_rich(
    tmp_path: Path, args: tuple[str, ...], shows: str
) -> None:
    output, loaded = _loaded_after(tmp_path, *args)
    assert shows in output
    assert loaded == []


def test_a_command_loads_django_and_the_engine_only_when_it_runs(
    tmp_path: Path,
) -> None:
    output, loaded = _loaded_after(tmp_path, "simulate", "--help")
    assert "Replay a scenario" in output
    assert loaded == []
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    output, loaded = _loaded_after(tmp_path, "simulate", str(scenario), "--json")
    assert json.loads(output)["days"][0]["date"] == "2026-01-05"
    assert "walkwell.core.engine" in loaded
    assert not [m for m in loaded if m.split(".")[0] == "django"]  # no database


def test_today_leaves_the_file_readers_unloaded(tmp_path: Path) -> None:
    _, loaded = _loaded_after(
        tmp_path, "init", "--baseline-minutes", "12", "--start", "2026-01-05", "--yes"
    )
    output, loaded = _loaded_after(tmp_path, "today", "--date", "2026-01-06")
    assert "Decision: continue" in output
    assert "django" in loaded
    assert "walkwell.core.engine" in loaded
    readers = [m for m in loaded if m.startswith(("lxml", "fitdecode"))]
    importers = {m for m in loaded if m.startswith("walkwell.importers")}
    assert readers == []
    assert importers <= {"walkwell.importers", "walkwell.importers.base"}  # limits
    # the imports app registers its account-deletion cleanup without them
    assert "walkwell.web.program.services_export" not in loaded
    assert "walkwell.web.imports.services" not in loaded
    assert [m for m in loaded if m.split(".")[0] == "ninja"] == []  # the API's
    assert "walkwell.core.simulate" not in loaded  # the scenarios' models


# Runs the real command in a fresh interpreter, then tells the collector's state.
GC_PROBE = """
import atexit, gc, json, sys
from walkwell.cli import main
sys.argv = ["walkwell", *sys.argv[1:]]
atexit.register(lambda: print(json.dumps(
    {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}), file=sys.stderr))
main()
"""


def test_the_garbage_collector_runs_again_once_django_is_set_up(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "WALKWELL_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", GC_PROBE, "init", "--baseline-minutes", "12", "--yes"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stderr.strip().splitlines()[-1])
    assert state["enabled"] is True
    assert state["frozen"] > 0  # Django's own objects, left out of collections


def test_help_lists_each_command_with_its_whole_first_sentence(
    walkwell: Walkwell,
) -> None:
    output = walkwell("--help").output
    commands = " ".join(output.split("Commands:")[1].split())
    assert (
        "readiness Answer the exercise-readiness questions (again): they may ask "
        "for a doctor's go-ahead before the plan starts, or adjust your walks."
        in commands
    )
    assert (
        "setup Create or update the database under WALKWELL_HOME (safe to run again)."
        in commands
    )


@pytest.mark.django_db
def test_a_migration_not_applied_sends_the_command_through_djangos_own_check() -> None:
    assert _every_migration_applied()  # the test database is migrated
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = %s AND name = %s",
            ["program", "0001_initial"],
        )
    assert not _every_migration_applied()


def test_text_options_and_flags_still_reach_the_command(enrolled: Walkwell) -> None:
    result = enrolled("--user", "local", "today", "--date", "2026-01-06", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["date"] == "2026-01-06"
    refused = enrolled("today", "--date", "06/01/2026")
    assert refused.exit_code == 2
    assert "--date" in refused.stderr


def test_the_console_script_exits_at_once_with_its_output_whole_and_its_code(
    tmp_path: Path,
) -> None:
    tool = str(Path(sys.executable).with_name("walkwell"))
    env = {**os.environ, "WALKWELL_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tool, *args], env=env, capture_output=True, text=True, check=False
        )

    start = ["--baseline-minutes", "12", "--start", "2026-01-05", "--yes"]
    assert run("init", *start).returncode == 0
    history = run("history", "--json")  # a long output, through a pipe
    assert history.returncode == 0, history.stderr
    assert json.loads(history.stdout)["start"] == "2026-01-05"
    refused = run("log-walk", "--minutes", "12", "--pain-during", "11")
    assert refused.returncode == 2
    assert refused.stderr.startswith("walkwell: error: --pain-during:")
    assert refused.stdout == ""
