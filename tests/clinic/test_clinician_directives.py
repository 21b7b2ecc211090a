"""A clinician's hold, step back, early advance and threshold, stored by the care
services and folded by the engine into the plan from their day; each refusal names
its field and stores nothing. Run on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from tests.cast import START, TODAY
from tests.clinic.conftest import signed_in
from tests.web.pages_support import client_for
from walkwell.core.limits import ValidationProblem
from walkwell.core.model import Decision
from walkwell.web.program import (
    selectors,
    services_care,
    services_checkins,
    services_symptoms,
    services_walks,
)
from walkwell.web.program.models import ActionKind, AuditEvent, ClinicianAction, Person
from walkwell.web.program.permissions import RequestMeta

META = RequestMeta(ip="198.51.100.7", user_agent="clinic browser")


def _decide(
    who: Person, clinician: User, kind: ActionKind, **extra: object
) -> ClinicianAction:
    return services_care.decision_override(
        clinician=clinician,
        person=who,
        kind=kind,
        day=TODAY,
        reason=str(extra.pop("reason", "Reviewed in clinic")),
        request_meta=META,
        **extra,  # type: ignore[arg-type]
    )


def _three_advances(who: Person, clinician: User) -> None:
    """Stabilize, Strengthen and Maintain, one a day (one step at a time)."""
    for day in (START, START + dt.timedelta(days=1), TODAY):
        services_care.decision_override(
            clinician=clinician,
            person=who,
            kind=ActionKind.ADVANCE,
            day=day,
            reason="Ready for more",
            request_meta=META,
        )


def test_a_second_advance_the_same_day_is_refused(alice: Person, chen: User) -> None:
    _decide(alice, chen, ActionKind.ADVANCE)
    with pytest.raises(ValidationProblem, match="one step at a time") as refused:
        _decide(alice, chen, ActionKind.ADVANCE)
    assert refused.value.field == "kind"
    assert selectors.plan_for(alice, TODAY).phase == 2


def _threshold(who: Person, clinician: User, field: str, value: float) -> None:
    services_care.threshold_adjust(
        clinician=clinician,
        person=who,
        threshold=field,
        value=value,
        day=TODAY,
        reason="Her ratings wobble by two points",
        request_meta=META,
    )


def _texts(who: Person, day: dt.date = TODAY) -> str:
    return " ".join(r.text for r in selectors.plan_for(who, day).reasons)


def test_a_hold_is_folded_into_the_stored_plan_from_its_day(
    alice: Person, chen: User
) -> None:
    before = selectors.plan_for(alice, TODAY)  # stored under the current version
    assert before.decision == Decision.CONTINUE
    _decide(alice, chen, ActionKind.HOLD, reason="Let the new shoes settle first")
    held = selectors.plan_for(alice, TODAY)
    assert held.decision == Decision.HOLD
    assert (
        "Your clinician, Dr Chen, held the plan: Let the new shoes settle first"
        in _texts(alice)
    )
    assert selectors.plan_for(alice, TODAY) == selectors.plan_fresh(alice, TODAY)
    yesterday = selectors.plan_for(alice, TODAY - dt.timedelta(days=1))
    assert yesterday.decision == Decision.CONTINUE


def test_a_hold_with_an_end_date_is_stored_and_lasts_through_it(
    alice: Person, chen: User
) -> None:
    until = TODAY + dt.timedelta(days=20)
    action = _decide(alice, chen, ActionKind.HOLD, until=until)
    assert action.detail["until"] == until.isoformat()
    assert selectors.plan_for(alice, until).decision == Decision.HOLD
    assert selectors.plan_for(alice, until + dt.timedelta(days=1)).decision != (
        Decision.HOLD
    )


def test_a_hold_past_the_protocols_longest_is_refused_naming_until(
    alice: Person, chen: User
) -> None:
    with pytest.raises(ValidationProblem, match="within 84 days") as refused:
        _decide(alice, chen, ActionKind.HOLD, until=TODAY + dt.timedelta(days=200))
    assert refused.value.field == "until"
    assert not ClinicianAction.objects.exists()


def test_only_a_hold_takes_an_end_date(alice: Person, chen: User) -> None:
    with pytest.raises(ValidationProblem, match="only a hold") as refused:
        _decide(alice, chen, ActionKind.STEP_BACK, until=TODAY)
    assert refused.value.field == "until"
    assert not ClinicianAction.objects.exists()


def test_a_step_back_lowers_the_dose_from_its_day(alice: Person, chen: User) -> None:
    minutes = selectors.plan_for(alice, TODAY).prescription.minutes_per_session
    _decide(alice, chen, ActionKind.STEP_BACK, reason="A lighter week after the flare")
    plan = selectors.plan_for(alice, TODAY)
    assert plan.decision == Decision.STEP_BACK
    assert plan.prescription.minutes_per_session < minutes
    assert "Your clinician, Dr Chen, stepped the plan back" in _texts(alice)


def test_an_advance_moves_on_a_phase_and_audits_the_change(
    alice: Person, chen: User
) -> None:
    _decide(alice, chen, ActionKind.ADVANCE, reason="Walking well")
    plan = selectors.plan_for(alice, TODAY)
    assert (plan.phase, plan.decision) == (2, Decision.ADVANCE)
    assert alice.audit.filter(event_type=AuditEvent.PHASE_CHANGED).exists()
    assert alice.audit.filter(event_type=AuditEvent.CLINICIAN_ACTION).get().actor == (
        chen
    )


def test_an_advance_past_the_last_phase_is_refused_and_nothing_stored(
    alice: Person, chen: User
) -> None:
    _three_advances(alice, chen)
    assert selectors.plan_for(alice, TODAY).phase == 4
    with pytest.raises(ValidationProblem, match="last phase") as refused:
        _decide(alice, chen, ActionKind.ADVANCE)
    assert refused.value.field == "kind"
    assert ClinicianAction.objects.count() == 3


def test_an_advance_during_an_open_warning_sign_is_refused(
    alice: Person, chen: User
) -> None:
    services_symptoms.symptom_report(
        person=alice, date=TODAY, warning_signs=["pain_increases_each_step"]
    )
    with pytest.raises(ValidationProblem, match="clear the stop") as refused:
        _decide(alice, chen, ActionKind.ADVANCE)
    assert refused.value.field == "kind"
    assert not ClinicianAction.objects.exists()
    assert selectors.plan_for(alice, TODAY).decision == Decision.STOP_CONSULT


def test_a_warning_sign_after_a_hold_still_stops_the_plan(
    alice: Person, chen: User
) -> None:
    _decide(alice, chen, ActionKind.HOLD)
    services_symptoms.symptom_report(
        person=alice, date=TODAY, warning_signs=["pain_increases_each_step"]
    )
    assert selectors.plan_for(alice, TODAY).decision == Decision.STOP_CONSULT


def _flare_this_morning(who: Person) -> None:
    """Yesterday's walk at pain 2; this morning 4: a flare by the protocol's 2."""
    services_walks.walk_log(
        person=who,
        date=TODAY - dt.timedelta(days=1),
        minutes=12,
        pain_before=2,
        pain_during=3,
        pain_after=2,
    )
    services_checkins.checkin_record(
        person=who, date=TODAY, pain=4, morning_stiffness_min=20, sleep=6, focus=6
    )


def test_an_adjusted_flare_rise_changes_todays_decision(
    alice: Person, chen: User
) -> None:
    _flare_this_morning(alice)
    assert selectors.plan_for(alice, TODAY).decision == Decision.HOLD
    _threshold(alice, chen, "tolerance.flare_rise", 3)
    plan = selectors.plan_for(alice, TODAY)
    assert plan.decision == Decision.CONTINUE
    assert "clinician.thresholds" in {r.rule for r in plan.reasons}
    assert "Dr Chen" in _texts(alice)
    action = alice.clinician_actions.get(kind=ActionKind.THRESHOLD)
    assert action.detail == {
        "threshold": "tolerance.flare_rise",
        "value": 3,
        "protocol_value": 2,
    }


def test_a_threshold_outside_its_bounds_is_refused_naming_the_range(
    alice: Person, chen: User
) -> None:
    with pytest.raises(ValidationProblem) as refused:
        _threshold(alice, chen, "tolerance.flare_rise", 5)
    assert refused.value.field == "value"
    assert refused.value.message == (
        "Next-morning pain rise that counts as a flare must be between 1 and 3 (got 5)"
    )
    assert not ClinicianAction.objects.exists()


def test_a_threshold_the_protocol_does_not_declare_is_refused(
    alice: Person, chen: User
) -> None:
    with pytest.raises(ValidationProblem, match="adjust only") as refused:
        _threshold(alice, chen, "tolerance.severe_pain", 9)
    assert refused.value.field == "threshold"
    assert not ClinicianAction.objects.exists()


def test_an_unrelated_clinician_cannot_adjust_a_threshold(
    alice: Person, diaz: User
) -> None:
    with pytest.raises(PermissionDenied):
        _threshold(alice, diaz, "tolerance.flare_rise", 3)
    assert not ClinicianAction.objects.exists()
    assert not alice.access_log.get().allowed


# --- the clinic patient page ---


def test_the_patient_page_sets_a_threshold_and_the_patient_sees_why(
    alice: Person, chen: User
) -> None:
    clinic = signed_in(chen)
    page = clinic.get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "Adjust a threshold" in page
    assert "Next-morning pain rise that counts as a flare: 1 to 3" in page
    done = clinic.post(
        f"/clinic/patients/{alice.pk}/threshold/",
        {
            "threshold-threshold": "tolerance.flare_rise",
            "threshold-value": "3",
            "threshold-reason": "Her ratings wobble by two points",
        },
    )
    assert done["Location"] == f"/clinic/patients/{alice.pk}/"
    today = client_for(alice).get("/").content.decode()
    assert "Her ratings wobble by two points" in today


def test_the_patient_page_refuses_a_value_outside_the_bounds_in_its_dropdowns_words(
    alice: Person, chen: User
) -> None:
    response = signed_in(chen).post(
        f"/clinic/patients/{alice.pk}/threshold/",
        {
            "threshold-threshold": "tolerance.max_pain_during",
            "threshold-value": "9",
            "threshold-reason": "Testing",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Highest pain during a walk: 3 to 5" in page  # the dropdown
    assert "Highest pain during a walk must be between 3 and 5 (got 9)" in page
    assert "max_pain_during must" not in page
    assert not alice.clinician_actions.exists()


def test_the_patient_page_holds_until_a_date(alice: Person, chen: User) -> None:
    until = TODAY + dt.timedelta(days=10)
    signed_in(chen).post(
        f"/clinic/patients/{alice.pk}/decision/",
        {
            "decision-kind": "hold",
            "decision-reason": "Until the scan results",
            "decision-until": until.isoformat(),
        },
    )
    assert selectors.plan_for(alice, until).decision == Decision.HOLD


def test_the_patient_page_refuses_an_advance_on_the_last_phase_beside_the_choice(
    alice: Person, chen: User
) -> None:
    _three_advances(alice, chen)
    response = signed_in(chen).post(
        f"/clinic/patients/{alice.pk}/decision/",
        {"decision-kind": "advance", "decision-reason": "Even further"},
    )
    assert response.status_code == 400
    assert "last phase" in response.content.decode()
    assert alice.clinician_actions.count() == 3
