"""A track is measured as it is read: the Track keeps a bounded route, not every point."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from benchmarks import trackgen
from walkwell.core.metrics import (
    ROUTE_POINTS,
    MetricsParams,
    TrackAccumulator,
    measure,
)
from walkwell.core.model import Track
from walkwell.importers import fit, gpx, tcx
from walkwell.importers.base import Activity, ImportLimits, ImportRefused, Refused
from walkwell.importers.dispatch import iter_path

LIMITS = ImportLimits(max_track_points=100)


def test_a_long_gpx_keeps_a_thinned_route_and_measures_every_point() -> None:
    count = 30_000
    track = gpx.parse(io.BytesIO(trackgen.gpx_text(count).encode()))
    assert track.point_count == count
    assert len(track.points) <= ROUTE_POINTS + 1
    times = [p.time for p in track.points]
    assert times == sorted(times)
    generated = list(trackgen.points(count))
    assert track.points[0].lat == pytest.approx(generated[0][1])
    assert track.points[-1].lat == pytest.approx(generated[-1][1])
    assert track.metrics is not None
    assert track.metrics.duration_s == count - 1
    assert track.metrics.distance_m == pytest.approx((count - 1) * 1.3, rel=0.01)


def test_a_long_tcx_keeps_a_thinned_route_and_measures_every_point() -> None:
    count = 10_000
    (track,) = tcx.parse(io.BytesIO(trackgen.tcx_text(count).encode()))
    assert track.point_count == count
    assert len(track.points) <= ROUTE_POINTS + 1
    assert track.points[-1].distance_m == pytest.approx(count * 1.3, abs=0.1)
    assert measure(track).duration_s == count - 1


def test_the_importers_measure_equals_measuring_every_point() -> None:
    """The route is a thinned copy; the measures come from all points."""
    count = 5_000
    track = gpx.parse(io.BytesIO(trackgen.gpx_text(count).encode()))
    every = TrackAccumulator()
    for time, lat, lon, ele, _ in trackgen.points(count):
        every.add(
            dt.datetime.fromisoformat(time),
            round(lat, 7),
            round(lon, 7),
            round(ele, 1),
            None,
            None,
            110.0,  # 55 strides a minute, as the generator writes
            112,
        )
    again = Track(source_format="gpx", sport=None, metrics=every.result())
    assert measure(track) == measure(again)


def test_a_track_measured_at_import_cannot_be_measured_with_other_thresholds() -> None:
    track = gpx.parse(io.BytesIO(trackgen.gpx_text(50).encode()))
    with pytest.raises(ValueError, match="thinned copy"):
        measure(track, MetricsParams(pause_speed_mps=0.5))


@pytest.mark.parametrize("kind", ["gpx", "tcx"])
def test_a_track_past_the_point_limit_is_refused_naming_the_limit(kind: str) -> None:
    text = trackgen.gpx_text(101) if kind == "gpx" else trackgen.tcx_text(101)
    parse = gpx.parse if kind == "gpx" else tcx.parse
    with pytest.raises(ImportRefused) as refused:
        parse(io.BytesIO(text.encode()), LIMITS)
    assert f"this {kind.upper()} track has more than 100 points" in refused.value.reason
    assert "WALKWELL_IMPORT_MAX_TRACK_POINTS" in refused.value.reason


def test_a_track_at_the_point_limit_is_read() -> None:
    track = gpx.parse(io.BytesIO(trackgen.gpx_text(100).encode()), LIMITS)
    assert track.point_count == 100


def test_a_fit_file_past_the_point_limit_is_refused(corpus: Path) -> None:
    with (
        (corpus / "fit/garmin-edge-500-activity.fit").open("rb") as stream,
        pytest.raises(ImportRefused, match="FIT track has more than 100 points"),
    ):
        fit.parse(stream, LIMITS)


def test_a_file_past_the_point_limit_becomes_one_refusal_naming_the_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "long walk.gpx"
    path.write_text(trackgen.gpx_text(500))
    items = list(iter_path(path, LIMITS))
    assert not any(isinstance(item, Activity) for item in items)
    (refused,) = items
    assert isinstance(refused, Refused)
    assert refused.file == "long walk.gpx"
    assert "more than 100 points" in refused.reason


def test_repeats_of_one_point_are_refused_without_holding_them() -> None:
    """A million copies of one point: read through, one kept, refused as timeless."""
    point = trackgen.gpx_point("2024-05-04T08:00:00Z", 45.0, 14.0, 300.0)
    text = trackgen.GPX_HEAD + point * 200_000 + trackgen.GPX_TAIL
    with pytest.raises(ImportRefused, match="carries the same time"):
        gpx.parse(io.BytesIO(text.encode()))
