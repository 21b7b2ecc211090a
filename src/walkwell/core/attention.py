"""Who needs a clinician first: a person's day in attention reasons, ranked.

Pure, like the rest of core: the engine's plan for ``today``, the person's history
and outcome answers, and ``today`` come in; reasons come out, each with its rank
(0 is the most urgent). The engine decides the stops, flares and pauses; this
module only says which of them, and which quieter signs (a measure worse beyond
its minimal important change, walking well past the plan day after day, walking
dropping off, silence), put a person
forward on a clinician's list. Its thresholds are protocol data (``[attention]``)
with their source; a protocol without that table uses ``DEFAULT_ATTENTION``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from walkwell.core import measures
from walkwell.core.measures import Answer
from walkwell.core.model import DayPlan, Decision, History
from walkwell.core.protocol import Attention, Protocol

# The reasons, most urgent first: a reason's rank is its place here.
REASONS: tuple[str, ...] = (
    "urgent_red_flag",  # the engine says: seek urgent care
    "warning_sign",  # stopped until a clinician has reviewed it
    "pause_reassess",  # the plan is paused for a reassessment
    "flare",  # a flare plan is running
    "measures_worse",  # an outcome measure worse by at least its MIC
    "overdoing",  # walked well past the plan on several days of the last week
    "adherence_falling",  # far fewer minutes walked than the fortnight before
    "no_data",  # nothing recorded for days
    "measures_due",  # the outcome measures wait for answers
)
RANK = {code: i for i, code in enumerate(REASONS)}
NO_ATTENTION = len(REASONS)  # the rank of someone with no reason at all

LABELS = {
    "urgent_red_flag": "Urgent red flag",
    "warning_sign": "Stopped: awaiting review",
    "pause_reassess": "Paused to reassess",
    "flare": "Flare plan running",
    "measures_worse": "Outcome measure worse",
    "overdoing": "Walking past the plan",
    "adherence_falling": "Walking dropping off",
    "no_data": "Nothing recorded",
    "measures_due": "Measures due",
}

DEFAULT_ATTENTION = Attention(
    no_data_days=7,
    adherence_days=14,
    adherence_ratio=0.5,
    adherence_min_minutes=60,
    overdo_days=3,
    overdo_window_days=7,
    source="seed",
    why="Used when a protocol has no [attention] table.",
)


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason to look at a person, with the day it began when that is known."""

    code: str
    text: str
    source: str
    since: dt.date | None = None

    @property
    def rank(self) -> int:
        return RANK[self.code]

    @property
    def label(self) -> str:
        return LABELS[self.code]


def rules(protocol: Protocol) -> Attention:
    return protocol.attention or DEFAULT_ATTENTION


def urgency(reasons: Iterable[Reason]) -> int:
    """The rank of the most urgent reason; ``NO_ATTENTION`` for none."""
    return min((r.rank for r in reasons), default=NO_ATTENTION)


def reasons_for(
    protocol: Protocol,
    history: History,
    plan: DayPlan,
    answers: Sequence[Answer],
    today: dt.date,
    *,
    recent: Sequence[DayPlan],
) -> tuple[Reason, ...]:
    """Every reason to look at this person on ``today``, most urgent first.

    ``plan`` is the engine's plan for ``today``; ``answers`` the person's outcome
    answers, oldest first; ``recent`` the engine's explained plans (their warnings
    named) for the last ``rules(protocol).overdo_window_days`` days up to
    ``today`` (``engine.window``): days outside them are not counted.
    """
    found = [
        *_from_plan(protocol, history, plan, today),
        *_from_measures(protocol, history, answers, today),
        *_from_walking(protocol, history, today),
        *_from_warnings(protocol, recent, today),
    ]
    return tuple(sorted(found, key=lambda r: r.rank))


def _last_signs(history: History, today: dt.date) -> dt.date | None:
    days = [w.date for w in history.walks if w.warning_signs and w.date <= today]
    days += [
        c.date
        for c in history.checkins
        if (c.warning_signs or c.red_flags) and c.date <= today
    ]
    days += [
        s.date
        for s in history.symptoms
        if (s.warning_signs or s.red_flags) and s.date <= today
    ]
    if history.screening.red_flags:
        days.append(history.screening.date)
    return max(days, default=None)


def _from_plan(
    protocol: Protocol, history: History, plan: DayPlan, today: dt.date
) -> list[Reason]:
    source = protocol.safety.source
    if plan.decision is Decision.SEEK_URGENT_CARE:
        text = "Reported a sign that needs urgent care today."
        return [Reason("urgent_red_flag", text, source, _last_signs(history, today))]
    if plan.decision is Decision.STOP_CONSULT:
        text = "Walking is stopped until a clinician reviews a reported sign."
        return [Reason("warning_sign", text, source, _last_signs(history, today))]
    out = []
    if plan.decision is Decision.PAUSE_REASSESS:
        why = plan.reasons[0].text if plan.reasons else ""
        text = f"The plan is paused for a reassessment. {why}".strip()
        out.append(Reason("pause_reassess", text, protocol.reassess.source))
    if plan.flare_plan:
        text = "A flare plan is running: lighter walks for a few days."
        out.append(Reason("flare", text, protocol.flare_plan.source))
    return out


def _from_measures(
    protocol: Protocol, history: History, answers: Sequence[Answer], today: dt.date
) -> list[Reason]:
    known = [a for a in answers if a.date <= today]
    out = []
    for change in measures.changes(protocol, known):
        if change.meaningful and not change.improved:
            source = (
                protocol.start_back_advice.source
                if change.measure == "start_back"
                else measures.measure(protocol, change.measure).mic_source
            )
            out.append(
                Reason("measures_worse", change.sentence, source, change.latest.date)
            )
    occasion = measures.open_occasion(
        protocol, history.start, today, (a.date for a in known)
    )
    if occasion is not None:
        text = f"The outcome measures are due since {occasion.isoformat()}."
        out.append(
            Reason("measures_due", text, protocol.measure_schedule.source, occasion)
        )
    return out


def _from_walking(protocol: Protocol, history: History, today: dt.date) -> list[Reason]:
    rule = rules(protocol)
    out = []
    last = max(
        (
            *(w.date for w in history.walks if w.date <= today),
            *(c.date for c in history.checkins if c.date <= today),
            *(s.date for s in history.symptoms if s.date <= today),
        ),
        default=None,
    )
    quiet_since = last or history.start
    quiet = (today - quiet_since).days
    if today >= history.start and quiet >= rule.no_data_days:
        what = f"since {last.isoformat()}" if last else "since the start"
        text = f"Nothing recorded for {quiet} days ({what})."
        out.append(Reason("no_data", text, rule.source, quiet_since))
    window = dt.timedelta(days=rule.adherence_days)
    recent_from, before_from = today - window, today - 2 * window
    recent = before = 0.0
    for walk in history.walks:
        if before_from < walk.date <= recent_from:
            before += walk.minutes
        elif recent_from < walk.date <= today:
            recent += walk.minutes
    if before >= rule.adherence_min_minutes and recent < before * rule.adherence_ratio:
        text = (
            f"Walked {recent:.0f} minutes in the last {rule.adherence_days} days, "
            f"against {before:.0f} in the {rule.adherence_days} before."
        )
        since = recent_from + dt.timedelta(days=1)
        out.append(Reason("adherence_falling", text, rule.source, since))
    return out


OVERDO_RULE = "mistakes.too_much_too_early"  # the engine's warning it counts


def _from_warnings(
    protocol: Protocol, recent: Sequence[DayPlan], today: dt.date
) -> list[Reason]:
    """Walking well past the plan, day after day: ``overdo_days`` of the last
    ``overdo_window_days`` on which the engine warned "too much, too early".

    The engine warns on the day and holds the dose; the list counts the days.
    One long walk in a week is a good day out; three (the seed's threshold) is
    every other day past the plan, a habit a physiotherapist wants to talk
    through before it ends in a flare. The reason's source is the program's own
    mistake ("too much, too early"); its threshold is the [attention] table's.
    """
    rule = rules(protocol)
    first = today - dt.timedelta(days=rule.overdo_window_days - 1)
    days = sorted(
        {
            p.date
            for p in recent
            if first <= p.date <= today
            and any(w.rule == OVERDO_RULE for w in p.warnings)
        }
    )
    if len(days) < rule.overdo_days:
        return []
    text = (
        f"Walked well past the plan on {len(days)} of the last "
        f'{rule.overdo_window_days} days (the engine warned "too much, too early").'
    )
    source = protocol.mistake("too_much_too_early").source
    return [Reason("overdoing", text, source, days[0])]
