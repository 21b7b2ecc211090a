"""Sign-up, sign-in (throttled by django-axes), sign-out, password, password reset by
email, and settings."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.views import (
    LoginView,
    LogoutView,
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from walkwell.core.limits import ValidationProblem
from walkwell.web.accounts import (
    invites,
    services,
    services_tokens,
    services_two_factor,
    throttle,
)
from walkwell.web.accounts import selectors as account_selectors
from walkwell.web.accounts.forms import (
    EmailForm,
    NewPasswordForm,
    PasswordForm,
    PreferencesForm,
    ResetRequestForm,
    SignUpForm,
    TimeZoneForm,
    TokenForm,
)
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import selectors
from walkwell.web.program.access import staff_without_record
from walkwell.web.program.models import Invite
from walkwell.web.program.roles import is_staff_role


def _slow_down(request: HttpRequest, minutes: int, what: str) -> HttpResponse:
    response = render(
        request,
        "accounts/slow_down.html",
        {"minutes": minutes, "what": what},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def _invitation(request: HttpRequest) -> tuple[Invite | None, str]:
    """The invitation kept in the session, if it is still good; else why not."""
    if invites.pending(request.session) is None:
        return None, ""
    try:
        return invites.pending_invite(request.session, timezone.now()), ""
    except ValidationProblem as refused:
        return None, refused.message


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:start")
    invite, problem = _invitation(request)
    mode = settings.WALKWELL_SIGNUP
    if mode == "closed" or (mode == "invite" and invite is None):
        # The refusal page when this deployment takes no sign-up from this visitor.
        closed = {"mode": mode, "problem": problem}
        return render(request, "accounts/sign_up_closed.html", closed, status=403)
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        address = throttle.client_address(request)
        wait = throttle.wait_minutes(throttle.Kind.SIGN_UP, address)
        if wait:
            return _slow_down(request, wait, "new accounts")
        if form.is_valid():
            user = form.save()
            zone = str(request.POST.get("time_zone", ""))[:64]  # the browser's own
            services.preferences_create(user=user, time_zone=zone)
            throttle.record(throttle.Kind.SIGN_UP, address)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("pages:start")
    context = {"form": form, "invite": invite, "problem": problem}
    return render(request, "accounts/sign_up.html", context)


class SignInView(LoginView):
    """Sign-in. django-axes pauses a username tried too often from one address;
    the address throttle also slows one address trying many usernames."""

    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle.wait_minutes(
            throttle.Kind.SIGN_IN, throttle.client_address(request)
        )
        if wait:
            return _slow_down(request, wait, "sign-in attempts")
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.record(throttle.Kind.SIGN_IN, throttle.client_address(self.request))
        return super().form_invalid(form)


class SignOutView(LogoutView):
    http_method_names: ClassVar[list[str]] = ["post", "options"]  # type: ignore[misc]


class PasswordView(PasswordChangeView):
    template_name = "accounts/password.html"
    form_class = PasswordForm
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form: object) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[arg-type]
        # Other sessions end with the old password (Django's session hash); the
        # calendar address, a secret of its own, is renewed too.
        services.calendar_link_renew(user=_user(self.request))
        messages.success(
            self.request,
            "Your password has been changed. You were signed out everywhere else, "
            "and your calendar address was renewed.",
        )
        return response


class ResetRequestView(PasswordResetView):
    """Mails a reset link to every active account with that address. The answer is
    the same whether or not the address is known, so it reveals no accounts."""

    form_class = ResetRequestForm
    template_name = "accounts/reset_request.html"
    email_template_name = "accounts/email/reset.txt"
    subject_template_name = "accounts/email/reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")


class ResetSentView(PasswordResetDoneView):
    template_name = "accounts/reset_sent.html"


class ResetConfirmView(PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        services.calendar_link_renew(user=form.user)
        return response


class ResetCompleteView(PasswordResetCompleteView):
    template_name = "accounts/reset_complete.html"


def _user(request: HttpRequest) -> User:
    """The signed-in account (every caller is behind ``login_required``)."""
    return cast("User", request.user)


def _feed_url(request: HttpRequest, prefs: Preferences) -> str:
    """The private calendar address; none until the preferences are stored."""
    if not prefs.pk:
        return ""
    return request.build_absolute_uri(
        reverse("pages:calendar", args=[prefs.calendar_token])
    )


def _preferences_form(
    request: HttpRequest, prefs: Preferences, data: Any = None
) -> TimeZoneForm:
    """The person's preferences; the time zone alone for clinic staff without a
    record of their own (reminders, units and habits are a patient's)."""
    user = _user(request)
    if staff_without_record(user):
        return TimeZoneForm(data, instance=prefs)
    protocol = selectors.protocol_for_user(user)
    return PreferencesForm(
        data, instance=prefs, protocol=protocol, has_email=bool(user.email)
    )


def _settings(
    request: HttpRequest,
    prefs: Preferences,
    form: TimeZoneForm,
    email: EmailForm,
    *,
    token_form: TokenForm | None = None,
    new_secret: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "email_form": email,
        "feed_url": _feed_url(request, prefs),
        "tokens": account_selectors.tokens_for(_user(request).pk),
        "token_form": token_form or TokenForm(),
        "new_secret": new_secret,
        "two_factor": services_two_factor.has_second_factor(request.user),
        "two_factor_required": is_staff_role(request.user),
        "staff_only": not isinstance(form, PreferencesForm),
    }
    return render(request, "accounts/settings.html", context, status=status)


def _settings_as_stored(request: HttpRequest, **extra: Any) -> HttpResponse:
    user = _user(request)
    prefs = account_selectors.preferences_for(user.pk)
    preferences = _preferences_form(request, prefs)
    email_form = EmailForm(instance=user)
    return _settings(request, prefs, preferences, email_form, **extra)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    prefs = account_selectors.preferences_for(user.pk)
    form = _preferences_form(request, prefs, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(form=form, user=user)
        messages.success(request, "Settings saved.")
        return redirect("accounts:settings")
    email_form = EmailForm(instance=request.user)  # type: ignore[arg-type]
    return _settings(request, prefs, form, email_form)


@login_required
@require_POST
def email(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST, instance=request.user)  # type: ignore[arg-type]
    if form.is_valid():
        form.save()
        messages.success(
            request,
            "Email saved." if form.cleaned_data["email"] else "Email removed.",
        )
        return redirect("accounts:settings")
    prefs = account_selectors.preferences_for(_user(request).pk)
    return _settings(request, prefs, _preferences_form(request, prefs), form)


@login_required
@require_POST
def new_calendar_link(request: HttpRequest) -> HttpResponse:
    """A new secret: the old calendar address stops working at once."""
    prefs = services.calendar_link_renew(user=_user(request))
    feed = _feed_url(request, prefs)
    if request.headers.get("HX-Request"):
        return render(
            request, "accounts/partials/feed.html", {"feed_url": feed, "renewed": True}
        )
    messages.success(
        request, "A new calendar address was made; the old one no longer works."
    )
    return redirect("accounts:settings")


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Make a named API token and show its secret on this page, once: it is not
    kept, so the answer is a page, not a redirect that would lose it."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _settings_as_stored(request, token_form=form, status=400)
    try:
        _, secret = services_tokens.token_create(
            user=_user(request), name=form.cleaned_data["name"]
        )
    except ValidationProblem as problem:
        form.add_error("name", problem.message)
        return _settings_as_stored(request, token_form=form, status=400)
    response = _settings_as_stored(request, new_secret=secret)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the person's own tokens; anyone else's is not found."""
    try:
        token = services_tokens.token_revoke(user=_user(request), token_id=token_id)
    except ValidationProblem as problem:
        raise Http404(problem.message) from None
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("accounts:settings")
