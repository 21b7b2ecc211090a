"""TCX import: Garmin Training Center files, runs and paddling included."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from benchmarks import trackgen
from walkwell.importers import tcx
from walkwell.importers.base import ImportRefused


def test_a_running_tcx_keeps_its_sport_and_every_point(corpus: Path) -> None:
    for name in ("test.tcx", "no_hr.tcx"):
        (track,) = tcx.parse((corpus / "tcx" / name).open("rb"))
        assert track.sport == "running"
        assert len(track.points) == 384
        assert track.extra.notes == "Aerobics"


def test_paddling_recorded_as_other_keeps_the_lap_step_count(corpus: Path) -> None:
    (track,) = tcx.parse((corpus / "tcx/sup_activity_1.tcx").open("rb"))
    assert track.sport == "other"
    assert track.extra.steps == 491  # 426 + 65 over the two laps
    assert track.device_activity_id == "2022-07-16T16:08:25.000Z"


def test_a_generated_walk_imports_with_cadence_and_distance() -> None:
    (track,) = tcx.parse(io.BytesIO(trackgen.tcx_text(60).encode()))
    assert len(track.points) == 60
    assert track.points[-1].distance_m == pytest.approx(78.0, abs=0.1)
    assert track.points[0].cadence_spm == 110.0


def test_a_course_is_a_plan_and_is_refused() -> None:
    text = (
        b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        b'TrainingCenterDatabase/v2"><Courses><Course><Name>Loop</Name><Track>'
        b"<Trackpoint><Position><LatitudeDegrees>45</LatitudeDegrees>"
        b"<LongitudeDegrees>14</LongitudeDegrees></Position></Trackpoint>"
        b"</Track></Course></Courses></TrainingCenterDatabase>"
    )
    with pytest.raises(ImportRefused, match="planned course"):
        tcx.parse(io.BytesIO(text))


def test_a_trackpoint_with_a_word_for_a_number_refuses_the_file() -> None:
    text = trackgen.tcx_text(5).replace("<AltitudeMeters>", "<AltitudeMeters>high", 1)
    with pytest.raises(ImportRefused, match="altitude 'high"):
        tcx.parse(io.BytesIO(text.encode()))


def _checked_only(monkeypatch: pytest.MonkeyPatch, data: bytes) -> object:
    """``tcx.parse`` with every point read by the per-field checked path."""
    with monkeypatch.context() as patch:
        patch.setattr(tcx, "_plain_point", lambda values: None)
        try:
            return tcx.parse(io.BytesIO(data))
        except ImportRefused as refused:
            return str(refused)


def _parsed(data: bytes) -> object:
    try:
        return tcx.parse(io.BytesIO(data))
    except ImportRefused as refused:
        return str(refused)


def test_the_plain_point_path_matches_the_checked_path_on_the_corpus(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in sorted((corpus / "tcx").glob("*.tcx")):
        data = path.read_bytes()
        assert _parsed(data) == _checked_only(monkeypatch, data), path.name


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "<AltitudeMeters>300.3</AltitudeMeters>",
            "<AltitudeMeters> 7 </AltitudeMeters>",
        ),
        ("<AltitudeMeters>300.3</AltitudeMeters>", "<AltitudeMeters></AltitudeMeters>"),
        (
            "<AltitudeMeters>300.3</AltitudeMeters>",
            "<AltitudeMeters>nan</AltitudeMeters>",
        ),
        (
            "<AltitudeMeters>300.3</AltitudeMeters>",
            "<AltitudeMeters>x</AltitudeMeters>",
        ),
        ("<Value>112</Value>", "<Value>1e400</Value>"),
        ("<Value>112</Value>", "<Value>  </Value>"),
        ("Z</Time>", "</Time>"),
        ("Z</Time>", "+02:00</Time>"),
        ("<Time>", "<Time> "),
        ("<LatitudeDegrees>", "<LatitudeDegrees>9"),
        ("<LongitudeDegrees>", "<LongitudeDegrees>-inf"),
        ("<ns3:RunCadence>55", "<ns3:RunCadence>"),
    ],
)
def test_odd_fields_read_the_same_on_both_paths(
    old: str, new: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = trackgen.tcx_text(5).replace(old, new, 2).encode()
    assert _parsed(data) == _checked_only(monkeypatch, data)
