"""The day's prescription from the phase and dose, shared between days alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import replace

from walkwell.core.daystate import Rules, State
from walkwell.core.model import REST, DayPlan, Pace, Prescription
from walkwell.core.protocol import Phase, Protocol


def prescribe(rules: Rules, state: State, day: dt.date) -> Prescription:
    """The day's walks: REST on the phase's rest days, else one shared Prescription."""
    phase = rules.phases[state.phase - 1]
    in_week = (day - state.phase_start).days % 7
    if in_week >= phase.days_per_week:
        return REST
    habit = _habit_index(rules, state.minutes, day)
    stage = stage_index(phase, (day - state.stage_start).days // 7 + 1)
    cycle = phase.pace_cycle
    pace = cycle[in_week % len(cycle)] if cycle else None
    key = (phase.number, state.minutes, habit, stage, pace)
    found = rules.prescriptions.get(key)
    if found is None:
        found = rules.prescriptions[key] = build_prescription(
            rules, phase, state.minutes, habit, stage=stage, pace=pace
        )
    return found


def stage_index(phase: Phase, week: int) -> int:
    """Which of the phase's stages is open in ``week`` of it (-1: it has none)."""
    found = -1
    for i, stage in enumerate(phase.stages):
        if stage.week <= week:
            found = i
    return found


def build_prescription(
    rules: Rules,
    phase: Phase,
    minutes: int,
    habit: int,
    *,
    stage: int = -1,
    pace: Pace | None = None,
) -> Prescription:
    """The phase's walk; a stage allows only its own stressors; a day of the pace
    cycle sets the pace (with the phase's intervals only on an intervals day)."""
    terrain, load, intervals = phase.terrain, phase.max_load_kg, phase.intervals
    chosen = phase.pace
    if stage >= 0:
        s = phase.stages[stage]
        terrain, load, intervals, chosen = s.terrain, s.max_load_kg, s.intervals, s.pace
    if pace is not None:
        chosen = pace
        intervals = phase.intervals if pace is Pace.INTERVALS else ()
    return Prescription(
        sessions=phase.sessions_per_day,
        minutes_per_session=minutes,
        terrain=terrain,
        pace=chosen,
        breathing=phase.breathing,
        cues=phase.cues,
        spoken_cues=phase.spoken_cues,
        intervals=intervals,
        cooldown=rules.cooldown,
        cooldown_minutes=rules.cooldown_minutes,
        habit=_as_todays_walk(rules.habits[habit], phase.sessions_per_day, minutes)
        if habit >= 0
        else "",
        max_load_kg=load,
    )


def gentle(rules: Rules, planned: Prescription) -> Prescription:
    """While a warning sign is open: the protocol's gentle dose (short, flat, easy)."""
    if planned.sessions == 0:
        return planned
    found = rules.gentle.get(planned)
    if found is None:
        dose = rules.protocol.gentle
        found = rules.gentle[planned] = replace(
            planned,
            minutes_per_session=min(planned.minutes_per_session, dose.max_minutes),
            terrain=dose.terrain,
            pace=dose.pace,
            intervals=(),
            max_load_kg=min(planned.max_load_kg, dose.max_load_kg),
            habit="",  # a stop day suggests no walking beyond the gentle dose
        )
    return found


# --- the habit idea: a way to take a prescribed walk, never extra walking ---------


def _habit_index(rules: Rules, minutes: int, day: dt.date) -> int:
    """The day's habit among those that fit in one walk (-1 when none fits)."""
    fits = rules.fitting_habits.get(minutes)
    if fits is None:
        fits = rules.fitting_habits[minutes] = tuple(
            i for i, m in enumerate(rules.habit_minutes) if m <= minutes
        )
    return fits[day.toordinal() % len(fits)] if fits else -1


def _as_todays_walk(habit: str, sessions: int, minutes: int) -> str:
    which = (
        f"one of today's {minutes}-minute walks"
        if sessions > 1
        else f"today's {minutes}-minute walk"
    )
    return f"{habit} It is {which}, not an extra one."


def habit_for(protocol: Protocol, plan: DayPlan, chosen: Collection[str]) -> str:
    """The habit idea among the person's chosen ones (all when none chosen): only on
    a day with walks and no stop, and only a habit that fits in one of its walks."""
    rx = plan.prescription
    if not chosen or not rx.sessions or plan.decision.is_escalation:
        return "" if plan.decision.is_escalation else rx.habit
    fits = [
        h
        for h in protocol.habits
        if h.id in chosen and h.minutes <= rx.minutes_per_session
    ]
    if not fits:
        return ""
    habit = fits[plan.date.toordinal() % len(fits)]
    return _as_todays_walk(
        f"{habit.name}: {habit.text}", rx.sessions, rx.minutes_per_session
    )
