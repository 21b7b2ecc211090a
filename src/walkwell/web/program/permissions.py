"""The one permission layer: who may see or act on whose record.

Pages and the JSON API both ask here, so they cannot disagree. Every read of a
person's record by someone other than the person, allowed or denied, leaves an
``AccessLog`` row (who, whose, what, when, from where); the person's own reads are
not logged. An action's row is written when its permission is checked, as not
carried out; the service then records what came of it (``action_outcome``): done
(in the action's own transaction), refused, or the same request sent again.

- the person themself may view their record (and act on it through their own pages);
- a clinician with an open ``ClinicianLink`` may view and act;
- a clinic admin with an unexpired ``BreakGlass`` may view (never act);
- anyone else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from walkwell.web.program import roles
from walkwell.web.program.models import (
    AccessLog,
    AccessOutcome,
    BreakGlass,
    ClinicianLink,
    Person,
)
from walkwell.web.program.roles import AnyUser

UA_MAX = 200


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """Where a read came from: the address and the browser (or API client)."""

    ip: str | None = None
    user_agent: str = ""


def meta_from(request: HttpRequest) -> RequestMeta:
    """The caller's address (REMOTE_ADDR: set the proxy to pass the real one)."""
    ip = request.META.get("REMOTE_ADDR") or None
    agent = str(request.META.get("HTTP_USER_AGENT", ""))[:UA_MAX]
    return RequestMeta(ip=ip, user_agent=agent)


def _account_id(user: AnyUser) -> int | None:
    """The signed-in account's id; None for anyone else (an account never stored
    has none either). Every check below fails closed on None: two missing ids
    are never the same owner."""
    if not user.is_authenticated or user.pk is None:
        return None
    return int(user.pk)


def _own(user: AnyUser, person: Person) -> bool:
    uid = _account_id(user)
    return uid is not None and person.user_id is not None and person.user_id == uid


def _linked(user: AnyUser, person: Person) -> bool:
    uid = _account_id(user)
    if uid is None or person.pk is None or not roles.is_clinician(user):
        return False
    return ClinicianLink.objects.filter(
        clinician_id=uid, person_id=person.pk, ended_at__isnull=True
    ).exists()


def _break_glass(user: AnyUser, person: Person) -> bool:
    uid = _account_id(user)
    if uid is None or person.pk is None or not roles.is_clinic_admin(user):
        return False
    return BreakGlass.objects.filter(
        admin_id=uid, person_id=person.pk, expires_at__gt=timezone.now()
    ).exists()


def can_view(user: AnyUser, person: Person) -> bool:
    """May this user read this person's health record?"""
    return _own(user, person) or _linked(user, person) or _break_glass(user, person)


def can_act(user: AnyUser, person: Person) -> bool:
    """May this user change this person's plan as a clinician (clear a stop,
    override a decision, write a note)? Only a linked clinician may."""
    return _linked(user, person)


def persons_visible_to(user: AnyUser) -> QuerySet[Person]:
    """Every record the user may read: their own, their linked patients', and any
    opened by an unexpired break-glass."""
    uid = _account_id(user)
    if uid is None:
        return Person.objects.none()
    visible = Q(user_id=uid)
    if roles.is_clinician(user):
        visible |= Q(
            clinician_links__clinician_id=uid,
            clinician_links__ended_at__isnull=True,
        )
    if roles.is_clinic_admin(user):
        visible |= Q(
            break_glass__admin_id=uid, break_glass__expires_at__gt=timezone.now()
        )
    return Person.objects.filter(visible).distinct()


def patients_of(clinician: AnyUser) -> QuerySet[Person]:
    """The patients linked to a clinician (open links only); none for anyone else."""
    uid = _account_id(clinician)
    if uid is None or not roles.is_clinician(clinician):
        return Person.objects.none()
    return Person.objects.filter(
        clinician_links__clinician_id=uid,
        clinician_links__ended_at__isnull=True,
    ).distinct()


def log_access(
    user: AnyUser,
    person: Person,
    *,
    request_meta: RequestMeta,
    what: str,
    allowed: bool,
    break_glass: bool = False,
    outcome: AccessOutcome = AccessOutcome.READ,
) -> AccessLog:
    """Write one access row (in the caller's transaction, when there is one)."""
    actor = user if isinstance(user, User) and user.is_authenticated else None
    name = user.get_username() if user.is_authenticated else "anonymous"
    return AccessLog.objects.create(
        actor=actor,
        actor_name=name,
        actor_role=roles.role_of(user).value,
        person=person,
        what=what[:100],
        ip=request_meta.ip,
        user_agent=request_meta.user_agent[:UA_MAX],
        allowed=allowed,
        outcome=outcome,
        break_glass=break_glass,
    )


def _require(
    user: AnyUser,
    person: Person,
    *,
    request_meta: RequestMeta,
    what: str,
    act: bool,
) -> AccessLog:
    allowed = can_act(user, person) if act else can_view(user, person)
    glass = allowed and not act and _break_glass(user, person)
    with transaction.atomic():
        row = log_access(
            user,
            person,
            request_meta=request_meta,
            what=what,
            allowed=allowed,
            break_glass=glass and not _linked(user, person),
            outcome=AccessOutcome.NOT_DONE if act else AccessOutcome.READ,
        )
    if not allowed:
        raise PermissionDenied(f"not allowed to {what} this person's record")
    return row


def require_view(
    user: AnyUser, person: Person, *, request_meta: RequestMeta, what: str
) -> None:
    """Allow the read or raise ``PermissionDenied``; a read by anyone but the person
    is logged either way. Call it outside any transaction that a refusal would roll
    back, or inside the one that reads (so the read and its log commit together)."""
    if not _own(user, person):
        _require(user, person, request_meta=request_meta, what=what, act=False)


def require_act(
    user: AnyUser, person: Person, *, request_meta: RequestMeta, what: str
) -> AccessLog:
    """Allow a clinician's action or raise ``PermissionDenied``; logged either way.
    The row says the action is not carried out until the caller records what came
    of it (``action_outcome``). Call it outside the action's transaction, so that
    a refusal that rolls the action back keeps the row."""
    return _require(user, person, request_meta=request_meta, what=what, act=True)


def action_outcome(row: AccessLog, outcome: AccessOutcome) -> None:
    """Record what came of an allowed action: ``DONE`` in the transaction that
    stores it (so the two commit or roll back together), ``REFUSED`` or
    ``REPEAT`` once the service knows."""
    AccessLog.objects.filter(pk=row.pk).update(outcome=outcome)
    row.outcome = outcome
