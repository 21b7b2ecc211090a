"""Every refusal as JSON: ``{"message": ..., "field": ...}`` (field null when the
problem is not one field's). A service's ``ValidationProblem`` is a 422 naming its
field, so the API says what the page would say beside the same field."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from walkwell.core.limits import ValidationProblem

logger = logging.getLogger(__name__)


def _body(message: str, field: str | None = None, **more: Any) -> dict[str, Any]:
    return {"message": message, "field": field, **more}


def _field(loc: list[Any] | tuple[Any, ...]) -> str | None:
    """The field a pydantic error points at, without where it came from."""
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "form", "file"}]
    return (
        ".".join(parts[1:] if len(parts) > 1 and parts[0] == "payload" else parts)
        or None
    )


REFUSAL = {
    "400": "The body is not readable as its Content-Type says (not JSON, no boundary)",
    "401": "Not signed in: send a personal access token",
    "422": "A field or parameter is missing or out of range; `field` names it",
}


def _problem_response(description: str) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/Problem"}
    return {
        "description": description,
        "content": {"application/json": {"schema": ref}},
    }


def document_refusals(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the refusals every operation can answer, so the schema says all
    that the API does: 401 where a token is needed, 422 where anything is parsed
    from the request, 400 where a body is read."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            codes = []
            if operation.get("security"):
                codes.append("401")
            if operation.get("parameters") or operation.get("requestBody"):
                codes.append("422")
            if operation.get("requestBody"):
                codes.append("400")
            # Ninja keys its responses by number, JSON by text: one key each
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code in codes:
                responses.setdefault(code, _problem_response(REFUSAL[code]))
    return schema


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every refusal into the error shape."""

    @api.exception_handler(ValidationProblem)
    def _problem(request: HttpRequest, exc: ValidationProblem) -> HttpResponse:
        return api.create_response(request, _body(exc.message, exc.field), status=422)

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field(e.get("loc", ())), "message": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        first = errors[0] if errors else {"field": None, "message": "invalid input"}
        body = _body(first["message"] or "invalid input", first["field"], errors=errors)
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def _anonymous(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = (
            "sign in first: send a personal access token as "
            "'Authorization: Bearer <token>', or use the site's session"
        )
        response = api.create_response(
            request, _body(message, "Authorization"), status=401
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or "you may not see or change this"
        return api.create_response(request, _body(message), status=403)

    @api.exception_handler(Http404)
    def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, _body(str(exc) or "not found"), status=404)

    @api.exception_handler(MultiPartParserError)
    def _unreadable(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        """A body that says it is multipart and is not (no boundary, cut short)."""
        message = f"the body is not readable as {request.content_type}: {exc}"
        return api.create_response(request, _body(message, "Content-Type"), status=400)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, _body(str(exc)), status=exc.status_code)

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API %s %s failed", request.method, request.path)
        message = "something went wrong on the server; the details are in its log"
        return api.create_response(request, _body(message), status=500)
