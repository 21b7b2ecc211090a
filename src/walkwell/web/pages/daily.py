"""Today, the guided walk, logging a walk and the morning check-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from walkwell.core import instruments, readiness
from walkwell.core.lookback import WEEK, Course, LookBack
from walkwell.core.measures import QUESTIONNAIRES
from walkwell.core.model import DayPlan
from walkwell.core.prescribe import habit_for
from walkwell.core.protocol import Protocol
from walkwell.core.safety import (
    awaits_only_rescreen,
    is_stop,
    needs_rescreen,
    stop_reasons,
)
from walkwell.web.accounts import selectors as account_selectors
from walkwell.web.accounts.models import Preferences
from walkwell.web.pages.forms import (
    CheckInForm,
    ClearanceForm,
    GoAheadForm,
    MeasuresForm,
    ReadinessForm,
    ScreeningForm,
    WalkAnswersForm,
    WalkForm,
)
from walkwell.web.pages.lessons import lesson_for
from walkwell.web.program import (
    selectors,
    selectors_care,
    services,
    services_symptoms,
)
from walkwell.web.program.access import enrolled
from walkwell.web.program.forms import above_the_form, submit
from walkwell.web.program.models import CheckIn, Person, WalkSource
from walkwell.web.program.presenters import (
    DECOMPRESSION,
    GENTLE_WALK,
    REST_DAY,
    SEVERITY,
    cue_pictures,
    flare_plan_words,
    headline,
    intervals_words,
    look_back_on,
    pace_words,
    picture_for,
    terrain_words,
    urgent_action,
    walk_count,
    walk_line,
)
from walkwell.web.program.presenters_shape import drawing_for


def _habit(protocol: Protocol, plan: DayPlan, prefs: Preferences) -> str:
    # the core keeps a habit inside the day's walks, among the chosen slots too
    return habit_for(protocol, plan, prefs.habit_slots)


CLINICIAN_ACTION_DAYS = 7  # a clinician's actions stay on Today this many days
LOOK_BACK_WEEK = dt.timedelta(days=WEEK)  # a look back reads the week before


@enrolled
def today(request: HttpRequest, person: Person) -> HttpResponse:
    day = timezone.localdate()
    protocol = selectors.protocol_for(person)
    plan = selectors.plan_for(person, day)
    prefs = account_selectors.preferences_for(person.user_id)
    todays_walks = selectors.walks_on(person, day)
    awaiting = selectors.walks_awaiting_answers(person, day)
    shapes = selectors.walk_shapes(awaiting)
    rx = plan.prescription
    severity = SEVERITY.get(plan.decision, "ok")
    context: dict[str, Any] = {
        "plan": plan,
        "rx": rx,
        "headline": headline(plan),
        "severity": severity,
        "stop_day": severity in {"urgent", "danger"},
        "walk_count": walk_count(rx, len(todays_walks)),
        "gentle_walk": GENTLE_WALK,
        "rest_day": REST_DAY,
        "cue_pictures": cue_pictures(rx.cues),
        "cooldown_picture": DECOMPRESSION,
        "action": urgent_action(plan),
        "stop_reasons": stop_reasons(plan),
        "terrain": terrain_words(rx.terrain),
        "pace": pace_words(rx),
        "intervals": intervals_words(rx),
        "habit": "" if is_stop(plan) else _habit(protocol, plan, prefs),
        "lesson": lesson_for(plan),
        "walks_today": todays_walks,
        "walk_lines": [walk_line(w, prefs.distance_unit) for w in todays_walks],
        "sessions_left": max(rx.sessions - len(todays_walks), 0),
        "checked_in": selectors.checkin_on(person, day) is not None,
        "first_day": day <= person.start,
        "needs_baseline": person.baseline_minutes is None,
        "escalated": plan.decision.is_escalation,
        "rescreen": needs_rescreen(plan),
        "cleared": awaits_only_rescreen(plan),  # only the screening is owed
        "go_ahead_needed": readiness.awaits_go_ahead(plan),
        "clearance_form": ClearanceForm(),
        "clinicians": selectors_care.clinicians_of(person),
        "clinician_notes": selectors_care.notes_for(person, limit=3),
        "clinician_actions": selectors_care.actions_since(
            person, day - dt.timedelta(days=CLINICIAN_ACTION_DAYS)
        ),
        "sources": protocol.sources,
        "phase_name": protocol.phase(plan.phase).name if plan.phase else "",
        "flare_plan": flare_plan_words(plan),
        "measures_due": _measures_due(person, plan),
        "look_back": _look_back(person, protocol, plan),
        "imported": [
            (
                w,
                walk_line(w, prefs.distance_unit),
                WalkAnswersForm.for_walk(protocol, w.pk),
                drawing_for(w, shapes[w.pk], prefs.distance_unit)
                if w.pk in shapes
                else None,
            )
            for w in awaiting
        ],
    }
    return render(request, "pages/today.html", context)


def _look_back(person: Person, protocol: Protocol, plan: DayPlan) -> LookBack | None:
    """On a review day, the week looked back on (that week's plans only then)."""
    if not plan.reviewed:
        return None
    week = selectors.window_for(person, plan.date - LOOK_BACK_WEEK, plan.date)
    course = Course(person.start, week.phase_changes)
    walks, checkins = selectors.look_back_rows(person, plan.date, weeks=1)
    return look_back_on(protocol, week.plans, walks, checkins, plan.date, course=course)


def _measures_due(person: Person, plan: DayPlan) -> list[str]:
    done = selectors.measures_done_on(person, plan.date)
    return [QUESTIONNAIRES.get(m, m) for m in plan.measures_due if m not in done]


@enrolled
def measures(request: HttpRequest, person: Person) -> HttpResponse:
    form = MeasuresForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services.outcomes_record(
                person=person, day=timezone.localdate(), answers=form.outcome_answers()
            ),
            fields=above_the_form,
        )
        if saved is not None:
            messages.success(request, "Thank you: your answers are saved.")
            return redirect("pages:today")
    context = {"form": form, "start_back_notice": instruments.START_BACK_NOTICE}
    return render(request, "pages/measures.html", context)


@enrolled
def record_clearance(request: HttpRequest, person: Person) -> HttpResponse:
    form = ClearanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services.clearance_record(
                person=person, date=timezone.localdate(), by=form.cleaned_data["by"]
            ),
            fields=lambda _: "by",
        )
        if saved is not None:
            if person.baseline_minutes is None:
                messages.success(request, "Clearance recorded. Welcome back.")
                return redirect("pages:screening")
            plan = selectors.plan_for(person, timezone.localdate())
            if needs_rescreen(plan):
                messages.success(
                    request,
                    "Clearance recorded. One more step: answer the safety questions again.",
                )
                return redirect("pages:rescreen")
            messages.success(request, "Clearance recorded. Welcome back.")
            return redirect("pages:today")
    return render(request, "pages/clearance.html", {"form": form})


@enrolled
def rescreen(request: HttpRequest, person: Person) -> HttpResponse:
    """The red-flag questions again: after an urgent stop, the plan resumes once a
    clearance and this fresh screening (with no red flags) are both recorded."""
    protocol = selectors.protocol_for(person)
    form = ScreeningForm(protocol, request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services.screening_record(
                person=person, day=timezone.localdate(), red_flags=form.red_flags()
            ),
            fields=above_the_form,
        )
        if saved is not None:
            flags = saved.value.red_flags
            words = (
                "Screening recorded: you reported " + ", ".join(flags) + "."
                if flags
                else "Screening recorded: no red flags."
            )
            messages.success(request, words)
            return redirect("pages:today")
    return render(
        request,
        "pages/rescreen.html",
        {"form": form, "questions": form.sign_fields(protocol.red_flags)},
    )


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
    pictures = cue_pictures(rx.spoken_cues)
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
        "cuePictures": [p.slug if p else None for p in (c.picture for c in pictures)],
    }
    context = {
        "plan": plan,
        "rx": rx,
        "config": config,
        "why_stopped": choices,
        "intervals": intervals_words(rx),
        "cooldown": protocol.cooldown,
        "cooldown_picture": picture_for(protocol.cooldown.name) or DECOMPRESSION,
        "cue_pictures": pictures,
        "walk_pictures": list(dict.fromkeys(c.picture for c in pictures if c.picture)),
        "headline": headline(plan),
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
    if "cooldown" in q:  # the timer's: "1" ran out, "0" skipped, else left early
        initial["cooldown"] = {"1": "yes", "0": "no"}.get(q["cooldown"])
    for sign in q.getlist("warning_signs"):
        initial[f"sign_{sign}"] = "yes"
    return initial


_WALK_FIELDS = {"warning_sign": None, "load_kg": "load", "idempotency_key": None}


@enrolled
def log_walk(request: HttpRequest, person: Person) -> HttpResponse:
    protocol = selectors.protocol_for(person)
    prefs = account_selectors.preferences_for(person.user_id)
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
        saved = submit(
            form,
            lambda: services.walk_log(
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
            ),
            _WALK_FIELDS,
        )
        if saved is not None:
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
        "recurrence": {True: "yes", False: "no", None: ""}[stored.recurrence],
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
        "recurrence": form.recurrence_answer(),
    }
    if selectors.checkin_on(person, data["date"]) is not None:
        return services_symptoms.checkin_amend(**answers)
    return services.checkin_record(**answers)


@enrolled
def checkin(request: HttpRequest, person: Person) -> HttpResponse:
    protocol = selectors.protocol_for(person)
    stored = selectors.checkin_on(person, timezone.localdate())
    initial = _checkin_initial(stored, protocol.warning_sign_ids)
    form = CheckInForm(protocol, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: _checkin_store(person, form), _CHECKIN_FIELDS)
        if saved is not None:
            messages.success(request, "Check-in saved. Thank you.")
            return redirect("pages:today")
    last_walk = selectors.last_walk(person)
    context = {
        "form": form,
        "amending": stored is not None,
        "signs": form.sign_fields(protocol.warning_signs),
        "last_walk": last_walk,
        "since": last_walk.date + dt.timedelta(days=1) if last_walk else None,
    }
    return render(request, "pages/checkin.html", context)


def _readiness_page(
    request: HttpRequest,
    person: Person,
    form: ReadinessForm,
    go_ahead_form: GoAheadForm,
) -> HttpResponse:
    protocol = selectors.protocol_for(person)
    plan = selectors.plan_for(person, timezone.localdate())
    answers = frozenset(person.readiness)
    why = readiness.adjust_reason(
        protocol, answers, go_ahead=person.go_ahead is not None
    )
    context = {
        "form": form,
        "go_ahead_form": go_ahead_form,
        "person": person,
        "waiting": plan.reasons[0].text if readiness.awaits_go_ahead(plan) else "",
        "adjusted": why.text if why is not None else "",
    }
    return render(request, "pages/readiness.html", context)


@enrolled
def readiness_answers(request: HttpRequest, person: Person) -> HttpResponse:
    """The readiness questions, editable at any time (linked from Settings and More)."""
    protocol = selectors.protocol_for(person)
    initial = {"readiness": list(person.readiness)}
    # every box may be unticked ("none apply"): a POST is an answer even when empty
    posted = request.POST if request.method == "POST" else None
    form = ReadinessForm(protocol, posted, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services.readiness_record(
                person=person,
                day=timezone.localdate(),
                answers=form.cleaned_data["readiness"],
            ),
        )
        if saved is not None:
            messages.success(request, "Your answers are saved.")
            return redirect("pages:readiness")
    return _readiness_page(request, person, form, GoAheadForm())


@enrolled
def record_go_ahead(request: HttpRequest, person: Person) -> HttpResponse:
    protocol = selectors.protocol_for(person)
    form = GoAheadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = submit(
            form,
            lambda: services.go_ahead_record(
                person=person, date=timezone.localdate(), by=form.cleaned_data["by"]
            ),
            fields=lambda _: "by",
        )
        if saved is not None:
            messages.success(request, "The go-ahead is recorded.")
            return redirect("pages:today")
    initial = {"readiness": list(person.readiness)}
    answers = ReadinessForm(protocol, initial=initial)
    return _readiness_page(request, person, answers, form)
