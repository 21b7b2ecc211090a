"""Damaged copies of real device files, and one way to feed them to the importers.

A mutation cuts a file short, flips bytes, splices the head of one file onto the
tail of another, and may wrap the result in gzip: the shapes a failed download, a
bad card or a half-written export take. ``import_bytes`` reads the bytes through
the importers' entry point for a file on disk (``dispatch.iter_file``: zips to
``archives``, everything else to ``registry.read_stream``) and ``verdicts`` says
what came out. Used by ``tests/importers/test_fuzz_entry_points.py`` (hypothesis,
in ``make test``) and the longer ``python -m benchmarks.fuzz_importers``.
"""

from __future__ import annotations

import gzip
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from walkwell.importers.base import (
    Activity,
    DailySteps,
    ImportLimits,
    ImportRefused,
    Refused,
    Skipped,
)
from walkwell.importers.dispatch import iter_file

ITEM_TYPES = (Activity, DailySteps, Skipped, Refused)
# Tighter than the defaults, so one damaged file cannot take minutes or gigabytes
# (the defaults are tested on their own in tests/importers and tests/imports).
FUZZ_LIMITS = ImportLimits(
    max_file_bytes=64 * 1024**2,
    max_member_bytes=64 * 1024**2,
    max_total_uncompressed_bytes=128 * 1024**2,
    max_track_points=200_000,
)
SEED_SUFFIXES = (".gpx", ".tcx", ".fit", ".xml", ".zip")


def seeds(corpus: Path) -> list[Path]:
    """Every device file of the corpus (the CSV answer keys and notes left out)."""
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file() and p.suffix.lower() in SEED_SUFFIXES
    )


@dataclass(frozen=True, slots=True)
class Mutation:
    """Fractions of the file's length, so one mutation fits any file."""

    cut: float = 1.0  # keep this much of the file
    flips: tuple[tuple[float, int], ...] = ()  # (where, xor mask)
    splice_at: float | None = None  # keep the head up to here, then ...
    other_from: float = 0.0  # ... the other file from here on
    gzipped: bool = False


def mutate(data: bytes, mutation: Mutation, other: bytes = b"") -> bytes:
    out = bytearray(data)
    if mutation.splice_at is not None and other:
        head = out[: int(mutation.splice_at * len(out))]
        out = head + other[int(mutation.other_from * len(other)) :]
    for where, mask in mutation.flips:
        if out:
            out[int(where * (len(out) - 1))] ^= mask
    out = out[: int(mutation.cut * len(out))]
    return gzip.compress(bytes(out), mtime=0) if mutation.gzipped else bytes(out)


@dataclass(slots=True)
class Outcome:
    """What the importers made of one damaged file, and how long it took."""

    verdicts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def import_bytes(data: bytes, name: str, limits: ImportLimits = FUZZ_LIMITS) -> Outcome:
    """Read ``data`` as the file ``name`` would be read from disk.

    The importers' documented refusal, ``ImportRefused``, counts as a verdict;
    any other exception propagates to the caller, which reports it as a crash."""
    outcome = Outcome()
    with tempfile.TemporaryDirectory(prefix="walkwell-fuzz-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            for item in iter_file(path, name, limits):
                if not isinstance(item, ITEM_TYPES):
                    raise TypeError(f"the importer yielded {type(item).__name__}")
                outcome.verdicts[type(item).__name__] += 1
        except ImportRefused:
            outcome.verdicts["ImportRefused"] += 1
        outcome.seconds = time.perf_counter() - started
    return outcome
