"""A Strava bulk export: walks and hikes in, every other sport listed as skipped."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path
from typing import BinaryIO

from benchmarks import trackgen
from walkwell.importers.base import Activity, ImportLimits, Refused, Skipped
from walkwell.importers.strava import iter_strava

CSV = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Distance\n"
    '1,"May 4, 2024",Morning loop,Walk,600,0.8,activities/1.gpx,800\n'
    '2,"May 5, 2024",Hill day,Hike,600,0.8,activities/2.tcx.gz,800\n'
    '3,"May 6, 2024",Commute,Ride,900,5.0,activities/3.gpx,5000\n'
    '4,"May 7, 2024",Treadmill,Walk,900,1.0,,1000\n'
    '5,"May 8, 2024",Lost,Walk,900,1.0,activities/5.gpx,1000\n'
)


def _export(tmp_path: Path) -> zipfile.ZipFile:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("activities.csv", CSV)
        archive.writestr("activities/1.gpx", trackgen.gpx_text(60))
        archive.writestr(
            "activities/2.tcx.gz", gzip.compress(trackgen.tcx_text(60).encode())
        )
        archive.writestr(
            "activities/3.gpx", trackgen.gpx_text(60, trackgen.steady(6.0))
        )
    return zipfile.ZipFile(path)


def _items(tmp_path: Path, limits: ImportLimits | None = None) -> list[object]:
    archive = _export(tmp_path)

    def open_member(name: str) -> BinaryIO:
        return archive.open(name)  # type: ignore[return-value]

    return list(
        iter_strava(open_member, CSV.encode(), "export.zip", limits or ImportLimits())
    )


def test_walks_and_hikes_import_with_their_strava_names(tmp_path: Path) -> None:
    walks = [i for i in _items(tmp_path) if isinstance(i, Activity)]
    assert [(w.member, w.track.sport, w.track.name) for w in walks] == [
        ("activities/1.gpx", "walk", "Morning loop"),
        ("activities/2.tcx.gz", "hike", "Hill day"),
    ]
    assert walks[0].track.extra.strava_activity_id == "1"


def test_a_ride_is_listed_as_skipped_not_a_walk(tmp_path: Path) -> None:
    skipped = {i.member: i.reason for i in _items(tmp_path) if isinstance(i, Skipped)}
    assert skipped["activities/3.gpx"] == "a Ride, not a walk"
    assert skipped["activity 4"] == "a Walk entered by hand, with no recorded track"


def test_a_file_the_csv_names_but_the_zip_lacks_is_refused(tmp_path: Path) -> None:
    refused = [i for i in _items(tmp_path) if isinstance(i, Refused)]
    assert [r.member for r in refused] == ["activities/5.gpx"]


def test_a_gzip_member_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    items = _items(tmp_path, ImportLimits(max_member_bytes=5_000))
    refused = {i.member: i.reason for i in items if isinstance(i, Refused)}
    assert "gzip bomb" in refused["activities/2.tcx.gz"]


def test_a_csv_without_activity_types_is_refused_whole() -> None:
    items = list(
        iter_strava(
            lambda name: io.BytesIO(), b"id,name\n1,x\n", "export.zip", ImportLimits()
        )
    )
    assert len(items) == 1
    assert isinstance(items[0], Refused)
