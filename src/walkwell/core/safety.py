"""Red flags and warning signs -> the escalation tier they call for.

Safety comes before every other rule: an escalation overrides progression, and it
lasts until a clinician's clearance is recorded; a tier marked ``rescreen`` (the
urgent red flags) also waits for a fresh screening that reports no red flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from walkwell.core.model import DayPlan, Decision, Reason

if TYPE_CHECKING:  # annotations only: the limits read at start-up import this module
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
    rescreen: bool = False  # lifted only by a clearance and a clean screening
    cleared: bool = False  # a clearance came after the last sign
    screened: bool = False  # a screening with no red flags came after the last sign

    def merged(self, other: Escalation) -> Escalation:
        """Keep the more severe tier; remember every sign reported. A new sign
        undoes a clearance or screening recorded before it."""
        worst = min(self.tier, other.tier, key=TIER_ORDER.index)
        signs = tuple(dict.fromkeys((*self.signs, *other.signs)))
        return Escalation(
            tier=worst,
            signs=signs,
            since=min(self.since, other.since),
            rescreen=self.rescreen or other.rescreen,
        )

    @property
    def lifted(self) -> bool:
        return self.cleared and (self.screened or not self.rescreen)


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
    rescreen = any(protocol.tiers[by_id[s].tier].rescreen for s in reported)
    return Escalation(tier=worst, signs=reported, since=day, rescreen=rescreen)


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
    if not escalation.rescreen:
        return (action, *reported, hold)
    if escalation.cleared:  # what is still owed is the fresh screening alone
        return (action, *reported, rescreen_reason(protocol, escalation))
    return (action, *reported, hold, rescreen_reason(protocol, escalation))


def rescreen_reason(protocol: Protocol, escalation: Escalation) -> Reason:
    """What an urgent stop still waits for: a clearance, a fresh screening, or both."""
    source = tier_of(protocol, escalation).source
    rule = "safety.rescreen"
    if escalation.cleared:
        rule += ".cleared"
        text = (
            "A clinician's clearance is recorded. Answer the red-flag questions again "
            "(the re-screen): the plan resumes once they report none."
        )
    elif escalation.screened:
        rule += ".screened"
        text = (
            "Your fresh screening reported no red flags; the plan resumes once a "
            "clinician's clearance is recorded too."
        )
    else:
        text = (
            "Urgent signs need both: a clinician's clearance, and then a fresh "
            "screening (the red-flag questions again) that reports none."
        )
    return Reason(rule=rule, source=source, text=text)


def needs_rescreen(plan: DayPlan) -> bool:
    """An urgent stop that waits for a fresh screening (with or without a clearance)."""
    return any(r.rule.startswith("safety.rescreen") for r in plan.reasons) and not any(
        r.rule == "safety.rescreen.screened" for r in plan.reasons
    )


def awaits_only_rescreen(plan: DayPlan) -> bool:
    """An urgent stop that a clinician has cleared, waiting for the fresh screening."""
    return any(r.rule == "safety.rescreen.cleared" for r in plan.reasons)


def nothing_to_clear(plan: DayPlan, date: dt.date) -> str:
    """Why a clinician's clearance on ``date`` would clear nothing ("" when it
    would): the plan is neither stopped for safety nor paused to reassess (which
    a clearance lifts too), or the urgent stop is cleared already and waits for
    the patient's fresh screening."""
    if not is_stop(plan) and plan.decision is not Decision.PAUSE_REASSESS:
        return (
            f"there is no open stop to clear on {date.isoformat()}: the "
            "patient's plan is neither stopped for safety nor paused to reassess "
            "that day"
        )
    if awaits_only_rescreen(plan):
        return (
            f"the stop on {date.isoformat()} is cleared already: the plan now "
            "waits for the patient's fresh screening (the red-flag questions "
            "again), not for another clearance"
        )
    return ""


def _kind(protocol: Protocol, sign: str) -> str:
    return "red_flags" if sign in protocol.red_flag_ids else "warning_signs"


# The rules ``reasons_for`` names: what was reported, and what holds the plan.
_STOP_RULES = (
    "red_flags.",
    "warning_signs.",
    "safety.no_progress_until_clearance",
    "safety.rescreen",
)


def is_stop(plan: DayPlan) -> bool:
    """A stop day: a warning sign or red flag is open until a clinician's clearance."""
    return plan.decision.is_escalation


def stop_reasons(plan: DayPlan) -> list[Reason]:
    """Only the stop's own reasons, without the tier's action (shown on its own)."""
    return [r for r in plan.reasons if r.rule.startswith(_STOP_RULES)]
