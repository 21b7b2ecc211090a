"""Value objects that flow through WalkWell.

Everything here is immutable and free of I/O. Storage converts its rows into these
once, at the boundary; the engine, the simulator and the importers speak only these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class Terrain(StrEnum):
    FLAT = "flat"
    GRASS = "grass"
    INCLINE = "incline"
    HILLS = "hills"
    UNEVEN = "uneven"


class Pace(StrEnum):
    EASY = "easy"
    MODERATE = "moderate"
    BRISK = "brisk"
    INTERVALS = "intervals"


class Footwear(StrEnum):
    SUPPORTIVE = "supportive"
    UNSUPPORTIVE = "unsupportive"
    WORN_OUT = "worn_out"
    BAREFOOT_STYLE = "barefoot_style"


class Decision(StrEnum):
    """The fixed vocabulary of what the engine can say about a day."""

    NOT_STARTED = "not_started"
    CONTINUE = "continue"
    ADVANCE = "advance"
    HOLD = "hold"
    STEP_BACK = "step_back"
    PAUSE_REASSESS = "pause_reassess"
    STOP_CONSULT = "stop_consult"
    SEEK_URGENT_CARE = "seek_urgent_care"

    @property
    def is_escalation(self) -> bool:
        """Stopped for safety: no walking on as planned until a clinician clears it."""
        return self in _ESCALATIONS


_ESCALATIONS = frozenset({Decision.STOP_CONSULT, Decision.SEEK_URGENT_CARE})


@dataclass(frozen=True, slots=True)
class Walk:
    """A walk as the person logged it (typed, timed in the app, or imported)."""

    date: dt.date
    minutes: float
    terrain: Terrain = Terrain.FLAT
    pace: Pace = Pace.EASY
    pain_before: int | None = None
    pain_during: int | None = None
    pain_after: int | None = None
    warning_signs: frozenset[str] = frozenset()
    cooldown: bool = True
    load_kg: float = 0.0
    footwear: Footwear | None = None
    # When it was recorded: orders the day's signs against a clearance that day.
    at: dt.datetime | None = None

    @classmethod
    def from_plain(cls, values: Mapping[str, Any]) -> Walk:
        """A walk from plain values (as stored or sent as JSON): each choice as its
        text, the signs as a list, no footwear as None or ""."""
        wear = values.get("footwear")
        return cls(
            **{
                **values,
                "terrain": Terrain(values.get("terrain", Terrain.FLAT)),
                "pace": Pace(values.get("pace", Pace.EASY)),
                "warning_signs": frozenset(values.get("warning_signs", ())),
                "footwear": Footwear(wear) if wear else None,
            }
        )


# A walk's fields, in order: what storage keeps and reads back for the engine
# (``at`` is the row's own recording time, read apart).
WALK_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Walk) if f.name != "at")


@dataclass(frozen=True, slots=True)
class CheckIn:
    """The 12-24 hour check: how the body feels the morning after."""

    date: dt.date
    pain: int
    morning_stiffness_min: int
    sleep: int
    focus: int
    warning_signs: frozenset[str] = frozenset()
    red_flags: frozenset[str] = frozenset()
    # Back pain that stopped usual activities for 24 hours or more since the last
    # check-in (WalkBack's outcome); None when the question was not answered.
    recurrence: bool | None = None
    at: dt.datetime | None = None  # when it was recorded, if known


@dataclass(frozen=True, slots=True)
class SymptomReport:
    """Signs reported on their own, at any time of the day (after the check-in too)."""

    date: dt.date
    warning_signs: frozenset[str] = frozenset()
    red_flags: frozenset[str] = frozenset()
    at: dt.datetime | None = None  # when it was recorded, if known


@dataclass(frozen=True, slots=True)
class Clearance:
    """A clinician (or an emergency service) has seen the person and cleared them.

    On the day of a sign it lifts the stop only when it was recorded after the sign
    (both ``at`` known); without a time it is taken as recorded before the day's signs.
    """

    date: dt.date
    by: str = "clinician"
    at: dt.datetime | None = None
    # Recorded by the person themself (the default), not from a clinician's account.
    self_reported: bool = True


class DirectiveKind(StrEnum):
    """What a clinician may tell the engine to do from a day on."""

    HOLD = "hold"  # keep the dose: no step up until the hold ends
    STEP_BACK = "step_back"  # one step down, as the step-back rule takes it
    ADVANCE = "advance"  # the next phase now, within the protocol's bounds
    THRESHOLD = "threshold"  # one of the protocol's adjustable thresholds, set


@dataclass(frozen=True, slots=True)
class Directive:
    """A clinician's directive: dated, with who gave it and why.

    The engine applies it from ``date`` on, after the day's safety events: a stop
    open that day refuses a move (never a threshold). ``until`` is a hold's last
    day (None: the protocol's ``[clinician] hold_days``); ``threshold`` and
    ``value`` name an adjustable threshold (``tolerance.flare_rise``) and its value.
    """

    date: dt.date
    kind: DirectiveKind
    by: str
    reason: str
    until: dt.date | None = None
    threshold: str = ""
    value: float | None = None
    at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Screening:
    """Red-flag screening answers: asked before any plan is given, and again (a
    re-screen) before an urgent stop may be lifted."""

    date: dt.date
    red_flags: frozenset[str] = frozenset()
    at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Morning:
    """A usual morning: the person's own baseline of the check-in's answers, given
    at onboarding or averaged from their first check-ins."""

    pain: float
    morning_stiffness_min: float
    sleep: float
    focus: float


@dataclass(frozen=True, slots=True)
class Profile:
    baseline_minutes: float
    # Shoes named at onboarding: they apply to every walk that names none.
    footwear: Footwear | None = None
    baseline_morning: Morning | None = None
    # Exercise-readiness answers (the protocol's readiness question ids answered
    # yes), and the day a doctor's go-ahead to exercise was recorded, if any.
    readiness: frozenset[str] = frozenset()
    go_ahead: dt.date | None = None


@dataclass(frozen=True, slots=True)
class History:
    """Everything the engine needs about one person, in date order."""

    protocol_id: str
    start: dt.date
    profile: Profile
    screening: Screening
    walks: tuple[Walk, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    clearances: tuple[Clearance, ...] = ()
    symptoms: tuple[SymptomReport, ...] = ()
    # Screenings after the first one (``screening``): red flags in one escalate like
    # any report; one with none is the fresh screening an urgent stop waits for.
    rescreens: tuple[Screening, ...] = ()
    # Walks dated before ``start``: the person's history before the plan. They are
    # shown and suggest a starting baseline, but the engine never judges them nor
    # counts them in any figure (``walks`` holds only walks from the start on).
    earlier: tuple[Walk, ...] = ()
    # A clinician's directives (hold, step back, advance, a threshold), by date.
    directives: tuple[Directive, ...] = ()


@dataclass(frozen=True, slots=True)
class Prescription:
    """What to walk on one day. ``sessions`` is 0 when no walk is prescribed."""

    sessions: int
    minutes_per_session: int
    terrain: tuple[Terrain, ...] = ()
    pace: Pace = Pace.EASY
    breathing: str = ""
    cues: tuple[str, ...] = ()
    spoken_cues: tuple[str, ...] = ()
    intervals: tuple[tuple[str, int], ...] = ()
    cooldown: str = ""
    cooldown_minutes: int = 0
    habit: str = ""
    max_load_kg: float = 0.0

    @property
    def total_minutes(self) -> int:
        return self.sessions * self.minutes_per_session


REST = Prescription(sessions=0, minutes_per_session=0)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the engine decided what it did: the rule, its source, plain words."""

    rule: str
    source: str
    text: str


@dataclass(frozen=True, slots=True)
class DayPlan:
    date: dt.date
    phase: int | None
    decision: Decision
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...]
    prescription: Prescription
    measures_due: tuple[str, ...] = ()
    # What to do now when the day is escalated ("Go to an emergency department..."):
    # the tier's action, also the first of ``reasons``.
    action: Reason | None = None
    lesson: str = ""  # the slug of the lesson that fits the day (protocol data)
    # While a flare plan runs: its words and why ("lighter for a few days, then back up").
    flare_plan: str = ""
    # The day held the weekly review (the look back is shown on such days).
    reviewed: bool = False


# --- tracks from devices (importers produce these; metrics reads them) ----------


@dataclass(frozen=True, slots=True)
class TrackPoint:
    time: dt.datetime  # timezone-aware
    lat: float | None = None
    lon: float | None = None
    elevation_m: float | None = None
    distance_m: float | None = None  # cumulative, when the device records it
    speed_mps: float | None = None
    cadence_spm: float | None = None
    heart_rate: int | None = None


@dataclass(frozen=True, slots=True)
class TrackExtra:
    """What a device or app says about an activity beyond its points, typed."""

    steps: int | None = None  # steps the device counted (TCX laps)
    notes: str | None = None  # the person's own notes (TCX)
    device: str | None = None  # the recording device or its maker
    sub_sport: str | None = None  # FIT's sub-sport, when not "generic"
    strava_activity_id: str | None = None
    app: str | None = None  # the app that wrote it (Health Connect)
    source_name: str | None = None  # Apple Health's source (watch, phone, app)
    route: str | None = None  # why a route was not read, when it was not


@dataclass(frozen=True, slots=True)
class WalkMetrics:
    """What a recorded track says about a walk (``core.metrics`` measures it)."""

    start: dt.datetime
    duration_s: float
    moving_s: float
    distance_m: float
    avg_speed_mps: float | None
    avg_pace_s_per_km: float | None
    best_pace_s_per_km: float | None
    median_speed_mps: float | None
    elevation_gain_m: float | None
    incline_share: float | None
    hill_share: float | None
    terrain: Terrain | None
    cadence_spm: float | None
    fast_share: float
    interval_cycles: int
    follows_intervals: bool
    is_walk: bool
    not_walk_reason: str | None


@dataclass(frozen=True, slots=True)
class Track:
    """One recorded activity, as any importer hands it over.

    Importers measure a track while they read it (``metrics``, from every point)
    and keep only a bounded, evenly thinned copy of its route in ``points``
    (``core.metrics.ROUTE_POINTS`` at most, first and last point included), so a
    track's memory does not grow with its length. A track built from points
    alone (``metrics`` None) is measured from ``points`` when asked.
    """

    source_format: str  # "gpx", "fit", "tcx", "apple_health", "strava", ...
    sport: str | None  # the device's own label, lower-case, when it gives one
    points: tuple[TrackPoint, ...] = ()
    start: dt.datetime | None = None
    duration_s: float | None = None  # when the device summarises it
    distance_m: float | None = None
    device_activity_id: str | None = None  # stable id from the device, if any
    name: str | None = None
    extra: TrackExtra = TrackExtra()
    metrics: WalkMetrics | None = None  # measured from every point as they were read
    point_count: int = 0  # timed points the importer read (``points`` may be fewer)
