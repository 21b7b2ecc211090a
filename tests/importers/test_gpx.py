"""GPX import: real files from devices and generated walks of any shape."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import trackgen
from walkwell.importers import dispatch, gpx
from walkwell.importers.base import Activity, ImportRefused


def _refusal(path: Path) -> str:
    with pytest.raises(ImportRefused) as refused, path.open("rb") as stream:
        gpx.parse(stream)
    return refused.value.reason


def test_a_planned_route_is_refused_not_imported(corpus: Path) -> None:
    assert "planned route, not a recorded walk" in _refusal(corpus / "gpx/route.gpx")


def test_a_track_without_timestamps_is_refused_with_the_reason(corpus: Path) -> None:
    assert "timestamps" in _refusal(corpus / "gpx/track-with-extremes.gpx")
    assert "carry a time" in _refusal(corpus / "gpx/cerknicko-without-times.gpx")


def test_points_all_at_one_instant_are_refused(corpus: Path) -> None:
    assert "same time" in _refusal(corpus / "gpx/Mojstrovka.gpx")


def test_a_byte_order_mark_is_read_as_xml_not_an_error(corpus: Path) -> None:
    reason = _refusal(corpus / "gpx/unicode_with_bom.gpx")
    assert reason == "this GPX file holds no recorded track points"


def test_an_empty_segment_is_no_trouble(corpus: Path) -> None:
    track = gpx.parse((corpus / "gpx/track-with-empty-segment.gpx").open("rb"))
    assert len(track.points) == 9


def test_only_timed_points_of_a_hike_are_kept(corpus: Path) -> None:
    """korita-zbevnica holds a saved copy without times beside the two active logs."""
    with (corpus / "gpx/korita-zbevnica.gpx").open("rb") as stream:
        track = gpx.parse(stream)
    assert len(track.points) == 513
    assert track.start is not None
    assert track.start.isoformat() == "2010-10-03T09:36:30+00:00"


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_both_gpx_versions_import(version: str) -> None:
    text = trackgen.gpx_text(120).replace('version="1.1"', f'version="{version}"')
    text = text.replace("GPX/1/1", f"GPX/{version.replace('.', '/')}")
    track = gpx.parse(io.BytesIO(text.encode()))
    assert len(track.points) == 120
    assert track.sport == "walking"
    assert track.points[0].cadence_spm == 110.0  # 55 strides a minute, two steps each


def test_a_gpx_without_a_namespace_imports() -> None:
    text = trackgen.gpx_text(10).replace(
        ' xmlns="http://www.topografix.com/GPX/1/1"', ""
    )
    assert len(gpx.parse(io.BytesIO(text.encode())).points) == 10


def test_an_xml_file_that_is_not_gpx_is_refused() -> None:
    with pytest.raises(ImportRefused, match="not a GPX file"):
        gpx.parse(io.BytesIO(b"<kml><Document/></kml>"))


@settings(max_examples=40, deadline=None)
@given(count=st.integers(min_value=2, max_value=300), speed=st.floats(0.0, 3.0))
def test_every_generated_point_comes_back_in_order(count: int, speed: float) -> None:
    track = gpx.parse(
        io.BytesIO(trackgen.gpx_text(count, trackgen.steady(speed)).encode())
    )
    assert len(track.points) == count
    assert [p.time for p in track.points] == sorted(p.time for p in track.points)


@pytest.mark.parametrize(
    ("encoding", "mark"),
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"")],
)
def test_a_utf16_gpx_imports_as_the_same_walk_as_its_utf8_original(
    corpus: Path, tmp_path: Path, encoding: str, mark: bytes
) -> None:
    """XML may be UTF-16 (with its byte order mark, or without it when the
    declaration starts the file); the walk read is the UTF-8 file's, point for point."""
    original = corpus / "gpx" / "korita-zbevnica.gpx"
    text = original.read_text(encoding="utf-8").replace(
        'encoding="UTF-8"', 'encoding="UTF-16"'
    )
    wide = tmp_path / "walk.gpx"
    wide.write_bytes(mark + text.encode(encoding))
    (read,) = dispatch.iter_path(wide)
    (expected,) = dispatch.iter_path(original)
    assert isinstance(read, Activity), getattr(read, "reason", read)
    assert isinstance(expected, Activity)
    assert read.track.points == expected.track.points
    assert read.track.sport == expected.track.sport
