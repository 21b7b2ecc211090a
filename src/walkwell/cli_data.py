"""``walkwell export``, ``walkwell restore`` and ``walkwell delete-account``: the
person's record leaves, comes back, or goes for good. Thin over
``program.services_export``, which the Settings page calls too."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from walkwell.cli_context import _day, _django, _person, _today, _username
from walkwell.core.limits import ValidationProblem as Problem

FormatOpt = Annotated[
    str,
    typer.Option("--format", help="json (restorable), csv (a zip) or fhir (R4)."),
]
OutputOpt = Annotated[
    Path,
    typer.Option("--output", help="The file to write (it must not exist yet)."),
]


def export(output: OutputOpt, fmt: FormatOpt = "json") -> None:
    """Write your whole record to a file: JSON (restorable), CSV or FHIR R4.

    Example: walkwell export --format json --output walkwell.json
    """
    _django()
    from walkwell.web.program import selectors_export

    if fmt not in selectors_export.FORMATS:
        raise Problem(
            "--format",
            f"must be one of {', '.join(selectors_export.FORMATS)} (got {fmt!r})",
        )
    person = _person()
    from walkwell.web.program import services_export

    try:  # health data: readable by the owner only, never over another file
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Problem("--output", f"{output} exists already; name a new file") from None
    except OSError as exc:
        raise Problem("--output", f"cannot be written ({exc.strerror})") from None
    try:
        with os.fdopen(descriptor, "wb") as out:
            services_export.export_write(
                person=person, fmt=fmt, out=out, exported_at=dt.datetime.now(dt.UTC)
            )
    except BaseException:
        output.unlink(missing_ok=True)
        raise
    typer.echo(f"Export ({fmt}) written to {output}")


def restore(
    file: Annotated[Path, typer.Argument(help="A JSON export of WalkWell.")],
) -> None:
    """Bring a JSON export into this account, which must hold no record yet.

    Example: walkwell restore walkwell.json
    """
    if not file.is_file():
        raise Problem("FILE", f"{file} is not a file")
    _django()
    from django.contrib.auth import get_user_model

    from walkwell.web.program import services_export

    document = services_export.read_document(file.read_bytes())
    user, _ = get_user_model().objects.get_or_create(username=_username())
    person = services_export.restore(user=user, document=document, day=_today())
    counts = ", ".join(
        f"{len(rows)} {name}"
        for name, rows in document["records"].items()
        if isinstance(rows, list) and name != "person"
    )
    typer.echo(
        f"Restored into {user.get_username()}: the plan from {person.start}; {counts}."
    )


def delete_account(
    yes: Annotated[
        bool, typer.Option("--yes", help="Delete without asking to confirm.")
    ] = False,
) -> None:
    """Delete this account and everything in it, for good (export it first).

    Example: walkwell delete-account --yes
    """
    _django()
    from django.contrib.auth import get_user_model

    from walkwell.web.program import services_export

    name = _username()
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise Problem("account", f"there is no account named {name!r} to delete")
    if not yes:
        typer.echo(
            "This deletes every walk, check-in, measure and setting of "
            f"{name!r}, and cannot be undone. Keep a copy first with "
            "`walkwell export --format json --output FILE`."
        )
        typer.confirm("Delete the account and all its data?", abort=True)
    deletion = services_export.account_delete(user=user)
    removed = sum(deletion.rows_removed.values())
    typer.echo(f"Account {name!r} deleted: {removed} rows removed.")


def report(
    pdf: Annotated[Path, typer.Option("--pdf", help="The PDF file to write.")],
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day, YYYY-MM-DD (default: 12 weeks back)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Write a progress report for your clinician as a PDF (2-4 pages).

    Example: walkwell report --pdf report.pdf --from 2026-01-05 --to 2026-02-01
    """
    person = _person()
    first = _day(start, "from") if start else None
    last = _day(end, "to") if end else None
    if first and last and first > last:
        raise Problem("--from", f"must be on or before --to ({last}); got {first}")
    from walkwell.web.accounts.zones import clock_of
    from walkwell.web.program import report as reports

    span = reports.report_span(person, first, last, _today())
    now = clock_of(person.user_id)  # the person's clock, as from the web
    body = reports.report_pdf(person, span, today=_today(), now=now)
    _write_new(pdf, body, "--pdf")
    typer.echo(f"Report for {span.start} to {span.end} written to {pdf}")


def _write_new(path: Path, body: bytes, option: str) -> None:
    try:  # health data: readable by the owner only, never over another file
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Problem(option, f"{path} exists already; name a new file") from None
    except OSError as exc:
        raise Problem(option, f"cannot be written ({exc.strerror})") from None
    with os.fdopen(descriptor, "wb") as out:
        out.write(body)
