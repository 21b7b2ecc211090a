"""Who may see what: every page reads the signed-in person's own record, never an id
from the address, so one person cannot reach another's data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from walkwell.web.program import selectors
from walkwell.web.program.models import Person

PersonView = Callable[[HttpRequest, Person], HttpResponse]
View = Callable[[HttpRequest], HttpResponse]


def enrolled(view: PersonView) -> View:
    """Signed in and enrolled; otherwise on to sign-in or to onboarding."""

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        person = selectors.person_for(request.user)  # type: ignore[arg-type]
        if person is None:
            return redirect("pages:start")
        return view(request, person)

    return login_required(wrapper)
