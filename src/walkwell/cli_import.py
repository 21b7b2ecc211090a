"""``walkwell import PATH...``: walks and daily steps from device files.

Registered on the main ``walkwell`` app by ``cli.py`` (this module does not import it). A Rich progress bar on
stderr while files are read, then a summary table (or ``--json``: one object
with ``imported``, ``duplicates``, ``skipped`` and ``refused``). Exit code 0 when
the run finished, whatever it refused; 2 for a usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from walkwell.cli_context import JsonOpt, _echo_json, _person
from walkwell.core.limits import ValidationProblem

if TYPE_CHECKING:
    import datetime as dt

    from walkwell.web.imports.models import ImportRun
    from walkwell.web.imports.report import Entry, ImportReport
    from walkwell.web.imports.services import ImportProgress


def import_files(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files, folders or zips: GPX, TCX, FIT, Apple Health, Strava or "
            "Health Connect exports.",
            show_default=False,
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Import walks (and daily steps) from your watch or phone; safe to run again.

    Example: walkwell import ~/Downloads/export.zip activities/ --json
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ValidationProblem("PATH", f"no such file or folder: {', '.join(missing)}")
    person = _person()
    from walkwell.web.imports import services

    services.runs_reap(person=person)
    with _bar(quiet=as_json) as show:
        report = services.import_paths(person=person, paths=paths, progress=show)
    if as_json:
        _echo_json(report.as_json())
    else:
        _summary(report)


def import_runs(as_json: JsonOpt = False) -> None:
    """List your recent imports (from here and from the web), and why one stopped.

    Example: walkwell imports --json
    """
    person = _person()
    from walkwell.web.imports import selectors, services

    services.runs_reap(person=person)
    runs = selectors.run_list(person)
    if as_json:
        _echo_json([_run_json(run) for run in runs])
        return
    if not runs:
        typer.echo("No imports yet.")
    for run in runs:
        why = f" ({run.error})" if run.error else ""
        typer.echo(
            f"{run.pk}  {_local_clock(run.created_at)}  "
            f"{run.origin}  {run.status}{why}: {run.imported} new, "
            f"{run.duplicates} already there, {run.skipped} skipped, "
            f"{run.refused} refused"
        )


def _local_clock(when: dt.datetime) -> str:
    """ "2026-11-28 10:22 CET": on this machine's clock (the TIME_ZONE setting, the
    zone ``_today`` counts days in), with the zone named."""
    from django.utils import timezone

    from walkwell.core.words import zone_name

    local = timezone.localtime(when)
    return f"{local:%Y-%m-%d %H:%M} {zone_name(local)}"


def _run_json(run: ImportRun) -> dict[str, object]:
    return {
        "id": run.pk,
        "created_at": run.created_at.isoformat(),
        "origin": run.origin,
        "status": run.status,
        "error": run.error,
        "files_total": run.files_total,
        "files_done": run.files_done,
        "imported": run.imported,
        "duplicates": run.duplicates,
        "skipped": run.skipped,
        "refused": run.refused,
    }


class _bar:  # noqa: N801 - used as a context manager, like Rich's own
    """A progress bar over files on stderr, when stderr is a terminal."""

    def __init__(self, *, quiet: bool) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]importing[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]} {task.fields[file]}"),
            console=console,
            transient=True,
            disable=quiet or not console.is_terminal,
        )
        self.task = self.progress.add_task("import", total=None, counts="", file="")

    def __enter__(self) -> _bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, state: ImportProgress) -> None:
        counts = f"{state.imported} new, {state.duplicates} already there"
        self.progress.update(
            self.task,
            total=state.files_total,
            completed=state.files_done,
            counts=counts,
            file=state.current_file[-40:],
        )


def _summary(report: ImportReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="Import", show_lines=False)
    for column in ("outcome", "file", "walk or reason"):
        table.add_column(column, overflow="fold")
    for name, entries, walk in (
        ("imported", report.imported, True),
        ("already there", report.duplicates, True),
        ("skipped", report.skipped, False),
        ("refused", report.refused, False),
    ):
        for entry in entries:
            table.add_row(name, _where(entry), _walk(entry) if walk else entry.reason)
    if table.row_count:
        console.print(table)
    console.print(
        f"{len(report.imported)} imported, {len(report.duplicates)} already there, "
        f"{len(report.skipped)} skipped, {len(report.refused)} refused; "
        f"daily steps stored for {report.step_days} days."
    )


def _where(entry: Entry) -> str:
    return f"{entry.file} ({entry.member})" if entry.member else entry.file


def _walk(entry: Entry) -> str:
    start = entry.start.strftime("%Y-%m-%d %H:%M") if entry.start else "?"
    minutes = (entry.moving_s or 0) / 60
    km = (entry.distance_m or 0) / 1000
    terrain = f", {entry.terrain}" if entry.terrain else ""
    return f"{start}: {minutes:.0f} min moving, {km:.2f} km{terrain}"
