"""Your data, on the Settings pages: export it (JSON, CSV, FHIR), restore a JSON
export into a new account, and delete the account with everything in it.

Views parse a form and call ``program.services_export``, which the ``walkwell
export``, ``restore`` and ``delete-account`` commands call too.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from walkwell.core.limits import ValidationProblem
from walkwell.web.accounts.forms import DeleteAccountForm, ExportForm, RestoreForm
from walkwell.web.program import (
    downloads,
    selectors,
    selectors_export,
    services_export,
)
from walkwell.web.program.forms import above_the_form, submit

# A JSON export of five years is a few megabytes; more is not one.
MAX_RESTORE_BYTES = 200 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _page(
    request: HttpRequest,
    export_form: ExportForm | None = None,
    restore_form: RestoreForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    person = selectors.person_for(user)
    context = {
        "export_form": export_form or ExportForm(),
        "restore_form": restore_form or RestoreForm(),
        "enrolled": person is not None,
        "ready": services_export.ready_exports(user.pk),
    }
    return render(request, "accounts/data.html", context, status=status)


@login_required
def data_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def export_download(request: HttpRequest) -> HttpResponseBase:
    """The export as a download; a large one is queued and offered when ready."""
    form = ExportForm(request.POST)
    person = selectors.person_for(_user(request))
    if person is None:
        form.is_valid()
        form.problem(None, "There is nothing to export yet: start your plan first.")
        return _page(request, export_form=form, status=400)
    if not form.is_valid():
        return _page(request, export_form=form, status=400)
    fmt = form.cleaned_data["format"]
    if selectors_export.row_count(person) > services_export.task_rows():
        services_export.export_queue(person=person, fmt=fmt)
        messages.success(
            request,
            "Your export is being prepared. It appears on this page, ready to "
            "download, in a few minutes.",
        )
        return redirect("accounts:data")
    return downloads.export_response(person, fmt, now=dt.datetime.now(dt.UTC))


@login_required
def export_ready(request: HttpRequest, name: str) -> HttpResponseBase:
    """A ready export made by the worker: the account's own files only."""
    path = services_export.ready_export_path(_user(request).pk, name)
    if path is None:
        raise Http404("no such export")
    fmt = next(f for f, s in selectors_export.SUFFIX.items() if name.endswith(s))
    if name.endswith(selectors_export.SUFFIX["fhir"]):
        fmt = "fhir"
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=selectors_export.MEDIA_TYPE[fmt],
    )


@login_required
@require_POST
def restore_upload(request: HttpRequest) -> HttpResponse:
    form = RestoreForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, restore_form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_RESTORE_BYTES:
        form.problem("file", f"must be at most {MAX_RESTORE_BYTES:,} bytes")
        return _page(request, restore_form=form, status=400)
    user = _user(request)

    def restore() -> object:
        document = services_export.read_document(upload.read())
        return services_export.restore(
            user=user, document=document, day=dt.datetime.now(dt.UTC).date()
        )

    if submit(form, restore, above_the_form) is None:
        return _page(request, restore_form=form, status=400)
    messages.success(request, "Your record was restored.")
    return redirect("pages:today")


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Offer an export first, then delete the account when its name is typed."""
    user = _user(request)
    form = DeleteAccountForm(request.POST or None, username=user.get_username())
    if request.method == "POST" and form.is_valid():
        try:
            services_export.account_delete(user=user)
        except ValidationProblem as problem:
            form.problem(None, problem.message)
        else:
            logout(request)
            messages.success(request, "Your account and all its data were deleted.")
            return redirect("accounts:sign_in")
    context = {
        "form": form,
        "enrolled": selectors.person_for(user) is not None,
        "export_form": ExportForm(),
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/delete.html", context, status=status)
