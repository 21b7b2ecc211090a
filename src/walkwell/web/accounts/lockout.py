"""What a caller locked out by django-axes is told: a page for the site, JSON for
the API (``AXES_LOCKOUT_CALLABLE``)."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off, get_cool_off_iso8601
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

API_PREFIX = "/api/"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    status = settings.AXES_HTTP_RESPONSE_CODE
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    if request.path.startswith(API_PREFIX):
        wait = f"{minutes} minutes" if minutes else "a few minutes"
        message = (
            "too many failed sign-ins with this username from here; "
            f"wait {wait} and try again"
        )
        return JsonResponse({"message": message, "field": "password"}, status=status)
    context = {"cooloff_time": get_cool_off_iso8601(cool_off) if cool_off else ""}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)
