"""A small builder for simulator scenarios, so each test reads like a person's story.

Days are counted from the plan's start (day 0 is ``STORY_START``, the simulator stories' own first day). Every helper returns
plain scenario dictionaries: the tests drive the engine only through its public
contract, ``walkwell.core.simulate.run_scenario``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from walkwell.core.simulate import run_scenario

STORY_START = dt.date(2026, 1, 5)  # a Monday; the stories' answers name January's days

Day = dict[str, Any]


def date(n: int) -> str:
    """The ISO date ``n`` days after the start."""
    return (STORY_START + dt.timedelta(days=n)).isoformat()


def walk_event(n: int, minutes: float = 12, **fields: Any) -> dict[str, Any]:
    """A settled, easy, flat walk with pain 2 -> 3 -> 2 unless told otherwise."""
    event: dict[str, Any] = {
        "date": date(n),
        "type": "walk",
        "minutes": minutes,
        "terrain": "flat",
        "pace": "easy",
        "pain_before": 2,
        "pain_during": 3,
        "pain_after": 2,
        "warning_signs": [],
        "cooldown": True,
        "load_kg": 0,
    }
    event.update(fields)
    return event


def checkin_event(n: int, pain: int = 2, **fields: Any) -> dict[str, Any]:
    """A quiet morning check-in unless told otherwise."""
    event: dict[str, Any] = {
        "date": date(n),
        "type": "checkin",
        "pain": pain,
        "morning_stiffness_min": 20,
        "sleep": 6,
        "focus": 6,
    }
    event.update(fields)
    return event


@dataclass
class Story:
    """One person's scenario, built up event by event."""

    baseline_minutes: float = 12
    red_flags: list[str] = field(default_factory=list)
    protocol: str = "seed-3-phase"
    events: list[dict[str, Any]] = field(default_factory=list)
    profile_extra: dict[str, Any] = field(default_factory=dict)

    def walk(self, n: int, minutes: float = 12, **fields: Any) -> Story:
        self.events.append(walk_event(n, minutes, **fields))
        return self

    def checkin(self, n: int, pain: int = 2, **fields: Any) -> Story:
        self.events.append(checkin_event(n, pain, **fields))
        return self

    def clearance(self, n: int, at: str | None = None) -> Story:
        event: dict[str, Any] = {
            "date": date(n),
            "type": "clearance",
            "by": "clinician",
        }
        if at is not None:
            event["at"] = at
        self.events.append(event)
        return self

    def screening(
        self, n: int, red_flags: list[str] | None = None, at: str | None = None
    ) -> Story:
        """The red-flag questions asked again on day ``n`` (none reported by default)."""
        event: dict[str, Any] = {
            "date": date(n),
            "type": "screening",
            "red_flags": list(red_flags or []),
        }
        if at is not None:
            event["at"] = at
        self.events.append(event)
        return self

    def directive(
        self,
        n: int,
        action: str,
        reason: str = "Reviewed in clinic",
        by: str = "Dr Chen",
        **fields: Any,
    ) -> Story:
        """A clinician's directive on day ``n``: hold, step_back, advance or
        threshold (``threshold`` and ``value``; a hold may name ``until``)."""
        event: dict[str, Any] = {
            "date": date(n),
            "type": "clinician",
            "action": action,
            "by": by,
            "reason": reason,
        }
        event.update(fields)
        self.events.append(event)
        return self

    def scenario(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "start": date(0),
            "profile": {
                "baseline_minutes": self.baseline_minutes,
                **self.profile_extra,
            },
            "screening": {"red_flags": list(self.red_flags)},
            "events": list(self.events),
        }

    def run(self) -> list[Day]:
        days: list[Day] = run_scenario(self.scenario())["days"]
        return days

    def plan_for(self, n: int) -> Day:
        """The plan for day ``n``, given the events logged so far."""
        days = self.run()
        assert len(days) > n, f"the timeline ends before day {n}"
        return days[n]

    def follow_plan(
        self,
        first: int,
        last: int,
        *,
        pain: int = 2,
        improving: bool = True,
        mornings: Callable[[int], dict[str, Any]] | None = None,
    ) -> Story:
        """Days ``first``..``last``: a morning check-in, then every prescribed walk.

        Pain stays low and settles; with ``improving`` sleep and focus get a point
        better each week and morning stiffness eases, as the seed hopes.
        ``mornings`` gives a day's own check-in answers instead (its ``pain`` is
        also the pain before that day's walks).
        """
        for n in range(first, last + 1):
            gain = n // 7 if improving else 0
            morning: dict[str, Any] = {
                "pain": pain,
                "morning_stiffness_min": max(0, 30 - 3 * gain),
                "sleep": min(10, 4 + gain),
                "focus": min(10, 4 + gain),
            }
            if mornings is not None:
                morning.update(mornings(n))
            if n > 0:
                self.events.append(checkin_event(n, **morning))
            rx = self._prescription_today(n)
            before = morning["pain"]
            for _ in range(rx["sessions"]):
                self.walk(
                    n,
                    rx["minutes_per_session"],
                    terrain=rx["terrain"][0],
                    pace=rx["pace"],
                    pain_before=before,
                    pain_during=before + 1,
                    pain_after=before,
                )
        return self

    def _prescription_today(self, n: int) -> dict[str, Any]:
        # a check-in is logged every day after the first, so the timeline reaches n
        return dict(self.plan_for(n)["prescription"])


def decisions(days: list[Day]) -> list[str]:
    return [d["decision"] for d in days]


def rules(day: Day) -> list[str]:
    """The rule names a day's reasons cite, in order."""
    return [_rule(text) for text in day["reasons"]]


def warning_rules(day: Day) -> list[str]:
    return [_rule(text) for text in day["warnings"]]


def _rule(text: str) -> str:
    marker = "(rule: "
    start = text.rindex(marker) + len(marker)
    return text[start : text.index(";", start)]


def source_of(text: str) -> str:
    marker = "; source: "
    start = text.rindex(marker) + len(marker)
    return text[start : text.rindex(")")]
