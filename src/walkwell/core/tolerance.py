"""How the body took a walk: pain during it, the next morning, and common mistakes.

Each rule is one function returning a finding: a small frozen record of the rule and
the values it saw. Most folded days are never shown, so a finding is put into words
(``reason``) only when the day is read; the decision never depends on the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from walkwell.core.model import Footwear, Reason, Walk
from walkwell.core.protocol import Phase, Protocol, Tolerance

WhisperRule = Literal["tolerance.max_pain_during", "tolerance.max_rise_during"]
AfterRule = Literal["tolerance.max_pain_after", "tolerance.max_rise_after"]
MorningRule = Literal[
    "tolerance.severe_flare_rise", "tolerance.flare_rise", "tolerance.settle_margin"
]


@dataclass(frozen=True, slots=True)
class WhisperFinding:
    """Pain during a walk went over the ceiling, or rose more than the whisper allows."""

    rule: WhisperRule
    pain_before: int | None
    pain_during: int

    def reason(self, tol: Tolerance) -> Reason:
        if self.rule == "tolerance.max_pain_during":
            text = (
                f"Pain during the walk reached {self.pain_during}/10; "
                f"walks should stay at or below {tol.max_pain_during}/10."
            )
            return Reason(rule=self.rule, source=tol.source, text=text)
        text = (
            f"Pain rose {self.pain_during - (self.pain_before or 0)} points during the "
            f"walk (from {self.pain_before} to {self.pain_during}); stop at the whisper, "
            f"a rise of at most {tol.max_rise_during}."
        )
        return Reason(rule=self.rule, source=tol.whisper_source, text=text)


def whisper(tol: Tolerance, walk: Walk) -> WhisperFinding | None:
    """Did pain during the walk go past the whisper? None when it did not."""
    during = walk.pain_during
    if during is None:
        return None
    if during > tol.max_pain_during:
        return WhisperFinding("tolerance.max_pain_during", walk.pain_before, during)
    before = walk.pain_before
    if before is not None and during - before > tol.max_rise_during:
        return WhisperFinding("tolerance.max_rise_during", before, during)
    return None


@dataclass(frozen=True, slots=True)
class AfterFinding:
    """Pain after a walk went over Silbernagel's limit, or rose past the whisper:
    judged like pain during it, so a walk that felt fine still holds the dose."""

    rule: AfterRule
    pain_before: int | None
    pain_after: int

    def reason(self, tol: Tolerance) -> Reason:
        if self.rule == "tolerance.max_pain_after":
            text = (
                f"Pain after the walk reached {self.pain_after}/10; "
                f"after a walk it should stay at or below {tol.max_pain_after}/10."
            )
            return Reason(rule=self.rule, source=tol.source, text=text)
        text = (
            f"Pain rose {self.pain_after - (self.pain_before or 0)} points by the end of "
            f"the walk (from {self.pain_before} to {self.pain_after}); after a walk it "
            f"should be at most {tol.max_rise_after} above the pain before it."
        )
        return Reason(rule=self.rule, source=tol.whisper_source, text=text)


def after_walk(tol: Tolerance, walk: Walk) -> AfterFinding | None:
    """Did pain after the walk go past its limits? None when it did not."""
    after = walk.pain_after
    if after is None:
        return None
    if after > tol.max_pain_after:
        return AfterFinding("tolerance.max_pain_after", walk.pain_before, after)
    before = walk.pain_before
    if before is not None and after - before > tol.max_rise_after:
        return AfterFinding("tolerance.max_rise_after", before, after)
    return None


def past_limits(tol: Tolerance, walk: Walk) -> WhisperFinding | AfterFinding | None:
    """Pain during the walk past the whisper, else pain after it past its limits."""
    return whisper(tol, walk) or after_walk(tol, walk)


class MorningFinding(NamedTuple):
    """What the 12-24 hour check-in says about the walk before it.

    A named tuple, like the ledger's ``Day``: one is made for most folded days,
    and a tuple builds in a fraction of a frozen dataclass's time."""

    rule: MorningRule
    pain: int
    reference_pain: int  # the pain before yesterday's walk
    flare: bool  # the walk did not settle overnight (a severe flare is one too)
    severe: bool

    def reason(self, tol: Tolerance) -> Reason:
        pain, ref = self.pain, self.reference_pain
        if self.severe:
            text = (
                f"This morning's pain is {pain}/10, up {pain - ref} from {ref} "
                "before yesterday's walk: a strong flare."
            )
        elif self.flare:
            text = (
                f"This morning's pain is {pain}/10, up {pain - ref} from {ref} "
                "before yesterday's walk: a flare, so the walk did not settle overnight."
            )
        else:
            text = f"Yesterday's walk settled by this morning (pain {pain}/10)."
        return Reason(rule=self.rule, source=tol.source, text=text)


def morning(tol: Tolerance, pain: int, reference_pain: int) -> MorningFinding:
    """Compare the morning's pain with the pain before yesterday's walk."""
    rise = pain - reference_pain
    if rise >= tol.severe_flare_rise or pain >= tol.severe_pain:
        rule: MorningRule = "tolerance.severe_flare_rise"
        return MorningFinding(rule, pain, reference_pain, True, True)
    if rise >= tol.flare_rise:
        return MorningFinding("tolerance.flare_rise", pain, reference_pain, True, False)
    return MorningFinding("tolerance.settle_margin", pain, reference_pain, False, False)


class MistakeFinding(NamedTuple):
    """One of the protocol's common mistakes, made in one walk (a named tuple, as
    ``MorningFinding``: a walk longer than planned makes one on many days)."""

    id: str
    walk: Walk
    planned_minutes: int
    day_minutes: float = 0.0  # set when the day's walks together went too far

    @property
    def rule(self) -> str:
        return f"mistakes.{self.id}"

    def reason(self, protocol: Protocol) -> Reason:
        m, walk = protocol.mistake(self.id), self.walk
        too_much = f" ({walk.minutes:g} minutes against {self.planned_minutes} planned)"
        if self.day_minutes:
            too_much = (
                f" ({self.day_minutes:g} minutes today against "
                f"{self.planned_minutes} planned in all)"
            )
        detail = {
            "too_much_too_early": too_much,
            "terrain_too_early": f" (terrain: {walk.terrain.value})",
            "pace_too_early": f" (pace: {walk.pace.value})",
            "load_too_early": f" (load: {walk.load_kg:g} kg)",
        }.get(self.id, "")
        return Reason(rule=self.rule, source=m.source, text=m.text + detail)


def mistakes(
    protocol: Protocol,
    phase: Phase,
    walk: Walk,
    planned_minutes: int,
    shoes: Footwear | None = None,
    *,
    stage: int = -1,
) -> list[MistakeFinding]:
    """Which of the common mistakes one walk made (most walks make none).

    ``shoes`` are those named at onboarding: they count for a walk that names none.
    ``stage`` is the phase's stage open that day: a hill walk in a week whose stage
    allows hills is no mistake; in an earlier week (or phase) it is.
    """
    allowed = phase.allowed(stage)
    found: list[MistakeFinding] = []
    if (
        planned_minutes
        and walk.minutes > planned_minutes * protocol.tolerance.overdo_ratio
    ):
        found.append(MistakeFinding("too_much_too_early", walk, planned_minutes))
    if walk.terrain not in allowed.terrain:
        found.append(MistakeFinding("terrain_too_early", walk, planned_minutes))
    if walk.pace not in allowed.paces:
        found.append(MistakeFinding("pace_too_early", walk, planned_minutes))
    if walk.load_kg > allowed.max_load_kg:
        found.append(MistakeFinding("load_too_early", walk, planned_minutes))
    if not walk.cooldown:
        found.append(MistakeFinding("cooldown_skipped", walk, planned_minutes))
    if (walk.footwear or shoes) in protocol.footwear.poor:
        found.append(MistakeFinding("poor_footwear", walk, planned_minutes))
    return found


def day_too_much(
    protocol: Protocol, walks: tuple[Walk, ...], planned_total: int
) -> MistakeFinding | None:
    """Walks that each kept to the plan but together went far past the day's total
    (four 10-minute walks on a day of 2 x 10): too much, too early all the same."""
    total = sum(w.minutes for w in walks)
    if not planned_total or total <= planned_total * protocol.tolerance.overdo_ratio:
        return None
    return MistakeFinding("too_much_too_early", walks[-1], planned_total, total)
