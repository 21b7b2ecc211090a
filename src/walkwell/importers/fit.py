"""FIT activity files (Garmin, Wahoo, Coros, phone apps), streamed with fitdecode.

fitdecode reads one frame at a time, and each record goes straight to the\ntrack's accumulator, so memory holds the measures, not the points. A damaged
file makes fitdecode raise any of several exception types (its own ``FitError``,
but also ``AssertionError``, ``TypeError``, ``ValueError``, ``struct.error``) and
warn at length; all of them become one ``ImportRefused`` with what went wrong.
A valid FIT file that is not an activity (settings, daily monitoring) is
``NotAnActivity``, which callers list as skipped rather than refused.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import fitdecode

from walkwell.core.metrics import TrackAccumulator
from walkwell.core.model import Track, TrackExtra
from walkwell.importers.base import ImportLimits, ImportRefused
from walkwell.importers.trackpoints import (
    TooManyPoints,
    accumulator,
    finish,
    too_many_points,
)
from walkwell.importers.xmlsafe import DEFAULT_LIMITS, HashingReader, as_reader

#: FIT stores positions in semicircles: 2^31 of them make 180 degrees.
DEGREES_PER_SEMICIRCLE = 180.0 / 2**31
#: FIT cadence for foot sports counts strides (one foot) a minute.
STEPS_PER_STRIDE = 2.0

#: The record fields a ``TrackPoint`` is made of; the rest are not copied.
_RECORD_FIELDS = frozenset(
    (
        "timestamp",
        "position_lat",
        "position_long",
        "enhanced_altitude",
        "altitude",
        "distance",
        "enhanced_speed",
        "speed",
        "cadence",
        "fractional_cadence",
        "heart_rate",
    )
)

_DAMAGE = (
    fitdecode.FitError,
    AssertionError,
    TypeError,
    ValueError,
    struct.error,
    LookupError,
    ArithmeticError,
    EOFError,
)

#: What a person would call each non-activity FIT file type.
_FILE_TYPES = {
    "settings": "a settings file",
    "device": "a device description file",
    "sport": "a sport settings file",
    "workout": "a planned workout",
    "course": "a planned course",
    "schedules": "a training schedule",
    "weight": "a weight log",
    "totals": "a totals file",
    "goals": "a goals file",
    "blood_pressure": "a blood pressure log",
    "monitoring_a": "a daily monitoring file",
    "monitoring_b": "a daily monitoring file",
    "monitoring_daily": "a daily monitoring file",
    "activity_summary": "an activity summary without a track",
    "segment": "a segment definition",
}


class NotAnActivity(Exception):  # noqa: N818 - a verdict, like ImportRefused
    """A readable FIT file that records no activity; ``reason`` says what it is."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _State:
    acc: TrackAccumulator
    add: Callable[..., None]
    untimed: int = 0
    relative_times: int = 0
    file_id: dict[str, Any] = field(default_factory=dict)
    sport: dict[str, Any] = field(default_factory=dict)
    session: dict[str, Any] = field(default_factory=dict)


def parse(
    stream: BinaryIO | HashingReader, limits: ImportLimits = DEFAULT_LIMITS
) -> Track:
    """Read a FIT file into a ``Track``; raise ``ImportRefused`` or ``NotAnActivity``."""
    acc = accumulator(limits)
    state = _State(acc, acc.add)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _read(as_reader(stream, limits), state)
    except TooManyPoints as error:
        raise too_many_points("FIT", error) from None
    except _DAMAGE as error:
        raise ImportRefused(f"a damaged FIT file ({_describe(error)})") from None
    return _finish(state)


def _describe(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text[:200]


class _RawSource(io.RawIOBase):
    """The hashing reader as raw I/O, so ``io.BufferedReader`` can sit in front.

    fitdecode reads a few bytes at a time (about 14 reads per record); served
    from a C buffer instead of the Python hashing reader, that costs nothing,
    and the hash still sees every byte, in 64 KiB chunks.
    """

    def __init__(self, reader: HashingReader) -> None:
        super().__init__()
        self._reader = reader

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._reader.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read(reader: HashingReader, state: _State) -> None:
    fit = fitdecode.FitReader(
        io.BufferedReader(_RawSource(reader), 1 << 16),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    )
    data = fitdecode.FIT_FRAME_DATA
    kinds = _MESSAGE_KINDS
    for frame in fit:
        if frame.frame_type != data:
            continue
        kind = kinds.get(frame.def_mesg.global_mesg_num)
        if kind == "record":
            _add_record(frame, state)
        elif kind is not None:
            _keep_first(getattr(state, kind), frame)
            if kind == "file_id":
                _check_file_type(state.file_id)


#: The messages read, by their global number in the FIT profile.
_MESSAGE_KINDS = {20: "record", 0: "file_id", 12: "sport", 18: "session"}
#: Memo keyed by fitdecode's profile field objects: the name of each record
#: field a point needs (None for the rest). ``.name`` is a Python property call
#: for each field of every record; a dictionary look-up is a fraction of that.
_FIELD_NAMES: dict[object, str | None] = {}
_UNSEEN = "?"
_MEMO_SIZE = 4096


def _learn(field: object, name: str) -> str | None:
    """Remember whether a point needs this field (the memo stays bounded)."""
    wanted = name if name in _RECORD_FIELDS else None
    if len(_FIELD_NAMES) < _MEMO_SIZE:
        _FIELD_NAMES[field] = wanted
    return wanted


def _keep_first(target: dict[str, Any], frame: Any) -> None:
    """Chained FIT files repeat these messages; the first one describes the walk."""
    if not target:
        target.update((f.name, f.value) for f in frame.fields if f.value is not None)


def _check_file_type(file_id: dict[str, Any]) -> None:
    kind = file_id.get("type")
    if kind is not None and kind != "activity":
        label = _FILE_TYPES.get(str(kind), f"a FIT file of type {kind!s}")
        raise NotAnActivity(f"this FIT file holds no activity: it is {label}")


def _add_record(frame: Any, state: _State) -> None:
    values = {}
    names = _FIELD_NAMES
    for item in frame.fields:  # only the fields a point needs; the last one wins
        field = item.field
        name = names.get(field, _UNSEEN)
        if name is _UNSEEN:
            name = _learn(field, item.name) if field is not None else None
        if name is not None:
            values[name] = item.value
    get = values.get
    time = get("timestamp")
    if not isinstance(time, dt.datetime):
        state.relative_times += time is not None
        state.untimed += 1
        return
    cadence = get("cadence")
    if cadence is not None:
        cadence = (cadence + (get("fractional_cadence") or 0.0)) * STEPS_PER_STRIDE
    state.add(
        time,
        _degrees(get("position_lat")),
        _degrees(get("position_long")),
        _first(values, "enhanced_altitude", "altitude"),
        get("distance"),
        _first(values, "enhanced_speed", "speed"),
        cadence,
        get("heart_rate"),
    )


def _first(values: dict[str, Any], *names: str) -> float | None:
    for name in names:
        value = values.get(name)
        if isinstance(value, int | float):
            return float(value)
    return None


def _degrees(semicircles: object) -> float | None:
    if not isinstance(semicircles, int):
        return None
    degrees = semicircles * DEGREES_PER_SEMICIRCLE
    return degrees if -180.0 <= degrees <= 180.0 else None


def _finish(state: _State) -> Track:
    if not state.file_id:
        raise ImportRefused(
            "a FIT file without the file_id message every FIT file opens with"
        )
    if state.relative_times and not state.acc.count:
        raise ImportRefused(
            "this FIT file records times relative to when the device was switched "
            "on, not calendar times, so when the walk happened cannot be known"
        )
    if not state.acc.count and not state.untimed:
        raise NotAnActivity(
            "this FIT file holds no activity: it has no recorded points"
        )
    measured = finish(state.acc, state.untimed, "FIT")
    return Track(
        source_format="fit",
        sport=_sport(state),
        points=measured.route,
        start=_session_time(state.session.get("start_time")) or measured.first,
        duration_s=_number(state.session.get("total_elapsed_time")),
        distance_m=_number(state.session.get("total_distance")),
        device_activity_id=_device_id(state.file_id),
        name=_text(state.sport.get("name")),
        extra=_extra(state),
        metrics=measured.metrics,
        point_count=measured.count,
    )


def _sport(state: _State) -> str | None:
    sport = state.sport.get("sport") or state.session.get("sport")
    return str(sport).lower() if sport is not None else None


def _extra(state: _State) -> TrackExtra:
    sub_sport = state.sport.get("sub_sport") or state.session.get("sub_sport")
    manufacturer = state.file_id.get("manufacturer")
    return TrackExtra(
        sub_sport=str(sub_sport)
        if sub_sport is not None and sub_sport != "generic"
        else None,
        device=str(manufacturer) if manufacturer is not None else None,
    )


def _device_id(file_id: dict[str, Any]) -> str | None:
    """Manufacturer, serial number and creation time: stable across re-exports."""
    created = file_id.get("time_created")
    if created is None:
        return None
    stamp = created.isoformat() if isinstance(created, dt.datetime) else str(created)
    parts = (file_id.get("manufacturer"), file_id.get("serial_number"), stamp)
    return "fit:" + ":".join("" if part is None else str(part) for part in parts)


def _session_time(value: object) -> dt.datetime | None:
    return value if isinstance(value, dt.datetime) else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _text(value: object) -> str | None:
    return str(value)[:200] if value is not None else None
