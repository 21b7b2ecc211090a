"""Apple Health ``Workout`` elements: walks and hikes become ``Track``s.

Kept apart from the streaming reader (``apple_health``) so that each stays small:
this module sees one finished ``Workout`` element at a time, with its children
(statistics, route reference, inline locations) still attached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import BinaryIO

from lxml import etree

from walkwell.core.model import Track, TrackExtra, TrackPoint, WalkMetrics
from walkwell.importers import gpx
from walkwell.importers.base import (
    Activity,
    ImportItem,
    ImportLimits,
    ImportRefused,
    Refused,
    Skipped,
)
from walkwell.importers.trackpoints import TooManyPoints, accumulator, too_many_points

RouteOpener = Callable[[str], AbstractContextManager[BinaryIO] | None]


class WorkoutContext:
    """What every workout and step record is read against (labels and limits)."""

    def __init__(
        self,
        file_label: str,
        member: str | None,
        limits: ImportLimits,
        routes: RouteOpener | None,
    ) -> None:
        self.file = file_label
        self.member = member
        self.limits = limits
        self.routes = routes


WALKING_TYPES = {
    "HKWorkoutActivityTypeWalking": "walking",
    "HKWorkoutActivityTypeHiking": "hiking",
}
SECONDS_PER = {"s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0}
METRES_PER = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "ft": 0.3048, "yd": 0.9144}
DISTANCE_STATISTIC = "HKQuantityTypeIdentifierDistanceWalkingRunning"


def workout_item(elem: etree._Element, ctx: WorkoutContext) -> ImportItem:
    """A walking or hiking ``Workout`` becomes an Activity; any other is Skipped."""
    kind = elem.get("workoutActivityType") or "unnamed"
    when = elem.get("startDate") or "an unknown date"
    sport = WALKING_TYPES.get(kind)
    if sport is None:
        label = kind.removeprefix("HKWorkoutActivityType").lower() or "unnamed"
        return Skipped(ctx.file, ctx.member, f"{label} workout of {when}: not a walk")
    try:
        track = _track(elem, sport, ctx)
    except (ValueError, ImportRefused) as error:
        reason = error.reason if isinstance(error, ImportRefused) else str(error)
        return Refused(ctx.file, ctx.member, f"walking workout of {when}: {reason}")
    digest = hashlib.sha256(etree.tostring(elem, with_tail=False)).hexdigest()
    return Activity(ctx.file, ctx.member, track, digest)


def _track(elem: etree._Element, sport: str, ctx: WorkoutContext) -> Track:
    start = parse_time(elem.get("startDate"))
    end = parse_time(elem.get("endDate"))
    route, route_note = _route(elem, ctx)
    extra = TrackExtra(
        source_name=elem.get("sourceName") or "", route=route_note or None
    )
    return Track(
        source_format="apple_health",
        sport=sport,
        points=route.points,
        metrics=route.metrics,
        point_count=route.point_count,
        start=start,
        duration_s=_duration_s(elem, start, end),
        distance_m=_distance_m(elem),
        device_activity_id=f"{elem.get('workoutActivityType')}@{elem.get('startDate')}",
        extra=extra,
    )


def parse_time(text: str | None) -> dt.datetime:
    """Apple's "2023-01-01 15:02:56 +0100" (always with its UTC offset)."""
    if not text:
        raise ValueError("it has no start or end time")
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        raise ValueError(f"{text[:40]!r} is not a date and time") from None


def _duration_s(elem: etree._Element, start: dt.datetime, end: dt.datetime) -> float:
    """The workout's own duration (pauses excluded), else its end minus start."""
    value = _finite(elem.get("duration"))
    factor = SECONDS_PER.get(elem.get("durationUnit") or "min")
    if value is not None and factor is not None and value >= 0:
        return value * factor
    seconds = (end - start).total_seconds()
    if seconds < 0:
        raise ValueError("it ends before it starts")
    return seconds


def _distance_m(elem: etree._Element) -> float | None:
    """``totalDistance`` (iOS <= 15) or the DistanceWalkingRunning statistic."""
    value, unit = elem.get("totalDistance"), elem.get("totalDistanceUnit")
    if value is None:
        for stat in elem.iterchildren("WorkoutStatistics"):
            if stat.get("type") == DISTANCE_STATISTIC:
                value, unit = stat.get("sum"), stat.get("unit")
    number = _finite(value)
    factor = METRES_PER.get(unit or "")
    if number is None or factor is None or number < 0:
        return None
    return number * factor


def _finite(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


#: A workout without a route: no points, nothing measured.
_NO_ROUTE = Track(source_format="apple_health", sport=None)


def _route(elem: etree._Element, ctx: WorkoutContext) -> tuple[Track, str]:
    """The workout's route GPX (or its inline ``Location``s, older iOS), measured."""
    inline = _inline_route(elem, ctx.limits)
    if inline is not None:
        return inline, ""
    ref = elem.find("WorkoutRoute/FileReference")
    path = ref.get("path") if ref is not None else None
    if not path:
        return _NO_ROUTE, ""
    opened = ctx.routes(path) if ctx.routes else None
    if opened is None:
        return _NO_ROUTE, f"route file {path} is not in the export"
    with opened as stream:
        return _gpx_route(stream, path, ctx)


def _inline_route(elem: etree._Element, limits: ImportLimits) -> Track | None:
    acc = accumulator(limits)
    try:
        for loc in elem.iterfind("WorkoutRoute/Location"):
            acc.add(
                parse_time(loc.get("date")),
                _finite(loc.get("latitude")),
                _finite(loc.get("longitude")),
                _finite(loc.get("altitude")),
                None,
                _finite(loc.get("speed")),
            )
    except TooManyPoints as error:
        raise too_many_points("Apple Health route", error) from None
    if not acc.count:
        return None
    metrics: WalkMetrics = acc.result()
    points: tuple[TrackPoint, ...] = acc.route()
    return Track(
        source_format="apple_health",
        sport=None,
        points=points,
        metrics=metrics,
        point_count=acc.count,
    )


def _gpx_route(stream: BinaryIO, path: str, ctx: WorkoutContext) -> tuple[Track, str]:
    """Read a route with the GPX importer; a bad route keeps the walk, not points."""
    try:
        return gpx.parse(stream, ctx.limits), ""
    except ImportRefused as refused:
        return _NO_ROUTE, f"route file {path} was not read: {refused.reason}"
