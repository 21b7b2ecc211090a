"""Today, the guided walk, logging a walk and the morning check-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from walkwell.core import instruments
from walkwell.core.limits import ValidationProblem
from walkwell.core.model import DayPlan
from walkwell.core.prescribe import habit_for
from walkwell.core.protocol import Protocol
from walkwell.core.safety import is_stop, stop_reasons
from walkwell.web.imports import selectors as import_selectors
from walkwell.web.pages.access import enrolled
from walkwell.web.pages.forms import (
    CheckInForm,
    ClearanceForm,
    MeasuresForm,
    WalkAnswersForm,
    WalkForm,
)
from walkwell.web.pages.lessons import lesson_for
from walkwell.web.pages.models import Preferences
from walkwell.web.pages.plan_view import (
    HEADLINES,
    SEVERITY,
    intervals_words,
    pace_words,
    terrain_words,
    urgent_action,
)
from walkwell.web.program import selectors, services, services_symptoms
from walkwell.web.program.models import CheckIn, Person, Walk, WalkSource


def preferences_for(person: Person) -> Preferences:
    prefs, _ = Preferences.objects.get_or_create(user_id=person.user_id)
    return prefs


KM_PER_MILE = 1.609344


def walk_line(walk: Walk, prefs: Preferences) -> str:
    """ "12 minutes, 1.1 km" in the person's units (distance when a device gave one)."""
    line = f"{walk.minutes:g} minutes"
    if walk.distance_m:
        km = walk.distance_m / 1000
        miles = prefs.distance_unit == Preferences.Distance.MILES
        line += f", {km / KM_PER_MILE:.1f} miles" if miles else f", {km:.1f} km"
    return line


def _habit(protocol: Protocol, plan: DayPlan, prefs: Preferences) -> str:
    # the core keeps a habit inside the day's walks, among the chosen slots too
    return habit_for(protocol, plan, prefs.habit_slots)


@enrolled
def today(request: HttpRequest, person: Person) -> HttpResponse:
    day = timezone.localdate()
    protocol = selectors.protocol_for(person)
    plan = selectors.plan_for(person, day)
    prefs = preferences_for(person)
    todays_walks = list(person.walks.filter(date=day).order_by("id"))
    awaiting = import_selectors.walks_awaiting_answers(person, day)
    rx = plan.prescription
    context: dict[str, Any] = {
        "plan": plan,
        "rx": rx,
        "headline": HEADLINES[plan.decision],
        "severity": SEVERITY.get(plan.decision, "ok"),
        "action": urgent_action(plan),
        "stop_reasons": stop_reasons(plan),
        "terrain": terrain_words(rx.terrain),
        "pace": pace_words(rx),
        "intervals": intervals_words(rx),
        "habit": "" if is_stop(plan) else _habit(protocol, plan, prefs),
        "lesson": lesson_for(plan),
        "walks_today": todays_walks,
        "walk_lines": [walk_line(w, prefs) for w in todays_walks],
        "sessions_left": max(rx.sessions - len(todays_walks), 0),
        "checked_in": person.checkins.filter(date=day).exists(),
        "first_day": day <= person.start,
        "needs_baseline": person.baseline_minutes is None,
        "escalated": plan.decision.is_escalation,
        "clearance_form": ClearanceForm(),
        "sources": protocol.sources,
        "phase_name": protocol.phase(plan.phase).name if plan.phase else "",
        "measures_due": _measures_due(person, plan),
        "imported": [
            (w, walk_line(w, prefs), WalkAnswersForm.for_walk(protocol, w.pk))
            for w in awaiting
        ],
    }
    return render(request, "pages/today.html", context)


MEASURE_NAMES = {
    "pain_nrs": "pain rating",
    "psfs": "Patient-Specific Functional Scale",
    "start_back": "STarT Back",
}


def _measures_due(person: Person, plan: DayPlan) -> list[str]:
    done = set(
        person.outcomes.filter(date=plan.date).values_list("measure_id", flat=True)
    )
    return [MEASURE_NAMES.get(m, m) for m in plan.measures_due if m not in done]


@enrolled
def measures(request: HttpRequest, person: Person) -> HttpResponse:
    form = MeasuresForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcomes_record(
                person=person, day=timezone.localdate(), answers=form.outcome_answers()
            )
        except ValidationProblem as problem:
            form.problem(None, problem.message)
        else:
            messages.success(request, "Thank you: your answers are saved.")
            return redirect("pages:today")
    context = {"form": form, "start_back_notice": instruments.START_BACK_NOTICE}
    return render(request, "pages/measures.html", context)


@enrolled
def record_clearance(request: HttpRequest, person: Person) -> HttpResponse:
    form = ClearanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.clearance_record(
                person=person, date=timezone.localdate(), by=form.cleaned_data["by"]
            )
        except ValidationProblem as problem:
            form.problem("by", problem.message)
        else:
            messages.success(request, "Clearance recorded. Welcome back.")
            if person.baseline_minutes is None:
                return redirect("pages:screening")
            return redirect("pages:today")
    return render(request, "pages/clearance.html", {"form": form})


def why_stopped(protocol: Protocol) -> list[tuple[str, str, list[str]]]:
    """The "why did you stop?" choices: the whisper, each of the protocol's warning
    signs (which the walk then reports), or no sign at all."""
    signs = [(s.id, s.label, [s.id]) for s in protocol.warning_signs]
    return [
        ("whisper", "Pain started to rise (the whisper)", []),
        *signs,
        ("tired", "Tired, or out of time", []),
        ("other", "Something else", []),
    ]


@enrolled
def walk(request: HttpRequest, person: Person) -> HttpResponse:
    day = timezone.localdate()
    protocol = selectors.protocol_for(person)
    plan = selectors.plan_for(person, day)
    rx = plan.prescription
    choices = why_stopped(protocol)
    config = {
        "minutes": rx.minutes_per_session,
        "phase": plan.phase,
        "intervals": [[kind, minutes] for kind, minutes in rx.intervals],
        "cues": list(plan.prescription.spoken_cues),
        "cueEveryMinutes": 2,
        "cooldownMinutes": rx.cooldown_minutes or protocol.cooldown.minutes,
        "cooldownText": f"Cooldown. {protocol.cooldown.text}",
        "terrain": rx.terrain[0] if rx.terrain else "flat",
        "pace": "intervals" if rx.intervals else rx.pace,
        "logUrl": reverse("pages:log_walk"),
        "storageKey": f"walkwell.walk.{person.pk}",
        "reasons": {key: ids for key, _, ids in choices},
    }
    context = {
        "plan": plan,
        "rx": rx,
        "config": config,
        "why_stopped": choices,
        "intervals": intervals_words(rx),
        "cooldown": protocol.cooldown,
        "headline": HEADLINES[plan.decision],
        "action": urgent_action(plan),
        "stop": is_stop(plan),
        "stop_reasons": stop_reasons(plan),
    }
    return render(request, "pages/walk.html", context)


def _walk_initial(request: HttpRequest, plan: DayPlan) -> dict[str, Any]:
    rx = plan.prescription
    initial: dict[str, Any] = {
        "date": timezone.localdate(),
        "minutes": rx.minutes_per_session or None,
        "terrain": rx.terrain[0] if rx.terrain else "flat",
        "pace": rx.pace,
        "cooldown": "yes",
    }
    q = request.GET
    for name in ("minutes", "terrain", "pace"):
        if q.get(name):
            initial[name] = q[name]
    if q.get("cooldown") in {"0", "1"}:
        initial["cooldown"] = "yes" if q["cooldown"] == "1" else "no"
    for sign in q.getlist("warning_signs"):
        initial[f"sign_{sign}"] = "yes"
    return initial


_WALK_FIELDS = {"warning_sign": None, "load_kg": "load", "idempotency_key": None}


@enrolled
def log_walk(request: HttpRequest, person: Person) -> HttpResponse:
    protocol = selectors.protocol_for(person)
    prefs = preferences_for(person)
    plan = selectors.plan_for(person, timezone.localdate())
    form = WalkForm(
        protocol,
        prefs.weight_unit,
        request.POST or None,
        initial={**_walk_initial(request, plan), "footwear": person.footwear},
    )
    from_timer = (request.POST or request.GET).get("from") == "timer"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.walk_log(
                person=person,
                date=data["date"],
                minutes=data["minutes"],
                terrain=data["terrain"],
                pace=data["pace"],
                pain_before=data["pain_before"],
                pain_during=data["pain_during"],
                pain_after=data["pain_after"],
                warning_signs=form.warning_signs(),
                cooldown=data["cooldown"] == "yes",
                load_kg=form.load_kg(),
                footwear=data["footwear"] or None,
                source=WalkSource.TIMER if from_timer else WalkSource.TYPED,
                idempotency_key=data["idempotency_key"],
            )
        except ValidationProblem as problem:
            form.problem(
                _WALK_FIELDS.get(problem.field, problem.field), problem.message
            )
        else:
            messages.success(request, f"Walk of {data['minutes']:g} minutes saved.")
            return redirect("pages:today")
    context = {
        "form": form,
        "from_timer": from_timer,
        "stopped": request.GET.get("stopped", ""),
        "signs": form.sign_fields(protocol.warning_signs),
    }
    return render(request, "pages/log_walk.html", context)


_CHECKIN_FIELDS = {
    "stiffness_min": "stiffness",
    "warning_sign": None,
    "red_flag": "red_flags",
}


def _checkin_initial(
    stored: CheckIn | None, sign_ids: tuple[str, ...]
) -> dict[str, Any]:
    """Today's stored answers, so the page shows them and can change them: a sign
    not reported was answered "no"."""
    if stored is None:
        return {"date": timezone.localdate()}
    initial: dict[str, Any] = {
        "date": stored.date,
        "pain": stored.pain,
        "stiffness": stored.morning_stiffness_min,
        "sleep": stored.sleep,
        "focus": stored.focus,
        "red_flags": list(stored.red_flags),
    }
    reported = set(stored.warning_signs)
    initial.update({f"sign_{s}": "yes" if s in reported else "no" for s in sign_ids})
    return initial


def _checkin_store(person: Person, form: CheckInForm) -> CheckIn:
    """A new check-in, or the amended one when the day already has one."""
    data = form.cleaned_data
    answers: dict[str, Any] = {
        "person": person,
        "date": data["date"],
        "pain": data["pain"],
        "morning_stiffness_min": data["stiffness"],
        "sleep": data["sleep"],
        "focus": data["focus"],
        "warning_signs": form.warning_signs(),
        "red_flags": data["red_flags"],
    }
    if person.checkins.filter(date=data["date"]).exists():
        return services_symptoms.checkin_amend(**answers)
    return services.checkin_record(**answers)


@enrolled
def checkin(request: HttpRequest, person: Person) -> HttpResponse:
    protocol = selectors.protocol_for(person)
    stored = person.checkins.filter(date=timezone.localdate()).first()
    initial = _checkin_initial(stored, protocol.warning_sign_ids)
    form = CheckInForm(protocol, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _checkin_store(person, form)
        except ValidationProblem as problem:
            form.problem(
                _CHECKIN_FIELDS.get(problem.field, problem.field), problem.message
            )
        else:
            messages.success(request, "Check-in saved. Thank you.")
            return redirect("pages:today")
    last_walk = person.walks.order_by("-date", "-id").first()
    context = {
        "form": form,
        "amending": stored is not None,
        "signs": form.sign_fields(protocol.warning_signs),
        "last_walk": last_walk,
        "since": last_walk.date + dt.timedelta(days=1) if last_walk else None,
    }
    return render(request, "pages/checkin.html", context)
