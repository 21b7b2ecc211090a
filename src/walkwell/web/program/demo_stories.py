"""The clinic demo's synthetic patients, day by day, as the engine plans them.

Each patient tells one story. Every day their morning check-in comes first; the
engine (``core.engine.plan_day``) then gives the day's prescription from the
history made so far, and the day's walks follow it (or, for the overdoing story,
go well past it). So the plan a clinician opens is the one these walks and
mornings earned, not numbers drawn beside it.

Pure: no Django, no clock; the dates, the rules and a seeded random source come in.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from enum import StrEnum

from walkwell.core.engine import plan_day
from walkwell.core.model import CheckIn, History, Prescription, Terrain, Walk
from walkwell.core.protocol import Protocol


class Story(StrEnum):
    """What a demo patient's weeks show a clinician."""

    STEADY = "steady"  # follows the plan, an odd day missed, mornings settled
    WORSENING = "worsening"  # morning pain creeping up for the last weeks
    FLARE = "flare"  # a sharp rise in morning pain a few days ago
    OVERDOING = "overdoing"  # walks well past the plan for the last ten days
    QUIET = "quiet"  # nothing recorded for the last ten days
    WARNING_SIGN = "warning_sign"  # a warning sign reported today
    RED_FLAG = "red_flag"  # a red flag reported today


@dataclass(frozen=True, slots=True)
class Part:
    """A patient's story, and how many days ago their plan began (both ends
    included)."""

    story: Story
    began: tuple[int, int]


# Each twelve patients tell every story once. Six follow their plan, begun at
# different times so that Reset (8-13 days in), Stabilize (21-27) and Strengthen
# have one each at least; the others began long enough ago for a usual morning
# (the first five check-ins) and a few weeks of plan before their story turns.
CAST: tuple[Part, ...] = (
    Part(Story.STEADY, (8, 13)),
    Part(Story.STEADY, (21, 27)),
    Part(Story.STEADY, (30, 55)),
    Part(Story.STEADY, (30, 90)),
    Part(Story.STEADY, (55, 90)),
    Part(Story.STEADY, (55, 90)),
    Part(Story.WORSENING, (45, 90)),
    Part(Story.FLARE, (25, 90)),
    Part(Story.OVERDOING, (30, 90)),
    Part(Story.QUIET, (35, 90)),
    Part(Story.WARNING_SIGN, (20, 90)),
    Part(Story.RED_FLAG, (20, 90)),
)
QUIET_DAYS = 10  # the quiet story's last record is this many days ago
CREEP_DAYS = 24  # the worsening story's mornings creep up for this many days
CREEP_PAIN = 4  # ... to this many points above the usual morning's pain
OVERDO_DAYS = 10  # the overdoing story walks past the plan for this many days
OVERDO_RATIO = (1.8, 2.2)  # ... each walk this many times the prescribed minutes
# The flare story's strong flare: this many days ago, or on the first morning
# after a walk since (a morning is judged against the walk the day before).
FLARE_DAYS_AGO = (3, 5)


def cast(count: int, rng: random.Random) -> list[Part]:
    """``count`` parts: every twelve hold each once, in a seeded order."""
    parts: list[Part] = []
    while len(parts) < count:
        block = list(CAST)
        rng.shuffle(block)
        parts.extend(block)
    return parts[:count]


def started(part: Part, today: dt.date, rng: random.Random) -> dt.date:
    return today - dt.timedelta(days=rng.randint(*part.began))


def last_day(story: Story, today: dt.date) -> dt.date:
    """The last day with records: yesterday, or ten days back for the quiet story
    (a sign today is reported apart, by the service that reports signs)."""
    back = QUIET_DAYS if story is Story.QUIET else 1
    return today - dt.timedelta(days=back)


@dataclass(frozen=True, slots=True)
class Habits:
    """One patient's usual morning and ways, drawn once."""

    pain: int  # the usual morning pain
    stiffness: int  # the usual morning stiffness, minutes
    sleep: int
    focus: int
    misses: float  # the chance of missing a walk on one day of each week
    missed_day: int  # ... that weekday (Monday is 0)
    overdo: float  # how far past the plan the overdoing story walks


def habits(rng: random.Random) -> Habits:
    return Habits(
        pain=rng.randint(1, 3),
        stiffness=rng.randint(15, 35),
        sleep=rng.randint(4, 6),
        focus=rng.randint(4, 6),
        misses=rng.uniform(0.3, 0.8),
        missed_day=rng.randint(0, 6),
        overdo=rng.uniform(*OVERDO_RATIO),
    )


@dataclass(frozen=True, slots=True)
class Turn:
    """When the story turns, counted in days before its last day (0 is the last)."""

    creep_from: int = -1  # the worsening's first day
    flare_on: int = -1  # the flare's morning
    overdo_from: int = -1  # the overdoing's first day


def turn(story: Story, rng: random.Random) -> Turn:
    if story is Story.WORSENING:
        return Turn(creep_from=CREEP_DAYS - 1)
    if story is Story.FLARE:
        return Turn(flare_on=rng.randint(*FLARE_DAYS_AGO) - 1)
    if story is Story.OVERDOING:
        return Turn(overdo_from=OVERDO_DAYS - 1)
    return Turn()


def lived(
    protocol: Protocol,
    history: History,
    story: Story,
    rng: random.Random,
    last: dt.date,
) -> tuple[list[Walk], list[CheckIn]]:
    """The walks and check-ins of ``history``'s person from its start to ``last``,
    each day's walks following the plan the engine gives that day."""
    life = _Life(protocol, habits(rng), turn(story, rng), rng)
    day = history.start
    while day <= last:
        checkin = life.morning(day, (day - history.start).days, (last - day).days)
        life.checkins.append(checkin)
        so_far = replace(
            history, walks=tuple(life.walks), checkins=tuple(life.checkins)
        )
        plan = plan_day(protocol, so_far, day)
        walks = life.walks_on(plan.prescription, checkin, (last - day).days)
        life.walks.extend(walks)
        life.walked, life.pain = bool(walks), checkin.pain
        day += dt.timedelta(days=1)
    return life.walks, life.checkins


@dataclass(slots=True)
class _Life:
    """A patient's records so far, and what the next morning is judged against."""

    protocol: Protocol
    who: Habits
    when: Turn
    rng: random.Random
    walks: list[Walk] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    walked: bool = False  # walked yesterday: this morning is judged against it
    pain: int | None = None  # yesterday's morning pain (and pain before walking)
    flared: int = 0  # the flare morning's pain; 0 before it
    since_flare: int = 0  # days since the flare morning

    def morning(self, date: dt.date, day: int, left: int) -> CheckIn:
        """The check-in ``day`` days into the plan, ``left`` days before the
        last: settled (at most a point above yesterday's) and a little better as
        the weeks go, unless the story turns."""
        who, when, rng = self.who, self.when, self.rng
        # the worsening story never got better: its mornings creep up from the usual
        better = 0 if when.creep_from >= 0 else min(day // 28, who.pain - 1)
        pain = max(0, who.pain - better - rng.choice((0, 0, 0, 1)))
        stiffness = max(5, who.stiffness - day // 2 + rng.randint(-2, 2))
        sleep = who.sleep + min(day // 10, 3) + rng.choice((0, 0, 1))
        focus = who.focus + min(day // 21, 2) + rng.choice((0, 0, 1))
        if 0 <= left <= when.creep_from:
            # a point more every three days: never a flare overnight, but two
            # points past the usual morning within a week and a half
            crept = when.creep_from - left + 1
            pain = who.pain + min(CREEP_PAIN, (crept + 1) // 3)
            stiffness += crept
            sleep, focus = sleep - crept // 6, focus - crept // 8
        if self._flares(left):
            # a sharp rise over yesterday's pain before walking: a strong flare
            rise = self.protocol.tolerance.severe_flare_rise
            self.flared = pain = (self.pain or pain) + rise
        else:
            if self.flared:
                self.since_flare += 1  # settling back, a point a day
                pain = max(pain, self.flared - self.since_flare)
            if self.pain is not None:
                pain = min(pain, self.pain + 1)
        return CheckIn(
            date=date,
            pain=pain,
            morning_stiffness_min=stiffness,
            sleep=min(10, max(0, sleep)),
            focus=min(10, max(0, focus)),
        )

    def _flares(self, left: int) -> bool:
        """The flare comes on the story's day, or the first morning after a walk."""
        return not self.flared and self.walked and 0 <= left <= self.when.flare_on

    def _misses(self, date: dt.date, left: int) -> bool:
        """A walk missed now and then: on one weekday, some weeks (none just
        before the flare, which follows a walk)."""
        when = self.when
        if when.flare_on >= 0 and not self.flared and left <= when.flare_on + 1:
            return False
        if date.weekday() != self.who.missed_day:
            return False
        return self.rng.random() < self.who.misses

    def walks_on(self, rx: Prescription, checkin: CheckIn, left: int) -> list[Walk]:
        """The day's walks: what the plan prescribes, on most days."""
        if rx.sessions == 0 or (self.flared and self.since_flare == 0):
            return []  # a rest day, or too sore to walk on the flare's morning
        when = self.when
        if self._misses(checkin.date, left):
            return []
        minutes = float(rx.minutes_per_session)
        if 0 <= left <= when.overdo_from:
            minutes = round(minutes * self.who.overdo)
        before, tol = checkin.pain, self.protocol.tolerance
        return [
            Walk(
                date=checkin.date,
                minutes=minutes,
                terrain=rx.terrain[0] if rx.terrain else Terrain.FLAT,
                pace=rx.pace,
                pain_before=before,
                pain_during=_within(
                    before, self.rng.choice((0, 0, 1)), tol.max_pain_during
                ),
                pain_after=_within(before, self.rng.choice((0, 1)), tol.max_pain_after),
            )
            for _ in range(rx.sessions)
        ]


def _within(before: int, rise: int, limit: int) -> int:
    """Pain during or after a walk: up to ``rise`` above the pain before it, kept
    within the program's ``limit`` unless the walk began past it."""
    return max(before, min(before + rise, limit))
