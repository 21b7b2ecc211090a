"""The program as data: the schema of a protocol file, loaded and checked.

A protocol file (TOML, shipped in ``walkwell/protocols``) holds every phase, dose,
threshold and escalation tier, each with a ``source``. Loading refuses a broken or
inconsistent file with the file, the field path and what is wrong.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from walkwell import protocols
from walkwell.core.model import Decision, Footwear, Pace, Terrain

# The protocol a person follows unless they choose another.
DEFAULT_PROTOCOL = protocols.DEFAULT

TierName = Literal["emergency", "urgent", "medical_review", "warning_sign"]


class ProtocolError(ValueError):
    """A protocol file that cannot be used, with where and why."""

    def __init__(self, file: str, problems: list[tuple[str, str]]) -> None:
        self.file = file
        self.problems = problems
        lines = [f"{file}: {path}: {message}" for path, message in problems]
        super().__init__("\n".join(lines))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Sourced(_Strict):
    source: str
    why: str = ""


class Start(Sourced):
    min_minutes: int = Field(ge=1)


class Tolerance(Sourced):
    max_pain_during: int = Field(ge=0, le=10)
    max_rise_during: int = Field(ge=0, le=10)
    settle_margin: int = Field(ge=0, le=10)
    flare_rise: int = Field(ge=1, le=10)
    severe_flare_rise: int = Field(ge=1, le=10)
    severe_pain: int = Field(ge=1, le=10)
    weekly_pain_rise: float = Field(gt=0)
    weekly_stiffness_rise_min: int = Field(ge=1)
    overdo_ratio: float = Field(gt=1.0)
    # Pain after a walk is judged like pain during it (Silbernagel's limit on pain
    # after activity; the rise over the pain before the walk is the seed's whisper).
    max_pain_after: int = Field(ge=0, le=10)
    max_rise_after: int = Field(ge=0, le=10)
    # Walks past these limits on this many days of a review period, for this many
    # review periods in a row: holding is no answer, a clinician should look.
    persistent_pain_days: int = Field(ge=1)
    persistent_pain_reviews: int = Field(ge=1)
    # The whisper (a limit on the rise during a walk) has its own source.
    whisper_source: str

    @model_validator(mode="after")
    def _severe_is_worse(self) -> Self:
        if self.severe_flare_rise < self.flare_rise:
            raise ValueError("severe_flare_rise must be at least flare_rise")
        return self


class Progression(Sourced):
    review_days: int = Field(ge=1)
    min_adherence: float = Field(ge=0, le=1)
    min_checkins: int = Field(ge=0)
    max_weekly_growth: float = Field(gt=0, le=1)
    step_minutes: int = Field(ge=1)
    step_back_fraction: float = Field(gt=0, lt=1)


class Gap(Sourced):
    restart_days: int = Field(ge=1)
    phase_back_days: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.phase_back_days < self.restart_days:
            raise ValueError("phase_back_days must be at least restart_days")
        return self


class Safety(Sourced):
    """Where the rule that a clinician's clearance ends an escalation comes from."""


class Gentle(Sourced):
    """The walks while a warning sign is open: short, flat, easy, no load."""

    max_minutes: int = Field(ge=1)
    terrain: tuple[Terrain, ...] = Field(min_length=1)
    pace: Pace
    max_load_kg: float = Field(ge=0)


class FootwearRule(Sourced):
    """Shoes that count as the ``poor_footwear`` mistake."""

    poor: tuple[Footwear, ...]


class Lessons(Sourced):
    """Which lesson (by its slug) fits the day: a mistake's lesson first, unless the
    plan is stopped for safety, else the decision's."""

    by_decision: dict[Decision, str]
    by_mistake: dict[str, str] = {}

    @model_validator(mode="after")
    def _complete(self) -> Self:
        missing = [d.value for d in Decision if d not in self.by_decision]
        if missing:
            raise ValueError(f"by_decision lacks the decisions {missing}")
        unknown = sorted(set(self.by_mistake) - set(MISTAKE_IDS))
        if unknown:
            raise ValueError(f"by_mistake names unknown mistakes {unknown}")
        return self


class Reassess(Sourced):
    """Stabilize's exit: one measure better by its gain, and none worse by its loss."""

    sleep_gain: int = Field(ge=0)
    focus_gain: int = Field(ge=0)
    stiffness_drop_min: int = Field(ge=0)
    sleep_loss: float = Field(gt=0)
    focus_loss: float = Field(gt=0)
    stiffness_rise_min: float = Field(gt=0)
    pain_rise: float = Field(gt=0)


class BaselineRule(Sourced):
    """The person's own baseline: the mean of their first check-ins (or what they
    gave at onboarding), and how far from it the recent average may drift."""

    checkins: int = Field(ge=1)
    pain_rise: float = Field(gt=0)
    stiffness_rise_min: float = Field(gt=0)
    sleep_drop: float = Field(gt=0)
    focus_drop: float = Field(gt=0)
    # Review periods in a row past the baseline before the plan pauses to reassess.
    reviews_to_reassess: int = Field(ge=1)


class Stage(Sourced):
    """From ``week`` of its phase on, what the day's walks may add: new stressors
    (brisk intervals, hills, a daypack) come one at a time, in the protocol's order."""

    week: int = Field(ge=1)
    adds: str  # what this week brings, in words ("brisk intervals")
    pace: Pace
    # The paces a walk may have in this stage (empty: the phase's): a faster one is
    # the mistake ``pace_too_early``, as hills before their stage are terrain's.
    paces: tuple[Pace, ...] = ()
    terrain: tuple[Terrain, ...] = Field(min_length=1)
    max_load_kg: float = Field(ge=0)
    intervals: tuple[tuple[Literal["brisk", "slow"], int], ...] = ()


Adjustment = Literal["no_load", "no_uneven", "intervals_after_go_ahead"]


class ReadinessQuestion(Sourced):
    """An exercise-readiness question (modelled on ACSM's pre-participation
    screening): a yes either asks for a doctor's go-ahead before the plan starts,
    or brings adjustments to every prescription."""

    id: str
    question: str
    needs_go_ahead: bool = False
    adjust: tuple[Adjustment, ...] = ()
    label: str = ""  # a short name for lists ("Pregnancy")


class Readiness(Sourced):
    """The readiness questions, and what replaces intervals until a go-ahead."""

    instead_of_intervals: Pace = Pace.MODERATE
    questions: tuple[ReadinessQuestion, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)


class HistoryRule(Sourced):
    """Walks before the start: kept and shown, never judged; the most recent of
    them suggest a starting baseline when the person gave none."""

    lookback_days: int = Field(ge=1)
    min_walks: int = Field(ge=1)


class StepBack(Sourced):
    """After a step back, the minutes a day stay at most what they were before it."""

    ceiling_days: int = Field(ge=1)


class Returns(Sourced):
    """A return after a cleared stop starts from what the person really walked."""

    lookback_days: int = Field(ge=1)


class FlarePlan(Sourced):
    """A short lighter block after a strong or repeated flare, then back up."""

    settle_days: int = Field(ge=1)
    climb_days: int = Field(ge=1)
    words: str


class Recurrence(Sourced):
    """The WalkBack trial's outcome, asked in the check-in: a flare plan too."""

    question: str


class AdjustableThreshold(Sourced):
    """A threshold a clinician may set for one person, within these bounds.

    ``field`` is its path in the protocol (``tolerance.flare_rise``); the bounds
    hold the protocol's own value, and loading checks that both ends are values
    the field itself accepts."""

    field: str
    label: str
    low: float
    high: float

    @property
    def name(self) -> str:
        return self.field.removeprefix("tolerance.")


class ClinicianRules(Sourced):
    """What a clinician's directives may do (``core.engine`` applies them)."""

    # A hold with no end date lasts this many days from its own: one review period,
    # so the review inside it keeps the dose and the clinician looks again after.
    hold_days: int = Field(ge=1)
    # The longest a hold may be set for; the plan never holds for ever unseen.
    max_hold_days: int = Field(ge=1)
    thresholds: tuple[AdjustableThreshold, ...] = ()

    def threshold(self, field: str) -> AdjustableThreshold | None:
        return next((t for t in self.thresholds if t.field == field), None)


class Cooldown(Sourced):
    minutes: int = Field(ge=0)
    name: str
    text: str


class Allowed(NamedTuple):
    """A walk's terrain, paces and load that a phase (or one of its stages) allows."""

    terrain: tuple[Terrain, ...]
    paces: tuple[Pace, ...]
    max_load_kg: float


class Phase(Sourced):
    number: int = Field(ge=1)
    key: str
    name: str
    min_days: int = Field(ge=0)
    sessions_per_day: int = Field(ge=1, le=6)
    days_per_week: int = Field(ge=1, le=7)
    minutes_min: int = Field(ge=1)
    minutes_max: int = Field(ge=1)
    terrain: tuple[Terrain, ...] = Field(min_length=1)
    paces: tuple[Pace, ...] = Field(min_length=1)
    pace: Pace
    breathing: str
    cues: tuple[str, ...]
    # What the guided walk says aloud, in turn, during this phase's walks.
    spoken_cues: tuple[str, ...] = Field(min_length=1)
    goal: str = ""
    max_load_kg: float = Field(ge=0)
    load_note: str = ""
    intervals: tuple[tuple[Literal["brisk", "slow"], int], ...] = ()
    reassess_on_exit: bool = False
    # New stressors one at a time: the phase's own pace, terrain, load and intervals
    # are its last stage; earlier stages allow less.
    stages: tuple[Stage, ...] = ()
    # Leave the phase only after this many settled reviews at its top dose.
    settled_reviews_at_top: int = Field(default=0, ge=0)
    # Not before this day of the program (counted from its start).
    earliest_day: int = Field(default=0, ge=0)
    # Enter at the dose the person has (within the range), not at its bottom.
    entry_keeps_dose: bool = False
    # The day's pace in turn through the week (variety); empty: always ``pace``.
    pace_cycle: tuple[Pace, ...] = ()

    def allowed(self, stage: int) -> Allowed:
        """What a walk may have in ``stage`` of this phase (-1: the phase itself):
        the terrain, paces and load, so a stressor before its stage is a mistake."""
        if stage < 0 or not self.stages:
            return Allowed(self.terrain, self.paces, self.max_load_kg)
        s = self.stages[stage]
        return Allowed(s.terrain, s.paces or self.paces, s.max_load_kg)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.minutes_max < self.minutes_min:
            raise ValueError(
                f"minutes_max ({self.minutes_max}) is below minutes_min ({self.minutes_min})"
            )
        if self.pace not in self.paces:
            raise ValueError(f"pace {self.pace.value!r} is not one of paces")
        bad = [p.value for p in self.pace_cycle if p not in self.paces]
        if bad:
            raise ValueError(f"pace_cycle names paces not in paces: {bad}")
        _check_stages(self)
        return self


def _check_stages(phase: Phase) -> None:
    weeks = [s.week for s in phase.stages]
    if phase.stages and (weeks[0] != 1 or weeks != sorted(set(weeks))):
        raise ValueError(f"stages must start at week 1 and rise; found {weeks}")
    for i, stage in enumerate(phase.stages):
        wider = set(stage.terrain) - set(phase.terrain)
        faster = set(stage.paces) - set(phase.paces)
        if stage.paces and stage.pace not in stage.paces:
            raise ValueError(f"stages[{i}].pace is not one of its paces")
        if stage.pace not in phase.paces or wider or faster:
            raise ValueError(
                f"stages[{i}] allows more than the phase's paces or terrain"
            )
        if stage.max_load_kg > phase.max_load_kg:
            raise ValueError(f"stages[{i}].max_load_kg is above the phase's")


class Habit(Sourced):
    id: str
    name: str
    minutes: int = Field(ge=1)
    text: str


class Mistake(Sourced):
    id: str
    text: str
    # The walk was harder than the body was ready for: it blocks the next step up.
    blocks_progress: bool


class Tier(Sourced):
    decision: Literal[Decision.STOP_CONSULT, Decision.SEEK_URGENT_CARE]
    prescribe_walks: bool
    action: str
    # Lifted only by a clearance AND a fresh screening that reports no red flags.
    rescreen: bool = False


class Sign(Sourced):
    """A red flag or warning sign: an identifier, its tier, and the question asked."""

    id: str
    tier: TierName
    question: str
    # A short answer to "why did you stop?" (warning signs only).
    label: str = ""


class Measure(Sourced):
    id: Literal["pain_nrs", "psfs", "start_back"]
    # The minimal important change: points on the measure's scale (pain NRS, PSFS's
    # mean), or 0 when a change of group counts (STarT Back's risk group).
    mic: float = Field(ge=0)
    mic_source: str


class Attention(Sourced):
    """When a clinician's list puts a person forward (``core.attention``)."""

    # No walk, check-in or symptom report for this many days.
    no_data_days: int = Field(ge=1, le=365)
    # Adherence: the minutes walked in the last ``adherence_days`` against the
    # ``adherence_days`` before them; "falling" below ``adherence_ratio`` of them,
    # once the earlier window held at least ``adherence_min_minutes``.
    adherence_days: int = Field(ge=1, le=90)
    adherence_ratio: float = Field(gt=0, lt=1)
    adherence_min_minutes: float = Field(ge=0)
    # Overdoing: the engine warned "too much, too early" on at least ``overdo_days``
    # of the last ``overdo_window_days``. Defaults, so that an [attention] table
    # written before these keys existed still loads.
    overdo_days: int = Field(default=3, ge=1, le=90)
    overdo_window_days: int = Field(default=7, ge=1, le=90)

    @model_validator(mode="after")
    def _overdo_fits_its_window(self) -> Self:
        if self.overdo_days > self.overdo_window_days:
            raise ValueError("overdo_days must be at most overdo_window_days")
        return self


class MeasureSchedule(Sourced):
    """When the outcome measures are asked: weeks after the start, then a repeat."""

    weeks: tuple[int, ...] = Field(min_length=1)
    repeat_weeks: int = Field(ge=1)
    # An answer up to ``early_days`` before an occasion counts for it; the occasion
    # stays open ``open_days`` after it while unanswered.
    early_days: int = Field(ge=0)
    open_days: int = Field(ge=1)


class StartBackAdvice(Sourced):
    """What a high-risk STarT Back answer brings: advice, and the lessons to read."""

    high: str
    lessons: tuple[str, ...]


class Source(_Strict):
    title: str
    url: str = ""


MISTAKE_IDS = (
    "too_much_too_early",
    "terrain_too_early",
    "pace_too_early",
    "load_too_early",
    "cooldown_skipped",
    "poor_footwear",
)


class Protocol(Sourced):
    id: str
    name: str
    version: str
    summary: str
    start: Start
    tolerance: Tolerance
    progression: Progression
    gap: Gap
    reassess: Reassess
    baseline: BaselineRule
    history: HistoryRule
    cooldown: Cooldown
    safety: Safety
    gentle: Gentle
    step_back: StepBack
    returns: Returns
    flare_plan: FlarePlan
    recurrence: Recurrence
    footwear: FootwearRule
    lessons: Lessons
    phases: tuple[Phase, ...] = Field(min_length=1)
    habits: tuple[Habit, ...] = ()
    mistakes: tuple[Mistake, ...]
    tiers: dict[TierName, Tier]
    red_flags: tuple[Sign, ...]
    warning_signs: tuple[Sign, ...]
    measures: tuple[Measure, ...] = ()
    measure_schedule: MeasureSchedule
    start_back_advice: StartBackAdvice
    sources: dict[str, Source]
    readiness: Readiness = Field(default_factory=lambda: Readiness(source="seed"))
    # Optional: a protocol without it uses ``core.attention.DEFAULT_ATTENTION``.
    attention: Attention | None = None
    # Optional: without it a hold lasts a review period and no threshold is
    # adjustable.
    clinician: ClinicianRules | None = None

    @property
    def clinician_rules(self) -> ClinicianRules:
        if self.clinician is not None:
            return self.clinician
        days = self.progression.review_days
        return ClinicianRules(
            source=self.progression.source, hold_days=days, max_hold_days=12 * days
        )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_phase_numbers(self.phases)
        _check_sources(self)
        _check_tiers(self)
        _check_thresholds(self)
        missing = set(MISTAKE_IDS) - {m.id for m in self.mistakes}
        if missing:
            raise ValueError(f"mistakes lacks the entries {sorted(missing)}")
        unlabelled = [w.id for w in self.warning_signs if not w.label]
        if unlabelled:
            raise ValueError(f"warning signs lack a label: {unlabelled}")
        return self

    # A protocol is read-only once loaded, so it may key a cache: by its identity
    # (equal protocols loaded twice simply get an entry each).
    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def phase(self, number: int) -> Phase:
        return self.phases[number - 1]

    def mistake(self, mistake_id: str) -> Mistake:
        return next(m for m in self.mistakes if m.id == mistake_id)

    @property
    def signs(self) -> dict[str, Sign]:
        return {s.id: s for s in (*self.red_flags, *self.warning_signs)}

    @property
    def red_flag_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.red_flags)

    @property
    def warning_sign_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.warning_signs)


def _check_phase_numbers(phases: tuple[Phase, ...]) -> None:
    numbers = [p.number for p in phases]
    if numbers != list(range(1, len(phases) + 1)):
        raise ValueError(
            f"phases must be numbered 1, 2, 3... in order; found {numbers}"
        )


def _sourced_parts(protocol: Protocol) -> list[tuple[str, Sourced]]:
    parts: list[tuple[str, Sourced]] = [
        ("(top)", protocol),
        ("start", protocol.start),
        ("tolerance", protocol.tolerance),
        ("progression", protocol.progression),
        ("gap", protocol.gap),
        ("reassess", protocol.reassess),
        ("baseline", protocol.baseline),
        ("history", protocol.history),
        ("cooldown", protocol.cooldown),
        ("safety", protocol.safety),
        ("gentle", protocol.gentle),
        ("step_back", protocol.step_back),
        ("returns", protocol.returns),
        ("flare_plan", protocol.flare_plan),
        ("recurrence", protocol.recurrence),
        ("footwear", protocol.footwear),
        ("lessons", protocol.lessons),
        ("measure_schedule", protocol.measure_schedule),
        ("start_back_advice", protocol.start_back_advice),
    ]
    parts.append(("readiness", protocol.readiness))
    if protocol.attention is not None:
        parts.append(("attention", protocol.attention))
    if protocol.clinician is not None:
        parts.append(("clinician", protocol.clinician))
        parts.extend(
            (f"clinician.thresholds[{i}]", t)
            for i, t in enumerate(protocol.clinician.thresholds)
        )
    groups: dict[str, tuple[Sourced, ...]] = {
        "readiness.questions": protocol.readiness.questions,
        "phases": protocol.phases,
        "habits": protocol.habits,
        "mistakes": protocol.mistakes,
        "red_flags": protocol.red_flags,
        "warning_signs": protocol.warning_signs,
        "measures": protocol.measures,
    }
    for name, items in groups.items():
        parts.extend((f"{name}[{i}]", item) for i, item in enumerate(items))
    parts.extend((f"tiers.{name}", tier) for name, tier in protocol.tiers.items())
    for i, phase in enumerate(protocol.phases):
        parts.extend(
            (f"phases[{i}].stages[{j}]", s) for j, s in enumerate(phase.stages)
        )
    return parts


def _check_sources(protocol: Protocol) -> None:
    named = [(f"{w}.source", p.source) for w, p in _sourced_parts(protocol)]
    named.append(("tolerance.whisper_source", protocol.tolerance.whisper_source))
    named += [
        (f"measures[{i}].mic_source", m.mic_source)
        for i, m in enumerate(protocol.measures)
    ]
    for where, source in named:
        if source not in protocol.sources:
            raise ValueError(f"{where} {source!r} is not listed in [sources]")


def _check_tiers(protocol: Protocol) -> None:
    for i, sign in enumerate((*protocol.red_flags, *protocol.warning_signs)):
        if sign.tier not in protocol.tiers:
            raise ValueError(
                f"sign {i} ({sign.id}) names tier {sign.tier!r}, not in [tiers]"
            )
    ids = [s.id for s in (*protocol.red_flags, *protocol.warning_signs)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"sign identifiers are repeated: {duplicates}")


def _check_thresholds(protocol: Protocol) -> None:
    """Each adjustable threshold names a field of ``[tolerance]``, its bounds hold
    the protocol's own value, and both ends are values the field accepts."""
    if protocol.clinician is None:
        return
    tol = protocol.tolerance
    for i, t in enumerate(protocol.clinician.thresholds):
        where = f"clinician.thresholds[{i}]"
        if not t.field.startswith("tolerance.") or t.name not in Tolerance.model_fields:
            raise ValueError(f"{where}.field {t.field!r} is not a [tolerance] field")
        current = getattr(tol, t.name)
        if not t.low <= current <= t.high:
            raise ValueError(
                f"{where}: the bounds {t.low:g}-{t.high:g} must hold the protocol's "
                f"own {t.field} ({current:g})"
            )
        for end in (t.low, t.high):
            try:
                adjusted_tolerance(tol, t.name, end)
            except (ValidationError, ValueError) as exc:
                raise ValueError(
                    f"{where}: {t.field} = {end:g} is not a value it accepts"
                ) from exc


def adjusted_tolerance(tol: Tolerance, name: str, value: float) -> Tolerance:
    """``tol`` with one field set (checked as if the file said so)."""
    if isinstance(getattr(tol, name), int):
        if value != int(value):
            raise ValueError(f"tolerance.{name} must be a whole number")
        value = int(value)
    return Tolerance.model_validate({**tol.model_dump(), name: value})


def parse_protocol(text: str, file: str) -> Protocol:
    """Parse protocol TOML; raise ``ProtocolError`` naming the file and field paths.

    A file may say ``extends = "<shipped protocol>"``: it then takes every top-level
    section it does not define itself from that protocol (safety tiers, sources...).
    """
    data = _toml(text, file)
    base_name = data.pop("extends", None)
    if base_name is not None:
        if not isinstance(base_name, str) or base_name not in available_protocols():
            allowed = ", ".join(available_protocols())
            raise ProtocolError(
                file, [("extends", f"must name a shipped protocol: {allowed}")]
            )
        base = _toml(_shipped_text(base_name), f"{base_name}.toml")
        base.pop("extends", None)
        data = {**base, **data}
    try:
        return Protocol.model_validate(data)
    except ValidationError as exc:
        problems = [(_path(err["loc"]), err["msg"]) for err in exc.errors()]
        raise ProtocolError(file, problems) from exc


def _toml(text: str, file: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(file, [("(file)", f"not valid TOML: {exc}")]) from exc


def _shipped_text(name: str) -> str:
    return (
        resources.files("walkwell.protocols")
        .joinpath(f"{name}.toml")
        .read_text("utf-8")
    )


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top)"


def available_protocols() -> list[str]:
    """Names of the protocols shipped with WalkWell."""
    folder = resources.files("walkwell.protocols")
    return sorted(
        p.name.removesuffix(".toml")
        for p in folder.iterdir()
        if p.name.endswith(".toml")
    )


def load_protocol(name: str) -> Protocol:
    """Load a shipped protocol by name, or any protocol file by path. A file is
    read again whenever it changes (see ``protocol_stamp``), so an edited program
    is followed at once by a long-running server, not after its next restart."""
    if name.endswith(".toml"):
        return _load_file(name, protocol_stamp(name))
    return _load_shipped(name)


def protocol_stamp(name: str) -> str:
    """What changes whenever the protocol's text may have: nothing for a shipped
    protocol (the release names it), the file's size and modification time for a
    file (empty when it cannot be read: loading it then says why)."""
    if not name.endswith(".toml"):
        return ""
    try:
        stat = Path(name).stat()
    except OSError:
        return ""
    return f"{stat.st_size}-{stat.st_mtime_ns}"


@cache
def _load_file(name: str, stamp: str) -> Protocol:
    """One protocol file as it was at ``stamp`` (a changed file is a new entry)."""
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ProtocolError(
            str(path), [("(file)", f"cannot be read: {reason}")]
        ) from exc
    return parse_protocol(text, str(path))


@cache
def _load_shipped(name: str) -> Protocol:
    if name not in available_protocols():
        allowed = ", ".join(available_protocols())
        raise ProtocolError(
            name, [("(name)", f"no such protocol; choose one of: {allowed}")]
        )
    return parse_protocol(_shipped_text(name), f"{name}.toml")
