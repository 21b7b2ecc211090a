"""core.shape: any route thins to a bounded shape that spans exactly its box."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from walkwell.core.model import TrackPoint
from walkwell.core.shape import SHAPE_POINTS, pack, route_shape, unpack

T0 = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
coords = st.tuples(
    st.floats(-60, 60, allow_nan=False), st.floats(-170, 170, allow_nan=False)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(coords, min_size=2, max_size=3000), st.integers(6, 600))
def test_any_route_thins_within_the_limit_and_spans_its_box(
    route: list[tuple[float, float]], limit: int
) -> None:
    points = [
        TrackPoint(T0 + dt.timedelta(seconds=i), lat, lon, 100.0)
        for i, (lat, lon) in enumerate(route)
    ]
    shape = route_shape(points, max_points=limit)
    assert shape is not None
    assert len(shape.points) <= max(limit, 6)
    lats = [lat for lat, _ in route]
    lons = [lon for _, lon in route]
    assert (shape.south, shape.north) == (min(lats), max(lats))
    assert (shape.west, shape.east) == (min(lons), max(lons))
    kept_lats = [p.lat for p in shape.points]
    kept_lons = [p.lon for p in shape.points]
    assert (min(kept_lats), max(kept_lats)) == (min(lats), max(lats))
    assert (min(kept_lons), max(kept_lons)) == (min(lons), max(lons))
    assert shape.points[0].seconds == 0
    assert shape.points[-1].seconds == len(route) - 1


def test_a_route_without_positions_has_no_shape() -> None:
    assert (
        route_shape([TrackPoint(T0), TrackPoint(T0 + dt.timedelta(seconds=1))]) is None
    )


def test_the_default_limit_and_the_packed_copy() -> None:
    points = [
        TrackPoint(T0 + dt.timedelta(seconds=i), 45 + i * 1e-5, 14.0, None)
        for i in range(5000)
    ]
    shape = route_shape(points)
    assert shape is not None
    assert len(shape.points) <= SHAPE_POINTS
    again = unpack(pack(shape))
    assert len(again.points) == len(shape.points)
    assert again.points[3].elevation_m is None
    assert abs(again.points[-1].lat - shape.points[-1].lat) < 1e-5
    assert not shape.has_elevation


def test_a_limit_filled_by_the_ends_and_the_box_keeps_just_those() -> None:
    """Six different extremes and a limit of six: no room is left for evenly
    spaced points, and the shape is the ends and the box's four sides."""
    route = [(0.0, 0.0), (1.0, 5.0), (-2.0, 1.0), (0.5, -3.0), (0.2, 0.2), (3.0, 2.0)]
    route += [(0.1, 0.1)] * 20 + [(0.3, 0.4)]
    points = [
        TrackPoint(T0 + dt.timedelta(seconds=i), lat, lon, 100.0)
        for i, (lat, lon) in enumerate(route)
    ]
    shape = route_shape(points, max_points=6)
    assert shape is not None
    assert len(shape.points) == 6
    assert (shape.south, shape.north, shape.west, shape.east) == (-2.0, 3.0, -3.0, 5.0)
