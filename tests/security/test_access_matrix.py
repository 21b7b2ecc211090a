"""The access matrix: every route of the URL resolver (the JSON API's operations
among them, with the methods its OpenAPI schema declares), for every role and
method, against the outcome written down in ``MATRIX``.

The roles, all around Alice's record (``tests/security/conftest.py``): anonymous,
Alice (a patient), Bob (another patient), Carol (Alice's clinician), Mallory (a
clinician not linked to Alice) and Ada (a clinic admin). Every address is filled
with the real id of one of Alice's rows, so Bob and Mallory probe Alice's ids; a
write sends a valid body, so a refusal is the permission check's, not the form's.

A refusal is also checked in the database: the rows before and after the request
must be the same, except the access log that records the refused read
(``test_get_changes_nothing.changes`` says what else may change). A route missing
from the matrix fails, asking for its row.

The outcomes: a status code, ``"sign-in"`` (a redirect to sign in, coming back
after), or ``"→ app:name"`` (a redirect to that page). A page's own record is the
signed-in person's: clinicians and the admin, who have none, are sent to their own
home (``→ clinic:dashboard``, ``→ clinic:admin``); the API answers 409.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.cast import TODAY
from tests.security import probe
from tests.security.conftest import ROLES, AliceRows
from tests.security.test_get_changes_nothing import changes

__all__ = ["TODAY"]  # the module is read on the cast's TODAY

Row = tuple[probe.Outcome, ...]

SIGN_IN = "sign-in"
CLINIC = "→ clinic:dashboard"
ADMIN = "→ clinic:admin"


def everyone(outcome: probe.Outcome) -> Row:
    """The same outcome for all six roles."""
    return (outcome,) * len(ROLES)


def own_then(outcome: probe.Outcome) -> Row:
    """A page of the signed-in person's own record: sign in first; Alice and Bob
    each get ``outcome`` on their own record; staff go to their own home."""
    return (SIGN_IN, outcome, outcome, CLINIC, CLINIC, ADMIN)


OWN_PAGE = own_then(200)

# roles: anonymous, alice, bob, carol, mallory, ada
MATRIX: dict[tuple[str, str], Row] = {
    # The API: its schema, docs and health check are public; a token is made by
    # signing in; each account lists and revokes only its own tokens (Alice's by
    # id is "not found" to anyone else).
    ("GET", "api/v1/openapi.json"): everyone(200),
    ("POST", "api/v1/openapi.json"): everyone(200),
    ("GET", "api/v1/docs"): everyone(200),
    ("POST", "api/v1/docs"): everyone(200),
    ("GET", "api/v1/health"): everyone(200),
    ("POST", "api/v1/auth/token"): everyone(422),
    ("GET", "api/v1/auth/tokens"): (401, 200, 200, 200, 200, 200),
    ("POST", "api/v1/auth/tokens"): (401, 201, 201, 201, 201, 201),
    ("DELETE", "api/v1/auth/tokens/<token_id>"): (401, 200, 404, 404, 404, 404),
    # The API's own record: the caller's, never an id of someone else's; staff
    # have none (409). Alice's import and link by id are not Bob's to read or end.
    ("GET", "api/v1/me/today"): (401, 200, 200, 409, 409, 409),
    ("GET", "api/v1/me/walks"): (401, 200, 200, 409, 409, 409),
    ("POST", "api/v1/me/walks"): (401, 201, 201, 409, 409, 409),
    ("GET", "api/v1/me/checkins"): (401, 200, 200, 409, 409, 409),
    ("POST", "api/v1/me/checkins"): (401, 201, 201, 409, 409, 409),
    ("POST", "api/v1/me/symptoms"): (401, 201, 201, 409, 409, 409),
    ("GET", "api/v1/me/history"): (401, 200, 200, 409, 409, 409),
    ("GET", "api/v1/me/plan/<day>"): (401, 200, 200, 409, 409, 409),
    ("GET", "api/v1/me/care"): (401, 200, 200, 409, 409, 409),
    ("POST", "api/v1/me/care/links"): (401, 201, 201, 409, 409, 409),
    ("DELETE", "api/v1/me/care/links/<link_id>"): (401, 200, 422, 409, 409, 409),
    ("POST", "api/v1/me/clearance"): (401, 422, 201, 409, 409, 409),
    ("GET", "api/v1/me/measures"): (401, 200, 200, 409, 409, 409),
    ("POST", "api/v1/me/measures"): (401, 201, 201, 409, 409, 409),
    ("GET", "api/v1/me/imports"): (401, 200, 200, 409, 409, 409),
    ("POST", "api/v1/me/imports"): (401, 422, 422, 422, 422, 422),
    ("GET", "api/v1/me/imports/<run_id>"): (401, 200, 404, 409, 409, 409),
    ("POST", "api/v1/me/imports/<run_id>/retry"): (401, 422, 404, 409, 409, 409),
    # The API's clinician side: the list for clinicians; Alice's record for her,
    # her clinician Carol, nobody else; actions for Carol only; break-glass for Ada.
    ("GET", "api/v1/patients"): (401, 403, 403, 200, 200, 403),
    ("POST", "api/v1/invites"): (401, 403, 403, 201, 201, 403),
    ("GET", "api/v1/patients/<person_id>"): (401, 200, 403, 200, 403, 403),
    ("GET", "api/v1/patients/<person_id>/history"): (401, 200, 403, 200, 403, 403),
    ("GET", "api/v1/patients/<person_id>/walks"): (401, 200, 403, 200, 403, 403),
    ("POST", "api/v1/patients/<person_id>/clearance"): (401, 403, 403, 201, 403, 403),
    ("POST", "api/v1/patients/<person_id>/decision"): (401, 403, 403, 201, 403, 403),
    ("POST", "api/v1/patients/<person_id>/protocol"): (401, 403, 403, 201, 403, 403),
    ("POST", "api/v1/patients/<person_id>/notes"): (401, 403, 403, 201, 403, 403),
    ("POST", "api/v1/patients/<person_id>/break-glass"): (401, 403, 403, 403, 403, 201),
    # The API: its schema, docs and health check are public; a token is made by
    # signing in; each account lists and revokes only its own tokens (Alice's by
    # id is "not found" to anyone else).
    ("GET", "api/v1/"): everyone(404),
    ("POST", "api/v1/"): everyone(404),
    # Accounts: sign-up and sign-in for strangers; settings for anyone signed in;
    # a reset link is the credential it carries; Alice's token and export by id are
    # hers alone.
    ("GET", "accounts/sign-up/"): (
        200,
        "→ pages:start",
        "→ pages:start",
        "→ pages:start",
        "→ pages:start",
        "→ pages:start",
    ),
    ("POST", "accounts/sign-up/"): (
        200,
        "→ pages:start",
        "→ pages:start",
        "→ pages:start",
        "→ pages:start",
        "→ pages:start",
    ),
    ("GET", "accounts/sign-in/"): (
        200,
        "→ pages:today",
        "→ pages:today",
        "→ pages:today",
        "→ pages:today",
        "→ pages:today",
    ),
    ("POST", "accounts/sign-in/"): (
        200,
        "→ pages:today",
        "→ pages:today",
        "→ pages:today",
        "→ pages:today",
        "→ pages:today",
    ),
    ("GET", "accounts/sign-out/"): everyone(405),
    ("POST", "accounts/sign-out/"): everyone("→ accounts:sign_in"),
    ("GET", "accounts/password/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("POST", "accounts/password/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("GET", "accounts/settings/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("POST", "accounts/settings/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("GET", "accounts/settings/email/"): (SIGN_IN, 405, 405, 405, 405, 405),
    ("POST", "accounts/settings/email/"): (
        SIGN_IN,
        "→ accounts:settings",
        "→ accounts:settings",
        "→ accounts:settings",
        "→ accounts:settings",
        "→ accounts:settings",
    ),
    ("GET", "accounts/password-reset/"): everyone(200),
    ("POST", "accounts/password-reset/"): everyone(200),
    ("GET", "accounts/password-reset/sent/"): everyone(200),
    ("POST", "accounts/password-reset/sent/"): everyone(405),
    ("GET", "accounts/password-reset/<uidb64>/<token>/"): (
        "→ accounts:password_reset_confirm",
        200,
        "→ accounts:password_reset_confirm",
        "→ accounts:password_reset_confirm",
        "→ accounts:password_reset_confirm",
        "→ accounts:password_reset_confirm",
    ),
    ("POST", "accounts/password-reset/<uidb64>/<token>/"): (
        "→ accounts:password_reset_confirm",
        200,
        "→ accounts:password_reset_confirm",
        "→ accounts:password_reset_confirm",
        "→ accounts:password_reset_confirm",
        "→ accounts:password_reset_confirm",
    ),
    ("GET", "accounts/password-reset/done/"): everyone(200),
    ("POST", "accounts/password-reset/done/"): everyone(405),
    ("GET", "accounts/settings/calendar/"): (SIGN_IN, 405, 405, 405, 405, 405),
    ("POST", "accounts/settings/calendar/"): (
        SIGN_IN,
        "→ accounts:settings",
        "→ accounts:settings",
        "→ accounts:settings",
        "→ accounts:settings",
        "→ accounts:settings",
    ),
    ("GET", "accounts/settings/tokens/"): (SIGN_IN, 405, 405, 405, 405, 405),
    ("POST", "accounts/settings/tokens/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("GET", "accounts/settings/tokens/<int:token_id>/revoke/"): (
        SIGN_IN,
        405,
        405,
        405,
        405,
        405,
    ),
    ("POST", "accounts/settings/tokens/<int:token_id>/revoke/"): (
        SIGN_IN,
        "→ accounts:settings",
        404,
        404,
        404,
        404,
    ),
    ("GET", "accounts/settings/data/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("POST", "accounts/settings/data/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("GET", "accounts/settings/data/export/"): (SIGN_IN, 405, 405, 405, 405, 405),
    ("POST", "accounts/settings/data/export/"): (SIGN_IN, 200, 200, 400, 400, 400),
    ("GET", "accounts/settings/data/exports/<str:name>"): (
        SIGN_IN,
        200,
        404,
        404,
        404,
        404,
    ),
    ("POST", "accounts/settings/data/exports/<str:name>"): (
        SIGN_IN,
        200,
        404,
        404,
        404,
        404,
    ),
    ("GET", "accounts/settings/data/restore/"): (SIGN_IN, 405, 405, 405, 405, 405),
    ("POST", "accounts/settings/data/restore/"): (SIGN_IN, 400, 400, 400, 400, 400),
    ("GET", "accounts/settings/delete/"): (SIGN_IN, 200, 200, 200, 200, 200),
    # the name typed must be the account's own: only Alice deletes hers
    ("POST", "accounts/settings/delete/"): (
        SIGN_IN,
        "→ accounts:sign_in",
        400,
        400,
        400,
        400,
    ),
    # Uploads: the person's own; Alice's import by id is not found for Bob.
    ("GET", "imports/"): OWN_PAGE,
    ("POST", "imports/"): own_then(400),
    ("GET", "imports/<int:run_id>/"): (SIGN_IN, 200, 404, CLINIC, CLINIC, ADMIN),
    ("POST", "imports/<int:run_id>/"): (SIGN_IN, 200, 404, CLINIC, CLINIC, ADMIN),
    ("GET", "imports/<int:run_id>/progress/"): (
        SIGN_IN,
        200,
        404,
        CLINIC,
        CLINIC,
        ADMIN,
    ),
    ("POST", "imports/<int:run_id>/progress/"): (
        SIGN_IN,
        200,
        404,
        CLINIC,
        CLINIC,
        ADMIN,
    ),
    ("GET", "imports/<int:run_id>/retry/"): everyone(405),
    ("POST", "imports/<int:run_id>/retry/"): own_then(404),
    # The clinic: the list and invitations for clinicians; Alice's page for Carol
    # (Mallory and Ada are refused, and logged); actions for Carol; admin for Ada.
    ("GET", "clinic/"): (SIGN_IN, 403, 403, 200, 200, 403),
    ("POST", "clinic/"): (SIGN_IN, 403, 403, 200, 200, 403),
    ("GET", "clinic/invites/"): (SIGN_IN, 403, 403, 200, 200, 403),
    ("POST", "clinic/invites/"): (SIGN_IN, 403, 403, 200, 200, 403),
    ("GET", "clinic/patients/<int:person_id>/"): (SIGN_IN, 403, 403, 200, 403, 403),
    ("POST", "clinic/patients/<int:person_id>/"): (SIGN_IN, 403, 403, 200, 403, 403),
    ("GET", "clinic/patients/<int:person_id>/<str:which>/"): everyone(405),
    ("POST", "clinic/patients/<int:person_id>/<str:which>/"): (
        SIGN_IN,
        403,
        403,
        "→ clinic:patient",
        403,
        403,
    ),
    ("GET", "clinic/admin/"): (SIGN_IN, 403, 403, 403, 403, 200),
    ("POST", "clinic/admin/"): (SIGN_IN, 403, 403, 403, 403, "→ clinic:patient"),
    # The person's own pages: the signed-in person's record, never an id of
    # someone else's (Bob posting Alice's link or walk id is refused); clinicians
    # and the admin have no record and go to their own home.
    ("GET", ""): OWN_PAGE,
    ("POST", ""): OWN_PAGE,
    ("GET", "start/"): (
        SIGN_IN,
        "→ pages:today",
        "→ pages:today",
        "→ pages:screening",
        "→ pages:screening",
        "→ pages:screening",
    ),
    ("POST", "start/"): (
        SIGN_IN,
        "→ pages:today",
        "→ pages:today",
        "→ pages:screening",
        "→ pages:screening",
        "→ pages:screening",
    ),
    ("GET", "start/screening/"): (
        SIGN_IN,
        "→ pages:today",
        "→ pages:today",
        200,
        200,
        200,
    ),
    ("POST", "start/screening/"): (
        SIGN_IN,
        "→ pages:today",
        "→ pages:today",
        200,
        200,
        200,
    ),
    ("GET", "start/seek-care/"): (
        SIGN_IN,
        "→ pages:start",
        "→ pages:start",
        "→ pages:screening",
        "→ pages:screening",
        "→ pages:screening",
    ),
    ("POST", "start/seek-care/"): (
        SIGN_IN,
        "→ pages:start",
        "→ pages:start",
        "→ pages:screening",
        "→ pages:screening",
        "→ pages:screening",
    ),
    ("GET", "start/baseline/"): (
        SIGN_IN,
        "→ pages:today",
        "→ pages:today",
        "→ pages:screening",
        "→ pages:screening",
        "→ pages:screening",
    ),
    ("POST", "start/baseline/"): (
        SIGN_IN,
        "→ pages:today",
        "→ pages:today",
        "→ pages:screening",
        "→ pages:screening",
        "→ pages:screening",
    ),
    ("GET", "plan/"): OWN_PAGE,
    ("POST", "plan/"): OWN_PAGE,
    ("GET", "walk/"): OWN_PAGE,
    ("POST", "walk/"): OWN_PAGE,
    ("GET", "log/"): OWN_PAGE,
    ("POST", "log/"): own_then("→ pages:today"),
    ("GET", "check-in/"): OWN_PAGE,
    ("POST", "check-in/"): own_then("→ pages:today"),
    ("GET", "symptom/"): OWN_PAGE,
    ("POST", "symptom/"): OWN_PAGE,
    ("GET", "clearance/"): OWN_PAGE,
    ("POST", "clearance/"): OWN_PAGE,
    ("GET", "rescreen/"): OWN_PAGE,
    ("POST", "rescreen/"): OWN_PAGE,
    ("GET", "readiness/"): OWN_PAGE,
    ("POST", "readiness/"): own_then("→ pages:readiness"),
    ("GET", "readiness/go-ahead/"): OWN_PAGE,
    ("POST", "readiness/go-ahead/"): OWN_PAGE,
    ("GET", "measures/"): OWN_PAGE,
    ("POST", "measures/"): OWN_PAGE,
    ("GET", "progress/"): OWN_PAGE,
    ("POST", "progress/"): OWN_PAGE,
    ("GET", "progress/report.pdf"): OWN_PAGE,
    ("POST", "progress/report.pdf"): OWN_PAGE,
    ("GET", "learn/"): everyone(200),
    ("POST", "learn/"): everyone(405),
    ("GET", "learn/<slug:slug>/"): everyone(200),
    ("POST", "learn/<slug:slug>/"): everyone(405),
    ("GET", "calendar/<str:token>.ics"): everyone(200),
    ("POST", "calendar/<str:token>.ics"): everyone(405),
    ("GET", "manifest.webmanifest"): everyone(200),
    ("POST", "manifest.webmanifest"): everyone(405),
    ("GET", "sw.js"): everyone(200),
    ("POST", "sw.js"): everyone(405),
    ("GET", "offline/"): everyone(200),
    ("POST", "offline/"): everyone(405),
    ("GET", "more/"): OWN_PAGE,
    ("POST", "more/"): OWN_PAGE,
    ("GET", "care/"): OWN_PAGE,
    ("POST", "care/"): OWN_PAGE,
    ("GET", "care/unlink/"): everyone(405),
    ("POST", "care/unlink/"): (SIGN_IN, "→ pages:care", 400, CLINIC, CLINIC, ADMIN),
    # A clinician's invitation link: a stranger is sent to sign up with it kept;
    # a person confirms it; staff are told it is for patients.
    ("GET", "care/join/<str:token>/"): ("→ accounts:sign_up", 200, 200, 400, 400, 400),
    ("POST", "care/join/<str:token>/"): (
        "→ accounts:sign_up",
        "→ pages:care",
        "→ pages:care",
        400,
        400,
        400,
    ),
    ("GET", "imports/walks/<int:walk_id>/answers/"): (
        SIGN_IN,
        200,
        404,
        CLINIC,
        CLINIC,
        ADMIN,
    ),
    ("POST", "imports/walks/<int:walk_id>/answers/"): (
        SIGN_IN,
        "→ pages:today",
        404,
        CLINIC,
        CLINIC,
        ADMIN,
    ),
    # Two-factor sign-in: the code step after the password (an account without an
    # app is sent to set one up; a session that gave its code goes home); set-up,
    # backup codes and switching off are the signed-in account's own (staff may
    # not switch it off and are sent back to settings).
    ("GET", "accounts/two-factor/"): (
        SIGN_IN,
        "→ accounts:two_factor_setup",
        "→ accounts:two_factor_setup",
        "→ pages:today",
        "→ pages:today",
        "→ pages:today",
    ),
    ("POST", "accounts/two-factor/"): (
        SIGN_IN,
        "→ accounts:two_factor_setup",
        "→ accounts:two_factor_setup",
        "→ pages:today",
        "→ pages:today",
        "→ pages:today",
    ),
    ("GET", "accounts/settings/two-factor/"): (SIGN_IN, 200, 200, 200, 200, 200),
    ("POST", "accounts/settings/two-factor/"): (SIGN_IN, 400, 400, 400, 400, 400),
    ("GET", "accounts/settings/two-factor/backup-codes/"): (
        SIGN_IN,
        405,
        405,
        405,
        405,
        405,
    ),
    ("POST", "accounts/settings/two-factor/backup-codes/"): (
        SIGN_IN,
        "→ accounts:two_factor_setup",
        "→ accounts:two_factor_setup",
        200,
        200,
        200,
    ),
    ("GET", "accounts/settings/two-factor/off/"): (SIGN_IN, 405, 405, 405, 405, 405),
    ("POST", "accounts/settings/two-factor/off/"): (SIGN_IN,)
    + ("→ accounts:settings",) * 5,
    # A reminder email's unsubscribe link: the signed token is the credential, so
    # whoever holds Alice's link may stop her walk reminders, signed in or not.
    ("GET", "accounts/unsubscribe/<str:token>/"): everyone(200),
    ("POST", "accounts/unsubscribe/<str:token>/"): everyone(200),
    # Joining a clinician with a typed code: strangers are sent to sign up with it,
    # a person to confirm it; staff are told it is for patients.
    ("GET", "care/join/"): everyone(200),
    ("POST", "care/join/"): (
        "→ accounts:sign_up",
        "→ pages:care_join_code",
        "→ pages:care_join_code",
        400,
        400,
        400,
    ),
    # The clinician's copy of Alice's report and export: Carol's; Alice reads her
    # own through the API; nobody else (the admin only through break-glass).
    ("GET", "clinic/patients/<int:person_id>/report.pdf"): (
        SIGN_IN,
        403,
        403,
        200,
        403,
        403,
    ),
    ("POST", "clinic/patients/<int:person_id>/report.pdf"): (
        SIGN_IN,
        403,
        403,
        200,
        403,
        403,
    ),
    ("GET", "clinic/patients/<int:person_id>/export/"): everyone(405),
    ("POST", "clinic/patients/<int:person_id>/export/"): (
        SIGN_IN,
        403,
        403,
        200,
        403,
        403,
    ),
    ("GET", "api/v1/patients/<person_id>/report"): (401, 200, 403, 200, 403, 403),
    ("GET", "api/v1/patients/<person_id>/export"): (401, 200, 403, 200, 403, 403),
    ("POST", "api/v1/patients/<person_id>/threshold"): (401, 403, 403, 201, 403, 403),
}

# Outcomes that refuse: nothing may be written (the access log aside).
REFUSALS = {SIGN_IN, CLINIC, ADMIN, "→ pages:start"}


def refused(expected: probe.Outcome) -> bool:
    return expected in REFUSALS or (isinstance(expected, int) and expected >= 400)


def test_every_route_and_method_is_in_the_matrix_and_no_other() -> None:
    found = set(probe.cases())
    missing = sorted(found - set(MATRIX))
    assert not missing, (
        "add these routes to MATRIX in tests/security/test_access_matrix.py, "
        f"with the outcome for each role {ROLES}: {missing}"
    )
    gone = sorted(set(MATRIX) - found)
    assert not gone, f"MATRIX names routes that no longer exist: {gone}"


@pytest.mark.parametrize(("method", "route"), probe.cases())
def test_each_role_gets_the_outcome_written_down(
    method: str,
    route: str,
    rows: AliceRows,
    users: dict[str, User | None],
    secrets: dict[str, str],
) -> None:
    seen: dict[str, probe.Outcome] = {}
    wrote: list[str] = []
    expected = MATRIX.get((method, route))
    for role in ROLES:
        caller = probe.Caller(users[role], secrets.get(role, ""))
        with probe.isolated(write=True):
            client = caller.client()
            probe.prepare(route, rows)
            before, columns = probe.database()
            seen[role] = probe.outcome(caller.send(client, method, route, rows))
            after, _ = probe.database()
            if expected is not None and refused(expected[ROLES.index(role)]):
                wrote += [f"{role}: {c}" for c in changes(before, after, columns)]
    observed = tuple(seen[r] for r in ROLES)
    assert expected is not None, (
        f"{method} /{route} is not in the access matrix: add "
        f"{(method, route)!r}: {observed!r} to MATRIX in "
        "tests/security/test_access_matrix.py once each outcome is right"
    )
    assert observed == expected, dict(zip(ROLES, observed, strict=True))
    assert not wrote, f"{method} /{route} refused, yet wrote: {wrote}"


@pytest.mark.parametrize("route", [r for r in probe.routes() if probe.is_operation(r)])
def test_a_method_the_schema_does_not_declare_is_not_allowed(
    route: str, rows: AliceRows, users: dict[str, User | None], secrets: dict[str, str]
) -> None:
    """Each API path answers only its declared methods; any other is a 405 to
    everyone, before any permission or body is looked at."""
    others = [m for m in probe.API_METHODS if m not in probe.methods_of(route)]
    for role in ROLES:
        caller = probe.Caller(users[role], secrets.get(role, ""))
        for method in others:
            with probe.isolated(write=True):
                response = caller.send(caller.client(), method, route, rows)
            assert response.status_code == 405, (method, route, role)
