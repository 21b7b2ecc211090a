"""What every importer yields, and the limits that keep hostile files harmless.

An importer reads bytes and yields one item per thing it found: an activity (a
``Track``), a day's step count, or a skipped or refused entry with a reason a
person understands. Importers never touch a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from walkwell.core.model import Track


class ImportRefused(Exception):  # noqa: N818 - reads as a verdict: "ImportRefused(reason)"
    """The file (or archive member) is damaged or hostile; nothing of it is kept."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """Bounds for hostile input; every one is a setting (``WALKWELL_IMPORT_*``)."""

    max_file_bytes: int = 8 * 1024**3
    max_archive_members: int = 100_000
    max_member_bytes: int = 8 * 1024**3
    max_total_uncompressed_bytes: int = 16 * 1024**3
    max_compression_ratio: float = 200.0
    max_xml_depth: int = 64
    # A walk of a day at one point a second is 86,400 points; ten million is
    # past any walk at any recording rate, and takes a few minutes to read.
    max_track_points: int = 10_000_000


@dataclass(frozen=True, slots=True)
class Activity:
    """A recorded activity found in ``file`` (``member`` names it inside an archive)."""

    file: str
    member: str | None
    track: Track
    content_hash: str  # sha256 of the bytes the activity came from


@dataclass(frozen=True, slots=True)
class DailySteps:
    """One day's step count from one source (device), as context for the engine."""

    file: str
    member: str | None
    date: dt.date
    steps: int
    source: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something readable that is not a walk (a run, a settings file...)."""

    file: str
    member: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Refused:
    """Something damaged or hostile; nothing of it is stored."""

    file: str
    member: str | None
    reason: str


ImportItem = Activity | DailySteps | Skipped | Refused
