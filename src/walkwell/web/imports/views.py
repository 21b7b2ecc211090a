"""Upload pages: several files at once, imported by the task worker.

Every view reads the signed-in person's own record; a run id from the address is
looked up among that person's runs only, so another person's run is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from walkwell.core.limits import ValidationProblem
from walkwell.web.imports import conf, selectors, services
from walkwell.web.imports.models import ImportRun
from walkwell.web.pages.daily import preferences_for, walk_line
from walkwell.web.pages.forms import WalkAnswersForm
from walkwell.web.program import selectors as program_selectors
from walkwell.web.program import services as program
from walkwell.web.program.models import Person

P = ParamSpec("P")


def enrolled(
    view: Callable[Concatenate[HttpRequest, Person, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Signed in and enrolled (else sign-in, or onboarding first)."""

    @login_required
    def wrapper(
        request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        person = program_selectors.person_for(request.user)  # type: ignore[arg-type]
        if person is None:
            return redirect("pages:start")
        return view(request, person, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@enrolled
def upload(request: HttpRequest, person: Person) -> HttpResponse:
    """The upload form and the person's recent imports."""
    error, status = "", 200
    if request.method == "POST":
        try:
            run = services.upload_start(
                person=person, files=request.FILES.getlist("files")
            )
        except ValidationProblem as problem:
            error, status = problem.message, 400
        else:
            return redirect("imports:run", run_id=run.pk)
    services.runs_reap(person=person)
    context = {
        "runs": selectors.run_list(person),
        "error": error,
        "max_files": conf.upload_max_files(),
        "max_mb": conf.upload_max_bytes() // (1024 * 1024),
    }
    return render(request, "imports/upload.html", context, status=status)


def _own_run(person: Person, run_id: int) -> ImportRun:
    """The person's run, marked failed first if the process reading it died."""
    services.runs_reap(person=person)
    run = selectors.run_for(person, run_id)
    if run is None:
        raise Http404("no such import")
    return run


@enrolled
def run(request: HttpRequest, person: Person, run_id: int) -> HttpResponse:
    """One import: its progress while it runs, its report when it is done."""
    found = _own_run(person, run_id)
    return render(request, "imports/run.html", _run_context(found))


@enrolled
def progress(request: HttpRequest, person: Person, run_id: int) -> HttpResponse:
    """The fragment htmx polls until the run is done."""
    found = _own_run(person, run_id)
    return render(request, "imports/partials/progress.html", _run_context(found))


@require_POST
@enrolled
def retry(request: HttpRequest, person: Person, run_id: int) -> HttpResponse:
    """Queue a stopped import again; walks it already stored are not doubled."""
    try:
        services.run_retry(person=person, run_id=run_id)
    except ValidationProblem as problem:
        raise Http404(problem.message) from None
    return redirect("imports:run", run_id=run_id)


@require_http_methods(["GET", "POST"])
@enrolled
def walk_answers(request: HttpRequest, person: Person, walk_id: int) -> HttpResponse:
    """How an imported walk felt: pain, warning signs, cooldown; then back to Today.

    Today shows the same form; a refused answer comes back here, beside its field.
    """
    walk = selectors.imported_walk_for(person, walk_id)
    if walk is None:
        raise Http404("no such imported walk")
    protocol = program_selectors.protocol_for(person)
    form = WalkAnswersForm.for_walk(protocol, walk.pk, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program.walk_pain_record(
                walk=walk,
                pain_before=data["pain_before"],
                pain_during=data["pain_during"],
                pain_after=data["pain_after"],
                warning_signs=form.warning_signs(),
                cooldown=data["cooldown"] == "yes",
            )
        except ValidationProblem as problem:
            field = None if problem.field == "warning_sign" else problem.field
            form.problem(field, problem.message)
        else:
            day = f"{walk.date:%A} {walk.date.day} {walk.date:%B}"
            messages.success(request, f"Answers saved for your walk of {day}.")
            return redirect("pages:today")
    context = {
        "form": form,
        "walk": walk,
        "line": walk_line(walk, preferences_for(person)),
    }
    return render(request, "imports/walk_answers.html", context)


def _run_context(found: ImportRun) -> dict[str, object]:
    report = selectors.run_report(found) if found.is_done else None
    return {"run": found, "report": report}
