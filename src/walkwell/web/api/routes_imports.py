"""Uploads: send device files, then follow the import's progress until its report.

The files are stored and queued by ``imports.services.upload_start``, as the Import
page does; the task worker reads them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from walkwell.web.api.routes_me import REFUSED, own_person
from walkwell.web.api.schemas import (
    ImportRunOut,
    Page,
    PageQuery,
    Problem,
    page_of,
    run_out,
)
from walkwell.web.imports import selectors, services
from walkwell.web.imports.models import ImportRun
from walkwell.web.imports.report import Entry, ImportReport
from walkwell.web.program.models import Person

router = Router(tags=["imports"])


def _entry(e: Entry) -> dict[str, Any]:
    return {
        "file": e.file,
        "member": e.member,
        "reason": e.reason,
        "start": e.start,
        "distance_m": e.distance_m,
        "moving_s": e.moving_s,
        "walk_id": e.walk_id,
    }


def _report(report: ImportReport) -> dict[str, Any]:
    return {
        "imported": [_entry(e) for e in report.imported],
        "duplicates": [_entry(e) for e in report.duplicates],
        "skipped": [_entry(e) for e in report.skipped],
        "refused": [_entry(e) for e in report.refused],
        "step_days": report.step_days,
    }


def _own_run(person: Person, run_id: int) -> ImportRun:
    run = selectors.run_for(person, run_id)
    if run is None:
        raise HttpError(404, f"you have no import number {run_id}")
    return run


@router.post(
    "/me/imports",
    response={202: ImportRunOut, 400: Problem, **REFUSED},
    summary="Upload files to import",
)
def upload(request: HttpRequest, files: File[list[UploadedFile]]) -> Status[Any]:
    """Send GPX, FIT, TCX files or exports (multipart field ``files``, repeated);
    they are queued, and ``GET /me/imports/{id}`` shows the progress."""
    person = own_person(request)
    run = services.upload_start(person=person, files=files)
    return Status(202, run_out(run))


@router.get(
    "/me/imports",
    response={200: Page[ImportRunOut], 409: Problem},
    summary="My imports",
)
def imports(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """The caller's imports, newest first, with their counters."""
    person = own_person(request)
    page = page_of(person.import_runs.order_by("-created_at", "-id"), paging)
    page["items"] = [run_out(selectors.run_as_seen(r)) for r in page["items"]]
    return page


@router.get(
    "/me/imports/{run_id}",
    response={200: ImportRunOut, 404: Problem, 409: Problem},
    summary="An import's progress",
)
def import_run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    """Progress while it runs; with ``done`` true, the report of every file (a run
    whose process died shows as failed, with the reason)."""
    run = _own_run(own_person(request), run_id)
    report = _report(selectors.run_report(run)) if run.is_done else None
    return run_out(run, report)


@router.post(
    "/me/imports/{run_id}/retry",
    response={202: ImportRunOut, 404: Problem, **REFUSED},
    summary="Try a stopped import again",
)
def import_retry(request: HttpRequest, run_id: int) -> Status[Any]:
    """Queue a failed import again; walks it stored before it stopped stay once."""
    person = own_person(request)
    _own_run(person, run_id)
    return Status(202, run_out(services.run_retry(person=person, run_id=run_id)))
