"""The ``walkwell`` command: a thin Typer layer over services and the core.

The built-in local person by default, or a web account with ``--user NAME`` (or
``WALKWELL_USER``); on SQLite under ``WALKWELL_HOME`` (PostgreSQL when
``DATABASE_URL`` is set). Bad values end with one line on stderr naming the option and what is
allowed, exit code 2, and nothing stored.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import sys
import threading
from collections.abc import Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from walkwell import (
    cli_clinic,
    cli_data,
    cli_import,
    cli_measures,
    cli_review,
    cli_tokens,
    protocols,
)
from walkwell.cli_context import (
    LOCAL_USERNAME,
    CommandGroup,
    DateOpt,
    JsonOpt,
    _acting,
    _day,
    _django,
    _echo_json,
    _person,
    _today,
    _username,
)
from walkwell.core import limits
from walkwell.core.limits import WALK
from walkwell.core.limits import ValidationProblem as Problem

if TYPE_CHECKING:
    from typer._click import Command
    from typer.models import CommandInfo

    from walkwell.core.baseline import BaselineSuggestion
    from walkwell.web.program.models import Person

USAGE_ERROR = 2


class _OneLineErrors(CommandGroup):
    """Every refusal is one line on stderr and exit code 2, never a traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if _ON_DEMAND:
            self.commands = _CommandsOnDemand(_ON_DEMAND, self.commands)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except typer.TyperException as exc:
            code = _usage_problem(self, exc)
        except typer.Abort:
            code = _fail("stopped; nothing more was stored", 1)
        except Exception as exc:
            kind = _refusal(exc)
            if kind is None:
                raise
            line = f"configuration: {exc}" if kind else _problem_line(self, exc)
            code = _fail(line, USAGE_ERROR)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


# The refusals that end in one line, by module and class; True marks a refusal
# of the configuration. Each module is imported by the commands that need it, so
# an exception can be one of these only if its module is already loaded: looking
# the classes up there keeps Django and the engine out of every start-up.
_REFUSALS = (
    ("walkwell.core.limits", "ValidationProblem", False),
    ("walkwell.core.simulate", "ScenarioError", False),
    ("walkwell.core.protocol", "ProtocolError", False),
    ("django.core.exceptions", "ImproperlyConfigured", True),
)


def _refusal(exc: Exception) -> bool | None:
    """Whether ``exc`` is a refusal of the configuration (True), another refusal
    (False), or no refusal at all (None: a real error, raised on)."""
    for module, name, of_configuration in _REFUSALS:
        loaded = sys.modules.get(module)
        if loaded is not None and isinstance(exc, getattr(loaded, name)):
            return of_configuration
    return None


def _problem_line(group: CommandGroup, exc: Exception) -> str:
    if not isinstance(exc, Problem):
        return str(exc).splitlines()[0]
    flag = "--" + exc.field.replace("_", "-")
    return f"{flag if flag in _options(group) else exc.field}: {exc.message}"


def _options(command: Any) -> set[str]:
    """Every option name of a command and of its subcommands (``measures record``)."""
    found = {o for p in command.params for o in p.opts}
    for sub in getattr(command, "commands", {}).values():
        found |= _options(sub)
    return found


def _usage_problem(group: CommandGroup, exc: typer.TyperException) -> int:
    if type(exc).__name__ == "NoArgsIsHelpError":
        typer.echo(group.get_help(typer.Context(group, info_name="walkwell")))
        return 0
    return _fail(exc.format_message(), exc.exit_code)


def _fail(message: str, code: int) -> int:
    typer.echo(f"walkwell: error: {' '.join(message.split())}", err=True)
    return code


app = typer.Typer(
    cls=_OneLineErrors,
    help="WalkWell: walking your way out of chronic low back pain.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            envvar="WALKWELL_USER",
            help="Act as this web account (its username); default: the local "
            "person of this computer.",
            show_envvar=True,
        ),
    ] = None,
) -> None:
    """WalkWell: walking your way out of chronic low back pain."""
    source = ctx.get_parameter_source("user")
    from_env = source is not None and source.name == "ENVIRONMENT"
    _acting["username"] = user or LOCAL_USERNAME
    _acting["given_as"] = "WALKWELL_USER" if from_env else "--user" if user else ""


WarningOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--warning-sign",
        help="A warning sign you noticed (repeat for several); see docs/safety.md.",
    ),
]
RedFlagOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--red-flag",
        help="A red flag you have (repeat for several); see docs/safety.md.",
    ),
]


@app.command()
def setup() -> None:
    """Create or update the database under WALKWELL_HOME (safe to run again).

    Example: walkwell setup
    """
    _django()


@app.command()
def init(
    baseline_minutes: Annotated[
        float | None,
        typer.Option(help="Minutes you can walk now before your pain starts to rise."),
    ] = None,
    red_flag: RedFlagOpt = None,
    protocol: Annotated[
        str,
        typer.Option(help="The program to follow (a shipped name or a .toml file)."),
    ] = protocols.DEFAULT,
    start: Annotated[
        str | None,
        typer.Option(help="First day of the plan, YYYY-MM-DD (default: today)."),
    ] = None,
    footwear: Annotated[
        str | None,
        typer.Option(help="supportive, unsupportive, worn_out or barefoot_style."),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Ask nothing: use only the options given.")
    ] = False,
) -> None:
    """Start your plan: safety questions first, then your baseline.

    Example: walkwell init --baseline-minutes 12 --yes
    """
    from walkwell import cli_render as render
    from walkwell.core.protocol import load_protocol

    first_day = _day(start, "start")
    flags = list(red_flag or [])
    if yes and baseline_minutes is None:
        raise Problem(
            "--baseline-minutes",
            f"is needed with --yes (minutes, from {limits.MIN_BASELINE_MINUTES:g} "
            f"to {limits.MAX_WALK_MINUTES:g})",
        )
    program = load_protocol(protocol)
    if not yes:
        flags, stopped = render.screening_questions(program, flags)
        if not stopped and baseline_minutes is None:
            baseline_minutes = render.ask_baseline(_baseline_suggestion(first_day))
        if stopped:
            baseline_minutes = None
    _django()
    name = str(Path(protocol).resolve()) if protocol.endswith(".toml") else protocol
    person = _enrol(name, first_day, baseline_minutes, flags, footwear=footwear)
    from walkwell.web.program import selectors

    render.plan(selectors.protocol_for(person), selectors.plan_for(person, first_day))


def _baseline_suggestion(start: dt.date) -> BaselineSuggestion | None:
    """For someone enrolled without a baseline (an urgent answer stopped onboarding),
    the baseline their walks before ``start`` (the plan's first day) suggest."""
    _django()
    from walkwell.web.program import selectors

    person = selectors.person_for_username(_username())
    if person is None or person.baseline_minutes is not None:
        return None
    return selectors.baseline_suggestion(person, start)


def _enrol(
    protocol_id: str,
    day: dt.date,
    baseline: float | None,
    flags: list[str],
    *,
    footwear: str | None,
) -> Person:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from walkwell.web.program import services

    with transaction.atomic():
        user, _ = get_user_model().objects.get_or_create(username=_username())
        return services.enrollment_record(
            user=user,
            day=day,
            baseline_minutes=baseline,
            red_flags=flags,
            protocol_id=protocol_id,
            footwear=footwear,
            today=_today(),
        )


@app.command()
def today(date: DateOpt = None, as_json: JsonOpt = False) -> None:
    """Show what to walk today, and why.

    Example: walkwell today --date 2026-01-05 --json
    """
    person = _person()  # Django first: once it is set up, importing is cheaper
    from walkwell import cli_render as render
    from walkwell.core.plan_json import day_json
    from walkwell.web.program import selectors

    plan = selectors.plan_for(person, _day(date))
    protocol = selectors.protocol_for(person)
    if as_json:
        _echo_json(day_json(protocol, plan))
    else:
        render.plan(protocol, plan)


@app.command("log-walk")
def log_walk(
    minutes: Annotated[float, typer.Option(help=WALK["minutes"].help)],
    date: DateOpt = None,
    terrain: Annotated[str, typer.Option(help=WALK["terrain"].help)] = "flat",
    pace: Annotated[str, typer.Option(help=WALK["pace"].help)] = "easy",
    pain_before: Annotated[
        int | None, typer.Option(help=WALK["pain_before"].help)
    ] = None,
    pain_during: Annotated[
        int | None, typer.Option(help=WALK["pain_during"].help)
    ] = None,
    pain_after: Annotated[
        int | None, typer.Option(help=WALK["pain_after"].help)
    ] = None,
    warning_sign: WarningOpt = None,
    no_cooldown: Annotated[
        bool, typer.Option(WALK["cooldown"].flag, help=WALK["cooldown"].help)
    ] = False,
    load_kg: Annotated[float, typer.Option(help=WALK["load_kg"].help)] = 0.0,
    footwear: Annotated[str | None, typer.Option(help=WALK["footwear"].help)] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="Any text naming this walk (a script's run id): sent again with "
            "the same key, the walk is stored once."
        ),
    ] = None,
) -> None:
    """Record a walk: how long, where, how fast, and how your back felt.

    Example: walkwell log-walk --minutes 12 --pain-before 3 --pain-during 4 --pain-after 3
    """
    from walkwell import cli_render as render

    person = _person()
    from walkwell.web.program import selectors, services

    earlier = selectors.walk_with_key(person, _walk_key(key))
    walk = services.walk_log(
        person=person,
        date=_day(date),
        minutes=minutes,
        terrain=terrain,
        pace=pace,
        pain_before=pain_before,
        pain_during=pain_during,
        pain_after=pain_after,
        warning_signs=warning_sign or [],
        cooldown=not no_cooldown,
        load_kg=load_kg,
        footwear=footwear,
        idempotency_key=_walk_key(key),
        today=_today(),
    )
    protocol = selectors.protocol_for(person)
    plan = selectors.plan_for(person, walk.date)
    render.walk_stored(walk, plan, protocol, already=earlier is not None)


def _walk_key(key: str | None) -> str:
    """The walk's idempotency key: the same text always gives the same key."""
    import hashlib

    if not key:
        return ""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@app.command()
def checkin(
    pain: Annotated[
        int | None, typer.Option(help="Back pain this morning, 0 (none) to 10.")
    ] = None,
    stiffness_min: Annotated[
        int | None,
        typer.Option(
            help=f"Minutes of morning stiffness (0 to {limits.MAX_STIFFNESS_MINUTES})."
        ),
    ] = None,
    sleep: Annotated[
        int | None, typer.Option(help="How well you slept, 0 (badly) to 10.")
    ] = None,
    focus: Annotated[
        int | None, typer.Option(help="How clear your focus is, 0 to 10.")
    ] = None,
    date: DateOpt = None,
    warning_sign: WarningOpt = None,
    red_flag: RedFlagOpt = None,
    amend: Annotated[
        bool,
        typer.Option(
            "--amend",
            help="Change the day's stored check-in: only the answers given change.",
        ),
    ] = False,
    recurrence: Annotated[
        bool | None,
        typer.Option(
            "--recurrence/--no-recurrence",
            help="Since your last check-in, back pain stopped your usual activities "
            "for 24 hours or more (or it did not); left out: not answered.",
        ),
    ] = None,
) -> None:
    """Record the morning check, 12 to 24 hours after walking.

    Example: walkwell checkin --pain 3 --stiffness-min 20 --sleep 6 --focus 6 --no-recurrence
    """
    from walkwell import cli_render as render

    numbers = {"pain": pain, "stiffness_min": stiffness_min}
    numbers |= {"sleep": sleep, "focus": focus}
    missing = [name for name, value in numbers.items() if value is None]
    if missing and not amend:
        raise Problem(missing[0], "is needed for a new check-in (or use --amend)")
    person = _person()
    from walkwell.web.program import selectors, services, services_symptoms

    day = _day(date)
    signs: dict[str, Any] = {
        "warning_signs": warning_sign or [],
        "red_flags": red_flag or [],
        "recurrence": recurrence,
        "today": _today(),
    }
    before = person.checkins.filter(date=day).first()
    if amend or pain is None or stiffness_min is None or sleep is None or focus is None:
        stored = services_symptoms.checkin_amend(
            person=person,
            date=day,
            pain=pain,
            morning_stiffness_min=stiffness_min,
            sleep=sleep,
            focus=focus,
            **signs,
        )
    else:
        stored = services.checkin_record(
            person=person,
            date=day,
            pain=pain,
            morning_stiffness_min=stiffness_min,
            sleep=sleep,
            focus=focus,
            **signs,
        )
    typer.echo(render.checkin_stored(before if amend else None, stored))
    render.plan(selectors.protocol_for(person), selectors.plan_for(person, day))


@app.command()
def symptom(
    date: DateOpt = None, warning_sign: WarningOpt = None, red_flag: RedFlagOpt = None
) -> None:
    """Report a warning sign or red flag at any time, even after the check-in.

    Example: walkwell symptom --warning-sign numbness_tingling
    """
    from walkwell import cli_render as render

    if not warning_sign and not red_flag:
        raise Problem("warning_sign", "give at least one --warning-sign or --red-flag")
    person = _person()
    from walkwell.web.program import selectors, services_symptoms

    day = _day(date)
    result = services_symptoms.symptom_report(
        person=person,
        date=day,
        warning_signs=warning_sign or [],
        red_flags=red_flag or [],
        today=_today(),
    )
    if result.stored:
        typer.echo(f"Reported for {day}: {', '.join(result.stored)}.")
    if result.already:
        typer.echo(f"{', '.join(result.already)}: already reported for {day}.")
    render.plan(selectors.protocol_for(person), selectors.plan_for(person, day))


@app.command()
def clearance(
    date: DateOpt = None,
    by: Annotated[
        str | None, typer.Option(help="Who checked you and said you can walk again.")
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Ask nothing: you confirm that the clinician (--by) cleared you.",
        ),
    ] = False,
) -> None:
    """Record that a clinician has seen you and cleared you to walk on.

    Asks who cleared you and for a confirmation, like the web form. After an urgent
    red flag, answer the red-flag questions again too (`walkwell screen`).

    Example: walkwell clearance --date 2026-01-20 --by "Dr Patel, GP" --yes
    """
    from walkwell import cli_render as render

    if yes and by is None:
        raise Problem("--by", "is needed with --yes: name who cleared you")
    if by is None:
        by = typer.prompt("Who checked you and said you can walk again?")
    if not yes and not typer.confirm(
        f"Do you confirm that {by.strip()} has seen you about what you reported "
        "and said you can walk again?",
        default=False,
    ):
        raise Problem("confirm", "not given: nothing was stored")
    person = _person()
    from walkwell.web.program import selectors, services

    record = services.clearance_record(
        person=person, date=_day(date), by=by, today=_today()
    )
    how = " (self-reported)" if record.self_reported else ""
    typer.echo(f"Clearance on {record.date} by {record.by}{how} stored.")
    render.plan(selectors.protocol_for(person), selectors.plan_for(person, record.date))


@app.command()
def screen(
    date: DateOpt = None,
    red_flag: RedFlagOpt = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Ask nothing: the --red-flag options given are all your answers "
            "(none given: no red flags).",
        ),
    ] = False,
) -> None:
    """Answer the red-flag questions again (a fresh screening).

    After an urgent red flag, the plan resumes only once a clinician's clearance
    is recorded and a fresh screening reports no red flags.

    Example: walkwell screen --yes
    """
    from walkwell import cli_render as render

    person = _person()
    from walkwell.web.program import selectors, services

    protocol = selectors.protocol_for(person)
    flags = list(red_flag or [])
    if not yes:
        flags = render.rescreen_questions(protocol, flags)
    day = _day(date)
    record = services.screening_record(
        person=person, day=day, red_flags=flags, today=_today()
    )
    found = ", ".join(record.red_flags) if record.red_flags else "no red flags"
    typer.echo(f"Screening on {record.date} stored: {found}.")
    render.plan(protocol, selectors.plan_for(person, day))


@app.command()
def readiness(
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            help="A readiness question you answer yes to, by id (repeat for several).",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Ask nothing: the --answer options given are all your yes answers "
            "(none given: none apply).",
        ),
    ] = False,
) -> None:
    """Answer the exercise-readiness questions (again): they may ask for a doctor's
    go-ahead before the plan starts, or adjust your walks.

    Example: walkwell readiness --answer pregnancy --yes
    """
    from walkwell import cli_render as render

    person = _person()
    from walkwell.web.program import selectors, services

    protocol = selectors.protocol_for(person)
    given = list(answer or [])
    if not yes:
        given = render.readiness_questions(protocol, given)
    day = _today()
    stored = services.readiness_record(person=person, day=day, answers=given)
    words = ", ".join(stored.readiness) if stored.readiness else "none apply"
    typer.echo(f"Readiness answers stored: {words}.")
    render.plan(protocol, selectors.plan_for(person, day))


@app.command("go-ahead")
def go_ahead(
    date: DateOpt = None,
    by: Annotated[
        str | None,
        typer.Option(help="The doctor who said you can start walking for exercise."),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", help="Ask nothing: you confirm the go-ahead (--by)."),
    ] = False,
) -> None:
    """Record a doctor's go-ahead to start walking for exercise.

    Example: walkwell go-ahead --by "Dr Okafor, GP" --yes
    """
    from walkwell import cli_render as render

    if yes and by is None:
        raise Problem("--by", "is needed with --yes: name the doctor")
    if by is None:
        by = typer.prompt("Which doctor said you can start walking for exercise?")
    if not yes and not typer.confirm(
        f"Do you confirm that {by.strip()} knows your readiness answers and said "
        "you can start?",
        default=False,
    ):
        raise Problem("confirm", "not given: nothing was stored")
    person = _person()
    from walkwell.web.program import selectors, services

    day = _day(date)
    stored = services.go_ahead_record(person=person, date=day, by=by, today=_today())
    typer.echo(f"Go-ahead on {stored.go_ahead} from {stored.go_ahead_by} stored.")
    render.plan(selectors.protocol_for(person), selectors.plan_for(person, day))


@app.command()
def status(as_json: JsonOpt = False) -> None:
    """Where you stand: phase, today's decision, and the last week.

    Example: walkwell status --json
    """
    from walkwell import cli_render as render

    person = _person()
    from walkwell.web.program import selectors

    facts = selectors.status_for(person, _today())
    protocol = selectors.protocol_for(person)
    if as_json:
        _echo_json(render.status_json(protocol, facts))
    else:
        render.status(protocol, facts)


@app.command()
def history(as_json: JsonOpt = False) -> None:
    """Every day since your start: what you did and what the plan said.

    Example: walkwell history --json
    """
    from walkwell import cli_render as render

    person = _person()
    from walkwell.web.program import selectors

    end = max(_today(), selectors.last_activity_day(person))
    days = selectors.timeline_for(person, end)
    protocol = selectors.protocol_for(person)
    walks, checkins = selectors.walk_list(person), selectors.checkin_list(person)
    rows = render.history_json(protocol, days, walks, checkins)
    # walks before the start: history, never judged, so outside the plan's days
    earlier = [render.walk_json(w) for w in reversed(walks) if w.date < person.start]
    if as_json:
        _echo_json(
            {"start": person.start.isoformat(), "before_start": earlier, "days": rows}
        )
    else:
        render.earlier_walks(earlier)
        render.history(rows)


@app.command()
def simulate(
    file: Annotated[Path, typer.Argument(help="Scenario JSON file ('-' for stdin).")],
    as_json: JsonOpt = False,
) -> None:
    """Replay a scenario through the engine; no database is touched.

    Example: walkwell simulate scenario.json --json
    """
    from walkwell import cli_render as render
    from walkwell.core.simulate import run_scenario

    result = run_scenario(_scenario(file), allow_files=True)
    if as_json:
        _echo_json(result)
    else:
        render.simulation(result)


def _scenario(file: Path) -> object:
    import json

    try:
        text = (
            sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        )
    except OSError as exc:
        raise Problem("FILE", f"cannot be read: {exc.strerror} ({file})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Problem(
            "FILE", f"is not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            help="Run gunicorn with this many worker processes (0: Django's own "
            "server, for one person on a laptop)."
        ),
    ] = 0,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker",
            help="Start no import worker beside the server (run `walkwell manage "
            "db_worker` yourself, as on a clinic's servers).",
        ),
    ] = False,
) -> None:
    """Start the WalkWell web app and its import worker (the database is set up first).

    Example: walkwell serve --port 8000
    """
    if not 1 <= port <= 65535:
        raise Problem("--port", f"must be from 1 to 65535 (got {port})")
    if not 0 <= workers <= 64:
        raise Problem("--workers", f"must be from 0 to 64 (got {workers})")
    _port_free(host, port)
    _django()
    if no_worker and workers:
        _gunicorn(host, port, workers)
        return
    from walkwell.supervise import Supervisor

    supervisor = None
    if not no_worker:
        command = [*_SELF, "manage", "db_worker", "--no-reload", "--no-startup-delay"]
        supervisor = Supervisor(command, say=lambda line: typer.echo(line, err=True))
    _serve_with(supervisor, host, port, workers)


_SELF = [sys.executable, "-c", "from walkwell.cli import main; main()"]


def _port_free(host: str, port: int) -> None:
    """Refuse a port in use before anything starts (Django's server would exit
    without stopping the worker)."""
    import socket

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise Problem("--host", f"is not an address of this machine ({host})") from None
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise Problem(
                "--port",
                f"{port} on {host} cannot be used ({exc.strerror}); choose another, "
                f"for example --port {port + 1} (make run PORT={port + 1})",
            ) from None


def _serve_with(supervisor: Any, host: str, port: int, workers: int) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the worker and wait for it."""
    import signal

    signal.signal(signal.SIGTERM, _exit_on_signal)
    if supervisor is not None:
        supervisor.start()
    try:
        if workers:
            _gunicorn_child(host, port, workers)
        else:
            from django.core.management import call_command

            call_command("runserver", f"{host}:{port}", use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        if supervisor is not None:
            typer.echo("Stopping the import worker…", err=True)
            supervisor.stop()


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _gunicorn_args(host: str, port: int, workers: int) -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    args = [str(gunicorn), "walkwell.web.wsgi:application"]
    return [*args, "--bind", f"{host}:{port}", "--workers", str(workers)]


def _gunicorn(host: str, port: int, workers: int) -> None:
    """Replace this process with gunicorn serving the WSGI app (a clinic's server)."""
    args = _gunicorn_args(host, port, workers)
    os.execv(args[0], args)  # noqa: S606 - a fixed program and arguments, no shell


def _gunicorn_child(host: str, port: int, workers: int) -> None:
    """gunicorn as a child, stopped (gracefully, by SIGTERM) when serve stops."""
    import subprocess

    server = subprocess.Popen(_gunicorn_args(host, port, workers))  # noqa: S603
    try:
        server.wait()
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (migrate, createsuperuser, shell...).

    Example: walkwell manage createsuperuser
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkwell.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["walkwell manage", *ctx.args])


@app.command()
def backup(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="The backup file to write (default: a new file in "
            "WALKWELL_HOME/backups), or with --restore the one to read."
        ),
    ] = None,
    restore: Annotated[
        bool,
        typer.Option(
            "--restore",
            help="Bring FILE back into the database of a stopped WalkWell, "
            "replacing what it holds.",
        ),
    ] = False,
    passphrase: Annotated[
        str | None,
        typer.Option(
            "--passphrase",
            envvar="WALKWELL_BACKUP_PASSPHRASE",
            help="Encrypt the backup with this passphrase (or open one with it).",
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Restore without asking to confirm.")
    ] = False,
) -> None:
    """Copy the SQLite database to a file readable by you only, or restore one.

    Safe while WalkWell runs; --restore wants it stopped. Example: walkwell backup
    """
    _django()
    from django.conf import settings
    from django.db import connection

    from walkwell import backup as backups

    if connection.vendor != "sqlite":
        raise Problem(
            "DATABASE_URL",
            "names PostgreSQL: back it up with pg_dump and restore with pg_restore "
            "(see docs/data.md); walkwell backup copies SQLite databases only",
        )
    if passphrase is not None and len(passphrase) < 8:
        raise Problem("--passphrase", "must be at least 8 characters")
    if restore:
        if file is None:
            raise Problem("--restore", "needs FILE: the backup to bring back")
        _restore_backup(
            file, Path(settings.DATABASES["default"]["NAME"]), passphrase, yes=yes
        )
        return
    if file is None:
        folder = Path(settings.WALKWELL_HOME) / "backups"
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)  # health data: the owner only, as the database itself
        target = _new_private_file(
            folder, f"walkwell-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}"
        )
    else:
        target = _new_file(file)
    connection.ensure_connection()
    try:
        if passphrase:
            import tempfile

            with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
                plain = Path(scratch) / "copy.sqlite3"
                backups.copy_database(connection.connection, plain)
                backups.encrypt(plain, target, passphrase)
        else:  # an empty file is an empty SQLite database: copied into
            backups.copy_database(connection.connection, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    target.chmod(0o600)
    sealed = " (encrypted)" if passphrase else ""
    typer.echo(f"Backup written to {target}{sealed}")


def _new_file(path: Path) -> Path:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Problem("FILE", f"{path} exists already; name a new file") from None
    except OSError as exc:
        raise Problem("FILE", f"{path} cannot be written ({exc.strerror})") from None
    os.close(descriptor)
    return path


def _restore_backup(
    file: Path, database: Path, passphrase: str | None, *, yes: bool
) -> None:
    from django.core.management import call_command
    from django.db import connection

    from walkwell import backup as backups

    if not yes:
        typer.echo(
            f"This replaces everything in {database} with the backup {file}. "
            "Stop WalkWell (walkwell serve and any worker) first."
        )
        typer.confirm("Restore the backup?", abort=True)
    connection.close()
    try:
        backups.restore_into(file, database, passphrase)
    except backups.BackupError as exc:
        raise Problem("FILE", f"{file} {exc}") from None
    call_command("migrate", verbosity=0, interactive=False)  # an older backup
    typer.echo(f"Backup {file} restored into {database}")


def _new_private_file(folder: Path, stem: str) -> Path:
    """A new, empty file (0600) in ``folder``, named ``stem`` or ``stem-N``."""
    for number in range(1, 100):
        target = folder / (
            f"{stem}.sqlite3" if number == 1 else f"{stem}-{number}.sqlite3"
        )
        try:
            target.touch(mode=0o600, exist_ok=False)
        except FileExistsError:
            continue
        target.chmod(0o600)
        return target
    raise Problem("backup", f"too many backups named {stem} in {folder}")


@app.command()
def version() -> None:
    """Print WalkWell's version.

    Example: walkwell version
    """
    from walkwell import __version__

    typer.echo(__version__)


app.command("import")(cli_import.import_files)
app.command("imports")(cli_import.import_runs)
app.add_typer(cli_measures.measures_app, name="measures")
app.add_typer(cli_tokens.token_app, name="token")
app.command("demo")(cli_clinic.demo)
app.command("role")(cli_clinic.role)
app.command("two-factor-reset")(cli_clinic.two_factor_reset)
app.command("review")(cli_review.review)
app.command("worker")(cli_review.worker)
app.command("remind")(cli_review.remind)
app.command("export")(cli_data.export)
app.command("restore")(cli_data.restore)
app.command("delete-account")(cli_data.delete_account)
app.command("report")(cli_data.report)


def main() -> None:
    """The ``walkwell`` console script: the app, then a quick exit."""
    try:
        app()
    except SystemExit as done:
        if isinstance(done.code, int) and threading.active_count() == 1:
            _exit_at_once(done.code)
        raise


def _exit_at_once(code: int) -> None:
    """End the process once the command is done, without tearing the interpreter
    down: freeing every module and object one by one costs more CPU than
    ``walkwell version`` itself, and a third of ``walkwell today``.

    Everything an orderly exit does that matters is done first: the database
    connections are closed, the exit handlers run (logging's, temporary files'),
    and the output is flushed. Called only when no other thread is running.
    """
    database, conf = sys.modules.get("django.db"), sys.modules.get("django.conf")
    # only when the settings loaded: a refused configuration has no connections,
    # and asking for them would read the refused settings again
    if database is not None and conf is not None and conf.settings.configured:
        database.connections.close_all()
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the exit code still tells
        code = code or 1
    os._exit(code)


class _CommandsOnDemand(MutableMapping[str, "Command"]):
    """The app's commands by name, each built by Typer the first time it is asked
    for (to run it, or to list it in the help).

    Typer builds every command of a group (its options, from the function's
    annotations) before it runs one: about 0.025 s at every start for the app's
    29 commands, of which one runs (the ``measures`` and ``token`` groups, five
    commands, are still built by Typer). The names and their order are known
    without building, so the help and "Did you mean" read the same as before.
    """

    def __init__(
        self, later: dict[str, CommandInfo], built: MutableMapping[str, Command]
    ) -> None:
        self._later = later
        self._built = dict(built)
        self._order = [*later, *(name for name in built if name not in later)]

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            self._built[name] = typer.main.get_command_from_info(
                self._later[name],  # a KeyError for an unknown name, as a dict
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        if name not in self._order:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._order.remove(name)
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)


def _on_demand(typer_app: typer.Typer) -> dict[str, CommandInfo]:
    """Take the commands registered so far out of ``typer_app``, by name, for
    ``_OneLineErrors`` to build on demand. Should Typer's internals change, this
    takes nothing and Typer builds every command as before."""
    if not callable(getattr(typer.main, "get_command_from_info", None)):
        return {}
    later = {
        info.name or typer.main.get_command_name(info.callback.__name__): info
        for info in typer_app.registered_commands
        if info.callback is not None
    }
    typer_app.registered_commands = [
        info for info in typer_app.registered_commands if info.callback is None
    ]
    return later


_ON_DEMAND = _on_demand(app)
