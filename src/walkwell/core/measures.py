"""Outcome measures over time: when they are due, and what a change means.

One schedule for every path: the engine marks the day an occasion opens
(``measures_due`` in the simulator), the pages and the CLI ask while an occasion is
open and unanswered. A change from the first answer to the latest is judged against
the measure's minimal important change, both from the protocol.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from walkwell.core.protocol import Measure, Protocol

NAMES = {
    "pain_nrs": "pain rating",
    "psfs": "activities score",
    "start_back": "STarT Back risk group",
}
# The questionnaires themselves, as a person or a clinician reads their names
# (NAMES above are the names of their scores).
QUESTIONNAIRES = {
    "pain_nrs": "pain rating",
    "psfs": "Patient-Specific Functional Scale",
    "start_back": "STarT Back",
}
# Pain falls when things improve; the activities score rises.
LOWER_IS_BETTER = frozenset({"pain_nrs"})
RISK_ORDER = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Answer:
    """One stored answer to a measure: its score, and its risk group if it has one."""

    measure: str
    date: dt.date
    score: float
    risk: str | None = None

    @property
    def questionnaire(self) -> str:
        """The questionnaire's name, as a person or a clinician reads it."""
        return QUESTIONNAIRES.get(self.measure, self.measure)


@dataclass(frozen=True, slots=True)
class Change:
    measure: str
    baseline: Answer
    latest: Answer
    meaningful: bool
    improved: bool
    sentence: str


@dataclass(frozen=True, slots=True)
class Advice:
    text: str
    source: str
    lessons: tuple[str, ...]


# --- the schedule ------------------------------------------------------------------


def occasions(protocol: Protocol, start: dt.date) -> Iterator[dt.date]:
    """The days the measures are asked, from the start on, without end."""
    schedule = protocol.measure_schedule
    for week in schedule.weeks:
        yield start + dt.timedelta(weeks=week)
    week = schedule.weeks[-1]
    while True:
        week += schedule.repeat_weeks
        yield start + dt.timedelta(weeks=week)


def opens_on(protocol: Protocol, start: dt.date, day: dt.date) -> bool:
    """Whether an occasion to answer the measures begins on ``day``."""
    for occasion in occasions(protocol, start):
        if occasion >= day:
            return occasion == day
    return False  # pragma: no cover - occasions never end


def due_ids(protocol: Protocol, start: dt.date, day: dt.date) -> tuple[str, ...]:
    """The measures that open on ``day`` (the simulator's ``measures_due``)."""
    if not opens_on(protocol, start, day):
        return ()
    return tuple(m.id for m in protocol.measures)


def open_occasion(
    protocol: Protocol, start: dt.date, day: dt.date, answered: Iterable[dt.date]
) -> dt.date | None:
    """The occasion still waiting for answers on ``day``, if any."""
    schedule = protocol.measure_schedule
    latest = None
    for occasion in occasions(protocol, start):
        if occasion > day:
            break
        latest = occasion
    if latest is None or (day - latest).days >= schedule.open_days:
        return None
    early = latest - dt.timedelta(days=schedule.early_days)
    first = early if latest > start else dt.date.min  # onboarding answers count
    if any(first <= a <= day for a in answered):
        return None
    return latest


# --- what a change means ----------------------------------------------------------


def measure(protocol: Protocol, measure_id: str) -> Measure:
    return next(m for m in protocol.measures if m.id == measure_id)


def change(protocol: Protocol, baseline: Answer, latest: Answer) -> Change:
    """The first answer against the latest, with the minimal important change."""
    if baseline.measure == "start_back":
        return _risk_change(baseline, latest)
    mic = measure(protocol, baseline.measure).mic
    diff = latest.score - baseline.score
    better = -diff if baseline.measure in LOWER_IS_BETTER else diff
    meaningful = abs(diff) >= mic
    verb = "rose" if diff > 0 else "fell" if diff < 0 else "stayed at"
    a, b = _number(baseline), _number(latest)
    values = f"from {a} to {b}" if diff else a
    head = f"Your {NAMES[baseline.measure]} {verb} {values}"
    if meaningful:
        tail = "a meaningful improvement" if better > 0 else "a meaningful worsening"
    else:
        tail = f"less than the {mic:g} points that make a meaningful change"
    sentence = f"{head}: {tail}."
    return Change(baseline.measure, baseline, latest, meaningful, better > 0, sentence)


def _number(answer: Answer) -> str:
    return f"{answer.score:.1f}" if answer.measure == "psfs" else f"{answer.score:g}"


def _risk_change(baseline: Answer, latest: Answer) -> Change:
    before, now = baseline.risk or "low", latest.risk or "low"
    name = NAMES["start_back"]
    if before == now:
        sentence = f"Your {name} stayed {now}: no change of group."
        return Change("start_back", baseline, latest, False, False, sentence)
    improved = RISK_ORDER.index(now) < RISK_ORDER.index(before)
    tail = "a meaningful improvement" if improved else "a meaningful worsening"
    sentence = f"Your {name} went from {before} to {now}: {tail}."
    return Change("start_back", baseline, latest, True, improved, sentence)


def changes(protocol: Protocol, answers: Iterable[Answer]) -> list[Change]:
    """For each measure answered at least twice: the first against the latest."""
    by_measure: dict[str, list[Answer]] = {}
    for answer in sorted(answers, key=lambda a: a.date):
        by_measure.setdefault(answer.measure, []).append(answer)
    return [
        change(protocol, found[0], found[-1])
        for m in protocol.measures
        if len(found := by_measure.get(m.id, [])) > 1
    ]


def start_back_advice(protocol: Protocol, risk: str | None) -> Advice | None:
    """NICE NG59's advice for the high-risk group; nothing for the others."""
    if risk != "high":
        return None
    rule = protocol.start_back_advice
    return Advice(text=rule.high, source=rule.source, lessons=rule.lessons)


def same_activities(first: list[str], given: list[str]) -> str | None:
    """PSFS asks again about the activities named the first time: what is wrong, if
    the names given now differ from them."""
    if not first or {a.casefold() for a in first} == {a.casefold() for a in given}:
        return None
    return "rate the same activities as the first time: " + ", ".join(first)
