"""``walkwell review`` (the nightly review of every person) and ``walkwell worker``.

Registered on the main ``walkwell`` app by ``cli.py`` (this module does not import
it). ``review --all`` queues the review's batches for the task workers (from cron
or a systemd timer; docs/deploy.md), or runs them here with ``--now``.
``worker`` runs one task worker: start as many as needed, on as many machines as
share the database.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Annotated

import typer

from walkwell.cli_context import DateOpt, _day, _django, _echo_json
from walkwell.core.limits import ValidationProblem as Problem

BATCH_MAX = 10_000


def review(
    all_people: Annotated[
        bool,
        typer.Option(
            "--all", help="Review every enrolled person (the nightly review)."
        ),
    ] = False,
    now: Annotated[
        bool,
        typer.Option(
            "--now", help="Run the batches in this process instead of queueing them."
        ),
    ] = False,
    batch: Annotated[
        int, typer.Option(help="People per task (each batch is one task).")
    ] = 250,
    date: DateOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object.")
    ] = False,
) -> None:
    """Store each person's decision and attention reasons for the day.

    Example: walkwell review --all   (from cron at night; the workers run it)
    """
    if not all_people:
        raise Problem("--all", "is needed: the review runs for every person")
    if not 1 <= batch <= BATCH_MAX:
        raise Problem("--batch", f"must be from 1 to {BATCH_MAX} (got {batch})")
    day: dt.date = _day(date)
    _django()
    from walkwell.web.program import tasks

    begin = time.perf_counter()
    if now:
        stored = tasks.review_now(today=day, size=batch)
        seconds = time.perf_counter() - begin
        if as_json:
            _echo_json(
                {"date": day.isoformat(), "reviewed": stored, "seconds": seconds}
            )
        else:
            who = "1 person" if stored == 1 else f"{stored} people"
            typer.echo(f"Reviewed {who} for {day} in {seconds:.1f} s.")
        return
    queued = tasks.review_enqueue(today=day, size=batch)
    if as_json:
        _echo_json({"date": day.isoformat(), "batches_queued": queued})
    else:
        what = "1 review batch" if queued == 1 else f"{queued} review batches"
        typer.echo(
            f"Queued {what} for {day}; the task workers (walkwell worker) run them."
        )


def remind(
    schedule: Annotated[
        bool,
        typer.Option(
            "--schedule",
            help="Queue the recurring pass on the task workers instead of running "
            "one pass here (it then repeats every WALKWELL_REMIND_EVERY_MINUTES).",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object.")
    ] = False,
) -> None:
    """Send the reminder emails due since the last pass (each one at most once).

    Safe to run again or on several machines at once. Example: walkwell remind
    (from cron every 5 minutes), or walkwell remind --schedule (once; the task
    workers then run it every 5 minutes).
    """
    _django()
    from django.utils import timezone

    from walkwell.web.accounts import reminders, tasks

    now = timezone.now()
    if schedule:
        queued = tasks.schedule(now=now)
        if as_json:
            _echo_json({"queued": queued})
        elif queued:
            typer.echo("Queued the reminder pass; the task workers repeat it.")
        else:
            typer.echo("A reminder pass is already queued; nothing more to do.")
        return
    result = reminders.remind_pass(now=now)
    if as_json:
        _echo_json(
            {
                "from": result.start.isoformat(),
                "to": result.end.isoformat(),
                "sent": result.sent,
                "failed": result.failed,
            }
        )
        return
    what = "1 reminder" if result.sent == 1 else f"{result.sent} reminders"
    refused = f"; {result.failed} refused by the mail server" if result.failed else ""
    typer.echo(
        f"Sent {what} due from {result.start:%Y-%m-%d %H:%M} to "
        f"{result.end:%H:%M} UTC{refused}."
    )


def worker(
    queue: Annotated[
        str, typer.Option(help="The queues to take tasks from, comma-separated.")
    ] = "default",
    worker_id: Annotated[
        str,
        typer.Option(help="A name unique across every worker (default: generated)."),
    ] = "",
    batch: Annotated[
        bool,
        typer.Option(
            "--batch", help="Run the tasks waiting now, then exit (for cron)."
        ),
    ] = False,
) -> None:
    """Run a task worker: imports, the nightly review's batches and reminders.

    Start one per core on each machine (systemd, docs/deploy.md); they share the
    work through the database. Example: walkwell worker
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkwell.web.settings")
    from django.core.management import execute_from_command_line

    args = ["walkwell worker", "db_worker", "--no-reload", "--queue-name", queue]
    if worker_id:
        args += ["--worker-id", worker_id]
    if batch:
        args.append("--batch")
    execute_from_command_line(args)
