"""The only operations an anonymous caller reaches (with the schema and the docs
page): the health check, and signing in for a token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import DatabaseError, connection
from django.http import HttpRequest
from ninja import Router, Status

from walkwell.web.accounts import services_tokens
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
    response={201: NewTokenOut, 401: Problem, 422: Problem, 429: Problem},
    summary="Sign in for a token",
)
def sign_in(request: HttpRequest, payload: SignIn) -> Status[Any]:
    """Trade a username and password for a new named personal access token, shown
    once. Failed attempts are throttled as on the sign-in page."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return Status(401, Problem(message=WRONG, field="password"))
    token, secret = services_tokens.token_create(user=user, name=payload.name)
    return Status(201, token_out(token, secret))
