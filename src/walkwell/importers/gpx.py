"""GPX 1.0 and 1.1 tracks, streamed with hardened lxml in bounded memory.

All of a file's tracks and segments become one walk: devices split a single outing
into segments (signal lost, pause pressed), and metrics treats the gaps between
them as pauses. A file with only a route (``<rte>`` without times) is a plan
someone drew, not a walk anyone took, and is refused as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from walkwell.core.metrics import TrackAccumulator
from walkwell.core.model import Track
from walkwell.importers import xmlsafe
from walkwell.importers.base import ImportLimits, ImportRefused
from walkwell.importers.trackpoints import (
    TooManyPoints,
    accumulator,
    check_position,
    finish,
    finite,
    parse_time,
    too_many_points,
)
from walkwell.importers.xmlsafe import DEFAULT_LIMITS, LOCAL_NAMES, localname

#: Garmin's TrackPointExtension writes cadence as strides (one foot) a minute.
STEPS_PER_STRIDE = 2.0


#: The only elements Python is shown; the rest stay inside lxml.
_TAGS = ("trkpt", "rtept", "name", "type", "trkseg", "trk", "rte", "wpt", "metadata")


#: The fields of Garmin's TrackPointExtension (and its kin) that we use.
_EXTENSION_FIELDS = ("{*}hr", "{*}cad", "{*}speed")
_EXTENSION_NAMES = frozenset(("hr", "cad", "speed"))
#: ``localname``'s memo, read directly in the per-point loop.
_LOCAL_NAMES = LOCAL_NAMES


@dataclass
class _State:
    """What the stream has shown so far; the points go straight to ``acc``."""

    acc: TrackAccumulator
    add: Callable[..., None]
    untimed: int = 0
    route_points: int = 0
    name: str | None = None
    sport: str | None = None


def parse(
    stream: BinaryIO | xmlsafe.HashingReader, limits: ImportLimits = DEFAULT_LIMITS
) -> Track:
    """Read one GPX document into a measured ``Track``, or raise ``ImportRefused``."""
    source = xmlsafe.as_reader(stream, limits)
    acc = accumulator(limits)
    state = _State(acc, acc.add)
    sweeper = xmlsafe.Sweeper()
    sweep = sweeper.sweep
    names = _LOCAL_NAMES
    try:
        for element in xmlsafe.iterparse(source, "GPX", "gpx", _TAGS):
            if names.get(element.tag) == "trkpt":  # the common case, without a call
                _add_point(element, state)
                sweep(element)
            else:
                _on_end(element, state, sweeper)
    except TooManyPoints as error:
        raise too_many_points("GPX", error) from None
    return _finish(state)


def _on_end(element: etree._Element, state: _State, sweeper: xmlsafe.Sweeper) -> None:
    """Handle one closed element; everything but points is only glanced at."""
    tag = _LOCAL_NAMES.get(element.tag) or localname(element.tag)
    if tag == "trkpt":
        _add_point(element, state)
        sweeper.sweep(element)
    elif tag == "rtept":
        state.route_points += 1
        sweeper.sweep(element)
    elif tag in {"name", "type"}:
        _note_track_label(element, tag, state)
    elif tag in {"trkseg", "trk", "rte", "wpt", "metadata"}:
        xmlsafe.release(element)


def _note_track_label(element: etree._Element, tag: str, state: _State) -> None:
    """Keep the first track's name and activity type (Strava writes ``<type>``)."""
    parent = element.getparent()
    if parent is None or localname(parent.tag) != "trk" or not element.text:
        return
    text = element.text.strip()
    if tag == "name" and state.name is None:
        state.name = text[:200]
    elif tag == "type" and state.sport is None and not text.isdigit():
        state.sport = text.lower()[:60]


def _add_point(element: etree._Element, state: _State) -> None:
    """One point, read in a single pass over its children.

    This runs once per point, so it is written flat: no lookups by path, no
    dictionary unless the point has extensions. A later child of the same name
    wins, except that extension fields never replace one already seen.
    """
    time_text = ele = None
    extra: dict[str, str | None] | None = None
    for child in element:
        name = _LOCAL_NAMES.get(child.tag) or localname(child.tag)
        if name == "time":
            time_text = child.text
        elif name == "ele":
            ele = child.text
        elif name == "extensions":
            extra = _extension_values(child, extra)
        elif name in _EXTENSION_NAMES:
            if extra is None:
                extra = {}
            extra[name] = child.text
    time = parse_time(time_text)
    if time is None:
        state.untimed += 1
        return
    lat_text, lon_text = element.get("lat"), element.get("lon")
    speed = cadence = heart = None
    try:
        lat = float(lat_text) if lat_text else None
        lon = float(lon_text) if lon_text else None
        check_position(lat, lon)
        height = finite(float(ele)) if ele else None
        if extra is not None:
            cad, hr, fast = extra.get("cad"), extra.get("hr"), extra.get("speed")
            speed = finite(float(fast)) if fast else None
            cadence = float(cad) * STEPS_PER_STRIDE if cad else None
            heart = int(float(hr)) if hr else None
    except ValueError as error:
        raise ImportRefused(
            f"a point holds a value that is not a number ({error})"
        ) from None
    state.add(time, lat, lon, height, None, speed, cadence, heart)


def _extension_values(
    extensions: etree._Element, extra: dict[str, str | None] | None
) -> dict[str, str | None]:
    """Heart rate, cadence and speed from any extension; lxml finds them in C."""
    found = {} if extra is None else extra
    for item in extensions.iter(*_EXTENSION_FIELDS):
        found.setdefault(localname(item.tag), item.text)
    return found


def _finish(state: _State) -> Track:
    if state.route_points and not state.acc.count:
        raise ImportRefused(
            "this GPX file holds a planned route, not a recorded walk: its points "
            "have no times, so there is no walk to log"
        )
    measured = finish(state.acc, state.untimed, "GPX")
    return Track(
        source_format="gpx",
        sport=state.sport,
        points=measured.route,
        start=measured.start,
        name=state.name,
        metrics=measured.metrics,
        point_count=measured.count,
    )
