"""The day's prescription from the phase and dose, shared between days alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from walkwell.core.daystate import Rules, State
from walkwell.core.model import REST, Prescription
from walkwell.core.protocol import Phase


def prescribe(rules: Rules, state: State, day: dt.date) -> Prescription:
    """The day's walks: REST on the phase's rest days, else one shared Prescription."""
    phase = rules.phases[state.phase - 1]
    if (day - state.phase_start).days % 7 >= phase.days_per_week:
        return REST
    habit = day.toordinal() % len(rules.habits) if rules.habits else -1
    key = (phase.number, state.minutes, habit)
    found = rules.prescriptions.get(key)
    if found is None:
        found = rules.prescriptions[key] = build_prescription(
            rules, phase, state.minutes, habit
        )
    return found


def build_prescription(
    rules: Rules, phase: Phase, minutes: int, habit: int
) -> Prescription:
    return Prescription(
        sessions=phase.sessions_per_day,
        minutes_per_session=minutes,
        terrain=phase.terrain,
        pace=phase.pace,
        breathing=phase.breathing,
        cues=phase.cues,
        spoken_cues=phase.spoken_cues,
        intervals=phase.intervals,
        cooldown=rules.cooldown,
        cooldown_minutes=rules.cooldown_minutes,
        habit=rules.habits[habit] if habit >= 0 else "",
        max_load_kg=phase.max_load_kg,
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
