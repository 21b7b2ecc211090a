"""The shape of an imported walk: drawn from a bounded, thinned copy of the route,
spanning the track's own bounding box, with no map and no outside request unless
the site names a tile server; the brisk and slow stretches and the climbs marked."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.test import override_settings

from benchmarks import trackgen
from tests.web.pages_support import client_for, person
from walkwell.core.metrics import ROUTE_POINTS
from walkwell.core.model import Track
from walkwell.core.shape import (
    BRISK,
    INCLINE,
    SHAPE_POINTS,
    SLOW,
    pack,
    route_shape,
    unpack,
)
from walkwell.importers.base import Activity
from walkwell.importers.dispatch import iter_path
from walkwell.web.imports import judging
from walkwell.web.program import selectors, services
from walkwell.web.program.models import WalkSource
from walkwell.web.program.presenters_shape import drawing_for

# A track thinned to ROUTE_POINTS keeps a point at least every few seconds of a
# walk: the box of what is kept is within about 30 m of the box of every point.
BOX_SLACK_DEG = 0.0003
TRKPT = re.compile(
    rb'<trkpt[^>]*?lat="([-0-9.]+)"[^>]*?lon="([-0-9.]+)"[^>]*>(.*?)</trkpt>', re.S
)


def _tracks(path: Path) -> list[Track]:
    return [
        item.track
        for item in iter_path(path)
        if isinstance(item, Activity)
        and sum(p.lat is not None for p in item.track.points) >= 2
    ]


def _box_of_every_point(gpx: Path) -> tuple[float, float, float, float]:
    # every recorded point (a point without a time is not part of the walk)
    found = [
        (float(a), float(b))
        for a, b, inner in TRKPT.findall(gpx.read_bytes())
        if b"<time>" in inner
    ]
    lats, lons = [a for a, _ in found], [b for _, b in found]
    return min(lats), min(lons), max(lats), max(lons)


@pytest.mark.parametrize(
    "name",
    [
        "gpx/korita-zbevnica.gpx",
        "gpx/cerknicko-jezero.gpx",
        "gpx/around-visnjan-with-car.gpx",
    ],
)
def test_a_corpus_tracks_shape_spans_its_bounding_box(corpus: Path, name: str) -> None:
    tracks = _tracks(corpus / name)
    assert tracks, f"{name} has a track with positions"
    for track in tracks:
        shape = route_shape(track.points)
        assert shape is not None
        assert len(shape.points) <= SHAPE_POINTS
        located = [p for p in track.points if p.lat is not None and p.lon is not None]
        # exactly the box of the route it was drawn from...
        assert shape.south == min(p.lat for p in located if p.lat is not None)
        assert shape.north == max(p.lat for p in located if p.lat is not None)
        assert shape.west == min(p.lon for p in located if p.lon is not None)
        assert shape.east == max(p.lon for p in located if p.lon is not None)
        # ...and the points it keeps touch every side of it
        assert min(p.lat for p in shape.points) == shape.south
        assert max(p.lon for p in shape.points) == shape.east
    if len(tracks) == 1:  # ...which is the box of every point in the file
        shape = route_shape(tracks[0].points)
        assert shape is not None
        south, west, north, east = _box_of_every_point(corpus / name)
        assert shape.south == pytest.approx(south, abs=BOX_SLACK_DEG)
        assert shape.west == pytest.approx(west, abs=BOX_SLACK_DEG)
        assert shape.north == pytest.approx(north, abs=BOX_SLACK_DEG)
        assert shape.east == pytest.approx(east, abs=BOX_SLACK_DEG)


@pytest.mark.parametrize("name", ["fit/garmin-fenix-5-walk.fit", "tcx/test.tcx"])
def test_fit_and_tcx_walks_have_a_shape_in_their_box(corpus: Path, name: str) -> None:
    for track in _tracks(corpus / name):
        shape = route_shape(track.points)
        assert shape is not None
        assert 2 <= len(shape.points) <= SHAPE_POINTS
        for p in shape.points:
            assert shape.south <= p.lat <= shape.north
            assert shape.west <= p.lon <= shape.east


def test_a_200000_point_track_draws_with_a_bounded_number_of_points(
    tmp_path: Path,
) -> None:
    path = trackgen.write_gpx(tmp_path / "long.gpx", 200_000)
    (track,) = _tracks(path)
    assert len(track.points) <= ROUTE_POINTS + 1
    shape = route_shape(track.points)
    assert shape is not None
    assert len(shape.points) <= SHAPE_POINTS
    lats = [la for _, la, _, _, _ in trackgen.points(200_000)]
    lons = [lo for _, _, lo, _, _ in trackgen.points(200_000)]
    assert shape.south == pytest.approx(min(lats), abs=BOX_SLACK_DEG)
    assert shape.north == pytest.approx(max(lats), abs=BOX_SLACK_DEG)
    assert shape.west == pytest.approx(min(lons), abs=BOX_SLACK_DEG)
    assert shape.east == pytest.approx(max(lons), abs=BOX_SLACK_DEG)
    again = unpack(pack(shape))
    assert len(again.points) == len(shape.points)
    assert again.north == shape.north


def _interval_speed(second: int) -> float:
    return 1.8 if second % 240 < 180 else 0.9  # 3 minutes brisk, 1 minute slow


def test_an_interval_walk_marks_its_brisk_and_slow_stretches(tmp_path: Path) -> None:
    (tmp_path / "intervals.gpx").write_text(trackgen.gpx_text(40 * 60, _interval_speed))
    (item,) = [i for i in iter_path(tmp_path) if isinstance(i, Activity)]
    found = judging.judge(item)
    assert isinstance(found, judging.FoundWalk)
    assert found.shape is not None
    shape = unpack(found.shape)
    assert shape.intervals
    stretches = [p.stretch for p in shape.points]
    assert stretches.count(BRISK) > 2 * stretches.count(SLOW) > 0
    # the hills trackgen draws (20 m over 500 m) are marked as climbs
    assert any(p.ground >= INCLINE for p in shape.points)


@pytest.mark.django_db
def test_the_shape_is_stored_and_drawn_on_today_without_any_map(
    tmp_path: Path, settings: object
) -> None:
    (tmp_path / "intervals.gpx").write_text(trackgen.gpx_text(40 * 60, _interval_speed))
    (item,) = [i for i in iter_path(tmp_path) if isinstance(i, Activity)]
    found = judging.judge(item)
    assert isinstance(found, judging.FoundWalk)
    today = found.start.date()
    ida = person("ida", today - dt.timedelta(days=3))
    walk = services.walk_log(
        person=ida,
        date=today,
        minutes=found.minutes,
        source=WalkSource.IMPORT,
        imported=services.ImportedMetrics(
            content_hash=found.content_hash,
            distance_m=found.distance_m,
            shape=unpack(found.shape or b""),
        ),
    )
    row = selectors.walk_shape_of(ida, walk.pk)
    assert row is not None
    assert 2 <= len(row.points) <= SHAPE_POINTS
    drawing = drawing_for(walk, row)
    assert {line.css for line in drawing.route} == {"brisk", "slow"}
    assert drawing.profile
    assert drawing.climbs
    assert not drawing.tiles

    with time_machine.travel(dt.datetime.combine(today, dt.time(12), dt.UTC)):
        html = client_for(ida).get("/").content.decode()
    assert 'class="route brisk"' in html
    assert 'class="profile"' in html
    assert "brisk stretches marked" in html
    assert "<image" not in html  # no tiles, no request anywhere else
    with (
        override_settings(MAP_TILES_URL="https://tiles.example.org/{z}/{x}/{y}.png"),
        time_machine.travel(dt.datetime.combine(today, dt.time(12), dt.UTC)),
    ):
        tiled = client_for(ida).get("/").content.decode()
    hrefs = re.findall(
        r'<image href="https://tiles\.example\.org/(\d+)/(\d+)/(\d+)\.png"', tiled
    )
    assert 1 <= len(hrefs) <= 16
