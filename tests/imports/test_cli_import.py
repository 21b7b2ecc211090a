"""``walkwell import``: the JSON shape, the summary and the exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from typer.testing import CliRunner, Result

from walkwell.cli import app
from walkwell.web.imports.models import ImportRun
from walkwell.web.program.models import Person, Walk

from .conftest import enrol

pytestmark = pytest.mark.corpus
WALK_KEYS = {
    "file",
    "start",
    "duration_s",
    "moving_s",
    "distance_m",
    "elevation_gain_m",
    "terrain",
}


def walkwell(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def local(db: None) -> None:
    enrol("local")


def test_json_is_one_object_with_walks_and_reasons(corpus: Path, local: None) -> None:
    result = walkwell(
        "import",
        str(corpus / "fit/garmin-fenix-5-walk.fit"),
        str(corpus / "fit/Settings.fit"),
        str(corpus / "fit/activity-unexpected-eof.fit"),
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"imported", "duplicates", "skipped", "refused"}
    [walk] = data["imported"]
    assert set(walk) == WALK_KEYS
    assert walk["start"] == "2017-06-11T14:32:51+00:00"
    assert walk["distance_m"] == pytest.approx(67.8, abs=0.1)
    assert [set(e) for e in data["skipped"] + data["refused"]] == [
        {"file", "reason"}
    ] * 2
    assert "holds no activity" in data["skipped"][0]["reason"]
    assert data["refused"][0]["reason"].startswith("a damaged FIT file")


def test_members_of_an_archive_are_named(corpus: Path, local: None) -> None:
    result = walkwell(
        "import", str(corpus / "apple-health/synthetic-export.zip"), "--json"
    )
    data = json.loads(result.stdout)
    assert {e["member"] for e in data["imported"]} == {"apple_health_export/export.xml"}
    assert len(data["imported"]) == 3


def test_the_summary_table_counts_each_outcome(corpus: Path, local: None) -> None:
    walkwell("import", str(corpus / "fit/garmin-fenix-5-walk.fit"))
    result = walkwell("import", str(corpus / "fit"))
    assert result.exit_code == 0
    assert "0 imported, 1 already there" in " ".join(result.stdout.split())
    assert Walk.objects.count() == 1


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("UTC", "2026-11-28 09:22 UTC"), ("Europe/Berlin", "2026-11-28 10:22 CET")],
)
def test_the_list_of_imports_gives_local_times_with_their_zone(
    local: None, settings: Any, zone: str, shown: str
) -> None:
    """The machine's time zone (the server's TIME_ZONE), as ``walkwell today``'s day,
    named on each line."""
    settings.TIME_ZONE = zone
    with time_machine.travel(dt.datetime(2026, 11, 28, 9, 22, tzinfo=dt.UTC)):
        ImportRun.objects.create(
            person=Person.objects.get(user__username="local"), origin="web"
        )
    result = walkwell("imports")
    assert result.exit_code == 0, result.output
    assert f"  {shown}  web  " in result.output


def test_a_missing_path_is_a_usage_error_in_one_line(
    local: None, tmp_path: Path
) -> None:
    result = walkwell("import", str(tmp_path / "nope.fit"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"walkwell: error: PATH: no such file or folder: {tmp_path / 'nope.fit'}"
    ]


def test_importing_before_a_plan_exists_is_a_usage_error(
    db: None, corpus: Path
) -> None:
    result = walkwell("import", str(corpus / "fit/garmin-fenix-5-walk.fit"))
    assert result.exit_code == 2
    assert "walkwell init" in result.stderr
    assert "Traceback" not in result.output
    assert Walk.objects.count() == 0
