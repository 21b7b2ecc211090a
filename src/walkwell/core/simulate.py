"""The simulator: replay a person's story through the engine, with no database.

This is the engine's public contract. The scenario is validated strictly: unknown
fields and bad values are refused with a message naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from walkwell.core import readiness, safety
from walkwell.core.baseline import before_start, suggest_baseline
from walkwell.core.directives import directive_problem
from walkwell.core.engine import timeline
from walkwell.core.limits import (
    MAX_CLEARED_BY,
    MAX_REASON,
    MAX_STIFFNESS_MINUTES,
    MAX_WALK_MINUTES,
    MIN_BASELINE_MINUTES,
    RATING_MAX,
    WALK,
)
from walkwell.core.model import (
    CheckIn,
    Clearance,
    Directive,
    DirectiveKind,
    Footwear,
    History,
    Morning,
    Pace,
    Profile,
    Screening,
    Terrain,
    Walk,
)
from walkwell.core.plan_json import day_json
from walkwell.core.protocol import (
    DEFAULT_PROTOCOL,
    Protocol,
    ProtocolError,
    load_protocol,
)

Pain = Annotated[int, Field(ge=0, le=RATING_MAX, strict=True)]
Score = Annotated[int, Field(ge=0, le=RATING_MAX, strict=True)]


class ScenarioError(ValueError):
    """A scenario that cannot be replayed; the message names the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Morning(_Strict):
    pain: Pain
    morning_stiffness_min: int = Field(ge=0, le=MAX_STIFFNESS_MINUTES, strict=True)
    sleep: Score
    focus: Score


class _Profile(_Strict):
    baseline_minutes: float = Field(ge=MIN_BASELINE_MINUTES, le=MAX_WALK_MINUTES)
    footwear: Footwear | None = None
    # The usual morning (pain, stiffness, sleep, focus) given at onboarding; without
    # it the baseline is the mean of the first check-ins.
    baseline_morning: _Morning | None = None
    # Exercise-readiness answers: the ids of the protocol's readiness questions
    # answered yes; and the day a doctor's go-ahead to exercise was recorded.
    readiness: list[str] = []
    go_ahead: dt.date | None = None


class _Screening(_Strict):
    red_flags: list[str] = []


class _Walk(_Strict):
    """A walk as JSON: the fields of ``model.Walk``, bounded by ``limits.WALK``."""

    date: dt.date
    type: Literal["walk"]
    # The time of day it was recorded ("HH:MM"): orders the day's signs against a
    # clearance or screening that day. Without it, a sign counts as after them.
    at: dt.time | None = None
    minutes: float = Field(ge=WALK["minutes"].low, le=WALK["minutes"].high)
    terrain: Terrain = Terrain.FLAT
    pace: Pace = Pace.EASY
    pain_before: Pain | None = None
    pain_during: Pain | None = None
    pain_after: Pain | None = None
    warning_signs: list[str] = []
    cooldown: bool = True
    load_kg: float = Field(default=0.0, ge=WALK["load_kg"].low, le=WALK["load_kg"].high)
    footwear: Footwear | None = None


class _CheckIn(_Strict):
    date: dt.date
    type: Literal["checkin"]
    at: dt.time | None = None
    pain: Pain
    morning_stiffness_min: int = Field(ge=0, le=MAX_STIFFNESS_MINUTES, strict=True)
    sleep: Score
    focus: Score
    warning_signs: list[str] = []
    red_flags: list[str] = []
    # Back pain that stopped usual activities for 24 hours or more (WalkBack's outcome).
    recurrence: bool | None = None


class _Clearance(_Strict):
    date: dt.date
    type: Literal["clearance"]
    by: str = Field(default="clinician", min_length=1, max_length=MAX_CLEARED_BY)
    # Without a time, a clearance counts as recorded before the day's signs.
    at: dt.time | None = None


class _ScreeningEvent(_Strict):
    """The red-flag questions asked again: none reported is the fresh screening an
    urgent stop waits for (with a clearance); any reported escalates."""

    date: dt.date
    type: Literal["screening"]
    red_flags: list[str] = []
    at: dt.time | None = None


class _ClinicianEvent(_Strict):
    """A clinician's directive: hold (until a day, or the protocol's hold_days),
    step back, advance a phase early, or set an adjustable threshold."""

    date: dt.date
    type: Literal["clinician"]
    action: DirectiveKind
    by: str = Field(default="clinician", min_length=1, max_length=MAX_CLEARED_BY)
    reason: str = Field(min_length=1, max_length=MAX_REASON)
    at: dt.time | None = None
    until: dt.date | None = None
    threshold: str = ""
    value: float | None = None


Event = Annotated[
    _Walk | _CheckIn | _Clearance | _ScreeningEvent | _ClinicianEvent,
    Field(discriminator="type"),
]


class Scenario(_Strict):
    protocol: str = DEFAULT_PROTOCOL
    start: dt.date
    profile: _Profile
    screening: _Screening = _Screening()
    events: list[Event] = []


def validation_message(exc: ValidationError) -> str:
    """One line naming the first bad field and what is allowed."""
    err = exc.errors()[0]
    path = "".join(
        f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]
    ).lstrip(".")
    for kind in (".walk", ".checkin", ".clearance", ".screening", ".clinician"):
        path = path.replace(f"]{kind}", "]")
    got = (
        f" (got {err['input']!r})"
        if err["type"] != "missing" and not isinstance(err["input"], dict)
        else ""
    )
    more = (
        f"; and {len(exc.errors()) - 1} more problem(s)"
        if len(exc.errors()) > 1
        else ""
    )
    return f"{path or 'scenario'}: {err['msg']}{got}{more}"


def parse_scenario(data: Any, *, allow_files: bool = False) -> tuple[Protocol, History]:
    """Validate a scenario and turn it into the engine's ``History``.

    ``protocol`` names a shipped protocol; a path to a protocol file is accepted only
    with ``allow_files`` (the local CLI), never from a request over the network.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_message(exc)) from exc
    try:
        if scenario.protocol.endswith(".toml") and not allow_files:
            raise ProtocolError(
                scenario.protocol, [("(name)", "name a shipped protocol, not a file")]
            )
        protocol = load_protocol(scenario.protocol)
    except ProtocolError as exc:
        raise ScenarioError(f"protocol: {exc}") from exc
    _check_ids(protocol, scenario)
    _check_dates(scenario)
    _check_directives(protocol, scenario)
    return protocol, _history(protocol, scenario)


def _check_ids(protocol: Protocol, scenario: Scenario) -> None:
    places: list[tuple[str, list[str], list[str]]] = [
        ("screening.red_flags", scenario.screening.red_flags, [])
    ]
    for i, e in enumerate(scenario.events):
        if isinstance(e, _Walk):
            places.append((f"events[{i}].warning_signs", [], e.warning_signs))
        elif isinstance(e, _CheckIn):
            places.append((f"events[{i}].red_flags", e.red_flags, []))
            places.append((f"events[{i}].warning_signs", [], e.warning_signs))
        elif isinstance(e, _ScreeningEvent):
            places.append((f"events[{i}].red_flags", e.red_flags, []))
    bad_answers = readiness.unknown_ids(protocol, scenario.profile.readiness)
    if bad_answers:
        raise ScenarioError(
            f"profile.readiness: unknown identifier {bad_answers[0]!r}; allowed: "
            f"{', '.join(protocol.readiness.ids)}"
        )
    for where, flags, signs in places:
        bad = safety.unknown_ids(protocol, red_flags=flags, warning_signs=signs)
        if bad:
            allowed = protocol.red_flag_ids if flags else protocol.warning_sign_ids
            raise ScenarioError(
                f"{where}: unknown identifier {bad[0]!r}; allowed: {', '.join(allowed)}"
            )


def _check_directives(protocol: Protocol, scenario: Scenario) -> None:
    """The same bounds the services keep: a hold's end after its day and within
    ``max_hold_days``, a threshold the protocol declares, within its bounds."""
    for i, e in enumerate(scenario.events):
        if not isinstance(e, _ClinicianEvent):
            continue
        problem = directive_problem(protocol, _directive(e))
        if problem is not None:
            field, message = problem
            raise ScenarioError(f"events[{i}].{field}: {message}")


def _check_dates(scenario: Scenario) -> None:
    """Walks may come before the start (history, never judged); nothing else may."""
    for i, e in enumerate(scenario.events):
        if e.date >= scenario.start:
            continue
        if not isinstance(e, _Walk):
            raise ScenarioError(
                f"events[{i}].date: {e.date} is before the scenario's start "
                f"{scenario.start} (only walks may be: they are kept as history)"
            )
        if e.warning_signs:
            raise ScenarioError(
                f"events[{i}].warning_signs: a walk before the start is history and "
                "is not judged; report a sign on a day of the plan instead"
            )
    dates = [e.date for e in scenario.events]
    first = min([*dates, scenario.start])
    last = max([*dates, scenario.start])
    if (last - first).days > 3660:
        raise ScenarioError("events: a scenario may span at most ten years")


def _at(day: dt.date, time: dt.time | None) -> dt.datetime | None:
    return None if time is None else dt.datetime.combine(day, time)


def _history(protocol: Protocol, s: Scenario) -> History:
    every_walk = [
        Walk.from_plain(
            {**e.model_dump(exclude={"type", "at"}), "at": _at(e.date, e.at)}
        )
        for e in s.events
        if isinstance(e, _Walk)
    ]
    walks = [w for w in every_walk if w.date >= s.start]
    checkins = [
        CheckIn(
            date=e.date,
            pain=e.pain,
            morning_stiffness_min=e.morning_stiffness_min,
            sleep=e.sleep,
            focus=e.focus,
            warning_signs=frozenset(e.warning_signs),
            red_flags=frozenset(e.red_flags),
            recurrence=e.recurrence,
            at=_at(e.date, e.at),
        )
        for e in s.events
        if isinstance(e, _CheckIn)
    ]
    clearances = [
        Clearance(date=e.date, by=e.by, at=_at(e.date, e.at))
        for e in s.events
        if isinstance(e, _Clearance)
    ]
    directives = [_directive(e) for e in s.events if isinstance(e, _ClinicianEvent)]
    rescreens = [
        Screening(date=e.date, red_flags=frozenset(e.red_flags), at=_at(e.date, e.at))
        for e in s.events
        if isinstance(e, _ScreeningEvent)
    ]
    return History(
        protocol_id=protocol.id,
        start=s.start,
        profile=Profile(
            baseline_minutes=s.profile.baseline_minutes,
            footwear=s.profile.footwear,
            baseline_morning=_morning(s.profile.baseline_morning),
            readiness=frozenset(s.profile.readiness),
            go_ahead=s.profile.go_ahead,
        ),
        screening=Screening(date=s.start, red_flags=frozenset(s.screening.red_flags)),
        walks=tuple(sorted(walks, key=lambda w: w.date)),
        checkins=tuple(sorted(checkins, key=lambda c: c.date)),
        clearances=tuple(clearances),
        rescreens=tuple(sorted(rescreens, key=lambda r: r.date)),
        earlier=before_start(every_walk, s.start),
        directives=tuple(sorted(directives, key=lambda d: d.date)),
    )


def _directive(e: _ClinicianEvent) -> Directive:
    return Directive(
        date=e.date,
        kind=e.action,
        by=e.by,
        reason=e.reason,
        until=e.until,
        threshold=e.threshold,
        value=e.value,
        at=_at(e.date, e.at),
    )


def _morning(given: _Morning | None) -> Morning | None:
    if given is None:
        return None
    return Morning(
        pain=given.pain,
        morning_stiffness_min=given.morning_stiffness_min,
        sleep=given.sleep,
        focus=given.focus,
    )


def run_scenario(data: Any, *, allow_files: bool = False) -> dict[str, Any]:
    """Replay a scenario: one entry per calendar day from start to the last event."""
    protocol, history = parse_scenario(data, allow_files=allow_files)
    dates = [w.date for w in history.walks] + [c.date for c in history.checkins]
    dates += [c.date for c in history.clearances] + [r.date for r in history.rescreens]
    dates += [d.date for d in history.directives]
    end = max([*dates, history.start])
    return {
        "protocol": protocol.id,
        "start": history.start.isoformat(),
        "before_start": history_json(protocol, history),
        "days": [day_json(protocol, plan) for plan in timeline(protocol, history, end)],
    }


def history_json(protocol: Protocol, history: History) -> dict[str, Any]:
    """The walks before the start, as history (never judged), and the starting
    baseline they suggest (None with too few of them)."""
    found = suggest_baseline(protocol, history.earlier, history.start)
    suggestion = None
    if found is not None:
        suggestion = {
            "minutes": found.minutes,
            "daily_minutes": found.daily_minutes,
            "text": found.text,
            "rule": found.rule,
            "source": found.source,
        }
    return {
        "walks": [
            {
                "date": w.date.isoformat(),
                "minutes": w.minutes,
                "terrain": w.terrain.value,
                "pace": w.pace.value,
            }
            for w in history.earlier
        ],
        "minutes": sum(w.minutes for w in history.earlier),
        "suggested_baseline": suggestion,
    }
