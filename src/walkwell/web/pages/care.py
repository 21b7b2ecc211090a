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
from walkwell.web.accounts import invites, throttle
from walkwell.web.pages.forms import JoinForm, LinkCodeForm, UnlinkForm
from walkwell.web.program import roles, selectors, selectors_care, services_care
from walkwell.web.program.access import enrolled
from walkwell.web.program.forms import submit
from walkwell.web.program.models import Invite, Person


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


def _open(**kept: str) -> tuple[Invite | None, str]:
    """The unused, unexpired invitation for a token or a code; else why not."""
    try:
        return services_care.invite_open(now=timezone.now(), **kept), ""
    except ValidationProblem as refused:
        return None, refused.message


def _refused(request: HttpRequest, problem: str) -> HttpResponse:
    context = {"form": None, "invite": None, "problem": problem}
    return render(request, "pages/care_join.html", context, status=400)


def _inviter(invite: Invite) -> str:
    return invite.clinician.get_full_name() or invite.clinician.get_username()


def _onwards(request: HttpRequest, invite: Invite, **kept: str) -> HttpResponse:
    """Someone not enrolled yet: keep the invitation through sign-up and
    onboarding, at the end of which they come back to accept it."""
    if roles.is_clinician(request.user) or roles.is_clinic_admin(request.user):
        return _refused(
            request,
            "this invitation is for a patient, and you are signed in as clinic "
            "staff: sign out, or pass the invitation on to your patient",
        )
    invites.remember(request.session, **kept)
    if request.user.is_authenticated:
        return redirect("pages:start")
    messages.info(
        request,
        f"{_inviter(invite)} invited you to WalkWell. Create your account first; "
        "your invitation is kept until you confirm it.",
    )
    return redirect("accounts:sign_up")


def _enrolled_person(request: HttpRequest) -> Person | None:
    user = request.user
    return selectors.person_for(user) if isinstance(user, User) else None


def join(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link. Enrolled: show who invites, and link once the person
    agrees. Not yet (no account, or onboarding not done): keep the invitation and
    go on to sign-up or onboarding. Used, expired or unknown: say so."""
    invite, problem = _open(token=token)
    person = _enrolled_person(request)
    if invite is None:
        return _refused(request, problem)
    if person is None:
        return _onwards(request, invite, token=token)
    return _confirm(request, person, invite, token=token)


def _confirm(
    request: HttpRequest, person: Person, invite: Invite, **kept: str
) -> HttpResponse:
    posted = request.method == "POST"
    form = JoinForm(request.POST if posted else None)  # an unticked box is a POST too
    if posted and form.is_valid():
        saved = submit(
            form,
            lambda: services_care.invite_accept(
                person=person, now=timezone.now(), **kept
            ),
            fields=lambda _: None,
        )
        if saved is not None:
            invites.forget(request.session)
            messages.success(request, "Linked: your clinician can now see your record.")
            return redirect("pages:care")
    context = {"form": form, "invite": invite, "problem": ""}
    return render(request, "pages/care_join.html", context)


def join_code(request: HttpRequest) -> HttpResponse:
    """The invitation page: type the short code (no account needed), or, back from
    sign-up and onboarding, confirm the invitation kept for you."""
    person = _enrolled_person(request)
    kept = invites.pending(request.session)
    if request.method == "POST" and "code" in request.POST:
        return _code_typed(request, person)
    if kept is not None and person is not None:
        invite, problem = _open(**kept)
        if invite is None:
            invites.forget(request.session)
            return _refused(request, problem)
        return _confirm(request, person, invite, **kept)
    return render(request, "pages/care_code.html", {"code_form": LinkCodeForm()})


def _code_typed(request: HttpRequest, person: Person | None) -> HttpResponse:
    """A typed code. Wrong codes count against the address as failed sign-ins
    do (``accounts.throttle``), so the page is no way to guess codes."""
    form = LinkCodeForm(request.POST)
    address = throttle.client_address(request)
    wait = throttle.wait_minutes(throttle.Kind.SIGN_IN, address)
    if wait and form.is_valid():
        form.problem(
            "code",
            f"too many wrong codes or sign-ins from your network: try again in "
            f"{wait} minute{'s' if wait != 1 else ''}",
        )
        return render(request, "pages/care_code.html", {"code_form": form}, status=429)
    if form.is_valid():
        code = form.cleaned_data["code"]
        invite, problem = _open(code=code)
        if invite is None:
            throttle.record(throttle.Kind.SIGN_IN, address)
            form.problem("code", problem)
        elif person is None:
            return _onwards(request, invite, code=code)
        else:
            invites.remember(request.session, code=code)
            return redirect("pages:care_join_code")
    return render(request, "pages/care_code.html", {"code_form": form}, status=400)
