"""Answers under /api/ that Django makes itself (an unknown address, a method the
operation does not take) are JSON like every other refusal, not an HTML page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

PREFIX = "/api/"


class JsonErrors:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PREFIX) or response.status_code not in {
            404,
            405,
        }:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            message = (
                f"no such operation: {request.method} {request.path} (see /api/v1/docs)"
            )
            return JsonResponse({"message": message, "field": None}, status=404)
        allowed = response.get("Allow", "")
        message = (
            f"{request.method} is not allowed here; use {allowed or 'another method'}"
        )
        answer = JsonResponse({"message": message, "field": None}, status=405)
        if allowed:
            answer["Allow"] = allowed
        return answer
