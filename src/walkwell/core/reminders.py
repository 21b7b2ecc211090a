"""Reminders by email: which fall due in a window of time, and what each says.

Pure: the window, the person's zone and times, and the day's plan are passed in.
The rules are data below, each with its source; the sending (and the record that
keeps each reminder to once a day) lives in ``web.accounts.reminders``.

A reminder is due at the person's own local time on their own local day: 07:30 in
Sydney and 07:30 in Los Angeles are different instants, and a time that a change
of clocks skips or repeats falls once (the earlier reading).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from walkwell.core.model import DayPlan, Reason

# What a person opts in to (and unsubscribes from): the morning check-in, the walks.
Topic = Literal["checkin", "walks"]
TOPICS: tuple[Topic, ...] = ("checkin", "walks")
# One reminder of each kind at most on each of the person's days.
Kind = Literal["checkin", "walk1", "walk2"]
TOPIC_OF: dict[Kind, Topic] = {"checkin": "checkin", "walk1": "walks", "walk2": "walks"}
# What the email says: check in, walk now, or (a stop day) do not walk: do this.
Message = Literal["checkin", "walk", "stop"]

# A reminder later than this is not sent at all: its moment has passed (a server
# that was down all morning does not send the morning's check-in at noon).
LATEST = dt.timedelta(hours=2)

RULES: dict[str, Reason] = {
    r.rule: r
    for r in (
        Reason(
            rule="reminders.walk_at_own_time",
            source="seed",
            text="One reminder for each planned walk, at the person's own reminder "
            "time for it: walks that repeat reliably are the ones that help.",
        ),
        Reason(
            rule="reminders.stop_day",
            source="seed",
            text="On a stop day no walk is reminded: warning signs are signals to "
            "pause and consult a physiotherapist or musculoskeletal specialist, so "
            "the walk reminder becomes a note not to walk on as planned, with what "
            "to do instead (the tier's own action).",
        ),
        Reason(
            rule="reminders.checkin_after_walk_day",
            source="seed",
            text="The morning check-in is reminded on the morning after a day with "
            "planned walks: how the body feels 12 to 24 hours after a walk is what "
            "the plan is judged by.",
        ),
        Reason(
            rule="reminders.checkin_done",
            source="seed",
            text="No check-in reminder once the day's check-in is recorded.",
        ),
        Reason(
            rule="reminders.look_back_on_review_day",
            source="seed",
            text="On a review day the week's look back comes with the day's first "
            "walk reminder (or the check-in reminder when walks are not reminded).",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Times:
    """The person's reminder times (their local clock)."""

    checkin: dt.time
    first_walk: dt.time
    second_walk: dt.time

    def of(self, kind: Kind) -> dt.time:
        return {
            "checkin": self.checkin,
            "walk1": self.first_walk,
            "walk2": self.second_walk,
        }[kind]


@dataclass(frozen=True, slots=True)
class Slot:
    """A reminder's moment: its kind, the person's local day, and the instant."""

    kind: Kind
    day: dt.date
    at: dt.datetime  # aware, in the person's zone


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: Kind
    day: dt.date
    message: Message
    walk_number: int  # 1 or 2 for a walk, 0 for the check-in
    walks_planned: int
    look_back: bool  # the day held the weekly review and this reminder carries it
    reason: Reason


def window_start(
    now: dt.datetime, last_pass: dt.datetime | None, first: dt.timedelta
) -> dt.datetime:
    """Where a pass begins: at the last finished pass, never more than ``LATEST``
    back; the very first pass looks back ``first`` only."""
    if last_pass is None:
        return now - first
    return max(last_pass, now - LATEST)


def slots_due(
    start: dt.datetime,
    end: dt.datetime,
    zone: dt.tzinfo,
    times: Times,
    topics: frozenset[Topic],
) -> list[Slot]:
    """The reminders of ``topics`` whose local moment falls in (start, end]."""
    first_day = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    kinds = [k for k in TOPIC_OF if TOPIC_OF[k] in topics]
    found: list[Slot] = []
    day = first_day
    while day <= last_day:
        for kind in kinds:
            at = dt.datetime.combine(day, times.of(kind), tzinfo=zone)
            if start < at <= end:
                found.append(Slot(kind=kind, day=day, at=at))
        day += dt.timedelta(days=1)
    return sorted(found, key=lambda s: s.at)


def reminder_for(
    kind: Kind,
    plan: DayPlan,
    *,
    day_before: DayPlan | None,
    checked_in: bool,
    topics: frozenset[Topic],
) -> Reminder | None:
    """What the ``kind`` reminder of ``plan``'s day says, or None for no email."""
    look_back = plan.reviewed and (kind == "walk1" or "walks" not in topics)
    if kind == "checkin":
        walked_before = day_before is not None and day_before.prescription.sessions
        if checked_in or not walked_before:
            return None
        return _reminder(kind, plan, look_back, "checkin", "checkin_after_walk_day")
    return _walk_reminder(kind, plan, look_back)


def _walk_reminder(kind: Kind, plan: DayPlan, look_back: bool) -> Reminder | None:
    number = 1 if kind == "walk1" else 2
    if plan.decision.is_escalation:
        if number != 1:
            return None
        return _reminder(kind, plan, look_back, "stop", "stop_day")
    if plan.prescription.sessions < number:
        return None
    return _reminder(kind, plan, look_back, "walk", "walk_at_own_time", number=number)


def _reminder(
    kind: Kind,
    plan: DayPlan,
    look_back: bool,
    message: Message,
    rule: str,
    *,
    number: int = 0,
) -> Reminder:
    return Reminder(
        kind=kind,
        day=plan.date,
        message=message,
        walk_number=number,
        walks_planned=plan.prescription.sessions,
        look_back=look_back,
        reason=RULES[f"reminders.{rule}"],
    )
