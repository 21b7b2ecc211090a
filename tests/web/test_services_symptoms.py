"""Amending the day's check-in and reporting a symptom at any time (the services)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cast import START
from walkwell.core import model as core
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import selectors, services, services_symptoms
from walkwell.web.program.models import AuditEvent, AuditLog, CheckIn, Person

DAY = START + dt.timedelta(days=1)


def _checkin(alice: Person) -> CheckIn:
    return services.checkin_record(
        person=alice, date=DAY, pain=3, morning_stiffness_min=20, sleep=6, focus=5
    )


def test_an_amend_changes_only_the_fields_given_and_is_audited(alice: Person) -> None:
    _checkin(alice)
    services_symptoms.checkin_amend(person=alice, date=DAY, pain=6)
    stored = alice.checkins.get()
    assert (stored.pain, stored.morning_stiffness_min, stored.sleep, stored.focus) == (
        6,
        20,
        6,
        5,
    )
    row = AuditLog.objects.get(event_type=AuditEvent.CHECKIN_AMENDED)
    assert row.detail["changed"] == {"pain": [3, 6]}


def test_an_amend_with_a_red_flag_stops_the_plan_at_once(alice: Person) -> None:
    _checkin(alice)
    services_symptoms.checkin_amend(person=alice, date=DAY, red_flags=["fever"])
    assert alice.checkins.get().pain == 3
    assert selectors.plan_for(alice, DAY).decision == core.Decision.SEEK_URGENT_CARE


def test_an_amend_without_a_check_in_is_refused_by_its_date(alice: Person) -> None:
    with pytest.raises(ValidationProblem) as problem:
        services_symptoms.checkin_amend(person=alice, date=DAY, pain=6)
    assert problem.value.field == "date"
    assert "no check-in" in problem.value.message


def test_a_bad_amend_stores_nothing(alice: Person) -> None:
    _checkin(alice)
    with pytest.raises(ValidationProblem):
        services_symptoms.checkin_amend(person=alice, date=DAY, pain=4, sleep=11)
    assert alice.checkins.get().pain == 3
    assert not AuditLog.objects.filter(event_type=AuditEvent.CHECKIN_AMENDED).exists()


def test_a_symptom_after_the_check_in_is_stored_and_escalates(alice: Person) -> None:
    _checkin(alice)
    report = services_symptoms.symptom_report(
        person=alice, date=DAY, warning_signs=["numbness_tingling"]
    )
    assert report.stored == ["numbness_tingling"]
    plan = selectors.plan_for(alice, DAY)
    assert plan.decision == core.Decision.STOP_CONSULT
    assert plan.prescription.minutes_per_session == 10
    history = selectors.history_for(alice)
    assert [(s.date, s.warning_signs) for s in history.symptoms] == [
        (DAY, frozenset({"numbness_tingling"}))
    ]
    assert history.symptoms[0].at is not None  # when it was recorded orders the day


def test_a_symptom_reported_twice_is_stored_once(alice: Person) -> None:
    services_symptoms.symptom_report(person=alice, date=DAY, red_flags=["fever"])
    again = services_symptoms.symptom_report(
        person=alice, date=DAY, red_flags=["fever"]
    )
    assert again.stored == []
    assert again.already == ["fever"]
    assert alice.symptoms.count() == 1
    flags = AuditLog.objects.filter(event_type=AuditEvent.RED_FLAG_REPORTED)
    assert flags.count() == 1


def test_an_unknown_or_empty_symptom_is_refused(alice: Person) -> None:
    with pytest.raises(ValidationProblem) as unknown:
        services_symptoms.symptom_report(person=alice, date=DAY, red_flags=["sore_toe"])
    assert "allowed: saddle_numbness" in unknown.value.message
    with pytest.raises(ValidationProblem) as empty:
        services_symptoms.symptom_report(person=alice, date=DAY)
    assert empty.value.field == "signs"
    assert not alice.symptoms.exists()
