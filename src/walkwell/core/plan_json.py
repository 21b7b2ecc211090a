"""A day's plan as plain data: the JSON that ``walkwell today --json``, the
scenario replay (``core.simulate``) and the day-parity checks print.

Kept apart from ``core.simulate`` so that printing a day does not import the
scenario's models (``walkwell today`` starts faster, docs/performance.md).
"""

from __future__ import annotations

from typing import Any

from walkwell.core.model import DayPlan, Prescription, Reason
from walkwell.core.protocol import Protocol


def reason_text(protocol: Protocol, reason: Reason) -> str:
    """A reason in plain words, naming its rule and source."""
    return f"{reason.text} (rule: {reason.rule}; source: {reason.source})"


def day_json(protocol: Protocol, plan: DayPlan) -> dict[str, Any]:
    return {
        "date": plan.date.isoformat(),
        "phase": plan.phase,
        "decision": plan.decision.value,
        "reasons": [reason_text(protocol, r) for r in plan.reasons],
        "warnings": [reason_text(protocol, r) for r in plan.warnings],
        "prescription": prescription_json(plan.prescription),
        "measures_due": list(plan.measures_due),
        "flare_plan": plan.flare_plan,
    }


def prescription_json(p: Prescription) -> dict[str, Any]:
    return {
        "sessions": p.sessions,
        "minutes_per_session": p.minutes_per_session,
        "terrain": [t.value for t in p.terrain],
        "pace": p.pace.value,
        "breathing": p.breathing,
        "cues": list(p.cues),
        "spoken_cues": list(p.spoken_cues),
        "intervals": [
            {"kind": kind, "minutes": minutes} for kind, minutes in p.intervals
        ],
        "cooldown": p.cooldown,
        "cooldown_minutes": p.cooldown_minutes,
        "habit": p.habit,
        "max_load_kg": p.max_load_kg,
    }
