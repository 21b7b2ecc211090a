"""The day the pages and the CLI show equals the simulator's day for the same story.

A story is generated (walks with their pain, ground, pace, shoes and load; morning
check-ins; rare warning signs, red flags, clearances and re-screens, each at its
time of day; readiness answers and a go-ahead), stored through the real
services on the test database, and read back through the selectors (what Today
shows) and the ``walkwell today --json`` command; the simulator replays the same
story with no database. Every day must match, reasons and warnings included.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import time_machine
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.cast import START
from walkwell.cli import app
from walkwell.cli_context import LOCAL_USERNAME
from walkwell.core.plan_json import day_json
from walkwell.core.protocol import DEFAULT_PROTOCOL, load_protocol
from walkwell.core.simulate import run_scenario
from walkwell.web.program import selectors, services
from walkwell.web.program.models import Person

SEED = load_protocol(DEFAULT_PROTOCOL)
SHOES = [None, "supportive", "unsupportive", "worn_out", "barefoot_style"]


def _date(n: int) -> str:
    return (START + dt.timedelta(days=n)).isoformat()


walks = st.fixed_dictionaries(
    {
        "type": st.just("walk"),
        "minutes": st.integers(1, 50),
        "terrain": st.sampled_from(["flat", "grass", "incline", "hills", "uneven"]),
        "pace": st.sampled_from(["easy", "moderate", "brisk", "intervals"]),
        "pain_before": st.integers(0, 6),
        "pain_during": st.integers(0, 9),
        "pain_after": st.integers(0, 8),
        "warning_signs": st.lists(st.sampled_from(SEED.warning_sign_ids), max_size=1),
        "cooldown": st.booleans(),
        "load_kg": st.sampled_from([0, 0, 0, 2, 4]),
        "footwear": st.sampled_from(SHOES),
    }
)
checkins = st.fixed_dictionaries(
    {
        "type": st.just("checkin"),
        "pain": st.integers(0, 9),
        "morning_stiffness_min": st.integers(0, 60),
        "sleep": st.integers(0, 10),
        "focus": st.integers(0, 10),
        "red_flags": st.lists(st.sampled_from(SEED.red_flag_ids), max_size=1),
    }
)


@st.composite
def stories(draw: st.DrawFn) -> dict[str, Any]:
    length = draw(st.integers(1, 24))
    events: list[dict[str, Any]] = []
    for n in range(length):
        if n and draw(st.integers(0, 4)):
            events.append({**draw(checkins), "date": _date(n)})
        events.extend(
            {**walk, "date": _date(n)} for walk in draw(st.lists(walks, max_size=2))
        )
        if draw(st.integers(0, 14)) == 0:
            events.append({"type": "clearance", "date": _date(n), "by": "Dr Carol"})
        if draw(st.integers(0, 14)) == 0:
            flags = draw(st.sampled_from([[], [], ["fever"]]))
            events.append({"type": "screening", "date": _date(n), "red_flags": flags})
    # each event at its own time of day, in the order the story lists them
    events = [
        {**e, "at": f"{8 + i // 60:02d}:{i % 60:02d}"} for i, e in enumerate(events)
    ]
    flags = draw(st.lists(st.sampled_from(["fever", "cancer_history"]), max_size=1))
    profile: dict[str, Any] = {
        "baseline_minutes": draw(st.integers(1, 40)),
        "footwear": draw(st.sampled_from(SHOES)),
    }
    if draw(st.integers(0, 3)) == 0:
        profile["readiness"] = draw(
            st.lists(st.sampled_from(["pregnancy", "heart_disease"]), max_size=1)
        )
        if draw(st.booleans()):
            profile["go_ahead"] = _date(draw(st.integers(0, length)))
    return {
        "protocol": DEFAULT_PROTOCOL,
        "start": START.isoformat(),
        "profile": profile,
        "screening": {"red_flags": flags if draw(st.integers(0, 5)) == 0 else []},
        "events": events,
    }


def _store(scenario: dict[str, Any]) -> Person:
    """The story, stored as the pages and the CLI store it."""
    profile = scenario["profile"]
    person = services.enrollment_start(
        user=User.objects.create_user(username=LOCAL_USERNAME),
        start=START,
        baseline_minutes=profile["baseline_minutes"],
        red_flags=scenario["screening"]["red_flags"],
        footwear=profile["footwear"],
    )
    if profile.get("readiness"):
        services.readiness_record(
            person=person, day=START, answers=profile["readiness"]
        )
    if profile.get("go_ahead"):
        day = dt.date.fromisoformat(profile["go_ahead"])
        services.go_ahead_record(person=person, date=day, by="Dr Okafor")
    for event in scenario["events"]:
        fields = {k: v for k, v in event.items() if k not in {"type", "date", "at"}}
        day = dt.date.fromisoformat(event["date"])
        at = dt.datetime.combine(day, dt.time.fromisoformat(event["at"]), tzinfo=dt.UTC)
        with time_machine.travel(at, tick=False):
            _store_event(person, event["type"], day, fields)
    return person


def _store_event(
    person: Person, kind: str, day: dt.date, fields: dict[str, Any]
) -> None:
    if kind == "walk":
        services.walk_log(person=person, date=day, **fields)
    elif kind == "checkin":
        services.checkin_record(person=person, date=day, **fields)
    elif kind == "screening":
        services.screening_record(person=person, day=day, red_flags=fields["red_flags"])
    else:
        services.clearance_record(person=person, date=day, by=fields["by"])


def _cli_day(day: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["today", "--date", day, "--json"])
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)
    return found


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=stories(), pick=st.integers(0, 10_000))
def test_the_pages_and_the_cli_show_the_simulators_day(
    db: None, scenario: dict[str, Any], pick: int
) -> None:
    simulated = run_scenario(scenario)["days"]
    with transaction.atomic():
        person = _store(scenario)
        protocol = selectors.protocol_for(person)
        shown = [
            day_json(protocol, selectors.plan_for(person, START + dt.timedelta(days=i)))
            for i in range(len(simulated))
        ]
        assert shown == simulated
        some_day = simulated[pick % len(simulated)]
        assert _cli_day(some_day["date"]) == some_day
        assert _cli_day(simulated[-1]["date"]) == simulated[-1]
        transaction.set_rollback(True)
