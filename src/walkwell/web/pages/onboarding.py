"""Onboarding: red-flag screening first, then the baseline, then the plan.

An answer of a tier that prescribes no walks ends onboarding at once: it is recorded
(enrolment without a baseline, audited) and the person is told to seek care now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from walkwell.core import instruments, safety
from walkwell.core.protocol import (
    DEFAULT_PROTOCOL,
    Protocol,
    Tier,
    TierName,
    load_protocol,
)
from walkwell.web.accounts import invites
from walkwell.web.pages.forms import OnboardingBaselineForm, ScreeningForm
from walkwell.web.program import selectors, services
from walkwell.web.program.access import enrolled
from walkwell.web.program.forms import submit
from walkwell.web.program.models import Person
from walkwell.web.program.presenters import phase_timeline

SESSION_KEY = "walkwell_screening"
# Set when the baseline finishes onboarding: the plan page shown next is its last step.
PLAN_STEP_KEY = "walkwell_plan_step"


def _protocol(person: Person | None) -> Protocol:
    return selectors.protocol_for(person) if person else load_protocol(DEFAULT_PROTOCOL)


def worst_tier(protocol: Protocol, flags: list[str]) -> tuple[TierName, Tier] | None:
    escalation = safety.escalation_for(protocol, flags, timezone.localdate())
    if escalation is None:
        return None
    return escalation.tier, safety.tier_of(protocol, escalation)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Send the person to the step they are on."""
    person = selectors.person_for(request.user)  # type: ignore[arg-type]
    if person is not None and person.baseline_minutes is not None:
        return redirect("pages:today")
    if person is not None and selectors.open_red_flags(person):
        return redirect("pages:seek_care")
    if _screened_today(request):
        return redirect("pages:baseline")
    return redirect("pages:screening")


def _done_or_waiting(person: Person | None) -> HttpResponse | None:
    """Enrolled already, or waiting for a clearance: no screening to redo."""
    if person is not None and person.baseline_minutes is not None:
        return redirect("pages:today")
    if person is not None and selectors.open_red_flags(person):
        return redirect("pages:seek_care")
    return None


def _screened_today(request: HttpRequest) -> bool:
    saved = request.session.get(SESSION_KEY) or {}
    return bool(saved.get("date") == timezone.localdate().isoformat())


@login_required
def screening(request: HttpRequest) -> HttpResponse:
    person = selectors.person_for(request.user)  # type: ignore[arg-type]
    ahead = _done_or_waiting(person)
    if ahead is not None:
        return ahead
    protocol = _protocol(person)
    form = ScreeningForm(protocol, request.POST or None)
    if request.method == "POST" and form.is_valid():
        flags = form.red_flags()
        tier = worst_tier(protocol, flags)
        if tier is not None and not protocol.tiers[tier[0]].prescribe_walks:
            _record_flags(request, flags)
            return redirect("pages:seek_care")
        request.session[SESSION_KEY] = {
            "date": timezone.localdate().isoformat(),
            "red_flags": flags,
        }
        return redirect("pages:baseline")
    return render(
        request,
        "pages/onboarding/screening.html",
        {"form": form, "questions": form.sign_fields(protocol.red_flags)},
    )


def _record_flags(request: HttpRequest, flags: list[str]) -> None:
    services.enrollment_record(
        user=request.user,  # type: ignore[arg-type]
        day=timezone.localdate(),
        baseline_minutes=None,
        red_flags=flags,
        protocol_id=DEFAULT_PROTOCOL,
    )
    request.session.pop(SESSION_KEY, None)


@login_required
def seek_care(request: HttpRequest) -> HttpResponse:
    person = selectors.person_for(request.user)  # type: ignore[arg-type]
    if person is None:
        return redirect("pages:screening")
    protocol = _protocol(person)
    flags = selectors.open_red_flags(person)
    if not flags:
        return redirect("pages:start")
    found = worst_tier(protocol, flags)
    signs = [protocol.signs[f] for f in flags]
    context: dict[str, Any] = {"signs": signs, "tier_name": found and found[0]}
    context["tier"] = found[1] if found else None
    context["source"] = protocol.sources[found[1].source].title if found else ""
    return render(request, "pages/onboarding/seek_care.html", context)


@login_required
def baseline(request: HttpRequest) -> HttpResponse:
    person = selectors.person_for(request.user)  # type: ignore[arg-type]
    ahead = _done_or_waiting(person)
    if ahead is not None:
        return ahead
    if not _screened_today(request):
        return redirect("pages:screening")
    # walks stored before the plan (while waiting for a clearance) suggest a
    # baseline, which the person confirms or changes
    today = timezone.localdate()
    suggestion = selectors.baseline_suggestion(person, today) if person else None
    initial = {"baseline_minutes": suggestion.minutes} if suggestion else {}
    form = OnboardingBaselineForm(
        _protocol(person), request.POST or None, initial=initial
    )
    posted = request.method == "POST" and form.is_valid()
    if posted and submit(form, lambda: _enrol(request, form), _baseline_field):
        request.session.pop(SESSION_KEY, None)
        request.session[PLAN_STEP_KEY] = True
        if invites.pending(request.session) is not None:
            # Invited by a clinician before sign-up: back to the invitation now.
            return redirect("pages:care_join_code")
        return redirect("pages:plan")
    context = {
        "form": form,
        "start_back_notice": instruments.START_BACK_NOTICE,
        "suggestion": suggestion,
    }
    return render(request, "pages/onboarding/baseline.html", context)


def _baseline_field(field: str) -> str | None:
    """The form's field for a service's; any other refusal goes above the form."""
    return _BASELINE_FIELDS.get(field)


_BASELINE_FIELDS = {
    "readiness": "readiness",
    "baseline_minutes": "baseline_minutes",
    "footwear": "footwear",
    "pain_nrs": "pain",
    "psfs": "psfs_activity_1",
    "usual_pain": "usual_pain",
    "usual_morning_stiffness_min": "usual_stiffness",
    "usual_stiffness_min": "usual_stiffness",
    "usual_sleep": "usual_sleep",
    "usual_focus": "usual_focus",
}


def _enrol(request: HttpRequest, form: OnboardingBaselineForm) -> None:
    day = timezone.localdate()
    data = form.cleaned_data
    with transaction.atomic():
        person = services.enrollment_record(
            user=request.user,  # type: ignore[arg-type]
            day=day,
            baseline_minutes=data["baseline_minutes"],
            red_flags=request.session[SESSION_KEY]["red_flags"],
            footwear=data["footwear"] or None,
            protocol_id=DEFAULT_PROTOCOL,
            usual_morning=form.usual_morning(),
        )
        services.outcomes_record(person=person, day=day, answers=form.outcome_answers())
        services.readiness_record(
            person=person, day=day, answers=data.get("readiness") or []
        )


@enrolled
def plan(request: HttpRequest, person: Person) -> HttpResponse:
    protocol = selectors.protocol_for(person)
    today = timezone.localdate()
    day_plan = selectors.plan_for(person, max(today, person.start))
    phases = phase_timeline(
        protocol,
        selectors.course_for(person, day_plan.date),
        selectors.start_minutes_for(person, protocol),
        day_plan.phase,
        today,
    )
    context = {
        "protocol": protocol,
        "phases": phases,
        "plan": day_plan,
        "start": person.start,
        "baseline": person.baseline_minutes,
        "first_week_end": person.start + dt.timedelta(days=6),
        # the step counter belongs to onboarding: shown once, as it finishes
        "onboarding_step": request.session.pop(PLAN_STEP_KEY, False),
    }
    return render(request, "pages/onboarding/plan.html", context)
