"""Checks every track importer applies before it hands a ``Track`` over.

A walk's length is the one thing the engine cannot do without, so a track whose
points carry no usable time is refused here, with the reason, whatever its format.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from walkwell.core.model import TrackPoint
from walkwell.importers.base import ImportRefused

#: ``TrackPoint``'s slot setters, in field order (see ``new_point``).
_SLOTS = tuple(field.name for field in dataclasses.fields(TrackPoint))
if TrackPoint.__slots__ != _SLOTS:
    raise RuntimeError("TrackPoint's slots no longer follow its fields")
(
    _set_time,
    _set_lat,
    _set_lon,
    _set_elevation,
    _set_distance,
    _set_speed,
    _set_cadence,
    _set_heart_rate,
) = (getattr(TrackPoint, name).__set__ for name in _SLOTS)
_new = object.__new__

#: Shorter than this, the "walk" is a timestamp glitch (all points at one instant).
MIN_DURATION = dt.timedelta(seconds=1)


def parse_time(text: str | None) -> dt.datetime | None:
    """An ISO 8601 time as written by GPX and TCX; a time without zone means UTC.

    GPX 1.1 and TCX both define their times as UTC, so a missing zone is read as
    UTC rather than as the server's local time.
    """
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ImportRefused(
            f"a point's time {text[:40]!r} is not a date and time"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def parse_float(text: str | None, what: str) -> float | None:
    """A finite number, or None when absent; anything else refuses the file.

    ``float`` itself skips surrounding whitespace, so blank text is only looked
    for once it has failed: this runs for every field of every point.
    """
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        if not text.strip():
            return None
        raise ImportRefused(f"a point's {what} {text[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise ImportRefused(f"a point's {what} is not a finite number")
    return value


def finite(value: float) -> float:
    """``value`` itself; NaN and infinity refuse the file (they poison every sum)."""
    if not math.isfinite(value):
        raise ImportRefused("a point holds a value that is not a finite number")
    return value


def check_position(lat: float | None, lon: float | None) -> None:
    """Latitudes beyond the poles mean the file is damaged, not that we moved there.

    NaN fails these comparisons too, so it is refused here as well.
    """
    if lat is not None and not -90.0 <= lat <= 90.0:
        raise ImportRefused(f"a point's latitude {lat} lies outside -90..90")
    if lon is not None and not -180.0 <= lon <= 180.0:
        raise ImportRefused(f"a point's longitude {lon} lies outside -180..180")


def require_timed(points: list[TrackPoint], untimed: int, kind: str) -> None:
    """Refuse a track whose duration cannot be known from its points' times."""
    if not points and not untimed:
        raise ImportRefused(f"this {kind} file holds no recorded track points")
    if not points:
        raise ImportRefused(
            f"this {kind} track has no timestamps, so when and how long the walk "
            "was cannot be known"
        )
    if untimed > len(points):
        raise ImportRefused(
            f"only {len(points)} of the {len(points) + untimed} points of this {kind} "
            "track carry a time, so how long the walk took cannot be known"
        )
    first, last = min(p.time for p in points), max(p.time for p in points)
    if last - first < MIN_DURATION:
        raise ImportRefused(
            f"every point of this {kind} track carries the same time "
            f"({first.isoformat()}), so how long the walk took cannot be known"
        )


def new_point(  # noqa: PLR0917 - positional like TrackPoint(...), one per field
    time: dt.datetime,
    lat: float | None,
    lon: float | None,
    elevation_m: float | None,
    distance_m: float | None,
    speed_mps: float | None,
    cadence_spm: float | None,
    heart_rate: int | None,
) -> TrackPoint:
    """``TrackPoint(time, lat, ...)``, built in a third of the time.

    A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, which costs more than parsing the point's XML; the
    slot descriptors set the same fields directly. ``TrackPoint`` has no
    ``__post_init__``, so the result is identical (a test compares them).
    """
    point = _new(TrackPoint)
    _set_time(point, time)
    _set_lat(point, lat)
    _set_lon(point, lon)
    _set_elevation(point, elevation_m)
    _set_distance(point, distance_m)
    _set_speed(point, speed_mps)
    _set_cadence(point, cadence_spm)
    _set_heart_rate(point, heart_rate)
    return point
