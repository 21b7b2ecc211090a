"""A recording dated after today, where it was made, is skipped with its reason:
the record holds no day to come, however the walk arrives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import time_machine
from typer.testing import CliRunner, Result

from walkwell.cli import app
from walkwell.web.imports.models import ImportedItem, Outcome
from walkwell.web.program.models import Walk

from .conftest import enrol
from .walks import walk_gpx

TODAY = dt.date(2026, 1, 7)  # the clock stands at 09:00 UTC (tests/conftest.py)


def walkwell(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def gpx(folder: Path, start: str) -> Path:
    """A 12-minute walk whose points carry ``start``'s own offset."""
    when = dt.datetime.fromisoformat(start)
    text = walk_gpx(when.astimezone(dt.UTC))
    offset = when.strftime("%z")
    written = f"{offset[:3]}:{offset[3:]}" if offset != "+0000" else "Z"
    utc = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:")
    local = when.strftime("%Y-%m-%dT%H:")
    text = text.replace(f"<time>{utc}", f"<time>{local}").replace(
        "Z</time>", f"{written}</time>"
    )
    path = folder / f"walk-{when:%Y%m%d%H%M}.gpx"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_track_dated_tomorrow_is_skipped_with_its_reason(
    db: None, tmp_path: Path
) -> None:
    enrol("local")
    path = gpx(tmp_path, "2026-01-08T08:00:00+00:00")
    result = walkwell("import", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["imported"] == []
    [skipped] = data["skipped"]
    assert (
        skipped["reason"] == "date is in the future (2026-01-08); give today or earlier"
    )
    assert Walk.objects.count() == 0
    assert ImportedItem.objects.get().outcome == Outcome.SKIPPED


def test_a_walk_made_today_east_of_here_is_imported_on_its_own_day(
    db: None, tmp_path: Path
) -> None:
    """At 21:00 UTC on the 7th it is 10:00 on the 8th in Auckland (+13): a walk
    there at 08:00 has happened, and is stored on its own day, the 8th."""
    enrol("local")
    path = gpx(tmp_path, "2026-01-08T08:00:00+13:00")
    with time_machine.travel("2026-01-07 21:00 +0000", tick=False):
        result = walkwell("import", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["skipped"] == []
    assert Walk.objects.get().date == dt.date(2026, 1, 8)
