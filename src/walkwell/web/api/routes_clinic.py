"""The clinician's side: the patient list (most urgent first), a patient's record,
and the actions on it. Who may do what is decided by ``program.permissions``, the
same layer the clinic pages ask; the actions are ``program.services_care``'s."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status

from walkwell.core.limits import ValidationProblem
from walkwell.web.accounts.zones import clock_of
from walkwell.web.api import care
from walkwell.web.api.auth import caller
from walkwell.web.api.routes_me import REFUSED, measures_of
from walkwell.web.api.schemas import (
    ActionOut,
    BreakGlassIn,
    BreakGlassOut,
    ClearanceOut,
    ClearIn,
    DayOut,
    DecisionIn,
    ExportQuery,
    InviteIn,
    InviteOut,
    NoteIn,
    NoteOut,
    Page,
    PageQuery,
    PatientOut,
    PatientQuery,
    PatientRowOut,
    Problem,
    ProtocolIn,
    ReportQuery,
    ThresholdIn,
    WalkOut,
    checkin_out,
    day_out,
    page_of,
    plan_out,
)
from walkwell.web.program import (
    downloads,
    permissions,
    roles,
    selectors,
    selectors_attention,
    selectors_care,
    selectors_export,
    services_care,
)
from walkwell.web.program.models import ActionKind, Person

router = Router(tags=["clinician"])

DENIED = {403: Problem, 404: Problem}


def _clinician(request: HttpRequest) -> User:
    user = caller(request)
    if not roles.is_clinician(user):
        raise PermissionDenied("only a clinician has a patient list")
    return user


def _patient(person_id: int) -> Person:
    person = selectors_care.person_by_id(person_id)
    if person is None:
        raise ValidationProblem("person_id", f"there is no patient number {person_id}")
    return person


def _viewed(request: HttpRequest, person_id: int, what: str) -> Person:
    """The record, once the permission layer allows the read (and logs it)."""
    person = _patient(person_id)
    permissions.require_view(
        caller(request), person, request_meta=permissions.meta_from(request), what=what
    )
    return person


@router.get(
    "/patients",
    response={200: Page[PatientRowOut], **DENIED, 422: Problem},
    summary="My patients, most urgent first",
)
def patients(request: HttpRequest, query: Query[PatientQuery]) -> dict[str, Any]:
    """The clinician's linked patients, most urgent first, each with its reason."""
    user = _clinician(request)
    found = selectors_attention.needs_attention(
        permissions.patients_of(user).values("pk"),
        q=query.q or None,
        reason=query.reason or None,
        page=query.page,
        per_page=query.page_size,
    )
    items = [
        {
            "id": r.person_id,
            "username": r.username,
            "name": r.name,
            "reason": r.reason,
            "label": r.label,
            "text": r.text,
            "rank": r.rank,
            "reasons": list(r.reasons),
            "since": r.since,
            "decision": r.decision,
            "phase": r.phase,
            "reviewed_on": r.reviewed_on,
        }
        for r in found.rows
    ]
    return {
        "items": items,
        "count": found.total,
        "page": found.page,
        "page_size": found.per_page,
        "pages": found.pages,
    }


@router.post(
    "/invites",
    response={201: InviteOut, **DENIED, 422: Problem},
    summary="Invite a patient",
)
def invite(request: HttpRequest, payload: InviteIn) -> Status[Any]:
    """A one-time link and a short code for one patient, valid for a week; both
    are shown in this answer only."""
    made = services_care.invite_create(
        clinician=_clinician(request), now=timezone.now(), label=payload.label
    )
    link = request.build_absolute_uri(reverse("pages:care_join", args=[made.token]))
    return Status(
        201,
        {
            "id": made.invite.pk,
            "code": made.code,
            "link": link,
            "expires_at": made.invite.expires_at,
        },
    )


@router.get(
    "/patients/{person_id}",
    response={200: PatientOut, **DENIED, 422: Problem},
    summary="A patient's record",
)
def patient(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """Today's plan, recent days with their reasons, walks, check-ins, measures,
    clearances, the care team's notes and actions, the audit trail and who read it.
    Every read by someone other than the patient is logged."""
    person = _viewed(request, person_id, "patient record (API)")
    day = timezone.localdate()
    return {
        "id": person.pk,
        "name": selectors_care.display_name(person),
        "protocol": person.protocol_id,
        "start": person.start,
        "today": plan_out(selectors.plan_for(person, day)),
        "recent_days": [day_out(p) for p in selectors_care.recent_plans(person, day)],
        "walks": selectors.walk_list(person)[:20],
        "checkins": [checkin_out(c) for c in selectors.checkin_list(person)[:14]],
        "measures": measures_of(person),
        "clearances": care.clearances_out(person),
        "notes": [care.note_out(n) for n in selectors_care.notes_for(person)],
        "actions": [care.action_out(a) for a in selectors_care.actions_for(person)],
        "audit": [care.audit_out(a) for a in selectors_care.audit_trail(person)],
        "access": [care.access_out(a) for a in selectors_care.access_log_for(person)],
    }


@router.get(
    "/patients/{person_id}/history",
    response={200: Page[DayOut], **DENIED, 422: Problem},
    summary="A patient's history",
)
def patient_history(
    request: HttpRequest, person_id: int, paging: Query[PageQuery]
) -> dict[str, Any]:
    """Every day since the patient's start, newest first."""
    person = _viewed(request, person_id, "patient history (API)")
    end = max(timezone.localdate(), selectors.last_activity_day(person))
    page = page_of(selectors.timeline_for(person, end)[::-1], paging)
    page["items"] = [day_out(d) for d in page["items"]]
    return page


@router.get(
    "/patients/{person_id}/walks",
    response={200: Page[WalkOut], **DENIED, 422: Problem},
    summary="A patient's walks",
)
def patient_walks(
    request: HttpRequest, person_id: int, paging: Query[PageQuery]
) -> dict[str, Any]:
    """The patient's walks, newest first."""
    person = _viewed(request, person_id, "patient walks (API)")
    return page_of(person.walks.order_by("-date", "-id"), paging)


def _file(what: str, *media: str) -> dict[str, Any]:
    """The OpenAPI answer of an operation that sends a file of one of ``media``."""
    content = {
        m: {"schema": {"type": "object"}}  # a JSON document (the JSON and FHIR exports)
        if m.endswith("json")
        else {"schema": {"type": "string", "format": "binary"}}
        for m in media
    }
    return {"responses": {200: {"description": what, "content": content}}}


@router.get(
    "/patients/{person_id}/report",
    response={**DENIED, 422: Problem},
    summary="A patient's progress report (PDF)",
    openapi_extra=_file("The report, 2-4 pages of PDF", downloads.PDF),
)
def patient_report(
    request: HttpRequest, person_id: int, query: Query[ReportQuery]
) -> HttpResponse:
    """The progress report the patient downloads from Progress (charts with
    their numbers, measures, warning signs and clearances, decisions, notes),
    from ``from`` to ``to`` (by default the last twelve weeks). The read is
    logged."""
    person = _viewed(request, person_id, "report (API)")
    return downloads.report_response(
        person,
        query.from_,
        query.to,
        today=timezone.localdate(),
        now=clock_of(person.user_id),
        who=person.user.get_username(),
    )


@router.get(
    "/patients/{person_id}/export",
    response={**DENIED, 422: Problem},
    summary="A patient's whole record as a file (JSON, CSV or FHIR)",
    openapi_extra=_file(
        "The export, as a download", *selectors_export.MEDIA_TYPE.values()
    ),
)
def patient_export(
    request: HttpRequest, person_id: int, query: Query[ExportQuery]
) -> HttpResponseBase:
    """The export the patient takes from Settings: everything they entered or
    imported, streamed. The read is logged and the export written to the audit
    trail with who made it."""
    person = _viewed(request, person_id, f"export as {query.format} (API)")
    user = caller(request)
    actor = None if user.pk == person.user_id else user
    return downloads.export_response(
        person, query.format, now=timezone.now(), actor=actor
    )


def _meta(request: HttpRequest) -> permissions.RequestMeta:
    return permissions.meta_from(request)


@router.post(
    "/patients/{person_id}/clearance",
    response={201: ClearanceOut, **DENIED, **REFUSED},
    summary="Clear a stop",
)
def clear(request: HttpRequest, person_id: int, payload: ClearIn) -> Status[Any]:
    """Clear a stop after review, recorded as from the clinician's account; the
    same ``idempotency_key`` stores it once; it lifts a pause to reassess too. A
    patient with neither an open stop nor a pause today, or whose urgent stop is
    cleared already and waits for their fresh screening, has nothing to clear:
    refused (422, naming ``date``)."""
    person = _patient(person_id)
    row = services_care.clearance_by_clinician(
        clinician=caller(request),
        person=person,
        date=timezone.localdate(),
        reason=payload.reason,
        request_meta=_meta(request),
        idempotency_key=payload.idempotency_key,
    )
    return Status(
        201, {"date": row.date, "by": row.by, "self_reported": row.self_reported}
    )


@router.post(
    "/patients/{person_id}/decision",
    response={201: ActionOut, **DENIED, **REFUSED},
    summary="Confirm or override the decision",
)
def decide(request: HttpRequest, person_id: int, payload: DecisionIn) -> Status[Any]:
    """Confirm today's decision, or hold, step back or advance a phase early within
    the protocol's phases, with a reason the patient sees. The same
    ``idempotency_key`` stores it once (the first action is answered again)."""
    person = _patient(person_id)
    try:
        kind = ActionKind(payload.kind)
    except ValueError:
        kind = None
    if kind is None:
        raise ValidationProblem(
            "kind", "must be one of: confirm, hold, step_back, advance"
        )
    action = services_care.decision_override(
        clinician=caller(request),
        person=person,
        kind=kind,
        day=timezone.localdate(),
        reason=payload.reason,
        request_meta=_meta(request),
        idempotency_key=payload.idempotency_key,
        until=payload.until,
    )
    return Status(201, care.action_out(action))


@router.post(
    "/patients/{person_id}/threshold",
    response={201: ActionOut, **DENIED, **REFUSED},
    summary="Adjust a threshold within the protocol's bounds",
)
def adjust_threshold(
    request: HttpRequest, person_id: int, payload: ThresholdIn
) -> Status[Any]:
    """Set one of the thresholds the patient's protocol declares adjustable (its
    ``[clinician]`` thresholds), within their bounds; the plan uses it from today.
    The same ``idempotency_key`` stores it once (the first action is answered again)."""
    person = _patient(person_id)
    action = services_care.threshold_adjust(
        clinician=caller(request),
        person=person,
        threshold=payload.threshold,
        value=payload.value,
        day=timezone.localdate(),
        reason=payload.reason,
        request_meta=_meta(request),
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, care.action_out(action))


@router.post(
    "/patients/{person_id}/protocol",
    response={201: ActionOut, **DENIED, **REFUSED},
    summary="Change the program",
)
def change_protocol(
    request: HttpRequest, person_id: int, payload: ProtocolIn
) -> Status[Any]:
    """Move the patient onto another program WalkWell ships, with a reason; the
    same ``idempotency_key`` stores it once (the first action is answered again)."""
    person = _patient(person_id)
    action = services_care.protocol_change(
        clinician=caller(request),
        person=person,
        protocol_id=payload.protocol,
        day=timezone.localdate(),
        reason=payload.reason,
        request_meta=_meta(request),
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, care.action_out(action))


@router.post(
    "/patients/{person_id}/notes",
    response={201: NoteOut, **DENIED, **REFUSED},
    summary="Write a note",
)
def note(request: HttpRequest, person_id: int, payload: NoteIn) -> Status[Any]:
    """A note the patient sees on Today and in their history; the same
    ``idempotency_key`` stores it once (the first note is answered again)."""
    person = _patient(person_id)
    row = services_care.note_write(
        clinician=caller(request),
        person=person,
        text=payload.text,
        day=timezone.localdate(),
        request_meta=_meta(request),
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, care.note_out(row))


@router.post(
    "/patients/{person_id}/break-glass",
    response={201: BreakGlassOut, **DENIED, **REFUSED},
    summary="Break-glass access (clinic admin)",
)
def break_glass(
    request: HttpRequest, person_id: int, payload: BreakGlassIn
) -> Status[Any]:
    """A clinic admin opens one record for an hour, with a reason; it is audited
    and shown to the patient."""
    person = _patient(person_id)
    user = caller(request)
    if not roles.is_clinic_admin(user):
        permissions.log_access(
            user, person, request_meta=_meta(request), what="break-glass", allowed=False
        )
        raise PermissionDenied("only a clinic admin can use break-glass")
    glass = services_care.break_glass_open(
        admin=user,
        person=person,
        reason=payload.reason,
        now=timezone.now(),
        request_meta=_meta(request),
    )
    return Status(
        201,
        {
            "person": person.pk,
            "reason": glass.reason,
            "started_at": glass.started_at,
            "expires_at": glass.expires_at,
        },
    )
