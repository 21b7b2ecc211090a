"""The fold's working parts: the running state, a day's verdict, the history's
index, the protocol's daily numbers, and the current day.

These are internal to ``walkwell.core.engine``; they live here so the engine's
module reads as the rules themselves.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache

from walkwell.core import safety
from walkwell.core.model import (
    CheckIn,
    Decision,
    Directive,
    Footwear,
    History,
    Pace,
    Prescription,
    Reason,
    Walk,
)
from walkwell.core.progression import Ledger
from walkwell.core.protocol import Phase, Protocol

# When several rules speak on one day, the most cautious decision is shown.
PRIORITY = (
    Decision.SEEK_URGENT_CARE,
    Decision.STOP_CONSULT,
    Decision.STEP_BACK,
    Decision.PAUSE_REASSESS,
    Decision.HOLD,
    Decision.ADVANCE,
    Decision.CONTINUE,
    Decision.NOT_STARTED,
)


@dataclass(slots=True)
class State:
    """Where the person is in the program; mutated only inside one fold."""

    phase: int = 0  # 0 until the plan starts (it waits while a red flag is open)
    minutes: int = 0
    phase_start: dt.date = dt.date.min
    anchor: dt.date = dt.date.min  # the last review or dose change
    last_walk: dt.date | None = None
    gap_level: int = 0
    escalation: safety.Escalation | None = None
    reassessing: bool = False
    reassess_note: Reason | None = None
    reassess_waived: bool = False
    # The trend watch: review periods in a row with mornings past the baseline, or
    # with walks past the pain limits; a pause it caused lasts until a clearance.
    worse_reviews: int = 0
    painful_reviews: int = 0
    trend_paused: bool = False
    ledger: Ledger = field(default_factory=Ledger)
    started: dt.date = dt.date.min  # the plan's first day
    stage_start: dt.date = dt.date.min  # new stressors are counted in weeks from here
    top_reviews: int = 0  # settled reviews in a row at the phase's top dose
    # After a step back: the minutes a day stay at most ``ceiling`` until ``ceiling_until``.
    ceiling: int = 0
    ceiling_until: dt.date = dt.date.min
    # While a flare plan runs: where the person was (phase, minutes, phase start,
    # stage start), and why.
    flare_target: tuple[int, int, dt.date, dt.date] | None = None
    flare_why: str = ""
    # The first step up of the current review period, and the week's total before
    # it: a clinician's advance is capped against that week, so two steps up in one
    # period never compound past the weekly cap.
    grew_on: dt.date = dt.date.min
    week_base: int = 0
    # A clinician's hold: the directive, and its last day.
    hold: Directive | None = None
    hold_until: dt.date = dt.date.min
    # Thresholds a clinician set: the field's path -> (value, the directive).
    adjusted: dict[str, tuple[float, Directive]] = field(default_factory=dict)


@dataclass(slots=True)
class Verdict:
    """The decisions and reasons gathered for one day, before choosing one."""

    decisions: list[Decision] = field(default_factory=list)
    notes: list[tuple[Decision | None, Reason]] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)  # ids, in the warnings' order
    action: Reason | None = None  # the escalation tier's instruction, if any

    def add(self, decision: Decision, *reasons: Reason) -> None:
        self.decisions.append(decision)
        if reasons:
            self.notes.extend((decision, r) for r in reasons)

    def note(self, reason: Reason) -> None:
        self.notes.append((None, reason))

    def retract(self, decision: Decision) -> bool:
        """Withdraw a decision and its reasons; say whether there was one."""
        if decision not in self.decisions:
            return False
        self.decisions = [d for d in self.decisions if d != decision]
        self.notes = [(d, r) for d, r in self.notes if d != decision]
        return True

    def decision(self) -> Decision:
        return min(self.decisions or [Decision.CONTINUE], key=PRIORITY.index)

    def reasons(self) -> tuple[Reason, ...]:
        """The chosen decision's reasons first, then the day's other notes."""
        chosen = self.decision()
        first = [r for d, r in self.notes if d == chosen]
        return tuple(dict.fromkeys(first + [r for d, r in self.notes if d != chosen]))


# A day's safety events, in the order they happened: ("signs", ids) for signs
# reported, ("clear", (by, "self" or "clinician")) for a clearance and who
# recorded it, ("screen", ()) for a clean re-screen.
SafetyEvent = tuple[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class DayIndex:
    walks: dict[dt.date, tuple[Walk, ...]]
    checkins: dict[dt.date, CheckIn]
    # only days with a sign, a clearance or a re-screen
    safety: dict[dt.date, list[SafetyEvent]]
    minutes: dict[dt.date, float]  # minutes walked each day (returns read these)
    directives: dict[dt.date, list[Directive]] = field(default_factory=dict)


def index_history(history: History) -> DayIndex:
    walks: dict[dt.date, list[Walk]] = {}
    for w in history.walks:
        if w.date >= history.start:  # a walk before the start is history, not judged
            walks.setdefault(w.date, []).append(w)
    checkins = {c.date: c for c in history.checkins}
    directives: dict[dt.date, list[Directive]] = {}
    for d in sorted(history.directives, key=_directive_order):
        directives.setdefault(d.date, []).append(d)
    return DayIndex(
        directives=directives,
        walks={d: tuple(ws) for d, ws in walks.items()},
        checkins=checkins,
        safety=safety_by_day(history),
        minutes={d: sum(w.minutes for w in ws) for d, ws in walks.items()},
    )


def _directive_order(d: Directive) -> tuple[dt.date, float]:
    """By day, then time; one with no time comes after the day's timed ones (in
    the order given): the one a service is about to store comes last."""
    return (d.date, d.at.timestamp() if d.at is not None else math.inf)


# (rank, time, lifting after aggravating): a lifting event (clearance, clean
# re-screen) with no known time counts as recorded before the day's signs, a sign
# with no known time as after everything; at the same moment the sign comes last.
_Key = tuple[int, dt.datetime | None, int]


def _lifting(at: dt.datetime | None) -> _Key:
    return (1, at, 0) if at is not None else (0, None, 0)


def _aggravating(at: dt.datetime | None) -> _Key:
    return (1, at, 1) if at is not None else (2, None, 1)


def safety_by_day(history: History) -> dict[dt.date, list[SafetyEvent]]:
    """Each day's signs, clearances and re-screens in the order they happened.

    Collected once per history: almost every day has none, and then the day's
    safety check is a single dictionary miss. Signs that follow each other are
    merged into one report.
    """
    found: dict[dt.date, list[tuple[_Key, SafetyEvent]]] = {}

    def add(day: dt.date, key: _Key, event: SafetyEvent) -> None:
        found.setdefault(day, []).append((key, event))

    for w in history.walks:
        if w.warning_signs:
            add(w.date, _aggravating(w.at), ("signs", tuple(sorted(w.warning_signs))))
    for c in history.checkins:
        if c.red_flags or c.warning_signs:
            signs = (*sorted(c.red_flags), *sorted(c.warning_signs))
            add(c.date, _aggravating(c.at), ("signs", signs))
    for r in history.symptoms:
        if r.red_flags or r.warning_signs:
            signs = (*sorted(r.red_flags), *sorted(r.warning_signs))
            add(r.date, _aggravating(r.at), ("signs", signs))
    for s in history.rescreens:
        if s.red_flags:
            add(s.date, _aggravating(s.at), ("signs", tuple(sorted(s.red_flags))))
        else:
            add(s.date, _lifting(s.at), ("screen", ()))
    for cleared in history.clearances:
        who = (cleared.by, "self" if cleared.self_reported else "clinician")
        add(cleared.date, _lifting(cleared.at), ("clear", who))
    return {day: _merged(sorted(items, key=_order)) for day, items in found.items()}


def _order(item: tuple[_Key, SafetyEvent]) -> tuple[int, float, int]:
    rank, at, last = item[0]
    return (rank, at.timestamp() if at is not None else 0.0, last)


def _merged(items: list[tuple[_Key, SafetyEvent]]) -> list[SafetyEvent]:
    out: list[SafetyEvent] = []
    for _, (kind, signs) in items:
        if kind == "signs" and out and out[-1][0] == "signs":
            out[-1] = ("signs", tuple(dict.fromkeys((*out[-1][1], *signs))))
        else:
            out.append((kind, signs))
    return out


@dataclass(frozen=True, slots=True)
class Rules:
    """The protocol's numbers that every day reads, looked up once per fold.

    Prescriptions repeat for weeks (same phase, same minutes, a habit from a short
    cycle), so each is built once and shared; they are frozen, so sharing is safe.
    """

    protocol: Protocol
    phases: tuple[Phase, ...]  # phases[n - 1] is phase n
    review_days: int
    habits: tuple[str, ...]
    habit_minutes: tuple[int, ...]
    # For a walk's length, the habits that fit in it (a habit is a way to take a
    # prescribed walk, never extra walking), built once per length.
    fitting_habits: dict[int, tuple[int, ...]]
    cooldown: str
    cooldown_minutes: int
    too_hard: frozenset[str]  # mistakes that block the next step up
    prescriptions: dict[tuple[int, int, int, int, Pace | None], Prescription]
    gentle: dict[Prescription, Prescription]

    @classmethod
    def of(cls, protocol: Protocol) -> Rules:
        cooldown = protocol.cooldown
        return cls(
            protocol=protocol,
            phases=protocol.phases,
            review_days=protocol.progression.review_days,
            habits=tuple(f"{h.name}: {h.text}" for h in protocol.habits),
            habit_minutes=tuple(h.minutes for h in protocol.habits),
            fitting_habits={},
            cooldown=f"{cooldown.name}: {cooldown.text}",
            cooldown_minutes=cooldown.minutes,
            too_hard=frozenset(m.id for m in protocol.mistakes if m.blocks_progress),
            prescriptions={},
            gentle={},
        )


@lru_cache(maxsize=16)  # protocols parsed on the fly must not pile up
def rules_for(protocol: Protocol) -> Rules:
    """The same protocol folds thousands of histories in a clinic's nightly review,
    so its rules and shared prescriptions are built once per protocol, not once a
    person (a protocol hashes by identity: it is read-only once loaded)."""
    return Rules.of(protocol)


@dataclass(slots=True)
class Ctx:
    """The fold's current day: the rules, the running state, and the day's events.

    One per fold, moved on a day at a time by ``begin``: building a fresh one for
    every day cost more than most days' rules.
    """

    rules: Rules
    protocol: Protocol
    state: State
    verdict: Verdict = field(default_factory=Verdict)
    day: dt.date = dt.date.min
    walks: tuple[Walk, ...] = ()
    yesterday: tuple[Walk, ...] = ()
    checkin: CheckIn | None = None
    explain: bool = False  # put the day into words (skipped for days nobody reads)
    walked: dict[dt.date, float] = field(default_factory=dict)  # minutes a day
    shoes: Footwear | None = None  # named at onboarding; a walk's own shoes win
    painful: bool = False  # a walk today went past the pain limits
    start: dt.date = dt.date.min  # the program's start: the measures count from it
    readiness: frozenset[str] = frozenset()  # readiness answers given "yes"
    go_ahead: dt.date | None = None  # a doctor's go-ahead to exercise, if recorded
    reviewed: bool = False  # today held the weekly review
    # Each clinician's directive the fold refused, and why (kept when asked).
    refused: list[tuple[Directive, str]] | None = None

    def begin(
        self,
        day: dt.date,
        walks: tuple[Walk, ...],
        checkin: CheckIn | None,
        *,
        explain: bool,
    ) -> None:
        """Move to ``day``; today's walks become tomorrow's ``yesterday``."""
        self.yesterday, self.walks = self.walks, walks
        self.day, self.checkin, self.explain = day, checkin, explain
        self.painful = False
        self.reviewed = False
        self.verdict = Verdict()
