"""Garmin Training Center (TCX) activities, streamed with hardened lxml.

Each ``<Activity>`` becomes one ``Track``; its ``Sport`` attribute is kept as the
sport label. TCX has only Running, Biking and Other, and walks are recorded as
Other, so the laps' step counts and the notes are kept in ``extra`` for metrics to
tell a walk from, say, paddling. A ``<Course>`` is a planned route and is refused.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

from walkwell.core.metrics import TrackAccumulator
from walkwell.core.model import Track, TrackExtra
from walkwell.importers import xmlsafe
from walkwell.importers.base import ImportLimits, ImportRefused
from walkwell.importers.trackpoints import (
    TooManyPoints,
    accumulator,
    check_position,
    finish,
    parse_float,
    parse_time,
    too_many_points,
)
from walkwell.importers.xmlsafe import DEFAULT_LIMITS, LOCAL_NAMES, localname

#: TCX ``RunCadence`` (and ``Cadence`` for foot sports) counts strides, one foot.
STEPS_PER_STRIDE = 2.0


@dataclass
class _Activity:
    """One ``<Activity>`` as the stream reveals it; its points go to ``acc``."""

    sport: str | None
    acc: TrackAccumulator
    add: Callable[..., None]
    untimed: int = 0
    steps: int = 0
    activity_id: str | None = None
    notes: str | None = None
    creator: str | None = None


#: The only elements Python is shown; the rest stay inside lxml.
_TAGS = ("Trackpoint", "Lap", "Id", "Notes", "Creator", "Activity", "Course")
#: ``localname``'s memo, read directly in the per-point loop.
_LOCAL_NAMES = LOCAL_NAMES


@dataclass
class _State:
    limits: ImportLimits
    # each finished activity, measured (or why it cannot be, said at the end)
    done: list[Track | ImportRefused] = field(default_factory=list)
    current: _Activity | None = None
    courses: int = 0


def parse(
    stream: BinaryIO | xmlsafe.HashingReader, limits: ImportLimits = DEFAULT_LIMITS
) -> list[Track]:
    """Read a TCX document into one ``Track`` per activity, or raise ``ImportRefused``."""
    source = xmlsafe.as_reader(stream, limits)
    state = _State(limits)
    sweeper = xmlsafe.Sweeper()
    sweep = sweeper.sweep
    names = _LOCAL_NAMES
    try:
        for element in xmlsafe.iterparse(
            source, "TCX", "TrainingCenterDatabase", _TAGS
        ):
            # The common case first, as ``_on_end`` would handle it, without its calls.
            activity = state.current
            if activity is not None and names.get(element.tag) == "Trackpoint":
                _add_point(element, activity)
                sweep(element)
            else:
                _on_end(element, state, sweeper)
    except TooManyPoints as error:
        raise too_many_points("TCX", error) from None
    return _finish(state)


def _current(element: etree._Element, state: _State) -> _Activity | None:
    """The activity being read, opened from the nearest ``<Activity>`` ancestor."""
    if state.current is None:
        for ancestor in element.iterancestors():
            if localname(ancestor.tag) == "Activity":
                sport = (ancestor.get("Sport") or "").strip().lower()[:60] or None
                acc = accumulator(state.limits)
                state.current = _Activity(sport, acc, acc.add)
                break
    return state.current


def _on_end(element: etree._Element, state: _State, sweeper: xmlsafe.Sweeper) -> None:
    tag = _LOCAL_NAMES.get(element.tag) or localname(element.tag)
    activity = _current(element, state)
    if tag == "Course":
        state.courses += 1
    elif activity is None:
        return
    elif tag == "Trackpoint":
        _add_point(element, activity)
        sweeper.sweep(element)
        return
    elif tag == "Lap":
        activity.steps += _lap_steps(element)
    elif tag in {"Id", "Notes"}:
        _note_text(element, tag, activity)
        return
    elif tag == "Creator":
        activity.creator = xmlsafe.child_text(element, "Name")
    elif tag == "Activity":
        activity.sport = (element.get("Sport") or "").strip().lower()[:60] or None
        state.done.append(_measured(activity))
        state.current = None
    else:
        return
    xmlsafe.release(element)


def _note_text(element: etree._Element, tag: str, activity: _Activity) -> None:
    parent = element.getparent()
    if parent is None or localname(parent.tag) != "Activity":
        return
    text = (element.text or "").strip()[:500] or None
    if tag == "Id":
        activity.activity_id = text
    else:
        activity.notes = text


def _lap_steps(lap: etree._Element) -> int:
    """Garmin's lap extension ``LX/Steps``: the only cadence some TCX files carry.

    lxml looks for it in C: a lap still holds its (cleared) track points.
    """
    for item in lap.iter("{*}Steps"):
        steps = parse_float(item.text, "lap step count")
        return max(0, int(steps)) if steps is not None else 0
    return 0


_fromisoformat = dt.datetime.fromisoformat
_isfinite = math.isfinite

#: The leaves of a Trackpoint we use; ``Value`` is the heart rate's only field.
_POINT_FIELDS = tuple(
    "{*}" + name
    for name in (
        "Time",
        "LatitudeDegrees",
        "LongitudeDegrees",
        "AltitudeMeters",
        "DistanceMeters",
        "Value",
        "Speed",
        "RunCadence",
        "Cadence",
    )
)


def _values(point: etree._Element) -> dict[str, str | None]:
    """Leaf texts of a Trackpoint by local name (the first of each), found in C."""
    values: dict[str, str | None] = {}
    for item in point.iter(*_POINT_FIELDS):
        tag = item.tag
        values.setdefault(_LOCAL_NAMES.get(tag) or localname(tag), item.text)
    return values


def _add_point(element: etree._Element, activity: _Activity) -> None:
    values = _values(element)
    try:
        point = _plain_point(values)
    except (ValueError, TypeError, OverflowError):
        point = None
    if point is None:
        point = _checked_point(values)
    if point is None:
        activity.untimed += 1
    else:
        activity.add(*point)


#: A point's fields in ``TrackAccumulator.add``'s order.
_Point = tuple[
    dt.datetime,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    int | None,
]


def _plain_point(values: dict[str, str | None]) -> _Point | None:
    """The point when every field is plain (what devices write), else None.

    This is ``_checked_point`` without a call per field. Whenever a field is
    anything but a plain number or a zoned time, it gives up (None, or an
    error), and ``_checked_point`` reads the point again, refusing or accepting
    it exactly as before; so it can only be faster, never different.
    """
    get = values.get
    text = get("Time")
    if not text:
        return None
    time = _fromisoformat(text.strip())
    if time.tzinfo is None:
        return None
    text = get("LatitudeDegrees")
    lat = None if text is None else float(text)
    text = get("LongitudeDegrees")
    lon = None if text is None else float(text)
    if (lat is not None and not -90.0 <= lat <= 90.0) or (
        lon is not None and not -180.0 <= lon <= 180.0
    ):
        return None
    text = get("AltitudeMeters")
    elevation = None if text is None else float(text)
    text = get("DistanceMeters")
    distance = None if text is None else float(text)
    text = get("Speed")
    speed = None if text is None else float(text)
    text = get("RunCadence") or get("Cadence")
    cadence = None if text is None else float(text)
    text = get("Value")
    heart = None if text is None else float(text)
    for value in (elevation, distance, speed, cadence, heart):
        if value is not None and not _isfinite(value):
            return None
    return (
        time,
        lat,
        lon,
        elevation,
        distance,
        speed,
        cadence * STEPS_PER_STRIDE if cadence is not None else None,
        int(heart) if heart is not None else None,
    )


def _checked_point(values: dict[str, str | None]) -> _Point | None:
    """The point, each field checked with a reason; None when it has no time."""
    time = parse_time(values.get("Time"))
    if time is None:
        return None
    lat = parse_float(values.get("LatitudeDegrees"), "latitude")
    lon = parse_float(values.get("LongitudeDegrees"), "longitude")
    check_position(lat, lon)
    cadence = parse_float(values.get("RunCadence") or values.get("Cadence"), "cadence")
    heart = parse_float(values.get("Value"), "heart rate")
    return (
        time,
        lat,
        lon,
        parse_float(values.get("AltitudeMeters"), "altitude"),
        parse_float(values.get("DistanceMeters"), "distance"),
        parse_float(values.get("Speed"), "speed"),
        cadence * STEPS_PER_STRIDE if cadence is not None else None,
        int(heart) if heart is not None else None,
    )


def _finish(state: _State) -> list[Track]:
    if not state.done and state.courses:
        raise ImportRefused(
            "this TCX file holds a planned course, not a recorded walk: there is no "
            "walk to log"
        )
    if not state.done:
        raise ImportRefused("this TCX file holds no activities")
    tracks: list[Track] = []
    for done in state.done:
        if isinstance(done, ImportRefused):
            raise done
        tracks.append(done)
    return tracks


def _measured(activity: _Activity) -> Track | ImportRefused:
    """A finished activity, measured now so that its accumulator can go."""
    extra = TrackExtra(
        steps=activity.steps or None,
        notes=activity.notes or None,
        device=activity.creator or None,
    )
    try:
        measured = finish(activity.acc, activity.untimed, "TCX", extra.steps)
    except ImportRefused as refused:
        return refused
    return Track(
        source_format="tcx",
        sport=activity.sport,
        points=measured.route,
        start=measured.start,
        device_activity_id=activity.activity_id,
        name=activity.notes,
        extra=extra,
        metrics=measured.metrics,
        point_count=measured.count,
    )
