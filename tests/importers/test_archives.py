"""Zip safety: hostile archives are refused naming the archive and the member."""

from __future__ import annotations

import gzip
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

from tests.importers.test_health_connect import build_database
from walkwell.importers.archives import iter_zip
from walkwell.importers.base import (
    Activity,
    DailySteps,
    ImportItem,
    ImportLimits,
    Refused,
    Skipped,
)

LIMITS = ImportLimits()
GPX = b"""<?xml version="1.0"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="52.0" lon="4.0"><time>2024-03-01T08:00:00Z</time></trkpt>
<trkpt lat="52.001" lon="4.0"><time>2024-03-01T08:01:00Z</time></trkpt>
<trkpt lat="52.002" lon="4.0"><time>2024-03-01T08:02:00Z</time></trkpt>
</trkseg></trk></gpx>
"""
HEALTH = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (Workout*)>
]>
<HealthData locale="de_DE">
<Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="3" durationUnit="min"
 sourceName="Watch" startDate="2024-03-01 09:00:00 +0100" endDate="2024-03-01 09:03:00 +0100">
 <WorkoutRoute sourceName="Watch" startDate="2024-03-01 09:00:00 +0100"
  endDate="2024-03-01 09:03:00 +0100">
  <FileReference path="/workout-routes/route_1.gpx"/>
 </WorkoutRoute>
</Workout>
</HealthData>
"""


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _items(path: Path, limits: ImportLimits = LIMITS) -> list[ImportItem]:
    return list(iter_zip(path, limits))


def _refusals(items: list[ImportItem]) -> list[Refused]:
    return [i for i in items if isinstance(i, Refused)]


def test_a_localised_export_name_is_found_by_its_content(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "export.zip",
        {
            "apple_health_export/Exportieren.xml": HEALTH,
            "apple_health_export/workout-routes/route_1.gpx": GPX,
            "apple_health_export/export_cda.xml": b"<ClinicalDocument/>",
        },
    )
    items = _items(path)
    walks = [i for i in items if isinstance(i, Activity)]
    assert len(walks) == 1
    assert walks[0].member == "apple_health_export/Exportieren.xml"
    assert len(walks[0].track.points) == 3
    assert [i.reason for i in items if isinstance(i, Skipped)] == [
        "a clinical document (CDA): it holds no walks"
    ]


def test_a_gpx_member_is_recognised_by_content_whatever_its_name(
    tmp_path: Path,
) -> None:
    path = _zip(tmp_path / "walks.zip", {"walks/monday.dat": GPX})
    (item,) = _items(path)
    assert isinstance(item, Activity)
    assert item.member == "walks/monday.dat"
    assert item.track.source_format == "gpx"


def test_a_gzipped_gpx_member_is_read_through(tmp_path: Path) -> None:
    path = _zip(tmp_path / "strava.zip", {"activities/1.gpx.gz": gzip.compress(GPX)})
    (item,) = _items(path)
    assert isinstance(item, Activity)
    assert len(item.track.points) == 3


@pytest.mark.parametrize(
    "name", ["../evil.gpx", "/etc/evil.gpx", "dir\\..\\evil.gpx", "C:/evil.gpx"]
)
def test_a_member_name_leaving_the_archive_is_refused(
    tmp_path: Path, name: str
) -> None:
    path = _zip(tmp_path / "bad.zip", {name: GPX, "fine.gpx": GPX})
    items = _items(path)
    (refused,) = _refusals(items)
    assert refused.file == "bad.zip"
    assert refused.member == name
    assert "path traversal" in refused.reason
    assert any(isinstance(i, Activity) and i.member == "fine.gpx" for i in items)


def test_a_highly_compressed_member_is_refused_as_a_bomb(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bomb.zip", {"zeros.gpx": b"\0" * 4_000_000})
    (refused,) = _refusals(_items(path))
    assert refused.member == "zeros.gpx"
    assert "zip bomb" in refused.reason


def test_declared_sizes_above_the_total_limit_refuse_the_archive(
    tmp_path: Path,
) -> None:
    path = _zip(tmp_path / "big.zip", {f"{n}.gpx": GPX for n in range(5)})
    limits = ImportLimits(max_total_uncompressed_bytes=len(GPX) * 4)
    (refused,) = _items(path, limits)
    assert isinstance(refused, Refused)
    assert refused.member is None
    assert "decompress" in refused.reason


def test_too_many_members_refuse_the_archive(tmp_path: Path) -> None:
    path = _zip(tmp_path / "many.zip", {f"{n}.txt": b"x" for n in range(5)})
    (refused,) = _items(path, ImportLimits(max_archive_members=4))
    assert isinstance(refused, Refused)
    assert "5 members" in refused.reason


def test_overlapping_entries_are_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "overlap.zip", {"a.gpx": GPX, "b.gpx": GPX})
    data = bytearray(path.read_bytes())
    second = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    struct.pack_into("<L", data, second + 42, 0)  # b's entry now points at a's data
    path.write_bytes(bytes(data))
    (refused,) = _items(path)
    assert isinstance(refused, Refused)
    assert "overlaps" in refused.reason


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "secret.zip", {"walk.gpx": GPX})
    data = bytearray(path.read_bytes())
    struct.pack_into("<H", data, 6, 0x1)  # local header: "encrypted"
    struct.pack_into("<H", data, data.index(b"PK\x01\x02") + 8, 0x1)
    path.write_bytes(bytes(data))
    (refused,) = _items(path)
    assert isinstance(refused, Refused)
    assert refused.member == "walk.gpx"
    assert "encrypted" in refused.reason


def test_a_member_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "liar.zip", {"walk.gpx": GPX})
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<L", data, central + 24, 10)  # declared size: 10 bytes
    path.write_bytes(bytes(data))
    (refused,) = _items(path)
    assert isinstance(refused, Refused)
    assert refused.member == "walk.gpx"
    assert refused.reason.startswith("the member is damaged")


def test_a_zip_of_an_unsupported_version_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "future.zip", {"walk.gpx": GPX})
    data = bytearray(path.read_bytes())
    data[data.index(b"PK\x01\x02") + 6] = 245  # "version 24.5 needed to extract"
    path.write_bytes(bytes(data))
    (refused,) = _items(path)
    assert isinstance(refused, Refused)
    assert refused.reason == "not a readable zip archive (zip file version 24.5)"


def test_duplicate_member_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")
        zf.writestr("walk.gpx", GPX)
        zf.writestr("walk.gpx", GPX)
    (refused,) = _items(path)
    assert isinstance(refused, Refused)
    assert "twice" in refused.reason


def test_a_nested_archive_is_not_opened(tmp_path: Path) -> None:
    inner = _zip(tmp_path / "inner.zip", {"walk.gpx": GPX}).read_bytes()
    path = _zip(tmp_path / "outer.zip", {"inner.zip": inner})
    (skipped,) = _items(path)
    assert isinstance(skipped, Skipped)
    assert "not opened" in skipped.reason


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_bytes(b"PK\x03\x04 nothing more")
    (refused,) = _items(path)
    assert isinstance(refused, Refused)
    assert refused.file == "fake.zip"
    assert refused.reason.startswith("not a readable zip archive")


def test_a_health_connect_database_in_a_zip_is_read(tmp_path: Path) -> None:
    database = build_database(tmp_path / "health_connect_export.db")
    path = _zip(
        tmp_path / "hc.zip", {"health_connect_export.db": database.read_bytes()}
    )
    items = _items(path)
    assert sum(isinstance(i, Activity) for i in items) == 2
    assert sum(isinstance(i, DailySteps) for i in items) == 2


def test_a_strava_export_imports_walks_listed_in_activities_csv(tmp_path: Path) -> None:
    csv = (
        b"Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
        b"1,x,Morning walk,Walk,activities/1.gpx.gz\n"
        b"2,x,Run,Run,activities/2.gpx\n"
    )
    path = _zip(
        tmp_path / "strava.zip",
        {
            "activities.csv": csv,
            "activities/1.gpx.gz": gzip.compress(GPX),
            "activities/2.gpx": GPX,
        },
    )
    items = _items(path)
    walks = [i for i in items if isinstance(i, Activity)]
    assert [w.track.name for w in walks] == ["Morning walk"]
    assert sum(isinstance(i, Skipped) for i in items) == 1
