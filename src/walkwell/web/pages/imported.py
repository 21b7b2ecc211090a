"""How an imported walk felt: the answers a device cannot record.

Today lists the person's imported walks still waiting for answers, each with this
form; the form posts here, and a refused answer is shown here beside its field.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from walkwell.web.accounts import selectors as account_selectors
from walkwell.web.pages.forms import WalkAnswersForm
from walkwell.web.program import selectors, services
from walkwell.web.program.access import enrolled
from walkwell.web.program.forms import submit
from walkwell.web.program.models import Person
from walkwell.web.program.presenters import walk_line
from walkwell.web.program.presenters_shape import drawing_for


@require_http_methods(["GET", "POST"])
@enrolled
def walk_answers(request: HttpRequest, person: Person, walk_id: int) -> HttpResponse:
    """How an imported walk felt: pain, warning signs, cooldown; then back to Today.

    Today shows the same form; a refused answer comes back here, beside its field.
    """
    walk = selectors.imported_walk_for(person, walk_id)
    if walk is None:
        raise Http404("no such imported walk")
    protocol = selectors.protocol_for(person)
    form = WalkAnswersForm.for_walk(protocol, walk.pk, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = submit(
            form,
            lambda: services.walk_pain_record(
                walk=walk,
                pain_before=data["pain_before"],
                pain_during=data["pain_during"],
                pain_after=data["pain_after"],
                warning_signs=form.warning_signs(),
                cooldown=data["cooldown"] == "yes",
            ),
            {"warning_sign": None},
        )
        if saved is not None:
            day = f"{walk.date:%A} {walk.date.day} {walk.date:%B}"
            messages.success(request, f"Answers saved for your walk of {day}.")
            return redirect("pages:today")
    unit = account_selectors.preferences_for(person.user_id).distance_unit
    row = selectors.walk_shape_of(person, walk.pk)
    context = {
        "form": form,
        "walk": walk,
        "line": walk_line(walk, unit),
        "shape": drawing_for(walk, row, unit) if row is not None else None,
    }
    return render(request, "pages/walk_answers.html", context)
