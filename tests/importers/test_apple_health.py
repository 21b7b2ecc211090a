"""Apple Health exports: walks, daily steps, broken DTDs and hostile XML."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkwell.importers import dispatch
from walkwell.importers.apple_health import CleanedExport, iter_export_xml
from walkwell.importers.archives import iter_zip
from walkwell.importers.base import (
    Activity,
    DailySteps,
    ImportItem,
    ImportLimits,
    Refused,
    Skipped,
)

LIMITS = ImportLimits()
STEP = "HKQuantityTypeIdentifierStepCount"


def _items(data: bytes) -> list[ImportItem]:
    return list(iter_export_xml(io.BytesIO(data), "export.xml", LIMITS))


def _record(source: str, start: str, value: int) -> str:
    return (
        f'<Record type="{STEP}" sourceName="{source}" unit="count" '
        f'startDate="{start}" endDate="{start}" value="{value}"/>'
    )


def _export(body: str, doctype: str = "") -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' + doctype
    return (head + f'<HealthData locale="en_US">\n{body}\n</HealthData>\n').encode()


WALK = (
    '<Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="30" '
    'durationUnit="min" totalDistance="2.5" totalDistanceUnit="km" '
    'sourceName="Watch" startDate="2024-03-01 09:00:00 +0100" '
    'endDate="2024-03-01 09:31:00 +0100"/>'
)


@pytest.mark.corpus
def test_synthetic_export_zip_yields_three_walks_with_routes(corpus: Path) -> None:
    items = list(iter_zip(corpus / "apple-health" / "synthetic-export.zip", LIMITS))
    walks = [i for i in items if isinstance(i, Activity)]
    assert [w.track.point_count for w in walks] == [1991, 3279, 3366]
    # each keeps a thinned copy of its route, first and last point included
    assert [len(w.track.points) for w in walks] == [1991, 1640, 1684]
    first = walks[0].track
    assert first.sport == "walking"
    assert first.start == dt.datetime.fromisoformat("2023-01-01T15:02:56+01:00")
    assert first.duration_s == pytest.approx(33.185619 * 60)
    assert first.distance_m == pytest.approx(2688.11)
    assert first.points[0].lat == pytest.approx(52.357895)
    assert not [i for i in items if isinstance(i, Refused)]


@pytest.mark.corpus
def test_daily_steps_take_the_busiest_source_not_the_sum(corpus: Path) -> None:
    items = list(iter_zip(corpus / "apple-health" / "synthetic-export.zip", LIMITS))
    days = [
        (i.date.isoformat(), i.steps, i.source)
        for i in items
        if isinstance(i, DailySteps)
    ]
    assert days == [
        ("2023-01-01", 37535, "Alex’s iPhone"),
        ("2023-01-02", 47614, "Alex’s Apple Watch"),
        ("2023-01-03", 64418, "Alex’s iPhone"),
    ]


@pytest.mark.corpus
def test_ios16_export_with_an_unclosed_attlist_still_imports(corpus: Path) -> None:
    path = corpus / "apple-health" / "synthetic-ios16-broken-dtd.xml"
    items = list(iter_export_xml(path, path.name, LIMITS))
    walks = [i.track for i in items if isinstance(i, Activity)]
    assert [round(w.duration_s or 0) for w in walks] == [2434, 1276]
    assert [round(w.distance_m or 0) for w in walks] == [3299, 1354]
    steps = [i.steps for i in items if isinstance(i, DailySteps)]
    assert steps == [55022, 60493]


@pytest.mark.corpus
def test_a_running_workout_is_skipped_with_its_reason(corpus: Path) -> None:
    path = corpus / "apple-health" / "export.xml"
    items = list(iter_export_xml(path, path.name, LIMITS))
    assert len(items) == 1
    assert isinstance(items[0], Skipped)
    assert "running workout" in items[0].reason


def test_hiking_counts_as_a_walk_and_cycling_does_not() -> None:
    hike = WALK.replace("Walking", "Hiking")
    ride = WALK.replace("Walking", "Cycling")
    items = _items(_export(hike + ride))
    assert isinstance(items[0], Activity)
    assert items[0].track.sport == "hiking"
    assert isinstance(items[1], Skipped)
    assert "cycling workout" in items[1].reason


def test_workout_duration_and_distance_come_from_its_attributes() -> None:
    (item,) = _items(_export(WALK))
    assert isinstance(item, Activity)
    assert item.track.duration_s == 1800
    assert item.track.distance_m == 2500
    assert item.track.points == ()


def test_steps_of_two_sources_on_one_day_are_not_summed() -> None:
    body = "".join(
        [
            _record("iPhone", "2024-03-01 08:00:00 +0100", 4000),
            _record("iPhone", "2024-03-01 18:00:00 +0100", 1000),
            _record("Watch", "2024-03-01 08:00:00 +0100", 4500),
            _record("Watch", "2024-03-02 23:59:00 +0100", 10),
        ]
    )
    days = [i for i in _items(_export(body)) if isinstance(i, DailySteps)]
    assert [(d.date.day, d.steps, d.source) for d in days] == [
        (1, 5000, "iPhone"),
        (2, 10, "Watch"),
    ]


def test_a_declared_entity_used_in_the_body_is_refused_not_expanded() -> None:
    doctype = (
        '<!DOCTYPE HealthData [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
    )
    body = _record("&secret;", "2024-03-01 08:00:00 +0100", 5)
    (item,) = _items(_export(body, doctype))
    assert isinstance(item, Refused)
    assert "secret" in item.reason
    assert "never expands entities" in item.reason


def test_billion_laughs_is_refused_without_expansion() -> None:
    doctype = (
        '<!DOCTYPE HealthData [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
    )
    (item,) = _items(_export(_record("&b;", "2024-03-01 08:00:00 +0100", 5), doctype))
    assert isinstance(item, Refused)
    assert "never expands entities declared in a DTD" in item.reason


def test_stray_vertical_tabs_are_dropped_so_the_export_imports() -> None:
    body = _record("Alex\x0b’s iPhone", "2024-03-01 08:00:00 +0100", 12)
    (item,) = _items(_export(body))
    assert isinstance(item, DailySteps)
    assert item.source == "Alex’s iPhone"


def test_the_doctype_is_cut_from_the_stream_before_the_parser_sees_it() -> None:
    data = _export(
        "", "<!DOCTYPE HealthData [\n<!ATTLIST HealthData\n  locale CDATA\n]>\n"
    )
    cleaned = CleanedExport(io.BytesIO(data), 10_000)
    text = b"".join(iter(lambda: cleaned.read(7), b""))
    assert b"DOCTYPE" not in text
    assert text.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData')


def test_an_export_larger_than_the_limit_is_refused() -> None:
    data = _export(_record("a", "2024-03-01 08:00:00 +0100", 1) * 2000)
    limits = ImportLimits(max_file_bytes=10_000)
    items = list(iter_export_xml(io.BytesIO(data), "export.xml", limits))
    assert len(items) == 1
    assert isinstance(items[0], Refused)
    assert "limit" in items[0].reason


def test_a_truncated_export_is_refused_naming_the_damage() -> None:
    data = _export(_record("a", "2024-03-01 08:00:00 +0100", 1) * 20)[:-40]
    items = _items(data)
    assert isinstance(items[-1], Refused)
    assert "cut short" in items[-1].reason


def test_a_document_with_another_root_is_refused() -> None:
    items = _items(b"<gpx><Record/></gpx>")
    assert isinstance(items[-1], Refused)
    assert "<gpx>" in items[-1].reason


SAMPLE = _export(
    WALK
    + _record("iPhone", "2024-03-01 08:00:00 +0100", 4000)
    + _record("Watch", "2024-03-02 08:00:00 +0100", 300),
    "<!DOCTYPE HealthData [\n<!ELEMENT HealthData (Record*)>\n<!ATTLIST Record\n]>\n",
)
ITEM_TYPES = (Activity, DailySteps, Skipped, Refused)


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(SAMPLE) - 20))
def test_any_truncation_gives_clean_items_and_a_refusal(cut: int) -> None:
    items = _items(SAMPLE[:cut])
    assert all(isinstance(i, ITEM_TYPES) for i in items)
    assert isinstance(items[-1], Refused)


@settings(max_examples=300, deadline=None)
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    )
)
def test_flipped_bytes_never_crash_the_importer(flips: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLE)
    for at, value in flips:
        data[at] = value
    items = _items(bytes(data))
    assert items
    assert all(isinstance(i, ITEM_TYPES) for i in items)


def test_a_utf16_export_is_refused_saying_it_is_utf16(
    corpus: Path, tmp_path: Path
) -> None:
    """The Health app writes UTF-8; a UTF-16 copy is refused with that reason,
    not as a damaged file."""
    text = (corpus / "apple-health" / "export.xml").read_text(encoding="utf-8")
    wide = tmp_path / "export.xml"
    wide.write_bytes(
        text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    )
    (refused,) = dispatch.iter_path(wide)
    assert isinstance(refused, Refused)
    assert "this Apple Health export is in UTF-16" in refused.reason
    assert "save the file as UTF-8" in refused.reason
