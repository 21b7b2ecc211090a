"""What every ``walkwell`` command module shares: who the commands act as, the
database set up on first use, and the ``--json`` option.

``cli.py`` builds the Typer app and registers the commands of ``cli_import.py``;
both import this module, and neither imports the other's commands, so the
command modules form no import cycle.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import TYPE_CHECKING, Annotated

import typer

from walkwell.core import limits
from walkwell.core.limits import ValidationProblem as Problem

if TYPE_CHECKING:
    from walkwell.web.program.models import Person

LOCAL_USERNAME = "local"

# Who the commands act as: set for each run by the --user option (or WALKWELL_USER).
_acting = {"username": LOCAL_USERNAME, "given_as": ""}

DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="The day, written YYYY-MM-DD (default: today)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def _django() -> None:
    """Set Django up, and migrate the database first if it is new or behind."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkwell.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)


def _username() -> str:
    """Who the commands act as: the web account named by --user or WALKWELL_USER
    (which must exist), else this computer's local person."""
    from django.contrib.auth import get_user_model

    given_as, name = _acting["given_as"], _acting["username"]
    if given_as and not get_user_model().objects.filter(username=name).exists():
        raise Problem(
            given_as,
            f"no account named {name!r}; sign up on the web first, or leave "
            "out --user and WALKWELL_USER to use this computer's local person",
        )
    return name


def _person() -> Person:
    _django()
    from walkwell.web.program import selectors

    person = selectors.person_for_username(_username())
    if person is None:
        raise Problem("plan", "none yet; start one with `walkwell init`")
    return person


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _today() -> dt.date:
    """The local calendar day of this machine."""
    return dt.datetime.now(dt.UTC).astimezone().date()


AHEAD = dt.timedelta(days=366)  # the plan is worked out day by day up to the date


def _day(text: str | None, field: str = "date") -> dt.date:
    """The day given (or today), at most a year ahead: a mistyped year would make
    the day-by-day plan run for minutes, or past the calendar's end."""
    if text is None:
        return _today()
    day = limits.parse_date(field, text)
    latest = _today() + AHEAD
    if day > latest:
        raise Problem(
            field, f"must be on or before {latest}, a year from today (got {text})"
        )
    return day
