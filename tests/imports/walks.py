"""Small GPX walks written by the tests themselves (no corpus needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

METRES_PER_DEGREE = 111_320.0


def walk_gpx(start: dt.datetime, *, minutes: int = 12, speed_mps: float = 1.3) -> str:
    """A straight, flat walk north at ``speed_mps``, a point every 5 seconds."""
    points = []
    for step in range(minutes * 12 + 1):
        seconds = step * 5
        lat = 46.0 + seconds * speed_mps / METRES_PER_DEGREE
        when = (start + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="{lat:.7f}" lon="14.5000000"><ele>300</ele>'
            f"<time>{when}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="walkwell-tests" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>walking</type>'
        f"<trkseg>{''.join(points)}</trkseg></trk></gpx>\n"
    )


def write_walks(folder: Path, count: int, *, first: dt.date) -> list[Path]:
    """``count`` walk files, one a day from ``first``, at 08:00 UTC."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        day = first + dt.timedelta(days=n)
        start = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
        path = folder / f"walk-{day}.gpx"
        path.write_text(walk_gpx(start), encoding="utf-8")
        paths.append(path)
    return paths
