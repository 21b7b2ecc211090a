"""Who may see what: every page reads the signed-in person's own record, never an id
from the address, so one person cannot reach another's data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from walkwell.web.program import roles, selectors
from walkwell.web.program.models import Person

P = ParamSpec("P")


def enrolled(
    view: Callable[Concatenate[HttpRequest, Person, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Signed in and enrolled; otherwise on to sign-in or to onboarding.

    The view is given the signed-in person, and any arguments from its address.
    """

    @wraps(view)
    def wrapper(
        request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        person = selectors.person_for(request.user)  # type: ignore[arg-type]
        if person is None:
            # Clinic staff are not enrolled: their home is the clinic's pages.
            if roles.is_clinician(request.user):
                return redirect("clinic:dashboard")
            if roles.is_clinic_admin(request.user):
                return redirect("clinic:admin")
            return redirect("pages:start")
        return view(request, person, *args, **kwargs)

    return login_required(wrapper)
