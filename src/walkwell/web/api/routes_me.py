"""The patient's own record: today's plan, walks, check-ins, symptoms, history and
outcome measures. Every operation acts on the caller's own enrolment, never on an
id from the address, and every write goes through the service a page calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from walkwell.core import limits
from walkwell.core.limits import ValidationProblem
from walkwell.web.api import care
from walkwell.web.api.auth import caller
from walkwell.web.api.schemas import (
    CareOut,
    CheckInIn,
    CheckInOut,
    ClearanceOut,
    ClinicianOut,
    DayOut,
    JoinIn,
    MeasuresIn,
    MeasuresOut,
    OutcomeOut,
    Page,
    PageQuery,
    PlanOut,
    Problem,
    SelfClearanceIn,
    SymptomIn,
    SymptomOut,
    TodayOut,
    WalkIn,
    WalkOut,
    checkin_out,
    day_out,
    outcome_out,
    page_of,
    plan_out,
)
from walkwell.web.pages.daily import CLINICIAN_ACTION_DAYS
from walkwell.web.program import (
    selectors,
    selectors_care,
    selectors_measures,
    services,
    services_care,
    services_symptoms,
)
from walkwell.web.program.models import Person

router = Router(tags=["patient"])

REFUSED = {409: Problem, 422: Problem}


def own_person(request: HttpRequest) -> Person:
    """The caller's enrolment; a 409 when they have not started a plan."""
    person = selectors.person_for(caller(request))
    if person is None:
        raise HttpError(
            409, "no plan yet: start one on the site (Start) or with `walkwell init`"
        )
    return person


def _day(value: dt.date | None, field: str = "date") -> dt.date:
    """The day given, or today; a future day is refused as the forms refuse it."""
    today = timezone.localdate()
    return today if value is None else limits.not_in_future(field, value, today)


@router.get("/me/today", response={200: TodayOut, 409: Problem}, summary="Today's plan")
def today(request: HttpRequest) -> dict[str, Any]:
    """What to walk today and why, the walks already logged and the check-in."""
    person = own_person(request)
    day = timezone.localdate()
    plan = selectors.plan_for(person, day)
    walks = selectors.walks_on(person, day)
    return {
        "plan": plan_out(plan),
        "walks_today": walks,
        "sessions_left": max(plan.prescription.sessions - len(walks), 0),
        "checked_in": selectors.checkin_on(person, day) is not None,
        "needs_baseline": person.baseline_minutes is None,
        "clinician_notes": [
            care.note_out(n) for n in selectors_care.notes_for(person, limit=3)
        ],
        "clinician_actions": [
            care.action_out(a)
            for a in selectors_care.actions_since(
                person, day - dt.timedelta(days=CLINICIAN_ACTION_DAYS)
            )
        ],
    }


@router.post("/me/walks", response={201: WalkOut, **REFUSED}, summary="Log a walk")
def walk_log(request: HttpRequest, payload: WalkIn) -> Status[Any]:
    """Store a walk (``walk_log``); the same ``idempotency_key`` stores it once."""
    person = own_person(request)
    fields = payload.model_dump(exclude={"date"})
    walk = services.walk_log(person=person, date=_day(payload.date), **fields)
    return Status(201, walk)


@router.get(
    "/me/walks", response={200: Page[WalkOut], 409: Problem}, summary="My walks"
)
def walks(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """Walks, newest first."""
    person = own_person(request)
    return page_of(person.walks.order_by("-date", "-id"), paging)


@router.post("/me/checkins", response={201: CheckInOut, **REFUSED}, summary="Check in")
def checkin(request: HttpRequest, payload: CheckInIn) -> Status[Any]:
    """The morning check-in, one a day (``checkin_record``)."""
    person = own_person(request)
    row = services.checkin_record(
        person=person,
        date=_day(payload.date),
        pain=payload.pain,
        morning_stiffness_min=payload.stiffness_min,
        sleep=payload.sleep,
        focus=payload.focus,
        warning_signs=payload.warning_signs,
        red_flags=payload.red_flags,
    )
    return Status(201, checkin_out(row))


@router.get(
    "/me/checkins",
    response={200: Page[CheckInOut], 409: Problem},
    summary="My check-ins",
)
def checkins(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """Check-ins, newest first."""
    person = own_person(request)
    page = page_of(person.checkins.order_by("-date"), paging)
    page["items"] = [checkin_out(c) for c in page["items"]]
    return page


@router.post(
    "/me/symptoms", response={201: SymptomOut, **REFUSED}, summary="Report a symptom"
)
def symptom(request: HttpRequest, payload: SymptomIn) -> Status[Any]:
    """Warning signs or red flags at any time of day (``symptom_report``); the plan
    that follows is in the answer."""
    person = own_person(request)
    day = _day(payload.date)
    result = services_symptoms.symptom_report(
        person=person,
        date=day,
        warning_signs=payload.warning_signs,
        red_flags=payload.red_flags,
    )
    plan = selectors.plan_for(person, max(day, timezone.localdate()))
    body = {"stored": result.stored, "already": result.already, "plan": plan_out(plan)}
    return Status(201, body)


@router.get(
    "/me/history", response={200: Page[DayOut], 409: Problem}, summary="My history"
)
def history(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """Every day since the start, newest first: the decision and its reasons."""
    person = own_person(request)
    end = max(timezone.localdate(), selectors.last_activity_day(person))
    days = selectors.timeline_for(person, end)[::-1]
    page = page_of(days, paging)
    page["items"] = [day_out(d) for d in page["items"]]
    return page


@router.get(
    "/me/plan/{day}", response={200: PlanOut, **REFUSED}, summary="A day's plan"
)
def plan_on(request: HttpRequest, day: dt.date) -> dict[str, Any]:
    """The plan of one day up to today, with every reason."""
    person = own_person(request)
    return plan_out(selectors.plan_for(person, _day(day, "day")))


@router.get("/me/care", response={200: CareOut, 409: Problem}, summary="My care team")
def care_team(request: HttpRequest) -> dict[str, Any]:
    """The clinicians linked to the caller, their notes and actions, clearances
    (marked self-reported or not), and who read the record (each the latest 20)."""
    return care.care_of(own_person(request))


@router.post(
    "/me/care/links",
    response={201: ClinicianOut, **REFUSED},
    summary="Link a clinician",
)
def care_join(request: HttpRequest, payload: JoinIn) -> Status[Any]:
    """Accept a clinician's invitation by its short code: they see the record from
    now on, until it is unlinked."""
    person = own_person(request)
    link = services_care.invite_accept(
        person=person, now=timezone.now(), code=payload.code
    )
    return Status(201, care.link_out(link))


@router.delete(
    "/me/care/links/{link_id}",
    response={200: ClinicianOut, **REFUSED},
    summary="Unlink a clinician",
)
def care_leave(request: HttpRequest, link_id: int) -> dict[str, Any]:
    """End a link at any time: the clinician no longer sees the record."""
    person = own_person(request)
    link = services_care.link_end(
        person=person, link_id=link_id, by=caller(request), now=timezone.now()
    )
    return care.link_out(link)


@router.post(
    "/me/clearance",
    response={201: ClearanceOut, **REFUSED},
    summary="Record a clearance yourself",
)
def self_clearance(request: HttpRequest, payload: SelfClearanceIn) -> Status[Any]:
    """For someone without a linked clinician: a clinician seen elsewhere cleared
    you today. It is marked self-reported everywhere it is shown; with a linked
    clinician, they clear you from their own account instead."""
    person = own_person(request)
    row = services.clearance_record(
        person=person, date=timezone.localdate(), by=payload.by
    )
    return Status(201, care.clearance_out(row))


@router.get(
    "/me/measures",
    response={200: MeasuresOut, 409: Problem},
    summary="My outcome measures",
)
def measures(request: HttpRequest) -> dict[str, Any]:
    """Every answer, the change since the first one, and the occasion due."""
    person = own_person(request)
    return measures_of(person)


def measures_of(person: Person) -> dict[str, Any]:
    changes = selectors_measures.measure_changes(person)
    return {
        "answers": [outcome_out(r) for r in selectors.outcome_list(person)],
        "changes": [
            {
                "measure": c.measure,
                "baseline_date": c.baseline.date,
                "baseline": c.baseline.score,
                "latest_date": c.latest.date,
                "latest": c.latest.score,
                "meaningful": c.meaningful,
                "improved": c.improved,
                "sentence": c.sentence,
            }
            for c in changes
        ],
        "due": selectors_measures.measures_open(person, timezone.localdate()),
    }


@router.post(
    "/me/measures",
    response={201: list[OutcomeOut], **REFUSED},
    summary="Answer outcome measures",
)
def measures_record(request: HttpRequest, payload: MeasuresIn) -> Status[Any]:
    """Today's answers, keyed by measure (``outcomes_record``): all stored or none."""
    person = own_person(request)
    if not payload.answers:
        raise ValidationProblem("answers", "give at least one measure's answers")
    rows = services.outcomes_record(
        person=person, day=timezone.localdate(), answers=payload.answers
    )
    return Status(201, [outcome_out(r) for r in rows])
