"""Walk metrics: what a track says about time, distance, hills, pace and sport."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks import trackgen
from walkwell.core.metrics import classify_sport, elevation_gain, measure
from walkwell.core.model import Terrain, Track, TrackExtra, TrackPoint
from walkwell.importers import gpx, tcx

T0 = dt.datetime(2024, 5, 4, 8, 0, tzinfo=dt.UTC)


def _walk(
    seconds: int,
    speed: Callable[[int], float],
    elevation: Callable[[int], float] = lambda s: 100.0,
) -> Track:
    """A due-north walk, one point a second, with the device's own odometer."""
    points, metres = [], 0.0
    for s in range(seconds):
        metres += speed(s)
        points.append(
            TrackPoint(
                time=T0 + dt.timedelta(seconds=s),
                lat=45 + metres / 111_195,
                lon=14.0,
                elevation_m=elevation(s),
                distance_m=metres,
            )
        )
    return Track(source_format="test", sport="walking", points=tuple(points))


def test_a_steady_walk_is_a_walk_with_its_distance_and_pace() -> None:
    metrics = measure(_walk(1800, lambda s: 1.4))
    assert metrics.is_walk
    assert metrics.distance_m == pytest.approx(1800 * 1.4, rel=0.01)
    assert metrics.avg_pace_s_per_km == pytest.approx(1000 / 1.4, rel=0.01)
    assert metrics.best_pace_s_per_km == pytest.approx(1000 / 1.4, rel=0.01)
    assert metrics.terrain is Terrain.FLAT


def test_standing_still_is_not_moving_time() -> None:
    metrics = measure(_walk(1200, lambda s: 0.0 if 300 <= s < 600 else 1.3))
    assert metrics.duration_s == 1199
    assert metrics.moving_s == pytest.approx(900, abs=5)


def test_a_car_stretch_makes_it_not_a_walk() -> None:
    metrics = measure(_walk(1800, lambda s: 8.0 if s > 1200 else 1.3))
    assert not metrics.is_walk
    assert "faster than 9 km/h" in (metrics.not_walk_reason or "")


def test_three_brisk_one_slow_minutes_are_recognised_as_intervals() -> None:
    metrics = measure(_walk(1680, lambda s: 1.8 if s % 240 < 180 else 1.1))
    assert metrics.interval_cycles >= 5
    assert metrics.follows_intervals


def test_a_few_brisk_minutes_in_a_long_walk_are_not_an_interval_session() -> None:
    metrics = measure(_walk(3600, lambda s: 1.8 if s < 960 and s % 240 < 180 else 1.1))
    assert metrics.interval_cycles >= 3
    assert not metrics.follows_intervals


def test_a_steady_walk_shows_no_intervals() -> None:
    assert not measure(_walk(1680, lambda s: 1.4)).follows_intervals


def test_gps_altitude_noise_does_not_count_as_climbing() -> None:
    noisy = [
        TrackPoint(time=T0, elevation_m=100 + (2 if i % 2 else -2)) for i in range(500)
    ]
    assert elevation_gain(tuple(noisy), 5.0) == 0.0


def test_a_steady_climb_is_counted_in_full() -> None:
    climb = [TrackPoint(time=T0, elevation_m=100 + i * 0.5) for i in range(200)]
    assert elevation_gain(tuple(climb), 5.0) == pytest.approx(99.5)


def test_a_steep_walk_is_hills() -> None:
    metrics = measure(_walk(1200, lambda s: 1.2, lambda s: 100 + s * 1.2 * 0.10))
    assert metrics.terrain is Terrain.HILLS
    assert metrics.hill_share == pytest.approx(1.0)


def test_a_walk_with_few_steps_a_minute_is_not_walking() -> None:
    track = _walk(900, lambda s: 1.1)
    paddled = Track(
        source_format="tcx",
        sport="other",
        points=track.points,
        extra=TrackExtra(steps=300),
    )
    assert "steps a minute" in (measure(paddled).not_walk_reason or "")


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("running", "a run, not a walk"),
        ("Biking", "a ride, not a walk"),
        ("swimming", "a swim, not a walk"),
        ("walking", None),
        ("hiking", None),
        ("Other", None),
        (None, None),
        ("jkljkl", None),
    ],
)
def test_sport_labels_sort_runs_and_rides_from_walks(
    label: str | None, reason: str | None
) -> None:
    assert classify_sport(label) == reason


def test_the_clean_hike_is_a_walk(corpus: Path) -> None:
    metrics = measure(gpx.parse((corpus / "gpx/korita-zbevnica.gpx").open("rb")))
    assert metrics.is_walk
    assert not metrics.follows_intervals  # a few chance brisk-slow swings only
    assert metrics.median_speed_mps is not None
    assert 2.8 < metrics.median_speed_mps * 3.6 < 3.8


def test_the_walk_with_a_car_ride_is_flagged_and_says_why(corpus: Path) -> None:
    metrics = measure(
        gpx.parse((corpus / "gpx/around-visnjan-with-car.gpx").open("rb"))
    )
    assert not metrics.is_walk
    assert "median 29 km/h" in (metrics.not_walk_reason or "")


def test_paddling_recorded_as_other_is_told_from_walking(corpus: Path) -> None:
    (track,) = tcx.parse((corpus / "tcx/sup_activity_1.tcx").open("rb"))
    metrics = measure(track)
    assert not metrics.is_walk
    assert "27 steps a minute" in (metrics.not_walk_reason or "")


def test_recorded_runs_are_not_walks(corpus: Path) -> None:
    (track,) = tcx.parse((corpus / "tcx/test.tcx").open("rb"))
    assert not measure(track).is_walk
    assert classify_sport(track.sport) == "a run, not a walk"


def test_a_generated_gpx_walk_measures_as_generated() -> None:
    track = gpx.parse(io.BytesIO(trackgen.gpx_text(600).encode()))
    assert measure(track).distance_m == pytest.approx(599 * 1.3, rel=0.01)


def test_a_recording_that_never_moves_is_not_a_walk() -> None:
    metrics = measure(_walk(1800, lambda s: 0.0))
    assert metrics.moving_s == 0
    assert not metrics.is_walk
    assert "no moving time" in (metrics.not_walk_reason or "")


def test_a_day_long_creep_without_a_break_is_not_a_walk() -> None:
    """1 cm a second, one point a minute for 25 hours: a device left recording."""
    points = tuple(
        TrackPoint(
            time=T0 + dt.timedelta(minutes=m),
            lat=45.0,
            lon=14.0,
            distance_m=m * 0.6,
        )
        for m in range(25 * 60)
    )
    metrics = measure(Track(source_format="test", sport="walking", points=points))
    assert not metrics.is_walk
    assert "without a break" in (metrics.not_walk_reason or "")


def test_points_out_of_order_or_repeated_measure_as_the_ordered_track() -> None:
    walk = _walk(900, lambda s: 1.2 if (s // 120) % 2 else 1.6)
    shuffled = list(walk.points)
    for i in range(0, len(shuffled) - 8, 8):
        shuffled[i : i + 8] = reversed(shuffled[i : i + 8])
    shuffled += shuffled[100:140]  # a device repeating points
    again = Track(source_format="test", sport="walking", points=tuple(shuffled))
    assert measure(again) == measure(walk)
