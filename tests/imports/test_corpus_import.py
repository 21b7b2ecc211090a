"""Real device files end to end: what is stored as walks, skipped and refused."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest

from walkwell.web.imports import selectors
from walkwell.web.imports.models import DailySteps, ImportedItem, Outcome
from walkwell.web.program import selectors as program_selectors
from walkwell.web.program.models import Person, Walk

from .conftest import run_import

pytestmark = pytest.mark.corpus


def _records(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as stream:
        return list(csv.DictReader(stream))


PDT = dt.timezone(dt.timedelta(hours=-7), "PDT")


def _csv_time(text: str) -> dt.datetime:
    """The records' "Sun Jun 11 07:33:37 PDT 2017" (Pacific daylight time)."""
    return dt.datetime.strptime(text, "%a %b %d %H:%M:%S PDT %Y").replace(tzinfo=PDT)


def test_the_fenix_5_walk_is_stored_with_the_duration_and_distance_of_its_records(
    corpus: Path, alice: Person
) -> None:
    rows = _records(corpus / "fit/garmin-fenix-5-walk-records.csv")
    seconds = (
        _csv_time(rows[-1]["timestamp"]) - _csv_time(rows[0]["timestamp"])
    ).seconds
    report = run_import(alice, corpus / "fit/garmin-fenix-5-walk.fit")
    walk = Walk.objects.get(person=alice)
    assert [e.walk_id for e in report.imported] == [walk.pk]
    assert walk.source == "import"
    assert walk.started_at == _csv_time(rows[0]["timestamp"])
    assert walk.duration_s == pytest.approx(seconds)
    assert walk.distance_m == pytest.approx(float(rows[-1]["distance"]))
    assert walk.minutes == pytest.approx(round((walk.moving_s or 0) / 60, 1))
    assert (walk.pain_before, walk.pace) == (None, "easy")


@pytest.mark.parametrize(
    "name",
    [
        "fit/activity-small-fenix2-run.fit",
        "fit/garmin-edge-500-activity.fit",
        "tcx/test.tcx",
        "tcx/sup_activity_1.tcx",
        "gpx/around-visnjan-with-car.gpx",
    ],
)
def test_runs_rides_paddles_and_drives_are_skipped_as_not_walking(
    corpus: Path, alice: Person, name: str
) -> None:
    report = run_import(alice, corpus / name)
    assert not report.imported
    assert len(report.skipped) == 1
    reason = report.skipped[0].reason
    assert any(w in reason for w in ("not a walk", "not walking", "walking takes"))
    assert Walk.objects.count() == 0


@pytest.mark.parametrize("name", ["fit/Settings.fit", "fit/MonitoringFile.fit"])
def test_files_without_an_activity_are_skipped(
    corpus: Path, alice: Person, name: str
) -> None:
    report = run_import(alice, corpus / name)
    assert [e.reason for e in report.skipped] == [report.skipped[0].reason]
    assert "holds no activity" in report.skipped[0].reason
    assert Walk.objects.count() == 0


@pytest.mark.parametrize(
    "name",
    [
        "fit/activity-unexpected-eof.fit",
        "fit/activity-settings-corruptheader.fit",
        "fit/activity-settings-nodata.fit",
        "gpx/route.gpx",
    ],
)
def test_damaged_files_and_routes_are_refused_and_nothing_is_stored(
    corpus: Path, alice: Person, name: str
) -> None:
    report = run_import(alice, corpus / name)
    assert len(report.refused) == 1
    assert report.refused[0].file.endswith(Path(name).name)
    assert report.refused[0].reason
    assert Walk.objects.count() == 0


def test_the_walking_workouts_of_the_synthetic_apple_health_exports_are_imported(
    corpus: Path, alice: Person
) -> None:
    report = run_import(
        alice,
        corpus / "apple-health/synthetic-export.zip",
        corpus / "apple-health/synthetic-ios16-broken-dtd.xml",
    )
    starts = sorted(e.start.isoformat() for e in report.imported if e.start)
    assert len(report.imported) == 5
    assert starts[0] == "2023-01-01T11:03:41+01:00"
    assert {e.member for e in report.imported if e.file.endswith(".zip")} == {
        "apple_health_export/export.xml"
    }
    assert Walk.objects.filter(person=alice, source="import").count() == 5
    days = selectors.steps_by_day(alice, dt.date(2023, 1, 1), dt.date(2023, 1, 31))
    assert sorted(days) == [dt.date(2023, 1, d) for d in (1, 2, 3)]
    busiest = DailySteps.objects.filter(person=alice, date=dt.date(2023, 1, 1))
    assert days[dt.date(2023, 1, 1)] == max(busiest.values_list("steps", flat=True))
    assert report.step_days >= 3


def test_importing_the_whole_corpus_again_finds_only_walks_already_there(
    corpus: Path, alice: Person
) -> None:
    first = run_import(alice, corpus)
    walks = Walk.objects.count()
    second = run_import(alice, corpus)
    assert len(first.imported) == walks >= 8
    assert second.imported == []
    assert len(second.duplicates) == walks
    assert {e.walk_id for e in second.duplicates} == {e.walk_id for e in first.imported}
    assert Walk.objects.count() == walks
    assert len(second.skipped) == len(first.skipped)
    assert len(second.refused) == len(first.refused)


def test_the_same_activity_in_a_zip_and_loose_is_one_walk(
    corpus: Path, alice: Person, tmp_path: Path
) -> None:
    fit = corpus / "fit/garmin-fenix-5-walk.fit"
    archive = tmp_path / "watch-backup.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("Garmin/Activity/walk.fit", fit.read_bytes())
    loose = run_import(alice, fit)
    zipped = run_import(alice, archive)
    assert len(loose.imported) == 1
    assert zipped.imported == []
    assert [(e.member, e.walk_id) for e in zipped.duplicates] == [
        ("Garmin/Activity/walk.fit", loose.imported[0].walk_id)
    ]
    assert Walk.objects.count() == 1


def test_an_apple_health_export_unzipped_and_zipped_gives_each_walk_once(
    corpus: Path, alice: Person, tmp_path: Path
) -> None:
    archive = corpus / "apple-health/synthetic-export.zip"
    with zipfile.ZipFile(archive) as source:
        xml = next(n for n in source.namelist() if n.endswith("/export.xml"))
        (tmp_path / "export.xml").write_bytes(source.read(xml))
    unzipped = run_import(alice, tmp_path / "export.xml")
    zipped = run_import(alice, archive)
    assert len(unzipped.imported) == 3
    assert zipped.imported == []
    assert len(zipped.duplicates) == 3
    assert Walk.objects.count() == 3


def test_imported_walks_reach_the_engine_with_minutes_from_moving_time(
    corpus: Path, alice: Person
) -> None:
    run_import(alice, corpus / "gpx/korita-zbevnica.gpx")
    walk = Walk.objects.get()
    history = program_selectors.history_for(alice)
    assert [(w.date, w.minutes, w.terrain.value) for w in history.walks] == [
        (dt.date(2010, 10, 3), round((walk.moving_s or 0) / 60, 1), "hills")
    ]


def test_every_outcome_of_a_run_is_a_row_naming_its_file(
    corpus: Path, alice: Person
) -> None:
    report = run_import(alice, corpus / "fit")
    rows = ImportedItem.objects.filter(run_id=report.run_id)
    assert rows.filter(outcome=Outcome.IMPORTED).count() == len(report.imported) == 1
    assert rows.filter(outcome=Outcome.REFUSED).count() == len(report.refused)
    assert all(row.file.startswith(str(corpus / "fit")) for row in rows)
