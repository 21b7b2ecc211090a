"""What every ``walkwell`` command module shares: who the commands act as, the
database set up on first use, the ``--json`` option and the groups' help.

Start-up stays short (docs/performance.md, "CLI start-up"): the command modules
import only Typer and the light parts of the core at the top; Django, Rich, the
engine and the importers are imported inside the commands that use them.

``cli.py`` builds the Typer app and registers the commands of ``cli_import.py``;
both import this module, and neither imports the other's commands, so the
command modules form no import cycle.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from walkwell.core import limits
from walkwell.core.limits import ValidationProblem as Problem

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter, Parameter

    from walkwell.web.program.models import Person

LOCAL_USERNAME = "local"

# Who the commands act as: set for each run by the --user option (or WALKWELL_USER).
_acting = {"username": LOCAL_USERNAME, "given_as": ""}

DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="The day, written YYYY-MM-DD (default: today)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


class CommandGroup(TyperGroup):
    """A group whose help lists each command with its whole first sentence (Click
    would cut it at the terminal's width with "..."), and whose text options and
    flags take their values as Click parsed them (``_parsed_as_given``)."""

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        _parsed_as_given(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not isinstance(command, CommandGroup):
            # the command's context takes the names of its --help from this one
            _parsed_as_given(command.get_params(ctx))
        return name, command, rest


def _parsed_as_given(params: list[Parameter]) -> None:
    """Let each text option and flag among ``params`` keep its value as Click
    parsed it.

    Typer checks every value, even that of a flag left out, with a pydantic
    validator it builds on first use; importing pydantic for that costs about a
    tenth of a second at every start, and a text or a flag Click has parsed needs
    no check. Any other value (a number, a choice, a list, a path, or a value of
    another type) keeps Typer's own check. Should Typer's internals change, this
    does nothing and Typer checks every value as before.
    """
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:  # pragma: no cover - a Typer without them
        return

    class AsGiven(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is self.annotation:
                return value
            typers = build_runtime_param(param.type_descriptor)
            return typers._coerce_value(value, param=param, ctx=ctx)

    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if (
            isinstance(param, _TyperParameter)
            and getattr(param, "_runtime_param", False) is None
            and descriptor is not None
            and descriptor.annotation in (str, bool)
            and descriptor.parameter_info.parser is None
        ):
            param._runtime_param = AsGiven(
                descriptor.parameter_info, descriptor.annotation
            )


def _django() -> None:
    """Set Django up, and migrate the database first if it is new or behind."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkwell.web.settings")
    _set_up_django()
    if _every_migration_applied():
        return
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)


def _set_up_django() -> None:
    """``django.setup()``, the first time with the collector paused (``_made_to_last``)."""
    import django
    from django.apps import apps

    if apps.ready:  # set up already in this process: nothing new is made
        django.setup()
        return
    with _made_to_last():
        django.setup()


@contextmanager
def _made_to_last() -> Iterator[None]:
    """Make objects that live as long as the process with the cyclic garbage
    collector paused, then leave them out of every later collection.

    Setting Django up makes about 44,000 objects the collector tracks
    (modules, classes, models, settings), and importing the program's selectors
    (the engine, the protocol's classes, pydantic) about 11,000 more. The
    collector walked them again and again while they were made and found
    nothing to free. Once they are made, ``gc.freeze`` moves them out of its
    way; garbage made afterwards is collected as usual. Only what is made once a
    process may pass through here: a frozen object is never collected.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if collecting:
            gc.enable()


def _every_migration_applied() -> bool:
    """Whether the database has applied every migration file of every app.

    One query and a look at each app's migrations folder, without importing the
    migrations (Django's own check imports them all: a tenth of a second at every
    command). Anything unusual (a new database, a migration not applied yet, a
    squashed one not recorded) answers no, and Django's own check decides.
    """
    from importlib.util import find_spec

    from django.apps import apps
    from django.db import DatabaseError, connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    try:
        applied = set(MigrationRecorder(connection).applied_migrations())
    except DatabaseError:
        return False
    for app in apps.get_app_configs():
        module, _ = MigrationLoader.migrations_module(app.label)
        spec = find_spec(module) if module else None
        for folder in (spec and spec.submodule_search_locations) or ():
            names = {p.stem for p in Path(folder).glob("*.py")}
            if any(
                (app.label, name) not in applied
                for name in names
                if not name.startswith(("_", "~"))
            ):
                return False
    return True


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
    if "walkwell.web.program.selectors" not in sys.modules:
        with _made_to_last():
            import walkwell.web.program.selectors  # noqa: F401
    from walkwell.web.program import selectors

    person = selectors.person_for_username(_username())
    if person is None:
        raise Problem("plan", "none yet; start one with `walkwell init`")
    return person


def _echo_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _today() -> dt.date:
    """The calendar day in the process's time zone: the TIME_ZONE setting once
    Django is set up (Django sets the process's zone to it), else the machine's."""
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
