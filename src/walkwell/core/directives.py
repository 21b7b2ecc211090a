"""What a clinician's directive may ask, by the protocol's bounds.

The services (before they store an action) and the simulator (before it replays a
story) ask ``directive_problem``; the engine applies what passes it, and refuses at
its day what the day's state does not allow (``engine.directive_refusal``).
"""

from __future__ import annotations

import datetime as dt

from walkwell.core.model import Directive, DirectiveKind
from walkwell.core.protocol import Protocol


def directive_problem(protocol: Protocol, d: Directive) -> tuple[str, str] | None:
    """The field and what is allowed, when ``d`` asks for something out of bounds."""
    if d.kind == DirectiveKind.HOLD and d.until is not None:
        return _until_problem(protocol, d.date, d.until)
    if d.kind == DirectiveKind.THRESHOLD:
        return _threshold_problem(protocol, d.threshold, d.value)
    return None


def _until_problem(
    protocol: Protocol, day: dt.date, until: dt.date
) -> tuple[str, str] | None:
    most = protocol.clinician_rules.max_hold_days
    if until < day:
        return ("until", f"must be on or after the hold's day, {day.isoformat()}")
    if (until - day).days >= most:
        return ("until", f"must be within {most} days of the hold's day")
    return None


def _threshold_problem(
    protocol: Protocol, field: str, value: float | None
) -> tuple[str, str] | None:
    rules = protocol.clinician_rules
    rule = rules.threshold(field)
    if rule is None:
        allowed = ", ".join(t.field for t in rules.thresholds) or "none"
        return (
            "threshold",
            f"this program lets a clinician adjust only: {allowed} (got {field!r})",
        )
    # Named by its label, as the clinician's form offers it, not by its path.
    name = rule.label or field
    if value is None:
        return ("value", f"is needed: {name} between {rule.low:g} and {rule.high:g}")
    if not rule.low <= value <= rule.high:
        return (
            "value",
            f"{name} must be between {rule.low:g} and {rule.high:g} (got {value:g})",
        )
    if isinstance(getattr(protocol.tolerance, rule.name), int) and value != int(value):
        return ("value", f"{name} must be a whole number (got {value:g})")
    return None


def adjustable(protocol: Protocol) -> list[tuple[str, str, float, float, float]]:
    """Each adjustable threshold: its field, label, bounds and the program's value."""
    return [
        (t.field, t.label, t.low, t.high, float(getattr(protocol.tolerance, t.name)))
        for t in protocol.clinician_rules.thresholds
    ]
