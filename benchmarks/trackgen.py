"""Realistic GPX and TCX walks of any length, for benchmarks and tests.

A walk heads north-east at a given speed, one point a second, over gentle hills
(turning back every 10 km, so that a walk of millions of points stays on Earth),
with heart rate and cadence in the usual Garmin extensions. Files are written in
chunks, so a 200,000-point file costs the generator no memory to speak of.
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
from collections.abc import Callable, Iterator
from pathlib import Path

START = dt.datetime(2024, 5, 4, 8, 0, tzinfo=dt.UTC)
METRES_PER_DEGREE = 111_195.0
#: Walks longer than this turn back at its end (and again at the start).
LEG_M = 10_000.0

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="WalkWell trackgen" '
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
    "<trk><name>Generated walk</name><type>walking</type><trkseg>\n"
)
GPX_TAIL = "</trkseg></trk></gpx>\n"
TCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
    'TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/'
    'ActivityExtension/v2">\n<Activities><Activity Sport="Other">\n'
    '<Id>2024-05-04T08:00:00Z</Id><Lap StartTime="2024-05-04T08:00:00Z"><Track>\n'
)
TCX_TAIL = "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"

Speed = Callable[[int], float]


def steady(speed_mps: float) -> Speed:
    """A constant speed, metres a second."""
    return lambda _second: speed_mps


def points(
    count: int, speed: Speed | None = None
) -> Iterator[tuple[str, float, float, float, float]]:
    """(time, lat, lon, elevation, cumulative metres) one second apart."""
    speed = speed or steady(1.3)
    metres = 0.0
    for second in range(count):
        metres += speed(second)
        # out and back along one leg, so a track of any length stays on Earth
        along = metres % (2 * LEG_M)
        along = along if along <= LEG_M else 2 * LEG_M - along
        step = along / METRES_PER_DEGREE / math.sqrt(2)
        time = (START + dt.timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        elevation = 300 + 20 * math.sin(metres / 500)
        yield (
            time,
            45.0 + step,
            14.0 + step / math.cos(math.radians(45.0)),
            elevation,
            metres,
        )


def gpx_point(time: str, lat: float, lon: float, ele: float) -> str:
    return (
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele><time>{time}</time>'
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>112</gpxtpx:hr>"
        "<gpxtpx:cad>55</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>\n"
    )


def tcx_point(time: str, lat: float, lon: float, ele: float, metres: float) -> str:
    return (
        f"<Trackpoint><Time>{time}</Time><Position><LatitudeDegrees>{lat:.7f}"
        f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
        f"<AltitudeMeters>{ele:.1f}</AltitudeMeters><DistanceMeters>{metres:.1f}"
        "</DistanceMeters><HeartRateBpm><Value>112</Value></HeartRateBpm>"
        "<Extensions><ns3:TPX><ns3:RunCadence>55</ns3:RunCadence></ns3:TPX>"
        "</Extensions></Trackpoint>\n"
    )


def gpx_text(count: int, speed: Speed | None = None) -> str:
    body = "".join(gpx_point(t, la, lo, e) for t, la, lo, e, _ in points(count, speed))
    return GPX_HEAD + body + GPX_TAIL


def tcx_text(count: int, speed: Speed | None = None) -> str:
    body = "".join(tcx_point(*p) for p in points(count, speed))
    return TCX_HEAD + body + TCX_TAIL


def write_gpx(path: Path, count: int) -> Path:
    """Write a ``count``-point GPX walk in chunks; returns the path."""
    return _write(path, GPX_HEAD, GPX_TAIL, (gpx_point(*p[:4]) for p in points(count)))


def write_tcx(path: Path, count: int) -> Path:
    """Write a ``count``-point TCX walk in chunks; returns the path."""
    return _write(path, TCX_HEAD, TCX_TAIL, (tcx_point(*p) for p in points(count)))


def _write(path: Path, head: str, tail: str, lines: Iterator[str]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= 10_000:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
        out.write(tail)
    return path


def write_identical_gpx_gz(path: Path, count: int) -> Path:
    """A gzipped GPX of ``count`` copies of one point (same place, same instant).

    Ten million copies compress to about 2 MB: a tiny upload that unpacks to a
    gigabyte of points, every one a repeat of the first.
    """
    point = gpx_point("2024-05-04T08:00:00Z", 45.0, 14.0, 300.0)
    chunk = point * 10_000
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(GPX_HEAD)
        for _ in range(count // 10_000):
            out.write(chunk)
        out.write(point * (count % 10_000))
        out.write(GPX_TAIL)
    return path
