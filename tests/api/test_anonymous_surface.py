"""The API's anonymous surface is exactly four endpoints: the schema, the docs page,
the health check and token sign-in. Every other route, found by walking the URL
patterns themselves, refuses an anonymous caller with a JSON 401."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver

from walkwell.web.api.main import api

PUBLIC = {("GET", "/health"), ("POST", "/auth/token")}
PAGES = {"/openapi.json", "/docs"}
ROOT = "/"  # Ninja's marker for the API's own address: a 404 for everyone


def _routes() -> list[str]:
    """Every route under /api/v1/, as a path with ``1`` for each parameter."""
    found: list[str] = []
    patterns: list[Any] = list(api.urls[0])
    for pattern in patterns:
        assert isinstance(pattern, URLPattern | URLResolver)
        route = "/" + str(pattern.pattern).lstrip("/")
        found.append(re.sub(r"<(?:\w+:)?\w+>", "1", route))
    return found


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), re.sub(r"\{\w+\}", "1", path.removeprefix("/api/v1")))
        for path, item in schema["paths"].items()
        for method in item
    ]


def test_every_url_route_is_in_the_schema_or_is_a_public_page() -> None:
    operation_paths = {path for _, path in _operations()}
    for route in _routes():
        assert route in operation_paths | PAGES | {ROOT}, f"{route} is not described"


def test_the_api_root_serves_nothing(db: None) -> None:
    assert Client().get("/api/v1/").status_code == 404


def test_the_schema_marks_only_health_and_sign_in_as_public() -> None:
    schema = api.get_openapi_schema()
    public = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if not op.get("security")
    }
    assert public == PUBLIC


@pytest.mark.parametrize(("method", "path"), sorted(set(_operations()) - PUBLIC))
def test_an_anonymous_caller_is_refused_everywhere_else(
    db: None, method: str, path: str
) -> None:
    response = Client().generic(
        method, "/api/v1" + path, "{}", content_type="application/json"
    )
    assert response.status_code == 401, (method, path, response.content)
    body = response.json()
    assert body["field"] == "Authorization"
    assert "sign in" in body["message"]


@pytest.mark.parametrize("path", sorted(PAGES))
def test_the_schema_and_docs_page_answer_anyone(db: None, path: str) -> None:
    assert Client().get("/api/v1" + path).status_code == 200


def test_the_health_check_answers_anyone(db: None) -> None:
    response = Client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_a_wrong_or_revoked_token_is_as_anonymous(db: None) -> None:
    response = Client().get(
        "/api/v1/me/today", headers={"Authorization": "Bearer ww_not-a-real-token"}
    )
    assert response.status_code == 401


def test_the_docs_page_loads_its_assets_from_this_site(db: None) -> None:
    """The site's CSP allows no CDN: the docs page's script and style are local."""
    page = Client().get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert "<script>" not in page  # no inline script for the CSP to block
