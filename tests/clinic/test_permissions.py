"""The one permission layer: who may read or act on whose record, and the log of
every read by someone other than the person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.clinic.conftest import staff
from tests.web.racing import at_once, racing_alice  # noqa: F401 - a shared fixture
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import permissions, services_care
from walkwell.web.program.models import AccessLog, Person
from walkwell.web.program.permissions import RequestMeta
from walkwell.web.program.roles import Role, role_of

META = RequestMeta(ip="203.0.113.9", user_agent="test browser")


def test_each_role_is_named(alice: Person, chen: User, ada: User) -> None:
    assert role_of(alice.user) == Role.PATIENT
    assert role_of(chen) == Role.CLINICIAN
    assert role_of(ada) == Role.CLINIC_ADMIN
    assert role_of(AnonymousUser()) == Role.ANONYMOUS


def test_a_patient_sees_only_themself(alice: Person, bob: Person) -> None:
    assert permissions.can_view(alice.user, alice)
    assert not permissions.can_view(alice.user, bob)
    assert list(permissions.persons_visible_to(alice.user)) == [alice]


def test_a_clinician_sees_only_linked_patients(
    alice: Person, bob: Person, chen: User, diaz: User
) -> None:
    assert permissions.can_view(chen, alice)
    assert permissions.can_act(chen, alice)
    assert not permissions.can_view(chen, bob)
    assert not permissions.can_view(diaz, alice)
    assert list(permissions.patients_of(chen)) == [alice]
    assert list(permissions.patients_of(diaz)) == []


def test_an_admin_sees_no_health_data_without_break_glass(
    alice: Person, ada: User
) -> None:
    assert not permissions.can_view(ada, alice)
    with pytest.raises(PermissionDenied):
        permissions.require_view(ada, alice, request_meta=META, what="patient page")
    row = AccessLog.objects.get()
    assert (row.actor_name, row.allowed, row.ip) == ("ada", False, "203.0.113.9")


def test_break_glass_opens_one_record_for_an_hour_to_read_only(
    alice: Person, bob: Person, ada: User
) -> None:
    now = timezone.now()
    services_care.break_glass_open(
        admin=ada,
        person=alice,
        reason="Patient rang, unwell",
        now=now,
        request_meta=META,
    )
    assert permissions.can_view(ada, alice)
    assert not permissions.can_act(ada, alice)
    assert not permissions.can_view(ada, bob)
    assert list(permissions.persons_visible_to(ada)) == [alice]
    assert alice.audit.filter(event_type="break_glass", actor=ada).exists()
    assert alice.access_log.filter(break_glass=True, allowed=True).exists()


def test_break_glass_asked_again_while_open_is_one_break_glass(
    alice: Person, ada: User
) -> None:
    now = timezone.now()
    first = services_care.break_glass_open(
        admin=ada, person=alice, reason="Patient rang", now=now, request_meta=META
    )
    again = services_care.break_glass_open(
        admin=ada,
        person=alice,
        reason="Patient rang",
        now=now + dt.timedelta(seconds=2),
        request_meta=META,
    )
    assert again == first
    assert alice.break_glass.count() == 1
    assert alice.audit.filter(event_type="break_glass").count() == 1
    assert alice.access_log.filter(break_glass=True, allowed=True).count() == 2
    later = services_care.break_glass_open(
        admin=ada,
        person=alice,
        reason="Rang again",
        now=first.expires_at,
        request_meta=META,
    )
    assert later != first
    assert alice.break_glass.count() == 2


def test_break_glass_sent_four_times_at_once_opens_one(
    racing_alice: Person,  # noqa: F811 - the shared fixture
) -> None:
    admin = staff("ada", Role.CLINIC_ADMIN)
    now = timezone.now()
    opened = at_once(
        4,
        lambda: (
            services_care.break_glass_open(
                admin=admin,
                person=racing_alice,
                reason="Patient rang",
                now=now,
                request_meta=META,
            ).pk
        ),
    )
    assert len(set(opened)) == 1, opened
    assert racing_alice.break_glass.count() == 1
    assert racing_alice.audit.filter(event_type="break_glass").count() == 1


def test_break_glass_needs_an_admin_and_a_reason(
    alice: Person, ada: User, chen: User
) -> None:
    now = timezone.now()
    with pytest.raises(ValidationProblem) as refused:
        services_care.break_glass_open(
            admin=chen, person=alice, reason="curious", now=now, request_meta=META
        )
    assert refused.value.field == "admin"
    with pytest.raises(ValidationProblem) as refused:
        services_care.break_glass_open(
            admin=ada, person=alice, reason="  ", now=now, request_meta=META
        )
    assert refused.value.field == "reason"
    assert not alice.break_glass.exists()


def test_an_expired_break_glass_no_longer_opens_the_record(
    alice: Person, ada: User
) -> None:
    past = timezone.now() - dt.timedelta(hours=2)
    services_care.break_glass_open(
        admin=ada, person=alice, reason="Emergency call", now=past, request_meta=META
    )
    assert not permissions.can_view(ada, alice)


def test_reads_by_others_are_logged_and_own_reads_are_not(
    alice: Person, chen: User, diaz: User
) -> None:
    permissions.require_view(alice.user, alice, request_meta=META, what="today")
    permissions.require_view(chen, alice, request_meta=META, what="patient page")
    with pytest.raises(PermissionDenied):
        permissions.require_view(diaz, alice, request_meta=META, what="patient page")
    rows = list(alice.access_log.order_by("id").values_list("actor_name", "allowed"))
    assert rows == [("chen", True), ("diaz", False)]


def test_an_unlinked_clinician_loses_access(alice: Person, chen: User) -> None:
    link = alice.clinician_links.get()
    services_care.link_end(
        person=alice, link_id=link.pk, by=alice.user, now=timezone.now()
    )
    assert not permissions.can_view(chen, alice)
    assert alice.audit.filter(event_type="clinician_unlinked").exists()


def test_anonymous_callers_see_nothing(alice: Person) -> None:
    nobody = AnonymousUser()
    assert not permissions.can_view(nobody, alice)
    assert not permissions.persons_visible_to(nobody).exists()
    with pytest.raises(PermissionDenied):
        permissions.require_view(nobody, alice, request_meta=META, what="record")
    assert alice.access_log.get().actor_name == "anonymous"
