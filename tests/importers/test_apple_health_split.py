"""A large Apple Health export parsed on every core gives exactly what one process
gives: the same walks (hashes included), the same daily steps, in the same order;
and anything unusual is read again in one process, whose answer is the one seen.

The pieces here are kilobytes, not megabytes, so that small files (the corpus's
real exports, generated ones of a few megabytes) are cut into dozens of pieces
and parsed by real worker processes.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO, cast

import pytest

from benchmarks.gen_apple_health import generate
from walkwell.importers import apple_health_split as split
from walkwell.importers import dispatch
from walkwell.importers.apple_health import CleanedExport, iter_export_xml
from walkwell.importers.apple_health_workouts import RouteOpener, WorkoutContext
from walkwell.importers.archives import iter_zip
from walkwell.importers.base import (
    Activity,
    DailySteps,
    ImportItem,
    ImportLimits,
    Refused,
)
from walkwell.importers.xmlsafe import without_illegal_bytes

LIMITS = ImportLimits()
KB = 1024
TWO_CORES = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="needs two cores to split an export"
)


def one_process(data: bytes, routes: RouteOpener | None = None) -> list[ImportItem]:
    return list(iter_export_xml(io.BytesIO(data), "export.xml", LIMITS, routes=routes))


def in_pieces(
    data: bytes,
    piece_bytes: int,
    workers: int = 1,
    routes: RouteOpener | None = None,
) -> list[ImportItem] | None:
    context = WorkoutContext("export.xml", None, LIMITS, routes)
    share = split.Split(workers=workers, piece_bytes=piece_bytes)
    stream = CleanedExport(io.BytesIO(data), LIMITS.max_file_bytes, clean_body=False)
    return split.parse(stream, context, share)


def piece_count(data: bytes, piece_bytes: int) -> int:
    stream = CleanedExport(io.BytesIO(data), LIMITS.max_file_bytes)
    return sum(1 for _ in split.pieces(stream, split.Split(1, piece_bytes)))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """An 8 MB export in Apple's shape (DOCTYPE, heart rate with children, walks)."""
    path = tmp_path_factory.mktemp("export") / "export.xml"
    generate(path, 8 * 1024 * KB, seed=11)
    return path.read_bytes()


@pytest.mark.parametrize(("piece_kb", "workers"), [(16, 1), (64, 2), (512, 1)])
def test_a_generated_export_in_pieces_matches_one_process(
    generated: bytes, piece_kb: int, workers: int
) -> None:
    expected = one_process(generated)
    walks = [i for i in expected if isinstance(i, Activity)]
    assert len(walks) >= 3
    assert sum(isinstance(i, DailySteps) for i in expected) >= 10
    assert piece_count(generated, piece_kb * KB) >= 8000 // piece_kb
    assert in_pieces(generated, piece_kb * KB, workers) == expected


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["export.xml", "synthetic-ios16-broken-dtd.xml"])
def test_the_corpus_exports_in_pieces_match_one_process(
    corpus: Path, name: str
) -> None:
    data = (corpus / "apple-health" / name).read_bytes()
    expected = one_process(data)
    assert expected
    assert not any(isinstance(i, Refused) for i in expected)
    assert in_pieces(data, 16 * KB) == expected


@pytest.mark.corpus
def test_an_ios16_export_is_cut_where_apple_indents_top_level_elements(
    corpus: Path,
) -> None:
    data = (corpus / "apple-health" / "synthetic-ios16-broken-dtd.xml").read_bytes()
    assert piece_count(data, 16 * KB) >= len(data) // (32 * KB)


@pytest.mark.corpus
def test_the_corpus_zip_export_in_pieces_keeps_its_routes(corpus: Path) -> None:
    archive = zipfile.ZipFile(corpus / "apple-health" / "synthetic-export.zip")
    member = next(n for n in archive.namelist() if n.endswith("/export.xml"))
    folder = member.rsplit("/", 1)[0]

    def routes(path: str) -> AbstractContextManager[BinaryIO]:
        name = f"{folder}/workout-routes/{path.rsplit('/', 1)[-1]}"
        return cast(AbstractContextManager[BinaryIO], archive.open(name))

    data = archive.read(member)
    expected = one_process(data, routes)
    walks = [i.track for i in expected if isinstance(i, Activity)]
    assert [w.point_count for w in walks] == [1991, 3279, 3366]
    assert in_pieces(data, 8 * KB, routes=routes) == expected


def export(body: str, doctype: str = "") -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' + doctype
    return (head + f'<HealthData locale="en_US">\n{body}</HealthData>\n').encode()


def step(day: int, value: str, source: str = "iPhone") -> str:
    start = f"2024-03-{day:02d} 08:00:00 +0100"
    return (
        f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="{source}" '
        f'unit="count" startDate="{start}" endDate="{start}" value="{value}"/>\n'
    )


def many_steps(days: int = 300) -> str:
    return "".join(step(1 + d % 28, str(100 + d)) for d in range(days))


def test_illegal_control_bytes_are_deleted_in_the_pieces_too(generated: bytes) -> None:
    # real exports hold stray \x0b bytes; the workers delete them, as one pass does
    stray = generated.replace(b'sourceName="Alex', b'sourceName="\x0bAlex')
    stray = stray.replace(b"<Workout ", b"<Workout \x0c", 2)
    assert stray.count(b"\x0b") > 1000
    expected = one_process(stray)
    assert expected == one_process(generated)
    assert in_pieces(stray, 64 * KB) == expected


def test_a_damaged_export_is_not_answered_in_pieces() -> None:
    body = many_steps() + ' <Record type="x" value="1">\n' + many_steps()
    data = export(body)
    assert in_pieces(data, 2 * KB) is None
    (refused,) = [i for i in one_process(data) if isinstance(i, Refused)]
    assert "damaged or cut short" in refused.reason


def test_records_nested_one_space_in_are_read_again_in_one_process() -> None:
    # Apple indents a Correlation's records deeper; a file that does not is still
    # read right: the cut falls inside the Correlation, so the pieces don't parse.
    nested = ' <Correlation type="HKCorrelationTypeIdentifierFood">\n'
    nested += "".join(step(2, "7") for _ in range(100)) + " </Correlation>\n"
    data = export(many_steps() + nested + many_steps())
    assert in_pieces(data, 2 * KB) is None
    days = [i for i in one_process(data) if isinstance(i, DailySteps)]
    assert len(days) == 28
    assert days[1].steps == 2 * sum(100 + d for d in range(300) if d % 28 == 1) + 700


def test_an_export_on_one_line_has_no_place_to_cut() -> None:
    lines = many_steps(3000)
    assert piece_count(export(lines), 2 * KB) >= 100
    data = export(lines.replace("\n", ""))
    assert in_pieces(data, 2 * KB) is None
    assert len(one_process(data)) == 28


def test_an_undeclared_entity_is_left_to_the_one_process_reader() -> None:
    data = export(many_steps() + step(3, "&secret;") + many_steps())
    assert in_pieces(data, 2 * KB) is None
    (refused,) = one_process(data)
    assert isinstance(refused, Refused)


def test_step_values_that_are_no_count_are_ignored_in_both_readers() -> None:
    odd = step(5, "inf") + step(5, "nan") + step(5, "-3") + step(5, "1e400")
    data = export(many_steps() + odd + step(5, "12.5") + many_steps())
    expected = one_process(data)
    fifth = [i for i in expected if isinstance(i, DailySteps) and i.date.day == 5]
    usual = sum(100 + d for d in range(300) if d % 28 == 4)
    assert [d.steps for d in fifth] == [round(2 * usual + 12.5)]  # 12.5: to even
    assert in_pieces(data, 2 * KB) == expected


# --- a middle piece: only its step records and workouts are built ---------------


def middle_pieces(data: bytes, piece_bytes: int) -> list[bytes]:
    stream = CleanedExport(io.BytesIO(data), LIMITS.max_file_bytes)
    cut = list(split.pieces(stream, split.Split(1, piece_bytes)))
    return [without_illegal_bytes(piece) for piece, _, _ in cut[1:-1]]


def test_an_ordinary_middle_piece_is_built_from_its_picked_elements_alone(
    generated: bytes,
) -> None:
    middles = middle_pieces(generated, 64 * KB)
    assert len(middles) >= 100
    for piece in middles:
        picked = split._picked(piece)
        assert sum(map(len, picked)) < len(piece) / 2  # most of it is not built
        assert sum(f.count(split.STEP_MARK) for f in picked) == piece.count(
            split.STEP_MARK
        )
        assert split._picked_piece(piece) == split._whole_piece(piece, False, False)


def piece_steps(piece: split.Piece | None) -> int:
    assert piece is not None
    return sum(piece.steps.values()) // 1000


HEART = (
    ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="x" '
    'startDate="2024-03-02 08:00:00 +0100" endDate="x" value="70"/>\n'
)
ODD_MIDDLES = {
    # a tag inside a comment or CDATA is text, not a record: each opens and
    # closes in fragments that are not picked, around a step record's line
    "comment": f"{HEART}<!--\n{step(2, '5000')}{HEART} -->\n",
    "cdata": f" <Note><![CDATA[\n{step(2, '5000')}{HEART}]]></Note>\n",
    # a type written in code points is the same type
    "character reference": step(2, "5000").replace("HKQ", "&#72;KQ"),
    # a default namespace makes these records another vocabulary's
    "namespace": f' <Correlation xmlns="urn:x">\n{step(2, "5000")}{HEART} </Correlation>\n',
    # a Correlation's records indented like top-level ones: cut mid-element
    "nested one space in": f" <Correlation>\n{step(2, '5000')} </Correlation>\n",
    # a workout's children indented like top-level elements, and a record after
    # it indented deeper: as many elements as fragments, but not one in each
    "workout children one space in": ' <Workout workoutActivityType="x" '
    'sourceName="x" startDate="2024-03-02 08:00:00 +0100" endDate="x">\n'
    ' <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
    ' <WorkoutRoute sourceName="x"/>\n </Workout>\n  <Record type="x"/>\n',
    # a workout whose children are not picked, closed on the line of the next
    # picked element: both picked fragments parse together, but not one alone
    "workout closed mid-line": ' <Workout workoutActivityType="x" '
    'sourceName="x" startDate="2024-03-02 08:00:00 +0100" endDate="x">\n'
    ' <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
    f" <Foo/></Workout>{step(2, '5000').lstrip()}",
    # the type's name elsewhere than a step record's type
    "name in a value": ' <Record type="HKQuantityTypeIdentifierHeartRate" '
    'sourceName="x" startDate="2024-03-02 08:00:00 +0100" endDate="x" value="70">\n'
    '  <MetadataEntry key="about" value="HKQuantityTypeIdentifierStepCount"/>\n'
    " </Record>\n",
}


COUNTED = {
    "character reference",
    "nested one space in",
    "workout closed mid-line",
}  # real step records


@pytest.mark.parametrize("name", ODD_MIDDLES)
def test_a_middle_piece_with_unusual_markup_gives_what_its_whole_tree_gives(
    name: str,
) -> None:
    piece = (many_steps(40) + ODD_MIDDLES[name] + many_steps(40)).encode()
    whole = split._whole_piece(piece, False, False)
    assert split.parse_piece(piece, False, False) == whole
    steps = 2 * sum(100 + d for d in range(40))
    assert piece_steps(whole) == steps + (5000 if name in COUNTED else 0)


def test_a_workout_right_after_a_step_record_is_picked_whole() -> None:
    workout = (
        ' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" '
        'sourceName="Watch" startDate="2024-03-02 08:00:00 +0100" '
        'endDate="2024-03-02 08:30:00 +0100">\n'
        '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n </Workout>\n'
    )
    piece = (many_steps(10) + workout + many_steps(10)).encode()
    found = split._picked_piece(piece)
    assert found is not None
    assert found == split._whole_piece(piece, False, False)
    assert len(found.workouts) == 1
    assert found.workouts[0].endswith(b"</Workout>")


# --- when an export is split, and through the real entry points -----------------


def test_small_and_unknown_sizes_are_read_in_one_process() -> None:
    assert split.split_for(None) is None
    assert split.split_for(split.MIN_SPLIT_BYTES - 1) is None


@TWO_CORES
def test_a_large_export_shares_the_cores_of_this_process() -> None:
    share = split.split_for(split.MIN_SPLIT_BYTES)
    assert share is not None
    assert share.workers == split.usable_cores() - 1


def test_a_process_on_one_core_reads_in_one_process() -> None:
    code = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from walkwell.importers.apple_health_split import split_for; "
        "print(split_for(10**10))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "None"


WORKERS_CANNOT_START = """
import io, multiprocessing
from walkwell.importers import apple_health_split as split
from walkwell.importers.apple_health import CleanedExport, iter_export_xml
from walkwell.importers.apple_health_workouts import WorkoutContext
from walkwell.importers.base import ImportLimits
# the resource tracker runs, then the fork server's program is missing
multiprocessing.get_context("forkserver").Lock()
multiprocessing.set_executable("/nonexistent/python")
rows = "".join(
    f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" '
    f'startDate="2024-03-{1 + d % 28:02d} 08:00:00 +0100" endDate="x" value="5"/>\\n'
    for d in range(3000)
)
data = f'<?xml version="1.0"?>\\n<HealthData>\\n{rows}</HealthData>\\n'.encode()
limits = ImportLimits()
stream = CleanedExport(io.BytesIO(data), limits.max_file_bytes, clean_body=False)
context = WorkoutContext("export.xml", None, limits, None)
got = split.parse(stream, context, split.Split(workers=1, piece_bytes=4096))
alone = list(iter_export_xml(io.BytesIO(data), "export.xml", limits))
# None (read again in one process), or every piece parsed here before the
# workers were found missing: the one-process items either way
print("one process" if got is None or got == alone else got)
"""


def test_workers_that_cannot_start_leave_the_export_to_one_process_quietly() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", WORKERS_CANNOT_START],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "one process"
    assert shown.stderr == ""  # no traceback from the thread that starts them


@pytest.fixture
def split_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split any export, in pieces of 16 KB (as a 1 GB one is split in 2 MB)."""
    monkeypatch.setattr(split, "MIN_SPLIT_BYTES", 0)
    monkeypatch.setattr(split, "PIECE_BYTES", 16 * KB)


@TWO_CORES
@pytest.mark.usefixtures("split_small")
def test_a_file_on_disk_is_split_with_the_same_items(
    generated: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(generated)
    assert list(dispatch.iter_file(path, "export.xml")) == one_process(generated)


@TWO_CORES
@pytest.mark.usefixtures("split_small")
def test_a_damaged_file_on_disk_is_read_again_and_refused_once(
    generated: bytes, tmp_path: Path
) -> None:
    middle = generated.index(b"<Record", len(generated) // 2)
    damaged = generated[:middle] + b"<Record <" + generated[middle:]
    path = tmp_path / "export.xml"
    path.write_bytes(damaged)
    items = list(dispatch.iter_file(path, "export.xml"))
    assert items == one_process(damaged)
    assert sum(isinstance(i, Refused) for i in items) == 1


@TWO_CORES
@pytest.mark.corpus
@pytest.mark.usefixtures("split_small")
def test_a_zip_export_is_split_with_the_same_items(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = corpus / "apple-health" / "synthetic-export.zip"
    in_pieces_items = list(iter_zip(path, LIMITS))
    monkeypatch.setattr(split, "MIN_SPLIT_BYTES", 1 << 62)
    assert in_pieces_items == list(iter_zip(path, LIMITS))
    assert sum(isinstance(i, Activity) for i in in_pieces_items) == 3
