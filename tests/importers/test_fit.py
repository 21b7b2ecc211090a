"""FIT import: a real walk checked against hand-verified records, and damage."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walkwell.core.metrics import measure
from walkwell.importers import fit
from walkwell.importers.base import ImportRefused

CSV_TIME = "%a %b %d %H:%M:%S PDT %Y"
PDT = dt.timezone(dt.timedelta(hours=-7))


def _records(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as rows:
        return list(csv.DictReader(rows))


def _csv_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, CSV_TIME).replace(tzinfo=PDT)


def test_the_fenix_walk_matches_its_hand_checked_records(corpus: Path) -> None:
    rows = _records(corpus / "fit/garmin-fenix-5-walk-records.csv")
    track = fit.parse((corpus / "fit/garmin-fenix-5-walk.fit").open("rb"))
    metrics = measure(track)
    expected_s = (
        _csv_time(rows[-1]["timestamp"]) - _csv_time(rows[0]["timestamp"])
    ).seconds
    assert track.sport == "walking"
    assert metrics.start == _csv_time(rows[0]["timestamp"])
    assert metrics.duration_s == pytest.approx(expected_s)
    assert metrics.distance_m == pytest.approx(float(rows[-1]["distance"]))
    assert metrics.is_walk


def test_positions_are_degrees_not_semicircles(corpus: Path) -> None:
    rows = _records(corpus / "fit/garmin-fenix-5-walk-records.csv")
    first = fit.parse((corpus / "fit/garmin-fenix-5-walk.fit").open("rb")).points[0]
    assert first.lat == pytest.approx(int(rows[0]["position_lat"]) * 180 / 2**31)
    assert first.lat == pytest.approx(38.2304, abs=1e-3)


def test_the_device_names_the_activity(corpus: Path) -> None:
    track = fit.parse((corpus / "fit/garmin-fenix-5-walk.fit").open("rb"))
    assert track.device_activity_id == "fit:garmin:3945849289:2017-06-11T14:32:51+00:00"


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("Settings.fit", "a settings file"),
        ("MonitoringFile.fit", "a daily monitoring file"),
    ],
)
def test_a_fit_file_without_an_activity_is_skipped(
    corpus: Path, name: str, what: str
) -> None:
    with pytest.raises(fit.NotAnActivity) as skipped:
        fit.parse((corpus / "fit" / name).open("rb"))
    assert skipped.value.reason == f"this FIT file holds no activity: it is {what}"


@pytest.mark.parametrize(
    "name",
    [
        "activity-unexpected-eof.fit",
        "activity-settings-corruptheader.fit",
        "activity-settings-nodata.fit",
        "strava-android-app-201.10-b1218918.fit",
    ],
)
def test_a_damaged_fit_file_is_refused_with_what_went_wrong(
    corpus: Path, name: str
) -> None:
    with pytest.raises(ImportRefused, match=r"^a damaged FIT file \(.+\)$"):
        fit.parse((corpus / "fit" / name).open("rb"))


def test_device_relative_times_are_refused_not_guessed(corpus: Path) -> None:
    with pytest.raises(ImportRefused, match="relative to when the device"):
        fit.parse((corpus / "fit/compressed-speed-distance.fit").open("rb"))


def test_a_chained_fit_file_reads_as_one_activity(corpus: Path) -> None:
    track = fit.parse((corpus / "fit/sample_mulitple_header.fit").open("rb"))
    assert track.sport == "swimming"
    assert track.extra.sub_sport == "open_water"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=6),
)
def test_a_mutilated_fit_file_is_refused_or_read_never_a_crash(
    corpus: Path, cut: float, flips: list[tuple[float, int]]
) -> None:
    data = bytearray((corpus / "fit/activity-small-fenix2-run.fit").read_bytes())
    for where, mask in flips:
        data[int(where * (len(data) - 1))] ^= mask
    data = data[: max(1, int(cut * len(data)))]
    try:
        track = fit.parse(io.BytesIO(bytes(data)))
    except (ImportRefused, fit.NotAnActivity) as verdict:
        reason = verdict.reason
    else:
        reason = f"read {len(track.points)} points"
    assert reason
