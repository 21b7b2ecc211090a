"""Sign-up, sign-in (throttled by django-axes), sign-out, password, password reset by
email, and settings."""

from __future__ import annotations

from typing import ClassVar, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from walkwell.web.accounts import selectors as account_selectors
from walkwell.web.accounts import services
from walkwell.web.accounts.forms import (
    EmailForm,
    NewPasswordForm,
    PasswordForm,
    PreferencesForm,
    ResetRequestForm,
    SignUpForm,
)
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import selectors


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:start")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        zone = str(request.POST.get("time_zone", ""))[:64]  # the browser's own
        services.preferences_create(user=user, time_zone=zone)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("pages:start")
    return render(request, "accounts/sign_up.html", {"form": form})


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(LogoutView):
    http_method_names: ClassVar[list[str]] = ["post", "options"]  # type: ignore[misc]


class PasswordView(PasswordChangeView):
    template_name = "accounts/password.html"
    form_class = PasswordForm
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form: object) -> HttpResponse:
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)  # type: ignore[arg-type]


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


def _settings(
    request: HttpRequest, prefs: Preferences, form: PreferencesForm, email: EmailForm
) -> HttpResponse:
    context = {"form": form, "email_form": email, "feed_url": _feed_url(request, prefs)}
    return render(request, "accounts/settings.html", context)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    prefs = account_selectors.preferences_for(_user(request).pk)
    protocol = selectors.protocol_for_user(request.user)
    form = PreferencesForm(request.POST or None, instance=prefs, protocol=protocol)
    if request.method == "POST" and form.is_valid():
        form.save()
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
    protocol = selectors.protocol_for_user(request.user)
    preferences = PreferencesForm(instance=prefs, protocol=protocol)
    return _settings(request, prefs, preferences, form)


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
