"""Who is calling: a personal access token (``Authorization: Bearer ww_…``), or the
browser's session with its CSRF token, as the site's own pages send it.

Anonymous callers reach only the public operations (``auth=None``); everything else
answers 401 before its handler runs.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from walkwell.web.accounts import services_tokens, services_two_factor


class TokenAuth(HttpBearer):
    """A personal access token made in Settings, with ``walkwell token create``, or
    by signing in at ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = services_tokens.token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser. A write must carry the CSRF token, as a form does; an
    anonymous caller is refused as unauthenticated (401), not as a CSRF failure;
    a session that owes its second factor (a clinician's, an admin's, or anyone's
    with two-factor sign-in on) is refused (403) until the code is given."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "the CSRF token is missing or wrong; reload the page")
        if services_two_factor.needs_second_factor(
            request.user
        ) and not services_two_factor.is_verified(request.user):
            raise HttpError(
                403,
                "this session has not given its two-factor code yet: enter it at "
                "/accounts/two-factor/ (or set up an authenticator app in Settings)",
            )
        return request.user


AUTH: list[Any] = [TokenAuth(), SessionAuth()]


def caller(request: HttpRequest) -> User:
    """The signed-in account of an authenticated operation."""
    return cast("User", request.auth)  # type: ignore[attr-defined]
