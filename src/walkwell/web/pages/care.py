"""My care team: the person's clinicians (link with a code or an invitation link,
unlink at any time), who looked at their record and when, and what their clinicians
wrote and did."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from walkwell.core.limits import ValidationProblem
from walkwell.web.pages.forms import JoinForm, LinkCodeForm, UnlinkForm
from walkwell.web.program import selectors_care, services_care
from walkwell.web.program.access import enrolled
from walkwell.web.program.forms import submit
from walkwell.web.program.models import Person


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # enrolled() signs in first
        raise TypeError("a signed-in user is needed")
    return user


def _context(person: Person, code_form: LinkCodeForm) -> dict[str, Any]:
    return {
        "code_form": code_form,
        "links": selectors_care.clinicians_of(person),
        "history": selectors_care.link_history(person),
        "access": selectors_care.access_log_for(person, limit=50),
        "glass": selectors_care.break_glass_for(person),
        "notes": selectors_care.notes_for(person),
        "actions": selectors_care.actions_for(person, limit=50),
        "clearances": selectors_care.clearances_for(person),
    }


@enrolled
def care(request: HttpRequest, person: Person) -> HttpResponse:
    form = LinkCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services_care.invite_accept(
                person=person, now=timezone.now(), code=form.cleaned_data["code"]
            ),
        )
        if saved is not None:
            who = saved.value.clinician
            name = who.get_full_name() or who.get_username()
            messages.success(request, f"Linked: {name} is now one of your clinicians.")
            return redirect("pages:care")
    return render(request, "pages/care.html", _context(person, form))


@require_POST
@enrolled
def unlink(request: HttpRequest, person: Person) -> HttpResponse:
    form = UnlinkForm(request.POST)
    if form.is_valid():
        saved = submit(
            form,
            lambda: services_care.link_end(
                person=person,
                link_id=form.cleaned_data["link"],
                by=_user(request),
                now=timezone.now(),
            ),
        )
        if saved is not None:
            messages.success(
                request, "Unlinked: that clinician no longer sees your record."
            )
            return redirect("pages:care")
    context = _context(person, LinkCodeForm())
    context["unlink_errors"] = [e for errs in form.errors.values() for e in errs]
    return render(request, "pages/care.html", context, status=400)


@enrolled
def join(request: HttpRequest, person: Person, token: str) -> HttpResponse:
    """An invitation link: show who invites, and link once the person agrees."""
    form = JoinForm(request.POST or None)
    invite, problem = None, ""
    try:
        invite = services_care.invite_open(token=token, now=timezone.now())
    except ValidationProblem as refused:
        problem = refused.message
    if invite is not None and request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services_care.invite_accept(
                person=person, now=timezone.now(), token=token
            ),
            fields=lambda _: None,
        )
        if saved is not None:
            messages.success(request, "Linked: your clinician can now see your record.")
            return redirect("pages:care")
    context = {"form": form, "invite": invite, "problem": problem}
    return render(
        request, "pages/care_join.html", context, status=200 if invite else 400
    )
