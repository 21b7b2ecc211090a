"""Outcome measures with free licences, scored from data.

- Pain NRS: a 0-10 numeric rating; public domain.
- Patient-Specific Functional Scale (Stratford et al. 1995): the person names up to
  five activities they find hard and rates each 0 (unable) to 10 (as before); the
  score is the mean. Free to use.
- STarT Back Screening Tool (Hill et al. 2008), nine items. The STarT Back Tool is
  © Keele University 01/08/07 and free to use; its notice must be kept with the
  items. Oswestry and Roland-Morris need licences and are not included.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean

START_BACK_NOTICE = (
    "STarT Back Screening Tool © Keele University 01/08/07. "
    "Used with the permission that Keele University gives for its free use."
)


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    options: tuple[str, ...]
    scored: frozenset[str]  # the answers that score one point


AGREE = ("Disagree", "Agree")
BOTHER = ("Not at all", "Slightly", "Moderately", "Very much", "Extremely")

START_BACK_ITEMS: tuple[Item, ...] = (
    Item(
        "leg_pain",
        "My back pain has spread down my leg(s) at some time in the last 2 weeks",
        AGREE,
        frozenset({"Agree"}),
    ),
    Item(
        "shoulder_neck",
        "I have had pain in the shoulder or neck at some time in the last 2 weeks",
        AGREE,
        frozenset({"Agree"}),
    ),
    Item(
        "walked_short",
        "I have only walked short distances because of my back pain",
        AGREE,
        frozenset({"Agree"}),
    ),
    Item(
        "dressed_slowly",
        "In the last 2 weeks, I have dressed more slowly than usual because of back pain",
        AGREE,
        frozenset({"Agree"}),
    ),
    Item(
        "not_safe",
        "It's not really safe for a person with a condition like mine to be physically active",
        AGREE,
        frozenset({"Agree"}),
    ),
    Item(
        "worrying",
        "Worrying thoughts have been going through my mind a lot of the time",
        AGREE,
        frozenset({"Agree"}),
    ),
    Item(
        "terrible",
        "I feel that my back pain is terrible and it's never going to get any better",
        AGREE,
        frozenset({"Agree"}),
    ),
    Item(
        "not_enjoyed",
        "In general I have not enjoyed all the things I used to enjoy",
        AGREE,
        frozenset({"Agree"}),
    ),
    Item(
        "bothersome",
        "Overall, how bothersome has your back pain been in the last 2 weeks?",
        BOTHER,
        frozenset({"Very much", "Extremely"}),
    ),
)
# Items 5-9 form the psychosocial subscale.
PSYCHOSOCIAL = frozenset(item.id for item in START_BACK_ITEMS[4:])


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class StartBackResult:
    total: int
    psychosocial: int
    risk: Risk


class InstrumentError(ValueError):
    """Answers that cannot be scored; the message names the item."""


def score_start_back(answers: dict[str, str]) -> StartBackResult:
    """Total 0-9 and psychosocial subscale 0-5; low if total <= 3, high if subscale >= 4."""
    items = {item.id: item for item in START_BACK_ITEMS}
    unknown = sorted(set(answers) - set(items))
    if unknown:
        raise InstrumentError(
            f"start_back.{unknown[0]}: not an item; items are {', '.join(items)}"
        )
    total = psycho = 0
    for item in START_BACK_ITEMS:
        answer = answers.get(item.id)
        if answer not in item.options:
            raise InstrumentError(
                f"start_back.{item.id}: answer one of {', '.join(item.options)}"
            )
        point = int(answer in item.scored)
        total += point
        psycho += point if item.id in PSYCHOSOCIAL else 0
    risk = Risk.LOW if total <= 3 else (Risk.HIGH if psycho >= 4 else Risk.MEDIUM)
    return StartBackResult(total=total, psychosocial=psycho, risk=risk)


PSFS_MAX_ACTIVITIES = 5


def score_psfs(ratings: dict[str, int]) -> float:
    """Mean ability (0 unable - 10 as before) over 1-5 activities the person names."""
    if not 1 <= len(ratings) <= PSFS_MAX_ACTIVITIES:
        raise InstrumentError(
            f"psfs: name between 1 and {PSFS_MAX_ACTIVITIES} activities"
        )
    for activity, rating in ratings.items():
        if not activity.strip():
            raise InstrumentError("psfs: each activity needs a name")
        if not 0 <= rating <= 10:
            raise InstrumentError(f"psfs.{activity}: rate 0 (unable) to 10 (as before)")
    return round(fmean(ratings.values()), 1)


def score_pain_nrs(rating: int) -> int:
    """Pain 0 (none) to 10 (worst imaginable), as the person gives it."""
    if not 0 <= rating <= 10:
        raise InstrumentError("pain_nrs: rate 0 (no pain) to 10 (worst imaginable)")
    return rating
