"""No state change on GET or HEAD anywhere: every route, as every role, is read
with GET and with HEAD, and the database (every table's rows, in a stable order)
is compared before and after each request.

What a read may write, and nothing else:

- ``program_accesslog``: rows added, never changed or removed. Every read of a
  person's record by someone other than the person is logged, allowed or refused
  (``program.permissions``); the person's own reads are not.
- ``django_session``: the signed-in session itself (its last-seen time, written at
  most once a minute, ends an idle session; a password-reset link's token is kept
  in the session of the browser that opened it).
- ``accounts_accesstoken``: only ``last_used_at``, the day a token was last used
  (shown beside it in Settings).
- ``program_auditlog``: rows added, never changed or removed, by a download of a
  whole record (``EXPORTS``): every export is on the record's audit trail, who
  took it and when, whoever asked.

Any other change names the route, the role, the method and the table.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.cast import TODAY
from tests.security import probe
from tests.security.conftest import ROLES, AliceRows

__all__ = ["TODAY"]  # the module is read on the cast's TODAY

GROWS_ONLY = {"program_accesslog"}
FREE = {"django_session"}
COLUMNS_THAT_MAY_CHANGE = {"accounts_accesstoken": {"last_used_at"}}
# the reads that hand over a whole record, and the audit trail that records them
EXPORTS = {"api/v1/patients/<person_id>/export"}
AUDITED = {"program_auditlog"}


def _without(
    rows: list[tuple[Any, ...]], columns: list[str], free: set[str]
) -> list[tuple[Any, ...]]:
    keep = [i for i, name in enumerate(columns) if name not in free]
    return sorted((tuple(row[i] for i in keep) for row in rows), key=repr)


def changes(
    before: probe.Tables,
    after: probe.Tables,
    columns: probe.Columns,
    grows: frozenset[str] = frozenset(),
) -> list[str]:
    """Each table that changed in a way a read may not change it, with how
    (``grows``: more tables that may gain rows, on this route only)."""
    found = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, []), after.get(table, [])
        if table in FREE or old == new:
            continue
        if table in GROWS_ONLY or table in grows:
            gone = [row for row in old if row not in new]
            if not gone:
                continue
            found.append(f"{table}: {len(gone)} logged rows changed or removed")
            continue
        free = COLUMNS_THAT_MAY_CHANGE.get(table, set())
        if free and _without(old, columns[table], free) == _without(
            new, columns[table], free
        ):
            continue
        found.append(
            f"{table}: {len(old)} rows ({probe.digest(old)}) became "
            f"{len(new)} rows ({probe.digest(new)})"
        )
    return found


def writes_of(
    caller: probe.Caller, method: str, route: str, rows: AliceRows
) -> list[str]:
    """What one request changed that it may not, in a savepoint rolled back after."""
    with probe.isolated(write=False):
        client = caller.client()  # signed in before the first look
        before, columns = probe.database()
        caller.send(client, method, route, rows)
        after, _ = probe.database()
        grows = frozenset(AUDITED) if route in EXPORTS else frozenset()
        return changes(before, after, columns, grows)


@pytest.mark.parametrize("route", probe.routes())
def test_reading_a_route_changes_nothing(
    route: str,
    rows: AliceRows,
    users: dict[str, User | None],
    secrets: dict[str, str],
) -> None:
    found = []
    for role in ROLES:
        caller = probe.Caller(users[role], secrets.get(role, ""))
        for method in ("GET", "HEAD"):
            found += [
                f"{method} /{route} as {role} changed {change}"
                for change in writes_of(caller, method, route, rows)
            ]
    assert not found, "a read wrote to the database:\n" + "\n".join(found)
