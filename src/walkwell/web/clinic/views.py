"""The clinician's pages: the patient list (needs attention first), a patient's
record, the actions on it, invitations, and a clinic admin's page.

Views parse a form, ask ``program.permissions``, call a service or selector and
render; every read of a patient's record is logged there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from walkwell.core.protocol import available_protocols
from walkwell.web.clinic import access
from walkwell.web.clinic.forms import (
    BreakGlassForm,
    ClearForm,
    DecisionForm,
    InviteForm,
    NoteForm,
    ProtocolForm,
    SearchForm,
)
from walkwell.web.clinic.navigation import clinic_nav
from walkwell.web.program import (
    permissions,
    selectors,
    selectors_care,
    selectors_dashboard,
    selectors_measures,
    services_care,
)
from walkwell.web.program.forms import submit
from walkwell.web.program.models import ActionKind, Person
from walkwell.web.program.permissions import RequestMeta
from walkwell.web.program.presenters import HEADLINES


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context["nav"] = clinic_nav(request)
    return render(request, template, context, status=status)


@access.clinician
def dashboard(request: HttpRequest, user: User) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q, reason, page = "", None, 1
    if form.is_valid():
        q = form.cleaned_data.get("q") or ""
        reason = form.reason_value()
        page = form.cleaned_data.get("page") or 1
    rows = selectors_dashboard.attention_page(
        permissions.patients_of(user),
        timezone.localdate(),
        q=q,
        reason=reason,
        page=page,
    )
    query = {"q": q, "reason": reason.value if reason else ""}
    context = {
        "form": form,
        "rows": rows,
        "query": "&".join(f"{k}={v}" for k, v in query.items() if v),
        "filtered": bool(q or reason),
    }
    return _render(request, "clinic/dashboard.html", context)


@access.clinician
def invites(request: HttpRequest, user: User) -> HttpResponse:
    form = InviteForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services_care.invite_create(
                clinician=user, now=timezone.now(), label=form.cleaned_data["label"]
            ),
        )
        if saved is not None:
            made = saved.value
            form = InviteForm()
    link = (
        request.build_absolute_uri(reverse("pages:care_join", args=[made.token]))
        if made
        else ""
    )
    context = {
        "form": form,
        "made": made,
        "link": link,
        "invites": selectors_care.invites_of(user),
        "now": timezone.now(),
    }
    return _render(request, "clinic/invites.html", context)


def _person(person_id: int) -> Person:
    person = selectors_care.person_by_id(person_id)
    if person is None:
        raise Http404("no such patient")
    return person


def _patient_context(person: Person) -> dict[str, Any]:
    day = timezone.localdate()
    plan = selectors.plan_for(person, day)
    protocol = selectors.protocol_for(person)
    return {
        "person": person,
        "name": selectors_dashboard.display_name(person),
        "plan": plan,
        "headline": HEADLINES[plan.decision],
        "phase_name": protocol.phase(plan.phase).name if plan.phase else "",
        "phases": [(p.number, p.name) for p in protocol.phases],
        "plans": selectors_care.recent_plans(person, day),
        "walks": selectors.walk_list(person)[:20],
        "checkins": selectors.checkin_list(person)[:14],
        "changes": selectors_measures.measure_changes(person),
        "answers": selectors_measures.measure_answers(person)[-10:],
        "clearances": selectors_care.clearances_for(person),
        "notes": selectors_care.notes_for(person),
        "actions": selectors_care.actions_for(person),
        "audit": selectors_care.audit_trail(person),
        "access": selectors_care.access_log_for(person, limit=30),
        "stopped": plan.decision.is_escalation,
    }


def _forms(person: Person, data: Any = None, which: str = "") -> dict[str, Any]:
    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "clear_form": ClearForm(bound("clear"), prefix="clear"),
        "decision_form": DecisionForm(bound("decision"), prefix="decision"),
        "protocol_form": ProtocolForm(
            bound("protocol"),
            prefix="protocol",
            choices=[p for p in available_protocols() if p != person.protocol_id],
        ),
        "note_form": NoteForm(bound("note"), prefix="note"),
    }


@access.staff
def patient(request: HttpRequest, user: User, person_id: int) -> HttpResponse:
    person = _person(person_id)
    permissions.require_view(
        user, person, request_meta=permissions.meta_from(request), what="patient page"
    )
    context = _patient_context(person) | _forms(person)
    context["can_act"] = permissions.can_act(user, person)
    return _render(request, "clinic/patient.html", context)


@require_POST
@access.clinician
def act(request: HttpRequest, user: User, person_id: int, which: str) -> HttpResponse:
    """One of the actions on a patient's page: clear, decision, protocol, note."""
    person = _person(person_id)
    meta = permissions.meta_from(request)
    forms = _forms(person, request.POST, which)
    form = forms.get(f"{which}_form")
    if form is None:
        raise Http404("no such action")
    saved = None
    if form.is_valid():
        save = _service(which, user, person, form.cleaned_data, meta)
        saved = submit(form, save)
    if saved is not None:
        messages.success(request, DONE[which])
        return redirect("clinic:patient", person_id=person.pk)
    permissions.require_view(user, person, request_meta=meta, what="patient page")
    context = _patient_context(person) | forms
    context["can_act"] = True
    return _render(request, "clinic/patient.html", context, status=400)


def _service(
    which: str, user: User, person: Person, data: dict[str, Any], meta: RequestMeta
) -> Callable[[], object]:
    """The service behind each action on a patient's page."""
    day = timezone.localdate()
    if which == "clear":
        return lambda: services_care.clearance_by_clinician(
            clinician=user,
            person=person,
            date=day,
            reason=data["reason"],
            request_meta=meta,
        )
    if which == "decision":
        return lambda: services_care.decision_override(
            clinician=user,
            person=person,
            kind=ActionKind(data["kind"]),
            day=day,
            reason=data["reason"],
            request_meta=meta,
        )
    if which == "protocol":
        return lambda: services_care.protocol_change(
            clinician=user,
            person=person,
            protocol_id=data["protocol"],
            day=day,
            reason=data["reason"],
            request_meta=meta,
        )
    return lambda: services_care.note_write(
        clinician=user, person=person, text=data["text"], day=day, request_meta=meta
    )


DONE = {
    "clear": "Cleared: the patient sees your clearance on their Today page.",
    "decision": "Recorded: the patient sees your decision and reason.",
    "protocol": "The program is changed; the patient sees why.",
    "note": "Note saved: the patient sees it on their Today page.",
}


@access.clinic_admin
def admin(request: HttpRequest, user: User) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = selectors.person_for_username(form.cleaned_data["username"])
        if found is None:
            form.problem("username", "is not the username of anyone enrolled")
        else:
            person = found
            saved = submit(
                form,
                lambda: services_care.break_glass_open(
                    admin=user,
                    person=person,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                    request_meta=permissions.meta_from(request),
                ),
            )
            if saved is not None:
                return redirect("clinic:patient", person_id=person.pk)
    context = {"form": form, "clinicians": selectors_care.clinicians_list()}
    return _render(request, "clinic/admin.html", context)
