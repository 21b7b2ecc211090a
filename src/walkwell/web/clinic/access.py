"""Guards for the clinic pages: a signed-in clinician (or clinic admin)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from walkwell.web.program import roles

P = ParamSpec("P")


def _guard(
    check: Callable[[User], bool],
) -> Callable[
    [Callable[Concatenate[HttpRequest, User, P], HttpResponseBase]],
    Callable[Concatenate[HttpRequest, P], HttpResponseBase],
]:
    def decorate(
        view: Callable[Concatenate[HttpRequest, User, P], HttpResponseBase],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            user = request.user
            if not isinstance(user, User) or not check(user):
                raise PermissionDenied("this page is for clinic staff")
            return view(request, user, *args, **kwargs)

        return login_required(wrapper)

    return decorate


clinician = _guard(roles.is_clinician)
clinic_admin = _guard(roles.is_clinic_admin)
staff = _guard(lambda u: roles.is_clinician(u) or roles.is_clinic_admin(u))
