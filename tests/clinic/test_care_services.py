"""Invitations, links, clearances from a clinician's account, and the clinician's
actions on a plan: each stored with who and when, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.cast import START, TODAY
from tests.clinic.conftest import clear_as
from tests.web.pages_support import person
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import selectors, services, services_care, services_symptoms
from walkwell.web.program.models import (
    ActionKind,
    AuditEvent,
    ClinicianAction,
    Person,
)
from walkwell.web.program.permissions import RequestMeta

CLOCK_RUNS = True  # a same-day clearance is recorded after the sign it clears

META = RequestMeta(ip="198.51.100.7", user_agent="clinic browser")


def _warning(who: Person) -> None:
    services_symptoms.symptom_report(
        person=who, date=TODAY, warning_signs=["pain_increases_each_step"]
    )


def test_an_invitation_code_links_once(chen: User, bob: Person) -> None:
    made = services_care.invite_create(clinician=chen, now=timezone.now())
    link = services_care.invite_accept(
        person=bob, now=timezone.now(), code=made.code.lower()[:4] + " " + made.code[4:]
    )
    assert link.clinician == chen
    assert link.via == "invite_code"
    carol = person("carol", START)
    with pytest.raises(ValidationProblem, match="used already") as refused:
        services_care.invite_accept(person=carol, now=timezone.now(), code=made.code)
    assert refused.value.field == "code"
    assert not carol.clinician_links.exists()


def test_an_invitation_link_expires(chen: User, bob: Person) -> None:
    made = services_care.invite_create(clinician=chen, now=timezone.now())
    later = timezone.now() + services_care.INVITE_VALID + dt.timedelta(seconds=1)
    with pytest.raises(ValidationProblem, match="expired") as refused:
        services_care.invite_accept(person=bob, now=later, token=made.token)
    assert refused.value.field == "token"
    assert not bob.clinician_links.exists()


def test_invitation_secrets_are_stored_only_as_hashes(chen: User) -> None:
    made = services_care.invite_create(clinician=chen, now=timezone.now())
    stored = made.invite
    assert made.token not in (stored.token_hash, stored.code_hash)
    assert made.code not in (stored.token_hash, stored.code_hash)
    assert len(made.code) == services_care.CODE_LENGTH


def test_a_wrong_code_is_refused_by_name(bob: Person) -> None:
    with pytest.raises(ValidationProblem, match="does not match") as refused:
        services_care.invite_accept(person=bob, now=timezone.now(), code="NOPE1234")
    assert refused.value.field == "code"


def test_only_a_clinician_can_invite(bob: Person) -> None:
    with pytest.raises(ValidationProblem) as refused:
        services_care.invite_create(clinician=bob.user, now=timezone.now())
    assert refused.value.field == "clinician"


def test_a_clinician_clears_a_stop_from_their_account(
    alice: Person, chen: User
) -> None:
    _warning(alice)
    assert selectors.plan_for(alice, TODAY).decision == "stop_consult"
    clearance = services_care.clearance_by_clinician(
        clinician=chen,
        person=alice,
        date=TODAY,
        reason="Reviewed by phone: mechanical pain",
        request_meta=META,
    )
    assert clearance.recorded_by == chen
    assert not clearance.self_reported
    assert clearance.by == "Dr Chen"
    assert selectors.plan_for(alice, TODAY).decision != "stop_consult"
    audit = alice.audit.get(event_type="clearance_recorded")
    assert audit.actor == chen
    assert audit.detail["self_reported"] is False
    action = alice.clinician_actions.get()
    assert (action.kind, action.actor) == (ActionKind.CLEAR_STOP, chen)
    assert alice.access_log.get(what="clear a stop").ip == "198.51.100.7"


def test_a_clinician_cannot_clear_a_patient_who_is_not_stopped(
    alice: Person, chen: User
) -> None:
    assert not selectors.plan_for(alice, TODAY).decision.is_escalation
    with pytest.raises(ValidationProblem, match="no open stop to clear") as refused:
        services_care.clearance_by_clinician(
            clinician=chen,
            person=alice,
            date=TODAY,
            reason="Reviewed",
            request_meta=META,
            idempotency_key=uuid.uuid4().hex,
        )
    assert refused.value.field == "date"
    assert TODAY.isoformat() in refused.value.message
    assert not alice.clearances.exists()
    assert not alice.clinician_actions.exists()
    assert not alice.audit.filter(
        event_type__in=[AuditEvent.CLEARANCE_RECORDED, AuditEvent.CLINICIAN_ACTION]
    ).exists()


def test_an_urgent_stop_once_cleared_is_not_cleared_again_until_the_screening(
    alice: Person, chen: User
) -> None:
    services_symptoms.symptom_report(
        person=alice, date=TODAY, red_flags=["saddle_numbness"]
    )
    first_key = uuid.uuid4().hex

    def clear(key: str) -> object:
        return clear_as(chen, alice, key, reason="Seen in A&E")

    first = clear(first_key)
    waiting = selectors.plan_for(alice, TODAY)
    assert waiting.decision.is_escalation  # the fresh screening is still owed
    with pytest.raises(ValidationProblem, match="cleared already") as refused:
        clear(uuid.uuid4().hex)
    assert refused.value.field == "date"
    assert "fresh screening" in refused.value.message
    assert clear(first_key) == first  # the same form sent again: the first answer
    assert alice.clearances.count() == 1
    assert alice.clinician_actions.count() == 1


def test_an_unlinked_clinician_is_refused_by_permission_before_the_stop_is_looked_at(
    alice: Person, diaz: User
) -> None:
    with pytest.raises(PermissionDenied):
        services_care.clearance_by_clinician(
            clinician=diaz, person=alice, date=TODAY, reason="", request_meta=META
        )
    row = alice.access_log.get()
    assert (row.actor_name, row.allowed) == ("diaz", False)


def test_a_linked_patient_leaves_the_clearance_to_their_clinician(
    alice: Person,
) -> None:
    _warning(alice)
    with pytest.raises(ValidationProblem, match="clinician") as refused:
        services.clearance_record(person=alice, date=TODAY, by="Dr Someone")
    assert refused.value.field == "by"
    assert not alice.clearances.exists()


def test_a_person_alone_still_records_their_own_clearance_as_self_reported(
    bob: Person,
) -> None:
    _warning(bob)
    clearance = services.clearance_record(person=bob, date=TODAY, by="Dr Patel, GP")
    assert clearance.self_reported
    assert clearance.recorded_by is None


def test_an_unlinked_clinician_cannot_act_and_the_attempt_is_logged(
    alice: Person, diaz: User
) -> None:
    _warning(alice)
    with pytest.raises(PermissionDenied):
        services_care.clearance_by_clinician(
            clinician=diaz, person=alice, date=TODAY, reason="", request_meta=META
        )
    assert not alice.clearances.exists()
    row = alice.access_log.get()
    assert (row.actor_name, row.allowed) == ("diaz", False)


def test_a_decision_override_needs_a_reason(alice: Person, chen: User) -> None:
    with pytest.raises(ValidationProblem) as refused:
        services_care.decision_override(
            clinician=chen,
            person=alice,
            kind=ActionKind.HOLD,
            day=TODAY,
            reason=" ",
            request_meta=META,
        )
    assert refused.value.field == "reason"
    assert not ClinicianAction.objects.exists()


def test_a_hold_is_stored_with_the_plan_it_overrode(alice: Person, chen: User) -> None:
    action = services_care.decision_override(
        clinician=chen,
        person=alice,
        kind=ActionKind.HOLD,
        day=TODAY,
        reason="Let the new shoes settle first",
        request_meta=META,
    )
    assert action.detail["phase"] == 1
    assert alice.audit.get(event_type="clinician_action").actor == chen


def test_advancing_early_stays_within_the_programs_phases(
    alice: Person, chen: User
) -> None:
    _warning(alice)
    with pytest.raises(ValidationProblem, match="clear the stop") as refused:
        services_care.decision_override(
            clinician=chen,
            person=alice,
            kind=ActionKind.ADVANCE,
            day=TODAY,
            reason="Doing well",
            request_meta=META,
        )
    assert refused.value.field == "kind"


def test_a_program_change_is_audited_and_bounded_to_shipped_programs(
    alice: Person, chen: User
) -> None:
    with pytest.raises(ValidationProblem) as refused:
        services_care.protocol_change(
            clinician=chen,
            person=alice,
            protocol_id="/etc/passwd.toml",
            day=TODAY,
            reason="x",
            request_meta=META,
        )
    assert refused.value.field == "protocol"
    services_care.protocol_change(
        clinician=chen,
        person=alice,
        protocol_id="walkback-30x5",
        day=TODAY,
        reason="Prefers the WalkBack schedule",
        request_meta=META,
    )
    alice.refresh_from_db()
    assert alice.protocol_id == "walkback-30x5"
    changed = alice.audit.get(event_type="protocol_changed")
    assert changed.detail == {"previous": "seed-3-phase", "protocol": "walkback-30x5"}


def test_a_note_is_stored_for_the_person(alice: Person, chen: User) -> None:
    note = services_care.note_write(
        clinician=chen,
        person=alice,
        text="Great week. Keep the pace easy.",
        day=TODAY,
        request_meta=META,
    )
    assert note.author == chen
    assert alice.clinician_actions.get().kind == ActionKind.NOTE
    with pytest.raises(ValidationProblem) as refused:
        services_care.note_write(
            clinician=chen, person=alice, text="", day=TODAY, request_meta=META
        )
    assert refused.value.field == "text"
