"""A clinician's note, decision, threshold, program change and clearance sent twice
with the same idempotency key (a double click, a second tab, a retry) are stored
and audited once: the repeat gets the row stored the first time. Run on SQLite
and on PostgreSQL alike."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db.models import Model

from tests.cast import TODAY
from tests.clinic.conftest import clear_as, open_stop, signed_in, staff
from tests.web.racing import at_once, racing_alice  # noqa: F401 - a shared fixture
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import selectors, services_care
from walkwell.web.program.models import (
    AccessOutcome,
    ActionKind,
    AuditEvent,
    LinkVia,
    Person,
)
from walkwell.web.program.permissions import RequestMeta
from walkwell.web.program.roles import Role

META = RequestMeta(ip="198.51.100.7", user_agent="clinic browser")

Write = Callable[[Person, User, str], Model]


def _note(who: Person, clinician: User, key: str) -> Model:
    return services_care.note_write(
        clinician=clinician,
        person=who,
        text="Lovely progress!",
        day=TODAY,
        request_meta=META,
        idempotency_key=key,
    )


def _decision(who: Person, clinician: User, key: str) -> Model:
    return services_care.decision_override(
        clinician=clinician,
        person=who,
        kind=ActionKind.CONFIRM,
        day=TODAY,
        reason="Reviewed in clinic",
        request_meta=META,
        idempotency_key=key,
    )


def _hold(who: Person, clinician: User, key: str) -> Model:
    return services_care.decision_override(
        clinician=clinician,
        person=who,
        kind=ActionKind.HOLD,
        day=TODAY,
        reason="Let the knee settle",
        request_meta=META,
        idempotency_key=key,
    )


def _threshold(who: Person, clinician: User, key: str) -> Model:
    return services_care.threshold_adjust(
        clinician=clinician,
        person=who,
        threshold="tolerance.max_rise_during",
        value=1,
        day=TODAY,
        reason="Her ratings wobble",
        request_meta=META,
        idempotency_key=key,
    )


def _protocol(who: Person, clinician: User, key: str) -> Model:
    return services_care.protocol_change(
        clinician=clinician,
        person=who,
        protocol_id="walkback-30x5",
        day=TODAY,
        reason="A longer program suits her",
        request_meta=META,
        idempotency_key=key,
    )


def _clearance(who: Person, clinician: User, key: str) -> Model:
    return clear_as(clinician, who, key)


# Each write with the rows it stores (the rows a repeat must not add to).
WRITES: dict[str, tuple[Write, Callable[[Person], int]]] = {
    "note": (_note, lambda who: who.clinician_notes.count()),
    "decision": (_decision, lambda who: who.clinician_actions.count()),
    "hold": (_hold, lambda who: who.clinician_actions.count()),
    "threshold": (_threshold, lambda who: who.clinician_actions.count()),
    "protocol": (_protocol, lambda who: who.clinician_actions.count()),
    "clearance": (_clearance, lambda who: who.clearances.count()),
}


# What a write needs of the record to be stored at all: a clearance, an open stop.
NEEDS: dict[str, Callable[[Person], None]] = {
    "clearance": lambda who: open_stop(who, TODAY),
}


def _ready(name: str, who: Person) -> None:
    if name in NEEDS:
        NEEDS[name](who)


def _audited(who: Person) -> int:
    return who.audit.filter(event_type=AuditEvent.CLINICIAN_ACTION).count()


@pytest.mark.parametrize("name", WRITES)
def test_the_same_key_twice_stores_one_row_and_one_audit_entry(
    name: str, alice: Person, chen: User
) -> None:
    write, rows = WRITES[name]
    _ready(name, alice)
    key = uuid.uuid4().hex
    first = write(alice, chen, key)
    audit_rows = alice.audit.count()
    again = write(alice, chen, key)
    assert again.pk == first.pk
    assert rows(alice) == 1
    assert _audited(alice) == 1
    assert alice.audit.count() == audit_rows  # nothing audited again


@pytest.mark.parametrize("name", ["note", "decision", "threshold"])
def test_two_different_keys_store_two_rows(
    name: str, alice: Person, chen: User
) -> None:
    write, rows = WRITES[name]
    first = write(alice, chen, uuid.uuid4().hex)
    second = write(alice, chen, uuid.uuid4().hex)
    assert first.pk != second.pk
    assert rows(alice) == 2
    assert _audited(alice) == 2


@pytest.mark.parametrize("name", ["note", "decision", "threshold"])
def test_no_key_stores_every_write_as_before(
    name: str, alice: Person, chen: User
) -> None:
    write, rows = WRITES[name]
    write(alice, chen, "")
    write(alice, chen, "")
    assert rows(alice) == 2


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize(
    "key", ["0123456789ABCDEF0123456789ABCDEF", "a-uuid-with-dashes", "x' or 1"]
)
def test_a_key_in_the_wrong_format_is_refused_naming_the_field_and_stores_nothing(
    name: str, key: str, alice: Person, chen: User
) -> None:
    write, rows = WRITES[name]
    with pytest.raises(ValidationProblem) as refused:
        write(alice, chen, key)
    assert refused.value.field == "idempotency_key"
    assert "32 lowercase hexadecimal characters (0-9 and a-f)" in str(
        refused.value.message
    )
    assert rows(alice) == 0
    assert _audited(alice) == 0
    assert not alice.clinician_actions.exists()


def test_the_same_key_for_another_kind_of_action_is_refused(
    alice: Person, chen: User
) -> None:
    key = uuid.uuid4().hex
    _decision(alice, chen, key)
    with pytest.raises(ValidationProblem, match="another action") as refused:
        _threshold(alice, chen, key)
    assert refused.value.field == "idempotency_key"
    assert alice.clinician_actions.count() == 1


def test_the_same_key_for_another_patient_stores_for_each(
    alice: Person, bob: Person, chen: User
) -> None:
    services_care.link_create(person=bob, clinician=chen, via=LinkVia.DEMO)
    key = uuid.uuid4().hex
    _note(alice, chen, key)
    _note(bob, chen, key)
    assert alice.clinician_notes.count() == bob.clinician_notes.count() == 1


def test_a_repeated_clearance_is_answered_with_the_first_after_the_stop_lifted(
    alice: Person, chen: User
) -> None:
    """The repeat is found before the stop is looked for: it is the same request."""
    open_stop(alice, TODAY)
    key = uuid.uuid4().hex
    first = _clearance(alice, chen, key)
    assert not selectors.plan_for(alice, TODAY).decision.is_escalation
    audited = alice.audit.count()
    assert _clearance(alice, chen, key).pk == first.pk
    assert alice.audit.count() == audited
    assert alice.clearances.count() == alice.clinician_actions.count() == 1


def test_a_second_clearance_under_a_new_key_after_the_stop_lifted_is_refused(
    alice: Person, chen: User
) -> None:
    """The first clearance lifted the stop: another request has nothing to clear."""
    open_stop(alice, TODAY)
    _clearance(alice, chen, uuid.uuid4().hex)
    with pytest.raises(ValidationProblem, match="no open stop to clear") as refused:
        _clearance(alice, chen, uuid.uuid4().hex)
    assert refused.value.field == "date"
    assert alice.clearances.count() == 1
    assert _audited(alice) == 1


def test_a_repeated_hold_is_answered_even_when_a_new_hold_would_be_refused(
    alice: Person, chen: User
) -> None:
    """The repeat is found before the day's checks: it is the same request."""
    key = uuid.uuid4().hex
    first = _hold(alice, chen, key)
    assert _hold(alice, chen, key).pk == first.pk
    assert alice.clinician_actions.filter(kind=ActionKind.HOLD).count() == 1


def _outcomes(who: Person) -> list[str]:
    """What came of each clinician's action on the record, as its access rows say."""
    return list(
        who.access_log.exclude(outcome=AccessOutcome.READ).values_list(
            "outcome", flat=True
        )
    )


@pytest.mark.parametrize("name", ["note", "hold", "threshold", "clearance"])
def test_the_same_key_raced_from_four_connections_stores_once(
    name: str,
    racing_alice: Person,  # noqa: F811 - the shared fixture
) -> None:
    """PostgreSQL lets all four pass the first look; the unique key keeps one,
    and the others answer with it, their own writes rolled back."""
    clinician = staff("chen", Role.CLINICIAN, "Dr Chen")
    services_care.link_create(
        person=racing_alice, clinician=clinician, via=LinkVia.DEMO
    )
    write, rows = WRITES[name]
    _ready(name, racing_alice)
    key = uuid.uuid4().hex
    results = at_once(4, lambda: write(racing_alice, clinician, key))
    assert all(isinstance(r, Model) for r in results), results
    assert len({r.pk for r in results if isinstance(r, Model)}) == 1
    assert rows(racing_alice) == 1
    assert _audited(racing_alice) == 1
    # the person reads one of the four as done, the others as sent again
    assert sorted(_outcomes(racing_alice)) == ["done", "repeat", "repeat", "repeat"]


def test_one_stop_cleared_from_four_connections_with_their_own_keys_is_cleared_once(
    racing_alice: Person,  # noqa: F811 - the shared fixture
) -> None:
    """Four different requests: the person's row is locked while the stop is
    looked at, so one clears it and the others find nothing left to clear."""
    clinician = staff("chen", Role.CLINICIAN, "Dr Chen")
    services_care.link_create(
        person=racing_alice, clinician=clinician, via=LinkVia.DEMO
    )
    _ready("clearance", racing_alice)
    results = at_once(4, lambda: _clearance(racing_alice, clinician, uuid.uuid4().hex))
    assert sum(isinstance(r, Model) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, ValidationProblem)]
    assert len(refused) == 3, results
    assert all("no open stop to clear" in r.message for r in refused)
    assert racing_alice.clearances.count() == 1
    assert _audited(racing_alice) == 1
    assert sorted(_outcomes(racing_alice)) == ["done", "refused", "refused", "refused"]


# --- the patient's page: the same rendered form posted twice -----------------

PAGE_FORMS = {
    "note": ({"note-text": "Lovely progress!"}, "clinician_notes"),
    "decision": (
        {"decision-kind": "hold", "decision-reason": "Let the knee settle"},
        "clinician_actions",
    ),
    "threshold": (
        {
            "threshold-threshold": "tolerance.max_rise_during",
            "threshold-value": "1",
            "threshold-reason": "Her ratings wobble",
        },
        "clinician_actions",
    ),
    "protocol": (
        {"protocol-protocol": "walkback-30x5", "protocol-reason": "Longer"},
        "clinician_actions",
    ),
}


@pytest.mark.parametrize("which", PAGE_FORMS)
def test_posting_the_same_rendered_form_twice_stores_once(
    which: str, alice: Person, chen: User
) -> None:
    answers, rows = PAGE_FORMS[which]
    clinic = signed_in(chen)
    page = clinic.get(f"/clinic/patients/{alice.pk}/")
    key = page.context[f"{which}_form"]["idempotency_key"].value()
    html = page.content.decode()
    assert f'name="{which}-idempotency_key" value="{key}"' in html
    sent = {**answers, f"{which}-idempotency_key": key}
    url = f"/clinic/patients/{alice.pk}/{which}/"
    first = clinic.post(url, sent)
    again = clinic.post(url, sent)
    assert first.status_code == again.status_code == 302
    assert getattr(alice, rows).count() == 1
    assert _audited(alice) == 1


def test_a_new_visit_to_the_page_gets_a_new_key(alice: Person, chen: User) -> None:
    clinic = signed_in(chen)
    keys = {
        clinic.get(f"/clinic/patients/{alice.pk}/")
        .context["note_form"]["idempotency_key"]
        .value()
        for _ in range(2)
    }
    assert len(keys) == 2
    for key in keys:
        clinic.post(
            f"/clinic/patients/{alice.pk}/note/",
            {"note-text": "Keep going", "note-idempotency_key": key},
        )
    assert alice.clinician_notes.count() == 2


def test_a_damaged_key_on_the_page_is_shown_above_the_form_and_stores_nothing(
    alice: Person, chen: User
) -> None:
    response = signed_in(chen).post(
        f"/clinic/patients/{alice.pk}/note/",
        {"note-text": "Keep going", "note-idempotency_key": "x' or 1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "32 lowercase hexadecimal characters" in html
    assert "reload the page" in html
    assert not alice.clinician_notes.exists()
