"""Writes of the care team: roles, invitations, links, clinicians' actions and notes,
and a clinic admin's break-glass access.

Each action on a person's plan is checked by ``permissions.require_act`` first (the
access row is written whether it is allowed or not), then stored in one transaction
with its ``ClinicianAction`` and its ``AuditLog`` row, so the person sees it. The
access row says what came of the action: done (marked in that same transaction),
refused (a ``ValidationProblem``: nothing stored), or sent again (below); anything
else leaves it saying the action was not carried out.

A clinician's action or note sent again with the same idempotency key (a form
posted twice, a second tab, a retry) is not stored again: the row stored the first
time is returned, with no new audit row, as for a person's walks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, Group, User
from django.db import IntegrityError, transaction

from walkwell.core import limits, safety
from walkwell.core.directives import directive_problem
from walkwell.core.engine import directive_refusal
from walkwell.core.limits import MAX_REASON, ValidationProblem
from walkwell.core.model import Directive, DirectiveKind
from walkwell.core.protocol import available_protocols
from walkwell.web.program import audit, permissions, roles, selectors
from walkwell.web.program.models import (
    AccessLog,
    AccessOutcome,
    ActionKind,
    AuditEvent,
    BreakGlass,
    Clearance,
    ClinicianAction,
    ClinicianLink,
    ClinicianNote,
    Invite,
    LinkVia,
    Person,
)
from walkwell.web.program.permissions import RequestMeta
from walkwell.web.program.services_checkins import clearance_record

INVITE_VALID = dt.timedelta(days=7)
BREAK_GLASS_VALID = dt.timedelta(hours=1)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
NOTE_MAX = 2000
REASON_MAX = MAX_REASON

T = TypeVar("T")

# The decisions a clinician may set over the engine's, and the words for each.
OVERRIDES = (
    ActionKind.CONFIRM,
    ActionKind.HOLD,
    ActionKind.STEP_BACK,
    ActionKind.ADVANCE,
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Codes are read case-blind, with spaces and dashes ignored."""
    return "".join(c for c in code.upper() if c.isalnum())


def _text(field: str, value: str, *, required: bool, most: int) -> str:
    text = value.strip()
    if required and not text:
        raise ValidationProblem(field, "is needed: say why, in a sentence")
    if len(text) > most:
        raise ValidationProblem(field, f"must be at most {most} characters")
    return text


# --- roles ---


@transaction.atomic
def role_grant(*, user: User, role: roles.Role) -> None:
    """Make a user a clinician or a clinic admin."""
    if role not in roles.GROUP_FOR:
        raise ValidationProblem("role", "must be clinician or clinic_admin")
    group, _ = Group.objects.get_or_create(name=roles.GROUP_FOR[role])
    user.groups.add(group)
    if hasattr(user, "_walkwell_groups"):
        del user._walkwell_groups


# --- invitations and links ---


@dataclass(frozen=True, slots=True)
class NewInvite:
    """An invitation just made: the secrets are shown once, then only hashes remain."""

    invite: Invite
    token: str
    code: str


@transaction.atomic
def invite_create(*, clinician: User, now: dt.datetime, label: str = "") -> NewInvite:
    """A one-time link and a short code for one patient, valid for a week."""
    if not roles.is_clinician(clinician):
        raise ValidationProblem("clinician", "only a clinician can invite a patient")
    token = secrets.token_urlsafe(32)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invite = Invite.objects.create(
        clinician=clinician,
        token_hash=_digest(token),
        code_hash=_digest(code),
        label=_text("label", label, required=False, most=100),
        expires_at=now + INVITE_VALID,
    )
    return NewInvite(invite=invite, token=token, code=code)


def invite_open(*, token: str = "", code: str = "", now: dt.datetime) -> Invite:
    """The unused, unexpired invitation for a link's token or a short code."""
    field = "code" if code else "token"
    if code:
        found = Invite.objects.filter(code_hash=_digest(normalise_code(code))).first()
    else:
        found = Invite.objects.filter(token_hash=_digest(token)).first()
    if found is None:
        raise ValidationProblem(
            field,
            "this code or link does not match an invitation: check it with your "
            "clinician",
        )
    if found.used_at is not None:
        raise ValidationProblem(
            field,
            "this invitation has been used already: ask your clinician for a new one",
        )
    if found.expires_at <= now:
        raise ValidationProblem(
            field, "this invitation has expired: ask your clinician for a new one"
        )
    return found


@transaction.atomic
def invite_accept(
    *, person: Person, now: dt.datetime, token: str = "", code: str = ""
) -> ClinicianLink:
    """The person accepts an invitation: their record is linked to the clinician."""
    invite = invite_open(token=token, code=code, now=now)
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    if invite.used_at is not None:
        raise ValidationProblem(
            "code" if code else "token",
            "this invitation has been used already: ask your clinician for a new one",
        )
    if invite.clinician_id == person.user_id:
        raise ValidationProblem(
            "code" if code else "token", "this is your own invitation"
        )
    invite.used_at = now
    invite.used_by = person
    invite.save(update_fields=["used_at", "used_by"])
    via = LinkVia.INVITE_CODE if code else LinkVia.INVITE_LINK
    return _link(person=person, clinician=invite.clinician, via=via)


def _link(
    *, person: Person, clinician: User, via: LinkVia, actor: User | None = None
) -> ClinicianLink:
    open_link = ClinicianLink.objects.filter(
        person=person, clinician=clinician, ended_at__isnull=True
    ).first()
    if open_link is not None:
        return open_link
    try:
        with transaction.atomic():
            link = ClinicianLink.objects.create(
                person=person, clinician=clinician, via=via
            )
    except IntegrityError:  # the same link, made at the same moment
        return ClinicianLink.objects.get(
            person=person, clinician=clinician, ended_at__isnull=True
        )
    audit.write(
        person,
        AuditEvent.CLINICIAN_LINKED,
        None,
        actor=actor or clinician,
        clinician=clinician.get_username(),
        via=via.value,
    )
    return link


@transaction.atomic
def link_create(
    *, person: Person, clinician: User, via: LinkVia = LinkVia.DEMO
) -> ClinicianLink:
    """Link directly (the demo data and a clinic admin's tools)."""
    if not roles.is_clinician(clinician):
        raise ValidationProblem("clinician", "is not a clinician")
    return _link(person=person, clinician=clinician, via=via)


def _clinic_admin(admin: User) -> None:
    if not roles.is_clinic_admin(admin):
        raise ValidationProblem("admin", "only a clinic admin manages links")


@transaction.atomic
def admin_link(*, admin: User, person: Person, clinician: User) -> ClinicianLink:
    """A clinic admin links a patient to a clinician (no health data is read)."""
    _clinic_admin(admin)
    if not roles.is_clinician(clinician):
        raise ValidationProblem("clinician", "is not a clinician")
    return _link(person=person, clinician=clinician, via=LinkVia.ADMIN, actor=admin)


@transaction.atomic
def admin_unlink(
    *, admin: User, person: Person, clinician: User, now: dt.datetime
) -> ClinicianLink:
    """A clinic admin ends a patient's link to a clinician."""
    _clinic_admin(admin)
    link = ClinicianLink.objects.filter(
        person=person, clinician=clinician, ended_at__isnull=True
    ).first()
    if link is None:
        raise ValidationProblem("clinician", "is not linked to this patient")
    return link_end(person=person, link_id=link.pk, by=admin, now=now)


@transaction.atomic
def link_end(
    *, person: Person, link_id: int, by: User, now: dt.datetime
) -> ClinicianLink:
    """End a link: the person may unlink any of their clinicians at any time."""
    link = (
        ClinicianLink.objects.select_for_update()
        .filter(pk=link_id, person=person, ended_at__isnull=True)
        .first()
    )
    if link is None:
        raise ValidationProblem("link", "is not one of your current clinicians")
    link.ended_at = now
    link.ended_by = by
    link.save(update_fields=["ended_at", "ended_by"])
    audit.write(
        person,
        AuditEvent.CLINICIAN_UNLINKED,
        None,
        actor=by,
        clinician=link.clinician.get_username(),
    )
    return link


# --- a clinician's actions on a linked patient's plan ---


@contextmanager
def _refusal_logged(access: AccessLog) -> Iterator[None]:
    """An allowed action that is refused (a ``ValidationProblem``: nothing stored)
    leaves its access row saying so, so the person never reads it as done."""
    try:
        yield
    except ValidationProblem:
        permissions.action_outcome(access, AccessOutcome.REFUSED)
        raise


def _once(access: AccessLog, find: Callable[[], T | None], store: Callable[[], T]) -> T:
    """The row stored earlier under the request's idempotency key (``find``), or
    ``store`` it now, in its own transaction. If another connection stored the
    same key at the same moment (PostgreSQL lets both pass the first look), all
    that ``store`` wrote is rolled back and the other's row is returned. A row
    found earlier is a repeat: the access says so (``store`` marks it done)."""
    earlier = find()
    if earlier is None:
        try:
            with transaction.atomic():
                return store()
        except IntegrityError:
            earlier = find()
            if earlier is None:
                raise
    permissions.action_outcome(access, AccessOutcome.REPEAT)
    return earlier


def _lock(person: Person) -> None:
    """Lock the person's row until the caller's transaction ends: a second
    request for the same person waits, then sees what the first one wrote."""
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").get()


def _earlier_action(
    person: Person, key: str, kind: ActionKind
) -> ClinicianAction | None:
    """The action stored before under ``key`` ("" has none). A key sent before
    with another kind of action is refused: each request makes its own key."""
    if not key:
        return None
    earlier = person.clinician_actions.filter(idempotency_key=key).first()
    if earlier is not None and earlier.kind != kind:
        raise ValidationProblem(
            "idempotency_key",
            f"was sent before with another action ({earlier.get_kind_display()}); "
            "make a new key for each action (from a form, reload the page)",
        )
    return earlier


def _action(
    *,
    person: Person,
    actor: User,
    access: AccessLog,
    kind: ActionKind,
    day: dt.date,
    reason: str,
    folded: bool = False,
    idempotency_key: str = "",
    **detail: object,
) -> ClinicianAction:
    """Store an action with its audit row, and mark the access that asked for it
    done, in the caller's transaction. ``folded``: the engine reads it (a
    directive, a program change), so the history gets a new version after it and
    no stored plan of the old one is read."""
    action = ClinicianAction.objects.create(
        person=person,
        actor=actor,
        kind=kind,
        day=day,
        reason=reason,
        detail=detail,
        idempotency_key=idempotency_key,
    )
    audit.write(
        person,
        AuditEvent.CLINICIAN_ACTION,
        day,
        actor=actor,
        kind=kind.value,
        reason=reason,
        by=actor.get_username(),
        **detail,
    )
    if folded:
        audit.plan_checked(person)
    permissions.action_outcome(access, AccessOutcome.DONE)
    return action


def clearance_by_clinician(
    *,
    clinician: User,
    person: Person,
    date: dt.date,
    reason: str,
    request_meta: RequestMeta,
    idempotency_key: str = "",
) -> Clearance:
    """A linked clinician clears a stop after review, from their own account.
    Sent again with the same ``idempotency_key``: the clearance stored the first
    time (even though the stop it lifted is no longer open). It lifts a pause to
    reassess too; a patient with nothing to clear on ``date``
    (``safety.nothing_to_clear``) is refused, nothing stored."""
    access = permissions.require_act(
        clinician, person, request_meta=request_meta, what="clear a stop"
    )

    def earlier() -> Clearance | None:
        action = _earlier_action(person, key, ActionKind.CLEAR_STOP)
        return (
            None
            if action is None
            else Clearance.objects.get(pk=action.detail["clearance"])
        )

    def store() -> Clearance:
        # The person's row is locked, so two clearances sent at once with their
        # own keys (PostgreSQL lets both look before either writes) clear once.
        _lock(person)
        refusal = safety.nothing_to_clear(selectors.plan_for(person, date), date)
        if refusal:
            # the same request stored a moment ago by another connection lifted
            # the stop: answer with its clearance, as a repeat would be
            stored = earlier()
            if stored is not None:
                permissions.action_outcome(access, AccessOutcome.REPEAT)
                return stored
            raise ValidationProblem("date", refusal)
        why = _text("reason", reason, required=False, most=REASON_MAX)
        name = clinician.get_full_name() or clinician.get_username()
        clearance = clearance_record(
            person=person, date=date, by=name, recorded_by=clinician
        )
        _action(
            person=person,
            actor=clinician,
            access=access,
            kind=ActionKind.CLEAR_STOP,
            day=date,
            reason=why,
            idempotency_key=key,
            clearance=clearance.pk,
        )
        return clearance

    with _refusal_logged(access):
        key = limits.idempotency_key(idempotency_key, what="clearance")
        return _once(access, earlier, store)


def decision_override(
    *,
    clinician: User,
    person: Person,
    kind: ActionKind,
    day: dt.date,
    reason: str,
    request_meta: RequestMeta,
    until: dt.date | None = None,
    idempotency_key: str = "",
) -> ClinicianAction:
    """Confirm the engine's decision, or set another (hold, step back, advance a
    phase early) with a reason, within the protocol's bounds: the engine folds it
    into the plan from ``day`` on. A hold lasts through ``until`` (None: the
    protocol's ``[clinician] hold_days``). Sent again with the same
    ``idempotency_key``: the action stored the first time."""
    access = permissions.require_act(
        clinician, person, request_meta=request_meta, what=f"decision: {kind}"
    )
    with _refusal_logged(access):
        key = limits.idempotency_key(idempotency_key, what="decision")
        return _once(
            access,
            lambda: _earlier_action(person, key, kind),
            lambda: _decide(
                clinician=clinician,
                person=person,
                access=access,
                kind=kind,
                day=day,
                reason=reason,
                until=until,
                key=key,
            ),
        )


def _decide(
    *,
    clinician: User,
    person: Person,
    access: AccessLog,
    kind: ActionKind,
    day: dt.date,
    reason: str,
    until: dt.date | None,
    key: str,
) -> ClinicianAction:
    if kind not in OVERRIDES:
        raise ValidationProblem(
            "kind", "must be one of: " + ", ".join(k.value for k in OVERRIDES)
        )
    if until is not None and kind != ActionKind.HOLD:
        raise ValidationProblem("until", "only a hold has an end date")
    why = _text("reason", reason, required=True, most=REASON_MAX)
    plan = selectors.plan_for(person, day)
    if kind in DIRECTIVES and (plan.phase is None or plan.decision.is_escalation):
        raise ValidationProblem(
            "kind",
            "no phase is running (the plan has not started or is stopped "
            "for safety): clear the stop first",
        )
    detail: dict[str, object] = {"decision": plan.decision.value}
    detail["phase"] = plan.phase
    if kind in DIRECTIVES:
        directive = _directive(clinician, kind, day, why, until=until)
        _check_directive(person, directive)
        if until is not None:
            detail["until"] = until.isoformat()
    return _action(
        person=person,
        actor=clinician,
        access=access,
        kind=kind,
        day=day,
        reason=why,
        folded=kind in DIRECTIVES,
        idempotency_key=key,
        **detail,
    )


# The actions the engine folds into the plan (``core.model.Directive``).
DIRECTIVES = (
    ActionKind.HOLD,
    ActionKind.STEP_BACK,
    ActionKind.ADVANCE,
    ActionKind.THRESHOLD,
)


def _directive(
    clinician: User,
    kind: ActionKind,
    day: dt.date,
    reason: str,
    **detail: object,
) -> Directive:
    """The action as the engine will read it back (``selectors.history_for``)."""
    until = detail.get("until")
    value = detail.get("value")
    return Directive(
        date=day,
        kind=DirectiveKind(kind.value),
        by=clinician.get_full_name() or clinician.get_username(),
        reason=reason,
        until=until if isinstance(until, dt.date) else None,
        threshold=str(detail.get("threshold", "")),
        value=float(value) if isinstance(value, int | float) else None,
    )


def _check_directive(person: Person, directive: Directive) -> None:
    """Refuse what is out of the protocol's bounds, and what the engine would
    refuse on the day (a stop, the last phase, a flare), naming why."""
    protocol = selectors.protocol_for(person)
    problem = directive_problem(protocol, directive)
    if problem is not None:
        raise ValidationProblem(*problem)
    why = directive_refusal(protocol, selectors.history_for(person), directive)
    if why is not None:
        asked = directive.kind.value.replace("_", " ")
        raise ValidationProblem("kind", f"cannot {asked} now: {why}")


def threshold_adjust(
    *,
    clinician: User,
    person: Person,
    threshold: str,
    value: float,
    day: dt.date,
    reason: str,
    request_meta: RequestMeta,
    idempotency_key: str = "",
) -> ClinicianAction:
    """Set one of the thresholds the person's protocol lets a clinician adjust,
    within its bounds; the engine uses it from ``day`` on. Sent again with the
    same ``idempotency_key``: the action stored the first time."""
    access = permissions.require_act(
        clinician, person, request_meta=request_meta, what="adjust a threshold"
    )

    def store() -> ClinicianAction:
        why = _text("reason", reason, required=True, most=REASON_MAX)
        directive = _directive(
            clinician, ActionKind.THRESHOLD, day, why, threshold=threshold, value=value
        )
        _check_directive(person, directive)
        tolerance = selectors.protocol_for(person).tolerance
        return _action(
            person=person,
            actor=clinician,
            access=access,
            folded=True,
            kind=ActionKind.THRESHOLD,
            day=day,
            reason=why,
            idempotency_key=key,
            threshold=threshold,
            value=value,
            protocol_value=getattr(tolerance, threshold.removeprefix("tolerance.")),
        )

    with _refusal_logged(access):
        key = limits.idempotency_key(idempotency_key, what="threshold")
        return _once(
            access, lambda: _earlier_action(person, key, ActionKind.THRESHOLD), store
        )


@transaction.atomic
def _protocol_switch(
    *,
    person: Person,
    clinician: User,
    access: AccessLog,
    protocol_id: str,
    day: dt.date,
    reason: str,
    idempotency_key: str = "",
) -> ClinicianAction:
    previous = person.protocol_id
    person.protocol_id = protocol_id
    person.save(update_fields=["protocol_id"])
    audit.write(
        person,
        AuditEvent.PROTOCOL_CHANGED,
        day,
        actor=clinician,
        previous=previous,
        protocol=protocol_id,
    )
    return _action(
        person=person,
        actor=clinician,
        access=access,
        folded=True,
        kind=ActionKind.PROTOCOL,
        day=day,
        reason=reason,
        idempotency_key=idempotency_key,
        previous=previous,
        protocol=protocol_id,
    )


def protocol_change(
    *,
    clinician: User,
    person: Person,
    protocol_id: str,
    day: dt.date,
    reason: str,
    request_meta: RequestMeta,
    idempotency_key: str = "",
) -> ClinicianAction:
    """Move the person onto another program that WalkWell ships. Sent again with
    the same ``idempotency_key``: the action stored the first time (not a refusal
    that the person is on that program already)."""
    access = permissions.require_act(
        clinician, person, request_meta=request_meta, what="change the program"
    )

    def store() -> ClinicianAction:
        why = _text("reason", reason, required=True, most=REASON_MAX)
        shipped = available_protocols()
        if protocol_id not in shipped:
            raise ValidationProblem(
                "protocol",
                "must be one of the programs WalkWell ships: " + ", ".join(shipped),
            )
        if protocol_id == person.protocol_id:
            raise ValidationProblem(
                "protocol", "is the program the person is on already"
            )
        return _protocol_switch(
            person=person,
            clinician=clinician,
            access=access,
            protocol_id=protocol_id,
            day=day,
            reason=why,
            idempotency_key=key,
        )

    with _refusal_logged(access):
        key = limits.idempotency_key(idempotency_key, what="program change")
        return _once(
            access, lambda: _earlier_action(person, key, ActionKind.PROTOCOL), store
        )


def note_write(
    *,
    clinician: User,
    person: Person,
    text: str,
    day: dt.date,
    request_meta: RequestMeta,
    idempotency_key: str = "",
) -> ClinicianNote:
    """A note the person sees on Today and in their history. Sent again with the
    same ``idempotency_key``: the note stored the first time."""
    access = permissions.require_act(
        clinician, person, request_meta=request_meta, what="write a note"
    )

    def earlier() -> ClinicianNote | None:
        return (
            person.clinician_notes.filter(idempotency_key=key).first() if key else None
        )

    def store() -> ClinicianNote:
        body = _text("text", text, required=True, most=NOTE_MAX)
        note = ClinicianNote.objects.create(
            person=person, author=clinician, text=body, idempotency_key=key
        )
        _action(
            person=person,
            actor=clinician,
            access=access,
            kind=ActionKind.NOTE,
            day=day,
            reason="",
            note=note.pk,
        )
        return note

    with _refusal_logged(access):
        key = limits.idempotency_key(idempotency_key, what="note")
        return _once(access, earlier, store)


# --- a clinic admin's emergency access ---


def break_glass_open(
    *,
    admin: AbstractBaseUser | User,
    person: Person,
    reason: str,
    now: dt.datetime,
    request_meta: RequestMeta,
) -> BreakGlass:
    """An admin opens one record for an hour, with a reason; the person sees it.

    Asked again while the same admin's earlier break-glass on this record is still
    open (a form sent twice, a retry), that one is answered: the access is logged
    again, but no second break-glass or audit entry is written."""
    if not roles.is_clinic_admin(admin) or not isinstance(admin, User):
        permissions.log_access(
            admin, person, request_meta=request_meta, what="break-glass", allowed=False
        )
        raise ValidationProblem("admin", "only a clinic admin can use break-glass")
    why = _text("reason", reason, required=True, most=REASON_MAX)
    with transaction.atomic():
        # The person's row is locked, so two opens sent at once (PostgreSQL lets
        # both look before either writes) find one another's break-glass.
        _lock(person)
        glass = person.break_glass.filter(
            admin=admin, started_at__lte=now, expires_at__gt=now
        ).first()
        if glass is None:
            glass = BreakGlass.objects.create(
                admin=admin,
                person=person,
                reason=why,
                started_at=now,
                expires_at=now + BREAK_GLASS_VALID,
            )
            audit.write(
                person,
                AuditEvent.BREAK_GLASS,
                now.date(),
                actor=admin,
                by=admin.get_username(),
                reason=why,
            )
        permissions.log_access(
            admin,
            person,
            request_meta=request_meta,
            what="break-glass",
            allowed=True,
            break_glass=True,
        )
    return glass


__all__ = [
    "BREAK_GLASS_VALID",
    "INVITE_VALID",
    "NewInvite",
    "admin_link",
    "admin_unlink",
    "break_glass_open",
    "clearance_by_clinician",
    "decision_override",
    "invite_accept",
    "invite_create",
    "invite_open",
    "link_create",
    "link_end",
    "normalise_code",
    "note_write",
    "protocol_change",
    "role_grant",
    "threshold_adjust",
]
