"""The day's prescription from the phase and dose, shared between days alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from walkwell.core.daystate import Rules, State
from walkwell.core.model import REST, Pace, Prescription
from walkwell.core.protocol import Phase


def prescribe(rules: Rules, state: State, day: dt.date) -> Prescription:
    """The day's walks: REST on the phase's rest days, else one shared Prescription."""
    phase = rules.phases[state.phase - 1]
    in_week = (day - state.phase_start).days % 7
    if in_week >= phase.days_per_week:
        return REST
    habit = day.toordinal() % len(rules.habits) if rules.habits else -1
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
        habit=rules.habits[habit] if habit >= 0 else "",
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
        )
    return found
