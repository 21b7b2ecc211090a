"""Two-factor sign-in pages: set up an authenticator app (a QR code and the secret
as text, confirmed with a code), the code asked after the password, backup codes
shown once, and turning it off (people only; clinicians and admins must keep it)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from walkwell.core.limits import ValidationProblem
from walkwell.web.accounts import services_two_factor as two_factor
from walkwell.web.accounts.forms import CodeForm
from walkwell.web.program.roles import is_staff_role


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _next(request: HttpRequest) -> str:
    """Where to go once the code is given: a path on this site, else Today."""
    wanted = str(request.POST.get("next") or request.GET.get("next") or "")
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and allowed else "/"


def _backup_codes(
    request: HttpRequest, codes: list[str], *, first: bool
) -> HttpResponse:
    response = render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "first": first, "next": _next(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """GET shows the pending app's QR code and secret (or a button to start);
    POST ``start`` makes the secret, POST ``code`` confirms it."""
    user = _user(request)
    if two_factor.has_second_factor(user) and not two_factor.is_verified(user):
        return redirect("accounts:two_factor_verify")
    pending = two_factor.pending_app_of(user)
    form = CodeForm(request.POST if "code" in request.POST else None)
    status = 200
    if request.method == "POST":
        if "start" in request.POST:
            two_factor.pending_app(user)
            return redirect(request.get_full_path())
        if form.is_valid():
            try:
                codes = two_factor.app_confirm(
                    user=user, code=form.cleaned_data["code"]
                )
            except ValidationProblem as problem:
                form.add_error("code", problem.message)
            else:
                confirmed = two_factor.app_of(user)
                otp_login(request, confirmed)
                return _backup_codes(request, codes, first=True)
        status = 400
    context = {
        "pending": pending,
        "form": form,
        "secret": two_factor.secret_text(pending) if pending else "",
        "qr": two_factor.qr_svg(pending) if pending else "",
        "required": is_staff_role(user),
        "replacing": two_factor.has_second_factor(user),
        "next": _next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The code from the authenticator app (or a backup code) after the password."""
    user = _user(request)
    if not two_factor.has_second_factor(user):
        return redirect("accounts:two_factor_setup")
    if two_factor.is_verified(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        checked = two_factor.code_check(user=user, code=form.cleaned_data["code"])
        if checked.device is not None:
            otp_login(request, checked.device)
            return redirect(_next(request))
        status = 429 if checked.throttled else 400
        message = (
            "Too many wrong codes in a row."
            if checked.throttled
            else "That code did not match, or was used already."
        )
        if checked.wait_seconds:
            message += f" Wait {checked.wait_seconds} s before the next try."
        form.add_error("code", message)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


@login_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working), shown once."""
    user = _user(request)
    if not two_factor.has_second_factor(user):
        return redirect("accounts:two_factor_setup")
    return _backup_codes(request, two_factor.backup_codes_renew(user=user), first=False)


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    try:
        two_factor.second_factor_remove(user=_user(request))
    except ValidationProblem as problem:
        messages.error(request, problem.message.capitalize() + ".")
    else:
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("accounts:settings")
