"""Upload pages: several files at once, imported by the task worker.

Every view reads the signed-in person's own record; a run id from the address is
looked up among that person's runs only, so another person's run is a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from walkwell.core.limits import ValidationProblem
from walkwell.web.imports import conf, selectors, services, uploads
from walkwell.web.imports.models import ImportRun
from walkwell.web.imports.report import new_walks_words
from walkwell.web.program.access import enrolled
from walkwell.web.program.models import Person


# CSRF is checked by ``_upload_post`` below: the middleware would read the body
# before the size is judged, and a refusal here stores nothing.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@enrolled
def upload(request: HttpRequest, person: Person) -> HttpResponse:
    """The upload form and the person's recent imports."""
    if request.method != "POST":
        return _upload_page(request, person)
    too_big = uploads.refusal_before_reading(request)
    if too_big:
        return _upload_page(request, person, too_big, status=413)
    request.upload_handlers.insert(0, uploads.BoundedUpload(request))
    return _upload_post(request, person)


@csrf_protect
def _upload_post(request: HttpRequest, person: Person) -> HttpResponse:
    files = request.FILES.getlist("files")
    too_big = uploads.refusal_while_reading(request)
    if too_big:
        return _upload_page(request, person, too_big, status=413)
    try:
        run = services.upload_start(person=person, files=files)
    except ValidationProblem as problem:
        return _upload_page(request, person, problem.message, status=400)
    return redirect("imports:run", run_id=run.pk)


def _upload_page(
    request: HttpRequest, person: Person, error: str = "", *, status: int = 200
) -> HttpResponse:
    context = {
        "runs": selectors.run_list(person),
        "error": error,
        "max_files": conf.upload_max_files(),
        "max_mb": conf.upload_max_bytes() // (1024 * 1024),
    }
    return render(request, "imports/upload.html", context, status=status)


def _own_run(person: Person, run_id: int) -> ImportRun:
    """The person's run, shown failed if the process reading it died (a read
    stores nothing: a retry does)."""
    run = selectors.run_for(person, run_id)
    if run is None:
        raise Http404("no such import")
    return run


@enrolled
def run(request: HttpRequest, person: Person, run_id: int) -> HttpResponse:
    """One import: its progress while it runs, its report when it is done."""
    found = _own_run(person, run_id)
    return render(request, "imports/run.html", _run_context(person, found))


@enrolled
def progress(request: HttpRequest, person: Person, run_id: int) -> HttpResponse:
    """The fragment htmx polls until the run is done."""
    found = _own_run(person, run_id)
    return render(
        request, "imports/partials/progress.html", _run_context(person, found)
    )


@require_POST
@enrolled
def retry(request: HttpRequest, person: Person, run_id: int) -> HttpResponse:
    """Queue a stopped import again; walks it already stored are not doubled."""
    try:
        services.run_retry(person=person, run_id=run_id)
    except ValidationProblem as problem:
        raise Http404(problem.message) from None
    return redirect("imports:run", run_id=run_id)


def _run_context(person: Person, found: ImportRun) -> dict[str, object]:
    report = selectors.run_report(found) if found.is_done else None
    next_steps = (
        new_walks_words(selectors.new_walks(person, report, timezone.localdate()))
        if report and report.imported
        else []
    )
    return {"run": found, "report": report, "next_steps": next_steps}
