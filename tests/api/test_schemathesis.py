"""schemathesis against the API's own OpenAPI schema (``/api/v1/openapi.json``),
as each role: anonymous, a patient (Alice), a clinician (Carol, Alice's) and a
clinic admin (Ada), each with a personal access token.

Every answer must be below 500 and within the schema: a status code the operation
declares, its content type, and a body that validates against the declared
response schema. ``make test`` tries ``WALKWELL_API_EXAMPLES`` cases an operation
(3 unless set); ``scripts/api-fuzz`` runs at least 100 (docs/security.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from walkwell.web.accounts import services_tokens
from walkwell.web.program.models import Person

EXAMPLES = int(os.environ.get("WALKWELL_API_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ("anonymous", "patient", "clinician", "admin")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def one_connection() -> Iterator[None]:
    """The app is called as WSGI, whose end of request closes the database
    connection; Django's test client keeps it open for the test's transaction,
    and so does this (on PostgreSQL a closed connection ends the test's data)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(alice: Person, carol: User, ada: User) -> dict[str, dict[str, str]]:
    """The Authorization header of each role (none for anonymous)."""
    users = {"patient": alice.user, "clinician": carol, "admin": ada}
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role, user in users.items():
        _, secret = services_tokens.token_create(user=user, name="fuzz")
        headers[role] = {"Authorization": f"Bearer {secret}"}
    return headers


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_below_500_and_within_the_schema(
    case: Any, role: str, bearer: dict[str, dict[str, str]], alice: Person
) -> None:
    named = (case.path_parameters or {}).get("person_id")
    if isinstance(named, int) and named % 2 == 0:
        # Half the whole-number cases name Alice: her clinician's reads and
        # actions run too, not only the refusals of an unknown patient.
        case.path_parameters["person_id"] = alice.pk
    case.call_and_validate(headers=bearer[role], checks=CHECKS)
