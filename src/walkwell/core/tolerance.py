"""How the body took a walk: pain during it, the next morning, and common mistakes.

Each judgment returns ``Reason`` objects naming the protocol rule and its source, so
the engine can explain itself in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

from walkwell.core.model import CheckIn, Footwear, Reason, Walk
from walkwell.core.protocol import Phase, Protocol, Tolerance

POOR_FOOTWEAR = frozenset(
    {Footwear.UNSUPPORTIVE, Footwear.WORN_OUT, Footwear.BAREFOOT_STYLE}
)


@dataclass(frozen=True, slots=True)
class MorningVerdict:
    """What the 12-24 hour check-in says about the walk before it."""

    settled: bool
    flare: bool
    severe: bool
    reasons: tuple[Reason, ...]


def past_the_whisper(protocol: Protocol, walk: Walk) -> Reason | None:
    """Pain during the walk went over the ceiling, or rose more than the whisper allows."""
    tol = protocol.tolerance
    if walk.pain_during is None:
        return None
    if walk.pain_during > tol.max_pain_during:
        return Reason(
            rule="tolerance.max_pain_during",
            source=tol.source,
            text=(
                f"Pain during the walk reached {walk.pain_during}/10; "
                f"walks should stay at or below {tol.max_pain_during}/10."
            ),
        )
    rise = _rise_during(walk.pain_during, walk)
    if rise > tol.max_rise_during:
        return Reason(
            rule="tolerance.max_rise_during",
            source="seed",
            text=(
                f"Pain rose {rise} points during the walk (from {walk.pain_before} to "
                f"{walk.pain_during}); stop at the whisper, a rise of at most {tol.max_rise_during}."
            ),
        )
    return None


def is_past_the_whisper(tol: Tolerance, walk: Walk) -> bool:
    """``past_the_whisper`` without its words, for the days nobody reads."""
    during = walk.pain_during
    if during is None:
        return False
    return (
        during > tol.max_pain_during or _rise_during(during, walk) > tol.max_rise_during
    )


def _rise_during(during: int, walk: Walk) -> int:
    return during - (walk.pain_before if walk.pain_before is not None else during)


def morning_verdict(
    protocol: Protocol, checkin: CheckIn, reference_pain: int
) -> MorningVerdict:
    """Compare the morning's pain with the pain before yesterday's walk."""
    tol = protocol.tolerance
    rise = checkin.pain - reference_pain
    flare, severe = morning_flare(tol, checkin.pain, reference_pain)
    settled = rise <= tol.settle_margin
    if severe:
        text = (
            f"This morning's pain is {checkin.pain}/10, up {rise} from {reference_pain} "
            "before yesterday's walk: a strong flare."
        )
        rule = "tolerance.severe_flare_rise"
    elif flare:
        text = (
            f"This morning's pain is {checkin.pain}/10, up {rise} from {reference_pain} "
            "before yesterday's walk: a flare, so the walk did not settle overnight."
        )
        rule = "tolerance.flare_rise"
    else:
        text = f"Yesterday's walk settled by this morning (pain {checkin.pain}/10)."
        rule = "tolerance.settle_margin"
    return MorningVerdict(
        settled=settled,
        flare=flare,
        severe=severe,
        reasons=(Reason(rule=rule, source=tol.source, text=text),),
    )


def morning_flare(tol: Tolerance, pain: int, reference_pain: int) -> tuple[bool, bool]:
    """(flare, severe): ``morning_verdict``'s finding without its words."""
    rise = pain - reference_pain
    severe = rise >= tol.severe_flare_rise or pain >= tol.severe_pain
    return severe or rise >= tol.flare_rise, severe


def mistake_reasons(
    protocol: Protocol, found: list[str], walk: Walk, planned_minutes: int
) -> tuple[Reason, ...]:
    """Plain words for the mistakes ``mistake_ids`` found in one walk."""
    return tuple(_mistake_reason(protocol, m, walk, planned_minutes) for m in found)


def mistake_ids(
    protocol: Protocol, phase: Phase, walk: Walk, planned_minutes: int
) -> list[str]:
    """Which of the common mistakes one walk made; words are added only when read."""
    found: list[str] = []
    if (
        planned_minutes
        and walk.minutes > planned_minutes * protocol.tolerance.overdo_ratio
    ):
        found.append("too_much_too_early")
    if walk.terrain not in phase.terrain:
        found.append("terrain_too_early")
    if walk.pace not in phase.paces:
        found.append("pace_too_early")
    if walk.load_kg > phase.max_load_kg:
        found.append("load_too_early")
    if not walk.cooldown:
        found.append("cooldown_skipped")
    if walk.footwear in POOR_FOOTWEAR:
        found.append("poor_footwear")
    return found


# Mistakes that mean the walk was harder than the body was ready for; they block the
# next step up. Skipping the cooldown or poor shoes are warnings, not load.
TOO_HARD = frozenset(
    {"too_much_too_early", "terrain_too_early", "pace_too_early", "load_too_early"}
)


def _mistake_reason(
    protocol: Protocol, mistake_id: str, walk: Walk, planned_minutes: int
) -> Reason:
    m = protocol.mistake(mistake_id)
    detail = {
        "too_much_too_early": f" ({walk.minutes:g} minutes against {planned_minutes} planned)",
        "terrain_too_early": f" (terrain: {walk.terrain.value})",
        "pace_too_early": f" (pace: {walk.pace.value})",
        "load_too_early": f" (load: {walk.load_kg:g} kg)",
    }.get(mistake_id, "")
    return Reason(rule=f"mistakes.{mistake_id}", source=m.source, text=m.text + detail)
