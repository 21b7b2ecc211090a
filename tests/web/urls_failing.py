"""The site's own addresses plus one page that fails, for the error-page tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from walkwell.web.urls import urlpatterns as site

INTERNALS = "sqlite3.OperationalError: table walkwell_secret has no column x"


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(INTERNALS)


urlpatterns: list[URLPattern | URLResolver] = [
    path("fails/", fails),
    *site,
]
