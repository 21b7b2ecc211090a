"""From what an importer found to what WalkWell stores: a walk, or a reason not to.

No database here: an ``Activity`` arrives measured (its importer fed every point
to ``core.metrics`` while reading, and kept only a thinned route), and is turned
into a small ``FoundWalk`` summary, so a long export can hold many of them while
its file is still being read, without holding their track points.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from walkwell.core.metrics import MetricsParams, classify_sport, measure
from walkwell.core.model import Terrain, TrackPoint
from walkwell.core.shape import pack, route_shape
from walkwell.importers.base import Activity, Skipped

Note = Skipped  # a judged activity that is not a walk, and why

PARAMS = MetricsParams()


@dataclass(frozen=True, slots=True)
class FoundWalk:
    """A walk's measures and identity, ready to store (no track points beyond
    its bounded shape)."""

    file: str
    member: str | None
    start: dt.datetime  # timezone-aware, in the offset the device wrote
    duration_s: float
    moving_s: float
    distance_m: float
    elevation_gain_m: float | None
    terrain: Terrain | None
    content_hash: str
    device: str
    device_activity_id: str
    # The route, thinned to ``core.shape.SHAPE_POINTS`` points, for drawing it
    # (``core.shape.pack``ed: about 14 kB a walk however long the track).
    shape: bytes | None = None

    @property
    def minutes(self) -> float:
        return round(self.moving_s / 60, 1)


def judge(activity: Activity) -> FoundWalk | Note:
    """A walk with its measures, or a note saying why this is not one."""
    track = activity.track
    not_walking = classify_sport(track.sport)
    if not_walking:
        return _note(activity, not_walking)
    if track.metrics is not None or track.points:
        return _measured(activity)
    return _from_summary(activity)


def _note(activity: Activity, reason: str) -> Note:
    when = activity.track.start
    prefix = f"the activity of {when:%Y-%m-%d %H:%M}: " if when else ""
    return Note(activity.file, activity.member, prefix + reason)


def _measured(activity: Activity) -> FoundWalk | Note:
    track = activity.track
    metrics = measure(track, PARAMS)
    start = track.start if track.start and _aware(track.start) else metrics.start
    if not metrics.is_walk:
        return _note(activity, metrics.not_walk_reason or "not a walk")
    return _found(
        activity,
        start=start,
        duration_s=metrics.duration_s,
        moving_s=metrics.moving_s,
        distance_m=metrics.distance_m,
        elevation_gain_m=metrics.elevation_gain_m,
        terrain=metrics.terrain,
        shape=_shape(track.points, intervals=metrics.follows_intervals),
    )


def _from_summary(activity: Activity) -> FoundWalk | Note:
    """A workout without a route: the device's own duration and distance."""
    track = activity.track
    if track.start is None or not _aware(track.start) or track.duration_s is None:
        return Note(
            activity.file,
            activity.member,
            "no recorded points and no start time or duration: nothing to log",
        )
    distance = track.distance_m or 0.0
    if track.duration_s > 0 and distance / track.duration_s > PARAMS.walk_max_speed_mps:
        kmh = 3.6 * distance / track.duration_s
        return _note(activity, f"an average of {kmh:.0f} km/h is faster than walking")
    return _found(
        activity,
        start=track.start,
        duration_s=track.duration_s,
        moving_s=track.duration_s,
        distance_m=distance,
        elevation_gain_m=None,
        terrain=None,
    )


def _found(
    activity: Activity,
    *,
    start: dt.datetime,
    duration_s: float,
    moving_s: float,
    distance_m: float,
    elevation_gain_m: float | None,
    terrain: Terrain | None,
    shape: bytes | None = None,
) -> FoundWalk:
    track = activity.track
    return FoundWalk(
        file=activity.file,
        member=activity.member,
        start=start,
        duration_s=duration_s,
        moving_s=moving_s,
        distance_m=distance_m,
        elevation_gain_m=elevation_gain_m,
        terrain=terrain,
        content_hash=walk_hash(activity.content_hash, start),
        device=track.source_format[:200] if track.device_activity_id else "",
        device_activity_id=(track.device_activity_id or "")[:200],
        shape=shape,
    )


def _shape(points: tuple[TrackPoint, ...], *, intervals: bool) -> bytes | None:
    shape = route_shape(points, intervals=intervals, params=PARAMS)
    return pack(shape) if shape is not None else None


def walk_hash(content_hash: str, start: dt.datetime) -> str:
    """One hash per activity: a TCX file can hold several, all of one file hash."""
    moment = start.astimezone(dt.UTC).isoformat()
    return hashlib.sha256(f"{content_hash}|{moment}".encode()).hexdigest()


def _aware(moment: dt.datetime | None) -> bool:
    return moment is not None and moment.utcoffset() is not None
