"""The caller's own personal access tokens: list and revoke (make one in Settings,
with ``walkwell token create``, or at ``POST /auth/token``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from walkwell.core.limits import ValidationProblem
from walkwell.web.accounts import selectors as account_selectors
from walkwell.web.accounts import services_tokens
from walkwell.web.api.auth import caller
from walkwell.web.api.schemas import (
    NewTokenOut,
    Page,
    PageQuery,
    Problem,
    SignInName,
    TokenOut,
    page_of,
    token_out,
)

router = Router(tags=["tokens"])


@router.get("/auth/tokens", response=Page[TokenOut], summary="My tokens")
def tokens(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """The caller's tokens, newest first; revoked ones say when."""
    rows = account_selectors.tokens_for(caller(request).pk)
    page = page_of(rows, paging)
    page["items"] = [token_out(t) for t in page["items"]]
    return page


@router.post(
    "/auth/tokens",
    response={201: NewTokenOut, 422: Problem},
    summary="Make a token",
)
def token_create(request: HttpRequest, payload: SignInName) -> Status[Any]:
    """A new named token for the caller; its secret is in this answer only."""
    token, secret = services_tokens.token_create(
        user=caller(request), name=payload.name
    )
    return Status(201, token_out(token, secret))


@router.delete(
    "/auth/tokens/{token_id}",
    response={200: TokenOut, 404: Problem},
    summary="Revoke a token",
)
def token_revoke(request: HttpRequest, token_id: int) -> Status[Any]:
    """Revoke one of the caller's tokens: it stops working at once."""
    try:
        token = services_tokens.token_revoke(user=caller(request), token_id=token_id)
    except ValidationProblem as problem:
        return Status(404, Problem(message=problem.message, field=problem.field))
    return Status(200, token_out(token))
