"""The clinician's pages: the patient list (needs attention first), a patient's
record, the actions on it, invitations, and a clinic admin's page.

Views parse a form, ask ``program.permissions``, call a service or selector and
render; every read of a patient's record is logged there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from walkwell.core import safety
from walkwell.core.directives import adjustable
from walkwell.core.limits import ValidationProblem
from walkwell.core.protocol import available_protocols
from walkwell.web.accounts.forms import ExportForm
from walkwell.web.accounts.zones import clock_of
from walkwell.web.clinic import access
from walkwell.web.clinic.forms import (
    AdminLinkForm,
    BreakGlassForm,
    ClearForm,
    DecisionForm,
    InviteForm,
    NoteForm,
    ProtocolForm,
    RoleForm,
    SearchForm,
    ThresholdForm,
)
from walkwell.web.program import (
    downloads,
    permissions,
    selectors,
    selectors_attention,
    selectors_care,
    selectors_measures,
    services_care,
)
from walkwell.web.program.forms import submit
from walkwell.web.program.models import ActionKind, Person
from walkwell.web.program.permissions import RequestMeta
from walkwell.web.program.presenters import headline
from walkwell.web.program.progress import charts_context
from walkwell.web.program.roles import Role

PER_PAGE = 25


@access.clinician
def dashboard(request: HttpRequest, user: User) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q, reason, page = "", "", 1
    if form.is_valid():
        q = form.cleaned_data.get("q") or ""
        reason = form.cleaned_data.get("reason") or ""
        page = form.cleaned_data.get("page") or 1
    patients = permissions.patients_of(user).values("pk")
    found = submit(
        form,
        lambda: selectors_attention.needs_attention(
            patients, q=q or None, reason=reason or None, page=page, per_page=PER_PAGE
        ),
    )
    rows = found.value if found is not None else None
    query = urlencode({k: v for k, v in (("q", q), ("reason", reason)) if v})
    context = {
        "form": form,
        "rows": rows,
        "query": query,
        "filtered": bool(q or reason),
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if rows is not None and rows.has_next else None,
    }
    return render(request, "clinic/dashboard.html", context)


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
    return render(request, "clinic/invites.html", context)


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
        "name": selectors_care.display_name(person),
        "plan": plan,
        "headline": headline(plan),
        "phase_name": protocol.phase(plan.phase).name if plan.phase else "",
        "phases": [(p.number, p.name) for p in protocol.phases],
        # each day's decision in the words the patient reads on Today
        "plans": [(p, headline(p)) for p in selectors_care.recent_plans(person, day)],
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
        # an urgent stop cleared already waits for the patient's fresh screening
        "clearable": not safety.nothing_to_clear(plan, day),
    }


def _forms(person: Person, data: Any = None, which: str = "") -> dict[str, Any]:
    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "clear_form": ClearForm(bound("clear"), prefix="clear"),
        "decision_form": DecisionForm(bound("decision"), prefix="decision"),
        # Offered: the other programs; taken: any shipped one, so that the same
        # form sent again reaches the service, which answers it with the change
        # stored the first time (or says the person is on that program already).
        "protocol_form": ProtocolForm(
            bound("protocol"),
            prefix="protocol",
            choices=[
                p
                for p in available_protocols()
                if which == "protocol" or p != person.protocol_id
            ],
        ),
        "note_form": NoteForm(bound("note"), prefix="note"),
        "threshold_form": ThresholdForm(
            bound("threshold"),
            prefix="threshold",
            choices=adjustable(selectors.protocol_for(person)),
        ),
    }


def _charts(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The patient's own Progress charts, for the range the page asks for, with
    the button for the report of that range."""
    context = charts_context(person, request.GET.get("range", ""), timezone.localdate())
    context["report_url"] = reverse("clinic:report", args=[person.pk])
    context["report_label"] = "Download the progress report (PDF)"
    return context


@access.staff
def patient(request: HttpRequest, user: User, person_id: int) -> HttpResponse:
    person = _person(person_id)
    htmx = bool(request.headers.get("HX-Request"))
    permissions.require_view(
        user,
        person,
        request_meta=permissions.meta_from(request),
        what="patient charts" if htmx else "patient page",
    )
    if htmx:  # another range of the charts, from the buttons above them
        return render(request, "pages/partials/charts.html", _charts(request, person))
    context = _patient_context(person) | _forms(person) | _charts(request, person)
    context["can_act"] = permissions.can_act(user, person)
    return render(request, "clinic/patient.html", context)


@require_POST
@access.clinician
def act(request: HttpRequest, user: User, person_id: int, which: str) -> HttpResponse:
    """One of the actions on a patient's page: clear, decision, threshold,
    protocol, note."""
    person = _person(person_id)
    meta = permissions.meta_from(request)
    forms = _forms(person, request.POST, which)
    form = forms.get(f"{which}_form")
    if form is None:
        raise Http404("no such action")
    saved = None
    if form.is_valid():
        save = _service(which, user, person, form.cleaned_data, meta)
        saved = submit(form, save, {"idempotency_key": None})
    if saved is not None:
        messages.success(request, DONE[which])
        return redirect("clinic:patient", person_id=person.pk)
    permissions.require_view(user, person, request_meta=meta, what="patient page")
    context = _patient_context(person) | forms | _charts(request, person)
    context["can_act"] = True
    return render(request, "clinic/patient.html", context, status=400)


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
            idempotency_key=data["idempotency_key"],
        )
    if which == "decision":
        return lambda: services_care.decision_override(
            clinician=user,
            person=person,
            kind=ActionKind(data["kind"]),
            day=day,
            reason=data["reason"],
            request_meta=meta,
            idempotency_key=data["idempotency_key"],
            until=data["until"],
        )
    if which == "threshold":
        return lambda: services_care.threshold_adjust(
            clinician=user,
            person=person,
            threshold=data["threshold"],
            value=data["value"],
            day=day,
            reason=data["reason"],
            request_meta=meta,
            idempotency_key=data["idempotency_key"],
        )
    if which == "protocol":
        return lambda: services_care.protocol_change(
            clinician=user,
            person=person,
            protocol_id=data["protocol"],
            day=day,
            reason=data["reason"],
            request_meta=meta,
            idempotency_key=data["idempotency_key"],
        )
    return lambda: services_care.note_write(
        clinician=user,
        person=person,
        text=data["text"],
        day=day,
        request_meta=meta,
        idempotency_key=data["idempotency_key"],
    )


DONE = {
    "clear": "Cleared: the patient sees your clearance on their Today page.",
    "decision": "Recorded: the patient sees your decision and reason.",
    "protocol": "The program is changed; the patient sees why.",
    "note": "Note saved: the patient sees it on their Today page.",
    "threshold": "Threshold set: the plan uses it from today, and the patient sees why.",
}


def _break_glass(request: HttpRequest, user: User, form: BreakGlassForm) -> Any:
    found = selectors.person_for_username(form.cleaned_data["username"])
    if found is None:
        form.problem("username", "is not the username of anyone enrolled")
        return None
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
    return None if saved is None else person


def _role(user: User, form: RoleForm) -> bool:
    target = selectors_care.user_by_username(form.cleaned_data["username"])
    if target is None:
        form.problem("username", "is not the username of any account")
        return False
    role = Role(form.cleaned_data["role"])
    return (
        submit(form, lambda: services_care.role_grant(user=target, role=role))
        is not None
    )


def _admin_link(user: User, form: AdminLinkForm) -> bool:
    person = selectors.person_for_username(form.cleaned_data["patient"])
    clinician = selectors_care.user_by_username(form.cleaned_data["clinician"])
    if person is None:
        form.problem("patient", "is not the username of anyone enrolled")
        return False
    if clinician is None:
        form.problem("clinician", "is not the username of any account")
        return False
    if form.cleaned_data["action"] == "link":
        save: Callable[[], object] = lambda: services_care.admin_link(  # noqa: E731
            admin=user, person=person, clinician=clinician
        )
    else:
        save = lambda: services_care.admin_unlink(  # noqa: E731
            admin=user, person=person, clinician=clinician, now=timezone.now()
        )
    return submit(form, save) is not None


@access.clinic_admin
def admin(request: HttpRequest, user: User) -> HttpResponse:
    which = request.POST.get("form", "") if request.method == "POST" else ""
    glass = BreakGlassForm(request.POST if which == "glass" else None, prefix="glass")
    role = RoleForm(request.POST if which == "role" else None, prefix="role")
    link = AdminLinkForm(request.POST if which == "link" else None, prefix="link")
    if which == "glass" and glass.is_valid():
        person = _break_glass(request, user, glass)
        if person is not None:
            return redirect("clinic:patient", person_id=person.pk)
    if which == "role" and role.is_valid() and _role(user, role):
        messages.success(request, "Role given.")
        return redirect("clinic:admin")
    if which == "link" and link.is_valid() and _admin_link(user, link):
        messages.success(request, "Done: the link is changed.")
        return redirect("clinic:admin")
    context = {
        "form": glass,
        "role_form": role,
        "link_form": link,
        "clinicians": selectors_care.clinicians_list(),
    }
    return render(request, "clinic/admin.html", context, status=400 if which else 200)


@access.staff
def report(request: HttpRequest, user: User, person_id: int) -> HttpResponse:
    """The patient's progress report as a PDF, for ?from=...&to=... (by default
    the last twelve weeks): the one the patient downloads from Progress."""
    person = _person(person_id)
    permissions.require_view(
        user, person, request_meta=permissions.meta_from(request), what="report (PDF)"
    )
    try:
        first, last = downloads.report_days(request.GET)
        return downloads.report_response(
            person,
            first,
            last,
            today=timezone.localdate(),
            now=clock_of(person.user_id),
            who=person.user.get_username(),
        )
    except ValidationProblem as problem:
        return HttpResponse(
            f"{problem.field}: {problem.message}", status=400, content_type="text/plain"
        )


@require_POST
@access.staff
def export(request: HttpRequest, user: User, person_id: int) -> HttpResponseBase:
    """The patient's whole record as a download (JSON, CSV or FHIR), the same
    export the patient takes from Settings; audited with who made it."""
    person = _person(person_id)
    meta = permissions.meta_from(request)
    form = ExportForm(request.POST)
    if not form.is_valid():
        permissions.require_view(user, person, request_meta=meta, what="patient page")
        context = _patient_context(person) | _forms(person) | _charts(request, person)
        context |= {"can_act": permissions.can_act(user, person), "export_form": form}
        return render(request, "clinic/patient.html", context, status=400)
    fmt = form.cleaned_data["format"]
    permissions.require_view(user, person, request_meta=meta, what=f"export as {fmt}")
    return downloads.export_response(person, fmt, now=timezone.now(), actor=user)
