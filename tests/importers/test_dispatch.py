"""Any file or folder in: formats judged by content, one clear verdict each."""

from __future__ import annotations

import gzip
import hashlib
import io
import random
from collections.abc import Sequence
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import trackgen
from walkwell.importers.base import Activity, DailySteps, ImportLimits, Refused, Skipped
from walkwell.importers.dispatch import iter_path, parse_stream

ITEM_TYPES = (Activity, DailySteps, Skipped, Refused)


def _only(items: Sequence[object]) -> object:
    assert len(items) == 1, items
    return items[0]


def test_every_corpus_file_gives_clean_items_and_true_hashes(corpus: Path) -> None:
    items = list(iter_path(corpus))
    assert all(isinstance(item, ITEM_TYPES) for item in items)
    for item in items:
        if isinstance(item, Activity) and item.track.source_format in {
            "gpx",
            "tcx",
            "fit",
        }:
            digest = hashlib.sha256((corpus / item.file).read_bytes()).hexdigest()
            assert item.content_hash == digest, item.file


def test_the_corpus_verdicts_are_the_expected_ones(corpus: Path) -> None:
    verdicts = {item.file: type(item).__name__ for item in iter_path(corpus / "fit")}
    assert verdicts["garmin-fenix-5-walk.fit"] == "Activity"
    assert verdicts["Settings.fit"] == "Skipped"
    assert verdicts["activity-unexpected-eof.fit"] == "Refused"
    assert verdicts["garmin-fenix-5-walk-records.csv"] == "Refused"


def test_a_fit_file_named_gpx_still_imports(corpus: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "walk.gpx"
    disguised.write_bytes((corpus / "fit/garmin-fenix-5-walk.fit").read_bytes())
    item = _only(list(iter_path(disguised)))
    assert isinstance(item, Activity)
    assert item.track.source_format == "fit"


def test_an_empty_file_is_refused_saying_so(tmp_path: Path) -> None:
    (tmp_path / "empty.gpx").write_bytes(b"")
    item = _only(list(iter_path(tmp_path / "empty.gpx")))
    assert item == Refused(
        "empty.gpx", None, "an empty file: there is nothing in it to import"
    )


def test_binary_garbage_is_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "noise.bin").write_bytes(random.Random(1).randbytes(5000))
    item = _only(list(iter_path(tmp_path / "noise.bin")))
    assert isinstance(item, Refused)
    assert item.file == "noise.bin"
    assert "matches none of them" in item.reason


def test_a_gpx_that_is_not_xml_is_refused_saying_what_it_promised(
    tmp_path: Path,
) -> None:
    (tmp_path / "walk.gpx").write_text("lat,lon\n45,14\n")
    item = _only(list(iter_path(tmp_path / "walk.gpx")))
    assert isinstance(item, Refused)
    assert item.reason.startswith("named .gpx but its content is not GPX")


def test_a_broken_gpx_is_refused_as_not_well_formed(tmp_path: Path) -> None:
    (tmp_path / "cut.gpx").write_text(trackgen.gpx_text(50)[:3000])
    item = _only(list(iter_path(tmp_path / "cut.gpx")))
    assert isinstance(item, Refused)
    assert item.reason.startswith("not well-formed XML")


def test_a_folder_is_read_recursively_and_gzip_is_opened(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "walk.gpx").write_text(trackgen.gpx_text(30))
    (tmp_path / "a" / "b" / "walk.tcx.gz").write_bytes(
        gzip.compress(trackgen.tcx_text(30).encode())
    )
    items = list(iter_path(tmp_path))
    assert [
        (i.file, i.track.source_format) for i in items if isinstance(i, Activity)
    ] == [
        ("a/walk.gpx", "gpx"),
        ("a/b/walk.tcx.gz", "tcx"),
    ]


def test_a_gzip_bomb_is_refused_at_the_limit() -> None:
    bomb = gzip.compress(b"<gpx>" + b" " * 5_000_000)
    items = list(
        parse_stream(
            io.BytesIO(bomb), "bomb.gz", None, ImportLimits(max_member_bytes=1_000_000)
        )
    )
    assert isinstance(_only(items), Refused)
    assert "gzip bomb" in items[0].reason  # type: ignore[union-attr]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.sampled_from(
        [
            "gpx/korita-zbevnica.gpx",
            "tcx/sup_activity_1.tcx",
            "gpx/route.gpx",
            "fit/garmin-fenix-5-run.fit",
        ]
    ),
    cut=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=4),
)
def test_truncated_or_flipped_corpus_files_never_crash(
    corpus: Path, name: str, cut: float, flips: list[tuple[float, int]]
) -> None:
    data = bytearray((corpus / name).read_bytes())
    for where, mask in flips:
        data[int(where * (len(data) - 1))] ^= mask
    data = data[: int(cut * len(data))]
    items = list(parse_stream(io.BytesIO(bytes(data)), name, None))
    assert items
    assert all(isinstance(item, ITEM_TYPES) for item in items)


@settings(max_examples=40, deadline=None)
@given(
    count=st.integers(2, 200),
    cut=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=4),
)
def test_truncated_or_flipped_generated_gpx_never_crashes(
    count: int, cut: float, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(trackgen.gpx_text(count).encode())
    for where, mask in flips:
        data[int(where * (len(data) - 1))] ^= mask
    items = list(
        parse_stream(io.BytesIO(bytes(data[: int(cut * len(data))])), "g.gpx", None)
    )
    assert len(items) == 1
    assert isinstance(items[0], ITEM_TYPES)
