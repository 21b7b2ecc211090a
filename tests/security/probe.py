"""How the access matrix and the GET rule reach every route: the routes from
Django's URL resolver (the API's among them, with their methods from its OpenAPI
schema), addresses filled with Alice's real ids, a body for each write, a client
for each role, the outcome in words, and the database in rows.

Every request runs in a savepoint that is rolled back after it, so each one meets
the same Alice, whatever the one before it did.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.cast import TODAY
from tests.clinic.conftest import open_stop
from tests.security.conftest import AliceRows
from tests.two_factor import signed_in_with_second_factor
from tests.web.pages_support import (
    PROTOCOL,
    checkin_answers,
    walk_answers,
    warning_answers,
)
from walkwell.web.api.main import api
from walkwell.web.program.models import Person
from walkwell.web.program.roles import is_staff_role

API = "api/v1/"
PAGE_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "DELETE")

Outcome = int | str


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern)


def _schema_methods() -> dict[str, tuple[str, ...]]:
    """The API's operations: each path (as the resolver writes it) and its methods."""
    found: dict[str, tuple[str, ...]] = {}
    for path, item in api.get_openapi_schema()["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))
        found[route] = tuple(sorted(m.upper() for m in item))
    return found


def routes() -> list[str]:
    """Every route, once, in the resolver's order."""
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


def methods_of(route: str) -> tuple[str, ...]:
    """An API operation's declared methods; a page's GET and POST."""
    return _schema_methods().get(route, PAGE_METHODS)


def is_operation(route: str) -> bool:
    return route in _schema_methods()


def cases() -> list[tuple[str, str]]:
    return [(method, route) for route in routes() for method in methods_of(route)]


# -- addresses -----------------------------------------------------------------

LESSON = "posture"
WARNING = PROTOCOL.warning_signs[0].id


def url_of(route: str, rows: AliceRows) -> str:
    """The route's address with each parameter one of Alice's real ids."""
    by_name: dict[str, object] = {
        "person_id": rows.person,
        "token_id": rows.token,
        "run_id": rows.run,
        "walk_id": rows.walk,
        "link_id": rows.link,
        "day": rows.day,
        "slug": LESSON,
        "which": "note",
        "name": rows.export,
        "uidb64": rows.reset_uid,
    }
    if route.startswith("calendar/"):
        by_name["token"] = rows.calendar
    elif route.startswith("care/join/"):
        by_name["token"] = rows.invite
    elif route.startswith("accounts/unsubscribe/"):
        by_name["token"] = rows.unsubscribe
    else:
        by_name["token"] = rows.reset_token

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in by_name, f"{route}: no id to fill <{name}> with; add one"
        return str(by_name[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)


# -- bodies --------------------------------------------------------------------


def body_of(route: str, rows: AliceRows) -> dict[str, Any]:
    """What a write sends: a valid body where one names Alice's rows (so a refusal
    is the permission check's, not the form's); a plain one elsewhere."""
    walk = f"walk{rows.walk}"
    imported = {
        "pain_before": "3",
        "pain_during": "4",
        "pain_after": "2",
        "cooldown": "yes",
        **warning_answers(),
    }
    bodies: dict[str, dict[str, Any]] = {
        "log/": walk_answers(TODAY),
        "check-in/": checkin_answers(TODAY),
        "care/unlink/": {"link": rows.link},
        "care/join/<str:token>/": {"confirm": "on"},
        "care/join/": {"code": rows.invite_code},
        "clinic/patients/<int:person_id>/export/": {"format": "json"},
        "api/v1/patients/<person_id>/threshold": {
            "threshold": "tolerance.flare_rise",
            "value": 3,
            "reason": "settles slowly",
        },
        "imports/walks/<int:walk_id>/answers/": {
            f"{walk}-{k}": v for k, v in imported.items()
        },
        "accounts/settings/tokens/": {"name": "another"},
        "accounts/settings/delete/": {"confirm": "alice"},
        "accounts/settings/data/export/": {"format": "json"},
        "clinic/invites/": {"label": "for Dan"},
        "clinic/patients/<int:person_id>/<str:which>/": {"note-text": "Good week."},
        "clinic/admin/": {
            "form": "glass",
            "glass-username": "alice",
            "glass-reason": "She rang, unwell",
        },
        # the API's writes, as JSON
        "api/v1/auth/tokens": {"name": "another"},
        "api/v1/me/walks": {"minutes": 10},
        "api/v1/me/checkins": {"pain": 3, "stiffness_min": 5, "sleep": 7, "focus": 6},
        "api/v1/me/symptoms": {"warning_signs": [WARNING]},
        "api/v1/me/care/links": {"code": rows.invite_code},
        "api/v1/me/clearance": {"by": "Dr Ruiz"},
        "api/v1/me/measures": {"answers": {"pain_nrs": {"rating": 4}}},
        "api/v1/invites": {"label": "for Dan"},
        "api/v1/patients/<person_id>/clearance": {"reason": "seen today"},
        "api/v1/patients/<person_id>/decision": {
            "kind": "confirm",
            "reason": "as planned",
        },
        "api/v1/patients/<person_id>/protocol": {
            "protocol": "walkback-30x5",
            "reason": "she prefers it",
        },
        "api/v1/patients/<person_id>/notes": {"text": "Good week."},
        "api/v1/patients/<person_id>/break-glass": {"reason": "she fell ill"},
    }
    return bodies.get(route, {})


def prepare(route: str, rows: AliceRows) -> None:
    """What Alice's record needs for a route's valid body to be accepted, made
    inside the request's savepoint: for her clinician's clearance, an open stop."""
    if route == "api/v1/patients/<person_id>/clearance":
        open_stop(Person.objects.get(pk=rows.person), TODAY)


# -- clients -------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """One role: signed in on the site, and with a token for the API."""

    user: User | None
    secret: str = ""

    def client(self) -> Client:
        if self.user is not None and is_staff_role(self.user):
            return signed_in_with_second_factor(self.user)
        client = Client()
        if self.user is not None:
            client.force_login(self.user)
        return client

    def send(
        self, client: Client, method: str, route: str, rows: AliceRows
    ) -> HttpResponseBase:
        url = url_of(route, rows)
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        body = body_of(route, rows)
        if route.startswith(API) and method in {"POST", "DELETE"}:
            data: Any = body if method == "POST" else None
            return client.generic(
                method,
                url,
                "" if data is None else json.dumps(data),
                content_type="application/json",
                headers=headers,
            )
        if method == "POST":
            return client.post(url, body, headers=headers)
        return client.generic(method, url, headers=headers)


def outcome(response: HttpResponseBase) -> Outcome:
    """The status, or for a redirect where it leads: ``sign-in`` when a page asks
    for a signed-in account (its address carries ``next=``), else ``→ app:name``."""
    if not 300 <= response.status_code < 400:
        return response.status_code
    target = urlsplit(response["Location"])
    try:
        match = resolve(target.path)
    except Resolver404:
        return f"→ {target.path}"
    name = f"{match.namespace}:{match.url_name}"
    if name == "accounts:sign_in" and "next=" in target.query:
        return "sign-in"
    return f"→ {name}"


def isolated(*, write: bool) -> Any:
    """A savepoint rolled back at its end; after a write, the cache is emptied
    too, so a rolled-back write leaves no stored plan behind (a read's stored
    plans are of the history as it stays)."""
    return _Isolated(write)


class _Isolated:
    def __init__(self, write: bool) -> None:
        self.write = write

    def __enter__(self) -> None:
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def __exit__(self, *exc: object) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        if self.write:
            cache.clear()


# -- the database in rows ------------------------------------------------------

Tables = dict[str, list[tuple[Any, ...]]]
Columns = dict[str, list[str]]


def database() -> tuple[Tables, Columns]:
    """Every table's rows, in a stable order, and its column names."""
    tables: Tables = {}
    columns: Columns = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the database itself
            columns[table] = [c[0] for c in cursor.description]
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables, columns


def digest(rows: list[tuple[Any, ...]]) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
