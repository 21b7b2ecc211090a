"""Response headers every page carries, and the limits of a signed-in session."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from walkwell.web.accounts import services_two_factor
from walkwell.web.program.roles import is_staff_role

# WalkWell uses the screen wake lock (the guided walk keeps the screen on) and
# nothing else a Permissions-Policy controls: everything else is denied.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "ambient-light-sensor=()",
        "autoplay=()",
        "bluetooth=()",
        "camera=()",
        "display-capture=()",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "publickey-credentials-get=()",
        "screen-wake-lock=(self)",
        "serial=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)

Handler = Callable[[HttpRequest], HttpResponse]


class SecurityHeaders:
    """Permissions-Policy on every response, and ``Cache-Control: no-store`` on
    every response but the static files: pages hold health data, and a shared
    computer's back button or a proxy must not keep a copy."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not request.path.startswith(self.static_prefix):
            add_never_cache_headers(response)
        return response


class SessionLimits:
    """End a signed-in session after it sat idle too long, or lived too long.

    Clinicians and admins see many people's data: their limits are shorter
    (settings WALKWELL_STAFF_SESSION_*). The last-seen time is written at most
    once a minute, so reading pages does not write the session every time."""

    STARTED, SEEN = "walkwell_started", "walkwell_seen"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request, now=time.time())
            if expired:
                logout(request)
                messages.info(request, expired)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)

    def _expired(self, request: HttpRequest, *, now: float) -> str:
        session = request.session
        staff = is_staff_role(request.user)
        idle = 60 * (
            settings.WALKWELL_STAFF_SESSION_IDLE_MINUTES
            if staff
            else settings.WALKWELL_SESSION_IDLE_MINUTES
        )
        lifetime = 3600 * (
            settings.WALKWELL_STAFF_SESSION_MAX_HOURS
            if staff
            else settings.WALKWELL_SESSION_MAX_HOURS
        )
        started = float(session.setdefault(self.STARTED, now))
        seen = float(session.get(self.SEEN, now))
        if now - seen > idle:
            return "You were signed out after a while without activity. Please sign in again."
        if now - started > lifetime:
            return "Your sign-in had reached its time limit. Please sign in again."
        if now - seen >= 60 or self.SEEN not in session:
            session[self.SEEN] = now
        return ""


class SecondFactorRequired:
    """No page for a signed-in account that needs its second factor until it is
    given: clinicians and admins without an authenticator app are sent to set one
    up, and anyone with one is asked for a code after the password.

    Only the two-factor pages, signing out and the static files stay open. The JSON
    API refuses such a session itself, in JSON (``api.auth.SessionAuth``)."""

    OPEN = (
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:sign_out",
    )

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith((self.static_prefix, "/api/"))
            and not services_two_factor.is_verified(user)
            and services_two_factor.needs_second_factor(user)
        ):
            open_paths = {reverse(name) for name in self.OPEN}
            if request.path not in open_paths:
                step = (
                    "accounts:two_factor_verify"
                    if services_two_factor.has_second_factor(user)
                    else "accounts:two_factor_setup"
                )
                wanted = request.get_full_path() if request.method == "GET" else ""
                query = f"?{urlencode({'next': wanted})}" if wanted else ""
                return redirect(reverse(step) + query)
        return self.get_response(request)
