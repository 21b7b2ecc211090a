"""What every track importer shares: the accumulator it feeds, and its checks.

A track's points go straight into a ``TrackAccumulator`` as they are read, so
an importer holds the measures and a thinned copy of the route, never every
point. A walk's length is the one thing the engine cannot do without, so a
track whose points carry no usable time is refused here, with the reason,
whatever its format; so is a track past the point limit.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from walkwell.core.metrics import DEFAULT_PARAMS, TooManyPoints, TrackAccumulator
from walkwell.core.model import TrackPoint, WalkMetrics
from walkwell.importers.base import ImportLimits, ImportRefused

__all__ = ["TooManyPoints"]

#: Shorter than this, the "walk" is a timestamp glitch (all points at one instant).
MIN_DURATION = dt.timedelta(seconds=1)


def parse_time(text: str | None) -> dt.datetime | None:
    """An ISO 8601 time as written by GPX and TCX; a time without zone means UTC.

    GPX 1.1 and TCX both define their times as UTC, so a missing zone is read as
    UTC rather than as the server's local time.
    """
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ImportRefused(
            f"a point's time {text[:40]!r} is not a date and time"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def parse_float(text: str | None, what: str) -> float | None:
    """A finite number, or None when absent; anything else refuses the file.

    ``float`` itself skips surrounding whitespace, so blank text is only looked
    for once it has failed: this runs for every field of every point.
    """
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        if not text.strip():
            return None
        raise ImportRefused(f"a point's {what} {text[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise ImportRefused(f"a point's {what} is not a finite number")
    return value


def finite(value: float) -> float:
    """``value`` itself; NaN and infinity refuse the file (they poison every sum)."""
    if not math.isfinite(value):
        raise ImportRefused("a point holds a value that is not a finite number")
    return value


def check_position(lat: float | None, lon: float | None) -> None:
    """Latitudes beyond the poles mean the file is damaged, not that we moved there.

    NaN fails these comparisons too, so it is refused here as well.
    """
    if lat is not None and not -90.0 <= lat <= 90.0:
        raise ImportRefused(f"a point's latitude {lat} lies outside -90..90")
    if lon is not None and not -180.0 <= lon <= 180.0:
        raise ImportRefused(f"a point's longitude {lon} lies outside -180..180")


def accumulator(limits: ImportLimits) -> TrackAccumulator:
    """A fresh accumulator for one track, bounded by the point limit."""
    return TrackAccumulator(DEFAULT_PARAMS, max_points=limits.max_track_points)


def too_many_points(kind: str, error: TooManyPoints) -> ImportRefused:
    """The refusal of a track past the point limit, naming the limit and its setting."""
    return ImportRefused(
        f"this {kind} track has more than {error.limit:,} points, the most one "
        "track may have (setting WALKWELL_IMPORT_MAX_TRACK_POINTS)"
    )


@dataclass(frozen=True, slots=True)
class Measured:
    """What a finished accumulator leaves of a track: its measures and its route."""

    metrics: WalkMetrics
    route: tuple[TrackPoint, ...]
    start: dt.datetime  # the earliest point's time
    first: dt.datetime  # the first point read, in file order
    count: int  # timed points read


def finish(
    acc: TrackAccumulator, untimed: int, kind: str, steps: int | None = None
) -> Measured:
    """Refuse a track whose duration cannot be known from its points' times."""
    count = acc.count
    if not count and not untimed:
        raise ImportRefused(f"this {kind} file holds no recorded track points")
    if not count:
        raise ImportRefused(
            f"this {kind} track has no timestamps, so when and how long the walk "
            "was cannot be known"
        )
    if untimed > count:
        raise ImportRefused(
            f"only {count} of the {count + untimed} points of this {kind} "
            "track carry a time, so how long the walk took cannot be known"
        )
    start, first = acc.start, acc.first_time
    if start is None or first is None:  # pragma: no cover - count > 0 sets both
        raise ImportRefused(f"this {kind} track has no timestamps")
    if acc.span_s < MIN_DURATION.total_seconds():
        raise ImportRefused(
            f"every point of this {kind} track carries the same time "
            f"({start.isoformat()}), so how long the walk took cannot be known"
        )
    return Measured(acc.result(steps), acc.route(), start, first, count)
