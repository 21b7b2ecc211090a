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
from typing import Any, BinaryIO, cast

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

#: The record fields a ``TrackPoint`` is made of, in the order ``_Plan`` holds
#: their positions; the rest are not copied.
_RECORD_FIELDS = (
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
    #: Where a record's fields sit, by the definition message it follows.
    plans: dict[object, _Plan] = field(default_factory=dict)
    #: The same, by (definition, field count), for definitions seen both ways.
    other_plans: dict[tuple[object, int], _Plan] = field(default_factory=dict)


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


#: The messages read, by their global number in the FIT profile.
_MESSAGE_KINDS = {20: "record", 0: "file_id", 12: "sport", 18: "session"}
_RECORD = 20

#: fitdecode's own conversions (dates to ``datetime``, and the like), run only
#: on the few messages kept whole: running them on every field of every record
#: cost more than the rest of the import. Records convert the one date they use.
_PROCESSOR = fitdecode.DefaultDataProcessor()
FIT_UTC_REFERENCE = fitdecode.processors.FIT_UTC_REFERENCE
FIT_DATETIME_MIN = fitdecode.processors.FIT_DATETIME_MIN

#: A record field that is absent: the plan points at this, past the real fields.
_ABSENT = [fitdecode.types.FieldData(None, None, None, None, None)]

#: (field count, whether the time is a FIT date, then the position of each
#: of ``_RECORD_FIELDS`` in a record's field list; ``count`` when absent).
_Plan = tuple[int, bool, int, int, int, int, int, int, int, int, int, int, int]


def _read(reader: HashingReader, state: _State) -> None:  # noqa: PLR0912, PLR0915
    """Every frame of the file; a record becomes a point, read by its plan.

    This loop runs once per record of every FIT file, so it is written for
    speed: the position of each field a point needs is worked out once per
    definition message (``_plan``), and a record is then read by index, with
    no per-field look-up and no dictionary.
    """
    fit = fitdecode.FitReader(
        io.BufferedReader(_RawSource(reader), 1 << 16),
        processor=None,
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    )
    data = fitdecode.FIT_FRAME_DATA
    plans = state.plans
    add = state.add
    absent = _ABSENT
    from_timestamp = dt.datetime.fromtimestamp
    utc = dt.UTC
    stride = STEPS_PER_STRIDE
    degrees = DEGREES_PER_SEMICIRCLE
    numbers = int | float
    for frame in fit:
        if frame.frame_type != data:
            continue
        fields = frame.fields
        plan = plans.get(frame.def_mesg)
        if plan is None or plan[0] != len(fields):
            plan = _other(frame, fit, state)
            if plan is None:
                continue
        _, is_date, ti, la, lo, ea, al, di, es, sp, ca, fc, hr = plan
        values = fields + absent
        time = values[ti].value
        if is_date and type(time) is int and time >= FIT_DATETIME_MIN:
            time = from_timestamp(FIT_UTC_REFERENCE + time, utc)
        if not isinstance(time, dt.datetime):
            state.relative_times += time is not None
            state.untimed += 1
            continue
        lat = values[la].value
        if isinstance(lat, int):
            lat *= degrees
            if not -180.0 <= lat <= 180.0:
                lat = None
        else:
            lat = None
        lon = values[lo].value
        if isinstance(lon, int):
            lon *= degrees
            if not -180.0 <= lon <= 180.0:
                lon = None
        else:
            lon = None
        height = values[ea].value
        if not isinstance(height, numbers):
            height = values[al].value
            if not isinstance(height, numbers):
                height = None
        speed = values[es].value
        if not isinstance(speed, numbers):
            speed = values[sp].value
            if not isinstance(speed, numbers):
                speed = None
        cadence = values[ca].value
        if cadence is not None:
            cadence = (cadence + (values[fc].value or 0.0)) * stride
        add(
            time,
            lat,
            lon,
            None if height is None else float(height),
            values[di].value,
            None if speed is None else float(speed),
            cadence,
            values[hr].value,
        )


def _other(frame: Any, fit: Any, state: _State) -> _Plan | None:
    """A message not yet planned: a record's plan, or a message kept whole."""
    kind = _MESSAGE_KINDS.get(frame.def_mesg.global_mesg_num)
    if kind == "record":
        return _plan(frame, state)
    if kind is not None:
        _keep_first(getattr(state, kind), frame, fit)
        if kind == "file_id":
            _check_file_type(state.file_id)
    return None


def _plan(frame: Any, state: _State) -> _Plan:
    """Where each field a point needs sits among a record's fields.

    fitdecode lists a record's fields in the same order for every record of
    one definition message (the record message has no subfields, and its
    components unpack the same way each time); a record with a compressed
    timestamp carries one more field, last, so the count is part of the key.
    Where a name appears twice, the last one wins, as it always has.
    """
    fields = frame.fields
    count = len(fields)
    key = (frame.def_mesg, count)
    plan = state.other_plans.get(key)
    if plan is None:
        where: dict[str, int] = {}
        for index, item in enumerate(fields):
            if item.field is not None and item.name in _RECORD_FIELDS:
                where[item.name] = index
        time_at = where.get("timestamp")
        is_date = time_at is not None and fields[time_at].type.name == "date_time"
        positions = (where.get(name, count) for name in _RECORD_FIELDS)
        plan = cast(_Plan, (count, is_date, *positions))
        state.other_plans[key] = plan
    if frame.def_mesg not in state.plans:
        state.plans[frame.def_mesg] = plan
    return plan


def _keep_first(target: dict[str, Any], frame: Any, fit: Any) -> None:
    """Chained FIT files repeat these messages; the first one describes the walk."""
    if not target:
        for item in frame.fields:
            _PROCESSOR.on_process_type(fit, item)
            _PROCESSOR.on_process_field(fit, item)
            _PROCESSOR.on_process_unit(fit, item)
        target.update((f.name, f.value) for f in frame.fields if f.value is not None)


def _check_file_type(file_id: dict[str, Any]) -> None:
    kind = file_id.get("type")
    if kind is not None and kind != "activity":
        label = _FILE_TYPES.get(str(kind), f"a FIT file of type {kind!s}")
        raise NotAnActivity(f"this FIT file holds no activity: it is {label}")


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
