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
from walkwell.web.program.roles import AnyUser

P = ParamSpec("P")


def clinic_home(user: AnyUser) -> str:
    """The url name of clinic staff's home (the patient list for a clinician, the
    admin page for a clinic admin); "" for anyone else."""
    if roles.is_clinician(user):
        return "clinic:dashboard"
    if roles.is_clinic_admin(user):
        return "clinic:admin"
    return ""


def staff_without_record(user: AnyUser) -> bool:
    """Clinic staff who do not follow the program themselves: the patient's pages
    are not theirs, and Settings offers them only what applies to staff."""
    return bool(clinic_home(user)) and selectors.person_for(user) is None  # type: ignore[arg-type]


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
            return redirect(clinic_home(request.user) or "pages:start")
        return view(request, person, *args, **kwargs)

    return login_required(wrapper)


def not_clinic_staff(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Signed in, and not clinic staff without a record (who are sent to the
    clinic, as ``enrolled`` sends them): a page a person has during onboarding
    too."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        if staff_without_record(request.user):
            return redirect(clinic_home(request.user))
        return view(request, *args, **kwargs)

    return login_required(wrapper)
