"""The shape of a recorded walk: a bounded copy of its route and elevation, with the
brisk and slow stretches and the climbs marked, small enough to store with the walk
and to draw on a page without any map.

Importers keep a thinned route (``core.metrics.ROUTE_POINTS`` points at most,
whatever the track's length); this thins it again to ``SHAPE_POINTS``, keeping the
first and last points and the four that touch the route's bounding box, so the
drawing spans exactly the box of the route it was made from. Pure: no I/O.
"""

from __future__ import annotations

import itertools
import math
import statistics
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from walkwell.core.metrics import DEFAULT_PARAMS, MetricsParams, haversine_m
from walkwell.core.model import TrackPoint

#: The most points a walk's shape keeps (about 12 kB stored as JSON).
SHAPE_POINTS = 500

# How each point's stretch was walked (only when the walk followed intervals).
STEADY, BRISK, SLOW = 0, 1, 2
# The ground under each point, from the grade over the last ``grade_window_m``.
LEVEL, INCLINE, HILL = 0, 1, 2


@dataclass(frozen=True, slots=True)
class ShapePoint:
    lat: float
    lon: float
    elevation_m: float | None
    seconds: float  # since the first point
    metres: float  # along the route from the first point
    stretch: int  # STEADY, BRISK or SLOW
    ground: int  # LEVEL, INCLINE or HILL

    def row(self) -> list[float | int | None]:
        """Compact, for storing as JSON: [lat, lon, elevation, s, m, stretch, ground]."""
        ele = None if self.elevation_m is None else round(self.elevation_m, 1)
        return [
            round(self.lat, 6),
            round(self.lon, 6),
            ele,
            round(self.seconds, 1),
            round(self.metres, 1),
            self.stretch,
            self.ground,
        ]

    @classmethod
    def from_row(cls, row: Sequence[float | int | None]) -> ShapePoint:
        lat, lon, ele, seconds, metres, stretch, ground = row
        return cls(
            float(lat or 0.0),
            float(lon or 0.0),
            None if ele is None else float(ele),
            float(seconds or 0.0),
            float(metres or 0.0),
            int(stretch or 0),
            int(ground or 0),
        )


@dataclass(frozen=True, slots=True)
class RouteShape:
    points: tuple[ShapePoint, ...]
    south: float
    west: float
    north: float
    east: float
    intervals: bool  # the walk followed the brisk/slow pattern (stretches marked)

    @property
    def has_elevation(self) -> bool:
        return sum(p.elevation_m is not None for p in self.points) >= 2


def route_shape(
    points: Sequence[TrackPoint],
    *,
    intervals: bool = False,
    params: MetricsParams = DEFAULT_PARAMS,
    max_points: int = SHAPE_POINTS,
) -> RouteShape | None:
    """The walk's shape, or None when fewer than two points have a position."""
    located = [p for p in points if p.lat is not None and p.lon is not None]
    if len(located) < 2:
        return None
    start = located[0].time
    seconds = [(p.time - start).total_seconds() for p in located]
    metres = _along(located)
    stretches = _stretches(seconds, metres, params) if intervals else None
    grounds = _grounds(located, metres, params)
    keep = _thinned(located, max(max_points, 6))
    lats = [p.lat for p in located if p.lat is not None]
    lons = [p.lon for p in located if p.lon is not None]
    kept = tuple(
        ShapePoint(
            lat=located[i].lat or 0.0,
            lon=located[i].lon or 0.0,
            elevation_m=located[i].elevation_m,
            seconds=seconds[i],
            metres=metres[i],
            stretch=stretches[i] if stretches else STEADY,
            ground=grounds[i],
        )
        for i in keep
    )
    return RouteShape(
        points=kept,
        south=min(lats),
        west=min(lons),
        north=max(lats),
        east=max(lons),
        intervals=stretches is not None,
    )


def _along(points: list[TrackPoint]) -> list[float]:
    out, total = [0.0], 0.0
    for a, b in itertools.pairwise(points):
        total += haversine_m(a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0)
        out.append(total)
    return out


def _thinned(points: list[TrackPoint], limit: int) -> list[int]:
    """Indices kept: evenly spaced, plus the first, the last and the four points on
    the bounding box, never more than ``limit``."""
    n = len(points)
    extremes = {
        0,
        n - 1,
        min(range(n), key=lambda i: points[i].lat or 0.0),
        max(range(n), key=lambda i: points[i].lat or 0.0),
        min(range(n), key=lambda i: points[i].lon or 0.0),
        max(range(n), key=lambda i: points[i].lon or 0.0),
    }
    room = limit - len(extremes)
    if room <= 0:  # the box's corners and the ends already fill the drawing
        return sorted(extremes)
    step = max(1, math.ceil(n / room))
    return sorted(extremes | set(range(0, n, step)))


def _stretches(
    seconds: list[float], metres: list[float], params: MetricsParams
) -> list[int] | None:
    """Brisk or slow for each point, judged as the measures judge intervals: speeds
    over ``interval_bin_s`` bins, cut halfway between the slow and the brisk."""
    width = params.interval_bin_s
    first: dict[int, tuple[float, float]] = {}
    for s, m in zip(seconds, metres, strict=True):
        first.setdefault(int(s // width), (s, m))
    keys = sorted(first)
    if len(keys) < 5:
        return None
    speed: dict[int, float] = {}
    for k, nxt in itertools.pairwise(keys):
        (s0, m0), (s1, m1) = first[k], first[nxt]
        speed[k] = (m1 - m0) / (s1 - s0) if s1 > s0 else 0.0
    speed[keys[-1]] = speed[keys[-2]]
    walking = [v for v in speed.values() if v >= params.pause_speed_mps]
    if len(walking) < 4:
        return None
    deciles = statistics.quantiles(walking, n=10)
    cut = (deciles[0] + deciles[-1]) / 2
    return [BRISK if speed[int(s // width)] >= cut else SLOW for s in seconds]


def _grounds(
    points: list[TrackPoint], metres: list[float], params: MetricsParams
) -> list[int]:
    """The grade climbed over the last ``grade_window_m`` before each point."""
    out: list[int] = []
    back = 0
    for i, point in enumerate(points):
        while back < i and metres[i] - metres[back + 1] >= params.grade_window_m:
            back += 1
        ground = LEVEL
        then, now = points[back].elevation_m, point.elevation_m
        run = metres[i] - metres[back]
        if then is not None and now is not None and run >= params.grade_window_m:
            grade = (now - then) / run
            if grade >= params.hill_grade:
                ground = HILL
            elif grade >= params.incline_grade:
                ground = INCLINE
        out.append(ground)
    return out


# --- a compact copy for carrying many walks' shapes while a file is read ----------

_FIELDS = 7


def pack(shape: RouteShape) -> bytes:
    """The shape in about 14 kB: the box as doubles, each point as 7 floats (a
    position to within half a metre)."""
    head = array("d", [shape.south, shape.west, shape.north, shape.east])
    head.append(1.0 if shape.intervals else 0.0)
    rows = array("f")
    for p in shape.points:
        ele = math.nan if p.elevation_m is None else p.elevation_m
        rows.extend((p.lat, p.lon, ele, p.seconds, p.metres, p.stretch, p.ground))
    return head.tobytes() + rows.tobytes()


def unpack(data: bytes) -> RouteShape:
    head = array("d")
    head.frombytes(data[: 5 * 8])
    rows = array("f")
    rows.frombytes(data[5 * 8 :])
    points = []
    for i in range(0, len(rows), _FIELDS):
        lat, lon, ele, seconds, metres, stretch, ground = rows[i : i + _FIELDS]
        points.append(
            ShapePoint(
                lat,
                lon,
                None if math.isnan(ele) else ele,
                seconds,
                metres,
                int(stretch),
                int(ground),
            )
        )
    south, west, north, east, intervals = head
    return RouteShape(tuple(points), south, west, north, east, intervals > 0)
