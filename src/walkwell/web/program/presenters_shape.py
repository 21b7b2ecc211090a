"""An imported walk's shape as drawings: its route (Web Mercator, north up) with the
brisk and slow stretches marked, and its elevation profile with the climbs marked.

Drawn on the server as SVG coordinates, from the bounded shape stored with the walk
(``core.shape``). No map tiles unless the site names a tile server
(``settings.MAP_TILES_URL``); then the tiles under the route are listed too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings

from walkwell.core.metrics import DEFAULT_PARAMS
from walkwell.core.model import Terrain
from walkwell.core.shape import BRISK, HILL, INCLINE, SLOW, RouteShape, ShapePoint
from walkwell.web.program.models import Walk, WalkShape
from walkwell.web.program.presenters import KM_PER_MILE, TERRAIN_TEXT

ROUTE_W, ROUTE_H, PAD = 320.0, 220.0, 12.0
PROFILE_W, PROFILE_H = 320.0, 90.0
STRETCH_CLASS = {BRISK: "brisk", SLOW: "slow"}
MAX_TILES = 16


@dataclass(frozen=True, slots=True)
class Line:
    css: str  # "brisk", "slow", "steady" or "climb"
    points: str  # an SVG polyline's points


@dataclass(frozen=True, slots=True)
class Tile:
    href: str
    x: float
    y: float
    size: float


@dataclass(frozen=True, slots=True)
class ShapeDrawing:
    summary: str  # the drawings' text alternative
    route: tuple[Line, ...]
    start: tuple[float, float]
    finish: tuple[float, float]
    profile: str  # the elevation area's polygon points ("" without elevation)
    climbs: tuple[Line, ...]
    profile_summary: str
    legend: tuple[tuple[str, str], ...]
    tiles: tuple[Tile, ...]
    point_count: int
    width: float = ROUTE_W
    height: float = ROUTE_H
    profile_width: float = PROFILE_W
    profile_height: float = PROFILE_H


def shape_of(row: WalkShape) -> RouteShape:
    return RouteShape(
        points=tuple(ShapePoint.from_row(r) for r in row.points),
        south=row.south,
        west=row.west,
        north=row.north,
        east=row.east,
        intervals=row.intervals,
    )


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    """0-1 across the world, y growing southwards (as map tiles are numbered)."""
    lat = max(min(lat, 85.05), -85.05)
    x = (lon + 180.0) / 360.0
    rad = math.radians(lat)
    y = (1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0
    return x, y


@dataclass(frozen=True, slots=True)
class _Frame:
    x0: float
    y0: float
    scale: float
    dx: float
    dy: float

    def at(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = _mercator(lat, lon)
        return (
            round((x - self.x0) * self.scale + self.dx, 1),
            round((y - self.y0) * self.scale + self.dy, 1),
        )


def _frame(shape: RouteShape) -> _Frame:
    x0, y1 = _mercator(shape.south, shape.west)
    x1, y0 = _mercator(shape.north, shape.east)
    span_x, span_y = max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)
    scale = min((ROUTE_W - 2 * PAD) / span_x, (ROUTE_H - 2 * PAD) / span_y)
    dx = (ROUTE_W - span_x * scale) / 2
    dy = (ROUTE_H - span_y * scale) / 2
    return _Frame(x0, y0, scale, dx, dy)


def _runs(points: tuple[ShapePoint, ...], key: int) -> list[tuple[int, list[int]]]:
    """Consecutive indices sharing a label (stretch or ground), each run sharing its
    first point with the run before, so the line has no gaps."""
    runs: list[tuple[int, list[int]]] = []
    for i, p in enumerate(points):
        label = p.stretch if key == 0 else p.ground
        if runs and runs[-1][0] == label:
            runs[-1][1].append(i)
        else:
            runs.append((label, [i - 1, i] if i else [i]))
    return runs


def _route(shape: RouteShape, frame: _Frame) -> tuple[Line, ...]:
    xy = [frame.at(p.lat, p.lon) for p in shape.points]
    if not shape.intervals:
        return (Line("steady", " ".join(f"{x},{y}" for x, y in xy)),)
    return tuple(
        Line(
            STRETCH_CLASS.get(label, "steady"),
            " ".join(f"{xy[i][0]},{xy[i][1]}" for i in idx),
        )
        for label, idx in _runs(shape.points, 0)
    )


def _profile(shape: RouteShape) -> tuple[str, tuple[Line, ...], str]:
    pts = [p for p in shape.points if p.elevation_m is not None]
    if len(pts) < 2:
        return "", (), ""
    low = min(p.elevation_m for p in pts if p.elevation_m is not None)
    high = max(p.elevation_m for p in pts if p.elevation_m is not None)
    total = max(pts[-1].metres, 1.0)
    rise = max(high - low, 10.0)  # a flat walk stays flat, not noise blown up

    def at(p: ShapePoint) -> tuple[float, float]:
        ele = p.elevation_m if p.elevation_m is not None else low
        return (
            round(p.metres / total * PROFILE_W, 1),
            round(PROFILE_H - 4 - (ele - low) / rise * (PROFILE_H - 20), 1),
        )

    xy = [at(p) for p in pts]
    area = " ".join(
        f"{x},{y}" for x, y in [(0.0, PROFILE_H), *xy, (PROFILE_W, PROFILE_H)]
    )
    climbs = tuple(
        Line("climb", " ".join(f"{xy[i][0]},{xy[i][1]}" for i in idx))
        for label, idx in _runs(tuple(pts), 1)
        if label in {INCLINE, HILL} and len(idx) > 1
    )
    words = f"Elevation from {low:.0f} m to {high:.0f} m"
    if climbs:
        words += f", with {len(climbs)} climb{'s' if len(climbs) != 1 else ''} marked"
    return area, climbs, words + "."


def _tiles(shape: RouteShape, frame: _Frame) -> tuple[Tile, ...]:
    template = getattr(settings, "MAP_TILES_URL", "")
    if not template:
        return ()
    # the zoom at which a 256-pixel tile is drawn 128-256 units wide
    zoom = max(0, min(19, math.ceil(math.log2(frame.scale / 256.0))))
    n = 2**zoom
    size = frame.scale / n
    left, top = frame.x0 - frame.dx / frame.scale, frame.y0 - frame.dy / frame.scale
    first_x, first_y = math.floor(left * n), math.floor(top * n)
    across = math.ceil(ROUTE_W / size) + 1
    down = math.ceil(ROUTE_H / size) + 1
    tiles = []
    for ty in range(first_y, min(first_y + down, n)):
        for tx in range(first_x, first_x + across):
            href = template.format(z=zoom, x=tx % n, y=ty)
            x = (tx / n - frame.x0) * frame.scale + frame.dx
            y = (ty / n - frame.y0) * frame.scale + frame.dy
            tiles.append(Tile(href, round(x, 1), round(y, 1), round(size, 1)))
    return tuple(tiles[:MAX_TILES])


def _distance(metres: float, unit: str) -> str:
    km = metres / 1000
    return f"{km / KM_PER_MILE:.1f} miles" if unit == "mi" else f"{km:.1f} km"


def drawing_for(walk: Walk, row: WalkShape, distance_unit: str = "km") -> ShapeDrawing:
    shape = shape_of(row)
    frame = _frame(shape)
    route = _route(shape, frame)
    area, climbs, profile_words = _profile(shape)
    first, last = shape.points[0], shape.points[-1]
    ground = TERRAIN_TEXT.get(Terrain(walk.terrain), walk.terrain).lower()
    brisk = sum(1 for line in route if line.css == "brisk")
    words = [
        f"The route of your walk, {_distance(last.metres, distance_unit)}, drawn "
        f"north up without a map; the ground was judged {ground}."
    ]
    if shape.intervals:
        words.append(
            f"{brisk} brisk stretch{'es' if brisk != 1 else ''} marked in solid "
            "green, the slow ones dashed."
        )
    legend = [("start", "Start"), ("finish", "Finish")]
    if shape.intervals:
        legend += [("brisk", "Brisk"), ("slow", "Slow")]
    if climbs:
        legend.append(
            ("climb", f"Climbing ({DEFAULT_PARAMS.incline_grade:.0%} or steeper)")
        )
    return ShapeDrawing(
        summary=" ".join(words),
        route=route,
        start=frame.at(first.lat, first.lon),
        finish=frame.at(last.lat, last.lon),
        profile=area,
        climbs=climbs,
        profile_summary=profile_words,
        legend=tuple(legend),
        tiles=_tiles(shape, frame),
        point_count=len(shape.points),
    )
