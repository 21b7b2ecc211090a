"""The only operations an anonymous caller reaches (with the schema and the docs
page): the health check, and signing in for a token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db import DatabaseError, connection
from django.http import HttpRequest
from ninja import Router, Status

from walkwell.web.accounts import services_tokens, services_two_factor
from walkwell.web.api.schemas import Health, NewTokenOut, Problem, SignIn, token_out

router = Router(tags=["public"])

WRONG = "the username or password is wrong"


@router.get(
    "/health", auth=None, response={200: Health, 503: Health}, summary="Health check"
)
def health(request: HttpRequest) -> Status[Any]:
    """Whether the server answers and reaches its database (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return Status(503, Health(status="unavailable", database="unreachable"))
    return Status(200, Health(status="ok", database="ok"))


@router.post(
    "/auth/token",
    auth=None,
    response={201: NewTokenOut, 401: Problem, 403: Problem, 422: Problem, 429: Problem},
    summary="Sign in for a token",
)
def sign_in(request: HttpRequest, payload: SignIn) -> Status[Any]:
    """Trade a username and password for a new named personal access token, shown
    once. Failed attempts are throttled as on the sign-in page. Clinicians, admins
    and anyone with two-factor sign-in on also send ``code``; a clinician or admin
    who has not set up an authenticator app yet does so in Settings first."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return Status(401, Problem(message=WRONG, field="password"))
    refused = _second_factor_refusal(user, payload.code)
    if refused is not None:
        return refused
    token, secret = services_tokens.token_create(user=user, name=payload.name)
    return Status(201, token_out(token, secret))


def _second_factor_refusal(user: User, code: str | None) -> Status[Any] | None:
    """None when the account needs no second factor or ``code`` is right."""
    if not services_two_factor.needs_second_factor(user):
        return None
    if not services_two_factor.has_second_factor(user):
        return Status(
            403,
            Problem(
                message="set up two-factor sign-in in Settings before making a token",
                field="code",
            ),
        )
    if not code:
        return Status(
            401,
            Problem(
                message="this account signs in with a code from its authenticator "
                "app: send it as code",
                field="code",
            ),
        )
    checked = services_two_factor.code_check(user=user, code=code)
    if checked.device is None:
        wait = (
            f"; wait {checked.wait_seconds} s before the next try"
            if checked.wait_seconds
            else ""
        )
        return Status(
            401,
            Problem(
                message=f"the code did not match or was used already{wait}",
                field="code",
            ),
        )
    return None
