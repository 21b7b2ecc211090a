"""The API object: its routers, who may call them, and how refusals look.

Every operation needs a signed-in caller (a personal access token, or the site's
session with CSRF) except the four public ones: the OpenAPI schema, the docs page,
the health check and signing in for a token.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.docs import ABS_TPL_PATH, Swagger
from ninja.openapi.schema import OpenAPISchema

from walkwell.web.api import (
    errors,
    routes_clinic,
    routes_imports,
    routes_me,
    routes_public,
    routes_tokens,
)
from walkwell.web.api.auth import AUTH


class LocalSwagger(Swagger):
    """Swagger UI from Django Ninja's own page and files, served by this site.

    Ninja draws its ``template_cdn`` page with Django's template engine when it
    is not an installed app (it is not: settings, ``NINJA_FILES``); this names
    the page that loads its script and styles from the static files instead of
    a CDN, which the site's Content-Security-Policy would refuse anyway.
    """

    template_cdn = str(ABS_TPL_PATH / "swagger.html")


class WalkWellApi(NinjaAPI):
    """Ninja's API, whose schema also declares the refusals every operation can
    answer (``errors.document_refusals``)."""

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        errors.document_refusals(schema)
        return schema


api = WalkWellApi(
    title="WalkWell API",
    version="1",
    description=(
        "A walking program for chronic low back pain: the patient's plan, walks, "
        "check-ins, symptoms, outcome measures and imports, and the clinician's "
        "patients. Send a personal access token as `Authorization: Bearer <token>`. "
        "Errors are JSON with a `message` and the `field` they concern; lists are "
        "paginated (`page`, `page_size`); dates are ISO 8601."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", routes_public.router)
api.add_router("", routes_tokens.router)
api.add_router("", routes_me.router)
api.add_router("", routes_imports.router)
api.add_router("", routes_clinic.router)
