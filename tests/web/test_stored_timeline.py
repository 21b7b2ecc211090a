"""The stored timeline never disagrees with a fresh replay.

Any sequence of writes (walks, check-ins and their amendments, symptoms,
clearances, screenings, outcome measures, a clinician's hold, step back, advance
and threshold), each followed by reads that store
answers (Today's day, a Progress window, the CLI's timeline), leaves every stored
answer equal to the engine replaying the stored rows from scratch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cast import START
from walkwell.core import engine
from walkwell.core.limits import ValidationProblem
from walkwell.core.protocol import DEFAULT_PROTOCOL, load_protocol
from walkwell.web.program import (
    selectors,
    services,
    services_care,
    services_symptoms,
    versions,
)
from walkwell.web.program.models import ActionKind, Person
from walkwell.web.program.permissions import RequestMeta
from walkwell.web.program.roles import Role

SEED = load_protocol(DEFAULT_PROTOCOL)
DAYS = 20

day_offsets = st.integers(0, DAYS - 1)
writes = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("walk"),
            "day": day_offsets,
            "minutes": st.integers(1, 50),
            "pain_during": st.integers(0, 9),
            "warning_signs": st.lists(
                st.sampled_from(SEED.warning_sign_ids), max_size=1
            ),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("checkin"),
            "day": day_offsets,
            "pain": st.integers(0, 9),
            "sleep": st.integers(0, 10),
        }
    ),
    st.fixed_dictionaries(
        {"type": st.just("amend"), "day": day_offsets, "pain": st.integers(0, 9)}
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("symptom"),
            "day": day_offsets,
            "red_flags": st.lists(st.sampled_from(SEED.red_flag_ids), max_size=1),
            "warning_signs": st.lists(
                st.sampled_from(SEED.warning_sign_ids), max_size=1
            ),
        }
    ),
    st.fixed_dictionaries({"type": st.just("clearance"), "day": day_offsets}),
    st.fixed_dictionaries({"type": st.just("screening"), "day": day_offsets}),
    st.fixed_dictionaries(
        {"type": st.just("measure"), "day": day_offsets, "pain": st.integers(0, 10)}
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("directive"),
            "day": day_offsets,
            "kind": st.sampled_from(["hold", "step_back", "advance"]),
        }
    ),
    st.fixed_dictionaries(
        {"type": st.just("threshold"), "day": day_offsets, "value": st.integers(1, 3)}
    ),
)
META = RequestMeta(ip="198.51.100.7", user_agent="tests")


def _clinician_writes(person: Person, clinician: User, w: dict[str, Any]) -> None:
    day = START + dt.timedelta(days=w["day"])
    if w["type"] == "threshold":
        services_care.threshold_adjust(
            clinician=clinician,
            person=person,
            threshold="tolerance.flare_rise",
            value=w["value"],
            day=day,
            reason="Her ratings wobble",
            request_meta=META,
        )
        return
    services_care.decision_override(
        clinician=clinician,
        person=person,
        kind=ActionKind(w["kind"]),
        day=day,
        reason="Reviewed in clinic",
        request_meta=META,
    )


def _write(person: Person, clinician: User, w: dict[str, Any]) -> None:
    day = START + dt.timedelta(days=w["day"])
    kind = w["type"]
    if kind in {"directive", "threshold"}:
        _clinician_writes(person, clinician, w)
    elif kind == "walk":
        services.walk_log(
            person=person,
            date=day,
            minutes=w["minutes"],
            pain_before=2,
            pain_during=w["pain_during"],
            pain_after=2,
            warning_signs=w["warning_signs"],
        )
    elif kind == "checkin":
        services.checkin_record(
            person=person,
            date=day,
            pain=w["pain"],
            morning_stiffness_min=10,
            sleep=w["sleep"],
            focus=5,
        )
    elif kind == "amend":
        services_symptoms.checkin_amend(person=person, date=day, pain=w["pain"])
    elif kind == "symptom":
        services_symptoms.symptom_report(
            person=person,
            date=day,
            red_flags=w["red_flags"],
            warning_signs=w["warning_signs"] or ["radiating_leg_pain"],
        )
    elif kind == "clearance":
        services.clearance_record(person=person, date=day, by="Dr Carol")
    elif kind == "screening":
        services.screening_record(person=person, day=day, red_flags=[])
    else:
        services.outcomes_record(
            person=person, day=day, answers={"pain_nrs": {"rating": w["pain"]}}
        )


def play(
    username: str,
    steps: list[dict[str, Any]],
    after: Callable[[Person], None] | None = None,
) -> Person:
    """Enrol someone on ``START`` and make these writes through the services; a
    refused one stores nothing and the story goes on. A linked clinician makes
    the clinician's writes. ``after`` is called after
    each stored write, with the person as the next request reads them."""
    person = services.enrollment_start(
        user=User.objects.create_user(username=username),
        start=START,
        baseline_minutes=10,
    )
    clinician = User.objects.create_user(username=f"{username}-clinician")
    services_care.role_grant(user=clinician, role=Role.CLINICIAN)
    services_care.link_create(person=person, clinician=clinician)
    for step in steps:
        try:
            with transaction.atomic():
                _write(person, clinician, step)
        except ValidationProblem:
            continue
        person = Person.objects.get(pk=person.pk)
        if after is not None:
            after(person)
    return person


def _fresh_window(person: Person, start: dt.date, end: dt.date) -> engine.Window:
    history = selectors.history_for(person)
    return engine.window(selectors.protocol_for(person), history, start, end)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(writes, min_size=1, max_size=12),
    looks=st.lists(day_offsets, min_size=1, max_size=3),
)
def test_the_stored_day_equals_a_fresh_replay_after_any_writes(
    db: None, steps: list[dict[str, Any]], looks: list[int]
) -> None:
    def reads(person: Person) -> None:
        for offset in looks:
            day = START + dt.timedelta(days=offset)
            assert selectors.plan_for(person, day) == selectors.plan_fresh(person, day)
            shown = selectors.window_for(person, day - dt.timedelta(days=3), day)
            assert shown == _fresh_window(person, day - dt.timedelta(days=3), day)
        end = START + dt.timedelta(days=DAYS - 1)
        assert selectors.timeline_for(person, end) == engine.timeline(
            selectors.protocol_for(person), selectors.history_for(person), end
        )

    with transaction.atomic():
        play("storyteller", steps, after=reads)
        transaction.set_rollback(True)


def test_a_write_gives_the_history_a_new_version(alice: Person) -> None:
    before = alice.history_version
    services.walk_log(person=alice, date=alice.start, minutes=10)
    stored = Person.objects.get(pk=alice.pk).history_version
    assert stored != before
    assert stored == alice.history_version


def test_a_stale_instance_still_reads_the_current_day(alice: Person) -> None:
    day = alice.start
    stale = Person.objects.get(pk=alice.pk)
    first = selectors.plan_for(stale, day)
    services_symptoms.symptom_report(
        person=alice, date=day, warning_signs=["radiating_leg_pain"]
    )
    assert selectors.plan_for(stale, day) != first
    assert selectors.plan_for(stale, day) == selectors.plan_fresh(alice, day)


def test_the_version_changes_even_when_nothing_else_would_tell(alice: Person) -> None:
    versions.bump(alice)
    again = alice.history_version
    versions.bump(alice)
    assert alice.history_version != again


def test_a_clinicians_action_gives_the_history_a_new_version(alice: Person) -> None:
    chen = User.objects.create_user(username="chen")
    services_care.role_grant(user=chen, role=Role.CLINICIAN)
    services_care.link_create(person=alice, clinician=chen)
    before = Person.objects.get(pk=alice.pk).history_version
    services_care.decision_override(
        clinician=chen,
        person=alice,
        kind=ActionKind.HOLD,
        day=alice.start,
        reason="Hold for a week",
        request_meta=META,
    )
    assert Person.objects.get(pk=alice.pk).history_version != before
