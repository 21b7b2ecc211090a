"""Red flags and warning signs -> the escalation tier they call for.

Safety comes before every other rule: an escalation overrides progression, and it
lasts until a clinician's clearance is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from walkwell.core.model import DayPlan, Reason
from walkwell.core.protocol import Protocol, Tier, TierName

# Most severe first: a higher tier is never replaced by a lower one.
TIER_ORDER: tuple[TierName, ...] = (
    "emergency",
    "urgent",
    "medical_review",
    "warning_sign",
)


@dataclass(frozen=True, slots=True)
class Escalation:
    """An open escalation: the most severe tier reported since the last clearance."""

    tier: TierName
    signs: tuple[str, ...]
    since: dt.date

    def merged(self, other: Escalation) -> Escalation:
        """Keep the more severe tier; remember every sign reported."""
        worst = min(self.tier, other.tier, key=TIER_ORDER.index)
        signs = tuple(dict.fromkeys((*self.signs, *other.signs)))
        return Escalation(tier=worst, signs=signs, since=min(self.since, other.since))


def unknown_ids(
    protocol: Protocol,
    *,
    red_flags: Iterable[str] = (),
    warning_signs: Iterable[str] = (),
) -> list[str]:
    """Identifiers that the protocol does not define, for a clear refusal."""
    bad = [f for f in red_flags if f not in protocol.red_flag_ids]
    bad += [w for w in warning_signs if w not in protocol.warning_sign_ids]
    return bad


def escalation_for(
    protocol: Protocol, signs: Iterable[str], day: dt.date
) -> Escalation | None:
    """The escalation that these reported signs call for, or None if there are none."""
    reported = tuple(dict.fromkeys(signs))
    if not reported:
        return None
    by_id = protocol.signs
    worst = min((by_id[s].tier for s in reported), key=TIER_ORDER.index)
    return Escalation(tier=worst, signs=reported, since=day)


def tier_of(protocol: Protocol, escalation: Escalation) -> Tier:
    return protocol.tiers[escalation.tier]


def reasons_for(protocol: Protocol, escalation: Escalation) -> tuple[Reason, ...]:
    """Plain words for an escalation: what was reported, and what to do now."""
    tier = tier_of(protocol, escalation)
    by_id = protocol.signs
    reported = [
        Reason(
            rule=f"{_kind(protocol, sign)}.{sign}",
            source=by_id[sign].source,
            text=f"You reported: {by_id[sign].question.rstrip('?')}: yes.",
        )
        for sign in escalation.signs
    ]
    action = Reason(
        rule=f"tiers.{escalation.tier}", source=tier.source, text=tier.action
    )
    hold = Reason(
        rule="safety.no_progress_until_clearance",
        source=tier.source,
        text="The plan will not progress until a clinician's clearance is recorded.",
    )
    return (action, *reported, hold)


def _kind(protocol: Protocol, sign: str) -> str:
    return "red_flags" if sign in protocol.red_flag_ids else "warning_signs"


# The rules ``reasons_for`` names: what was reported, and what holds the plan.
_STOP_RULES = ("red_flags.", "warning_signs.", "safety.no_progress_until_clearance")


def is_stop(plan: DayPlan) -> bool:
    """A stop day: a warning sign or red flag is open until a clinician's clearance."""
    return plan.decision.is_escalation


def stop_reasons(plan: DayPlan) -> list[Reason]:
    """Only the stop's own reasons, without the tier's action (shown on its own)."""
    return [r for r in plan.reasons if r.rule.startswith(_STOP_RULES)]
