"""The point limit through the whole import: the file named, nothing of it stored."""

from __future__ import annotations

from pathlib import Path

from django.test import override_settings

from benchmarks import trackgen
from tests.imports.conftest import run_import
from walkwell.web.program.models import Person, Walk


def _two_activities(first: int, second: int) -> str:
    """A TCX file whose second activity has ``second`` points."""
    body = "".join(trackgen.tcx_point(*p) for p in trackgen.points(first))
    later = "".join(
        trackgen.tcx_point(*p).replace("2024-05-04", "2024-05-05")
        for p in trackgen.points(second)
    )
    return (
        trackgen.TCX_HEAD
        + body
        + '</Track></Lap></Activity><Activity Sport="Other">'
        + '<Id>2024-05-05T08:00:00Z</Id><Lap StartTime="2024-05-05T08:00:00Z"><Track>'
        + later
        + trackgen.TCX_TAIL
    )


def test_a_track_past_the_point_limit_is_refused_and_nothing_stored(
    alice: Person, tmp_path: Path
) -> None:
    path = tmp_path / "long.gpx"
    path.write_text(trackgen.gpx_text(1_001))
    with override_settings(WALKWELL_IMPORT_MAX_TRACK_POINTS=1_000):
        report = run_import(alice, path)
    assert report.imported == []
    (refused,) = report.refused
    assert refused.file == str(path)
    assert "more than 1,000 points" in refused.reason
    assert Walk.objects.count() == 0


def test_a_file_whose_second_activity_is_past_the_limit_keeps_neither(
    alice: Person, tmp_path: Path
) -> None:
    path = tmp_path / "two.tcx"
    path.write_text(_two_activities(900, 1_500))
    with override_settings(WALKWELL_IMPORT_MAX_TRACK_POINTS=1_000):
        report = run_import(alice, path)
    assert report.imported == []
    (refused,) = report.refused
    assert refused.file == str(path)
    assert "TCX track has more than 1,000 points" in refused.reason
    assert Walk.objects.count() == 0


def test_within_the_limit_the_same_file_imports_both_walks(
    alice: Person, tmp_path: Path
) -> None:
    path = tmp_path / "two.tcx"
    path.write_text(_two_activities(900, 1_500))
    with override_settings(WALKWELL_IMPORT_MAX_TRACK_POINTS=2_000):
        report = run_import(alice, path)
    assert len(report.imported) == 2
    assert Walk.objects.count() == 2
