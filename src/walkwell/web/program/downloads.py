"""A person's record as a download: the export (JSON, CSV or FHIR) and the PDF
report, as HTTP responses. The person's own pages, the clinician's patient page and
the JSON API answer with these, so the three hand out the same files.

Who may download is asked before (``permissions.require_view`` for anyone but the
person); each export leaves its trace in the audit log, naming the clinician who
made it when it was not the person.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from walkwell.core import limits
from walkwell.web.program import report, selectors_export, services_export
from walkwell.web.program.models import Person

PDF = "application/pdf"


def export_filename(fmt: str, now: dt.datetime, who: str = "") -> str:
    """``walkwell-20260105-090000.json``; with ``who``, ``walkwell-alice-...``."""
    named = f"{who}-" if who else ""
    return f"walkwell-{named}{now:%Y%m%d-%H%M%S}{selectors_export.SUFFIX[fmt]}"


def export_response(
    person: Person, fmt: str, *, now: dt.datetime, actor: User | None = None
) -> HttpResponseBase:
    """The whole export as an attachment, streamed (a CSV zip from a temporary
    file, JSON and FHIR as they are written): memory stays bounded however long
    the history. ``actor`` is the clinician when it is not the person's own."""
    services_export.format_check(fmt)
    who = person.user.get_username() if actor is not None else ""
    name = export_filename(fmt, now, who)
    media = selectors_export.MEDIA_TYPE[fmt]
    if fmt == "csv":  # a zip is written to a temporary file, then sent from disk
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        services_export.export_write(
            person=person, fmt=fmt, out=spool, exported_at=now, actor=actor
        )
        spool.seek(0)
        return FileResponse(
            spool, as_attachment=True, filename=name, content_type=media
        )
    services_export.export_recorded(person=person, fmt=fmt, day=now.date(), actor=actor)
    response = StreamingHttpResponse(
        selectors_export.iter_text(fmt, person, now), content_type=media
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_days(query: Mapping[str, str]) -> tuple[dt.date | None, dt.date | None]:
    """The report's ``from`` and ``to`` (YYYY-MM-DD, either left out), or a
    ``ValidationProblem`` naming the one that is not a date."""
    first, last = (
        limits.parse_date(name, query[name]) if query.get(name) else None
        for name in ("from", "to")
    )
    return first, last


def report_response(
    person: Person,
    first: dt.date | None,
    last: dt.date | None,
    *,
    today: dt.date,
    now: dt.datetime,
    who: str = "",
) -> HttpResponse:
    """The progress report from ``first`` to ``last`` as a PDF attachment (by
    default the last twelve weeks)."""
    span = report.report_span(person, first, last, today)
    body = report.report_pdf(person, span, today=today, now=now)
    response = HttpResponse(body, content_type=PDF)
    named = f"{who}-" if who else ""
    name = f"walkwell-report-{named}{span.start}-{span.end}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
