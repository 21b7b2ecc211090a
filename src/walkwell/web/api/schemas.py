"""What the API reads and writes. Dates and times are ISO 8601 (``2026-03-14``,
``2026-03-14T09:30:00Z``); ranges and known ids are checked by the services, which
name the field they refuse."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from ninja import Field, Schema
from pydantic import Strict

from walkwell.core.model import DayPlan, Reason
from walkwell.web.accounts.models import AccessToken
from walkwell.web.imports.models import ImportRun
from walkwell.web.program.models import CheckIn, OutcomeResponse, Walk
from walkwell.web.program.presenters import SEVERITY, headline

T = TypeVar("T")
# A 0-10 answer or a count of minutes: a whole number, as the forms take it (true,
# 3.5 or "3" are refused, not read as 1 or 3).
Whole = Annotated[int, Strict()]


class Problem(Schema):
    """A refusal: what is wrong, and the field it is about (null if none)."""

    message: str
    field: str | None = None


# A page number past this is refused (422) before it reaches the database, where
# its offset would overflow a 64-bit integer; no list is anywhere near as long.
MAX_PAGE = 100_000


class PageQuery(Schema):
    page: int = Field(
        1, ge=1, le=MAX_PAGE, description=f"Which page, from 1 to {MAX_PAGE:,}."
    )
    page_size: int = Field(20, ge=1, le=100, description="Items a page, 1 to 100.")


class Page(Schema, Generic[T]):
    """One page of a list, newest first unless said otherwise."""

    items: list[T]
    count: int = Field(description="Items in the whole list.")
    page: int
    page_size: int
    pages: int


def page_of(items: Any, query: PageQuery) -> dict[str, Any]:
    """Slice a list or a query set; a page past the end is empty, not an error."""
    count = (
        items.count()
        if hasattr(items, "count") and not isinstance(items, list)
        else len(items)
    )
    first = (query.page - 1) * query.page_size
    return {
        "items": list(items[first : first + query.page_size]),
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": max(1, -(-count // query.page_size)),
    }


# --- the plan -----------------------------------------------------------------


class ReasonOut(Schema):
    rule: str
    source: str
    text: str


class IntervalOut(Schema):
    pace: str
    minutes: int


class PrescriptionOut(Schema):
    sessions: int
    minutes_per_session: int
    total_minutes: int
    terrain: list[str]
    pace: str
    breathing: str
    cues: list[str]
    intervals: list[IntervalOut]
    cooldown: str
    cooldown_minutes: int
    max_load_kg: float


class PlanOut(Schema):
    """What the plan says for one day, and why."""

    date: dt.date
    phase: int | None
    decision: str
    headline: str
    severity: str = Field(description="urgent, danger, warn or ok")
    escalated: bool = Field(description="stopped for safety until a clearance")
    reasons: list[ReasonOut]
    warnings: list[ReasonOut]
    action: ReasonOut | None
    prescription: PrescriptionOut
    measures_due: list[str]
    flare_plan: str
    lesson: str


def reason_out(r: Reason) -> dict[str, str]:
    return {"rule": r.rule, "source": r.source, "text": r.text}


def plan_out(plan: DayPlan) -> dict[str, Any]:
    rx = plan.prescription
    return {
        "date": plan.date,
        "phase": plan.phase,
        "decision": plan.decision.value,
        "headline": headline(plan),
        "severity": SEVERITY.get(plan.decision, "ok"),
        "escalated": plan.decision.is_escalation,
        "reasons": [reason_out(r) for r in plan.reasons],
        "warnings": [reason_out(r) for r in plan.warnings],
        "action": reason_out(plan.action) if plan.action else None,
        "prescription": {
            "sessions": rx.sessions,
            "minutes_per_session": rx.minutes_per_session,
            "total_minutes": rx.total_minutes,
            "terrain": [t.value for t in rx.terrain],
            "pace": rx.pace.value,
            "breathing": rx.breathing,
            "cues": list(rx.cues),
            "intervals": [{"pace": p, "minutes": m} for p, m in rx.intervals],
            "cooldown": rx.cooldown,
            "cooldown_minutes": rx.cooldown_minutes,
            "max_load_kg": rx.max_load_kg,
        },
        "measures_due": list(plan.measures_due),
        "flare_plan": plan.flare_plan,
        "lesson": plan.lesson,
    }


class DayOut(Schema):
    """One day of the history: the decision and its reasons."""

    date: dt.date
    phase: int | None
    decision: str
    reasons: list[ReasonOut]
    warnings: list[ReasonOut]
    sessions: int
    minutes_per_session: int


def day_out(plan: DayPlan) -> dict[str, Any]:
    return {
        "date": plan.date,
        "phase": plan.phase,
        "decision": plan.decision.value,
        "reasons": [reason_out(r) for r in plan.reasons],
        "warnings": [reason_out(r) for r in plan.warnings],
        "sessions": plan.prescription.sessions,
        "minutes_per_session": plan.prescription.minutes_per_session,
    }


# --- walks, check-ins, symptoms ------------------------------------------------


def _once_key(what: str) -> Any:
    """The optional ``idempotency_key`` of a write stored once (``core.limits``)."""
    return Field(
        "",
        description="32 lowercase hexadecimal characters (0-9, a-f), for example "
        f"a UUID's hex, or empty; a {what} sent again with the same key is stored "
        f"once (the first {what} is returned, with its id, and nothing is stored "
        "or audited again).",
    )


class WalkIn(Schema):
    date: dt.date | None = Field(None, description="The day walked; default today.")
    minutes: float
    terrain: str = "flat"
    pace: str = "easy"
    pain_before: Whole | None = None
    pain_during: Whole | None = None
    pain_after: Whole | None = None
    warning_signs: list[str] = Field(default_factory=list)
    cooldown: bool = True
    load_kg: float = 0.0
    footwear: str | None = None
    idempotency_key: str = _once_key("walk")


class WalkOut(Schema):
    id: int
    date: dt.date
    minutes: float
    terrain: str
    pace: str
    pain_before: int | None
    pain_during: int | None
    pain_after: int | None
    warning_signs: list[str]
    cooldown: bool
    load_kg: float
    footwear: str
    source: str
    started_at: dt.datetime | None
    duration_s: float | None
    distance_m: float | None
    elevation_gain_m: float | None
    device: str
    created_at: dt.datetime

    @staticmethod
    def of(walk: Walk) -> WalkOut:
        return WalkOut.model_validate(walk, from_attributes=True)


class CheckInIn(Schema):
    date: dt.date | None = Field(None, description="The morning; default today.")
    pain: Whole
    stiffness_min: Whole = Field(description="Minutes of morning stiffness.")
    sleep: Whole
    focus: Whole
    warning_signs: list[str] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)


class CheckInOut(Schema):
    date: dt.date
    pain: int
    stiffness_min: int
    sleep: int
    focus: int
    warning_signs: list[str]
    red_flags: list[str]
    created_at: dt.datetime


def checkin_out(c: CheckIn) -> dict[str, Any]:
    return {
        "date": c.date,
        "pain": c.pain,
        "stiffness_min": c.morning_stiffness_min,
        "sleep": c.sleep,
        "focus": c.focus,
        "warning_signs": c.warning_signs,
        "red_flags": c.red_flags,
        "created_at": c.created_at,
    }


class SymptomIn(Schema):
    date: dt.date | None = Field(None, description="The day; default today.")
    warning_signs: list[str] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)


class SymptomOut(Schema):
    stored: list[str]
    already: list[str] = Field(
        description="Reported before that day: not stored again."
    )
    plan: PlanOut


# --- outcome measures ------------------------------------------------------------


class MeasuresIn(Schema):
    """Answers keyed by measure: ``pain_nrs`` {rating}, ``psfs`` {activity: 0-10},
    ``start_back`` {the nine items}; all stored, or none."""

    answers: dict[str, dict[str, Any]]


class OutcomeOut(Schema):
    id: int
    measure: str
    date: dt.date
    score: float | None
    result: dict[str, Any]


def outcome_out(row: OutcomeResponse) -> dict[str, Any]:
    return {
        "id": row.pk,
        "measure": row.measure_id,
        "date": row.date,
        "score": row.score,
        "result": row.result if isinstance(row.result, dict) else {},
    }


class ChangeOut(Schema):
    measure: str
    baseline_date: dt.date
    baseline: float
    latest_date: dt.date
    latest: float
    meaningful: bool
    improved: bool
    sentence: str


class MeasuresOut(Schema):
    answers: list[OutcomeOut]
    changes: list[ChangeOut]
    due: dt.date | None = Field(description="The occasion waiting for answers, if any.")


# --- imports ---------------------------------------------------------------------


class EntryOut(Schema):
    file: str
    member: str | None
    reason: str
    start: dt.datetime | None
    distance_m: float | None
    moving_s: float | None
    walk_id: int | None


class ReportOut(Schema):
    imported: list[EntryOut]
    duplicates: list[EntryOut]
    skipped: list[EntryOut]
    refused: list[EntryOut]
    step_days: int


class ImportRunOut(Schema):
    id: int
    status: str = Field(description="queued, running, finished or failed")
    done: bool
    files_total: int
    files_done: int
    current_file: str
    imported: int
    duplicates: int
    skipped: int
    refused: int
    step_days: int
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    report: ReportOut | None = None


def run_out(run: ImportRun, report: Any = None) -> dict[str, Any]:
    fields = [
        "status",
        "files_total",
        "files_done",
        "current_file",
        "imported",
        "duplicates",
        "skipped",
        "refused",
        "step_days",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]
    data: dict[str, Any] = {name: getattr(run, name) for name in fields}
    data.update(id=run.pk, done=run.is_done, report=report)
    return data


# --- tokens and health -------------------------------------------------------------


class SignIn(Schema):
    username: str
    password: str
    name: str = Field(description="What the token is for, such as “phone”.")
    code: str | None = Field(
        default=None,
        description=(
            "The code from the account's authenticator app (or a backup code): "
            "needed by clinicians, admins and anyone with two-factor sign-in on."
        ),
    )


class SignInName(Schema):
    name: str = Field(description="What the token is for, such as “phone”.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(
        description="The secret's first characters, to tell tokens apart."
    )
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret: shown this once, never again.")


def token_out(token: AccessToken, secret: str = "") -> dict[str, Any]:
    names = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    data: dict[str, Any] = {n: getattr(token, n) for n in names}
    data["id"] = token.pk
    if secret:
        data["token"] = secret
    return data


class Health(Schema):
    status: str
    database: str


# --- the clinician's side --------------------------------------------------------


class PatientRowOut(Schema):
    """One row of the clinician's list: why the patient needs attention now."""

    id: int
    username: str
    name: str
    reason: str = Field(
        description="The most urgent reason's code (urgent_red_flag, warning_sign, "
        "pause_reassess, flare, measures_worse, adherence_falling, no_data, "
        "measures_due), not_reviewed, or empty for nothing to look at."
    )
    label: str
    text: str
    rank: int = Field(description="0 is the most urgent")
    reasons: list[dict[str, Any]] = Field(
        description="Every reason: code, text, source, since."
    )
    since: dt.date | None
    decision: str
    phase: int | None
    reviewed_on: dt.date | None


class PatientQuery(PageQuery):
    q: str = Field("", description="Search names and usernames.")
    reason: str = Field("", description="Only rows with this reason among theirs.")


class ReportQuery(Schema):
    from_: dt.date | None = Field(
        None,
        alias="from",
        description="The report's first day, YYYY-MM-DD (default: twelve weeks "
        "before `to`, or the start of the plan).",
    )
    to: dt.date | None = Field(
        None, description="The report's last day, YYYY-MM-DD (default: today)."
    )


class ExportQuery(Schema):
    format: Literal["json", "csv", "fhir"] = Field(
        "json",
        description="json (versioned, restorable; docs/export.schema.json), csv "
        "(a zip of one file per record type) or fhir (an R4 Bundle).",
    )


class ClearanceOut(Schema):
    date: dt.date
    by: str
    self_reported: bool


class NoteOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime


class ActionOut(Schema):
    id: int
    kind: str
    actor: str
    day: dt.date
    reason: str
    detail: dict[str, Any]
    created_at: dt.datetime


class AuditOut(Schema):
    event: str
    day: dt.date | None
    occurred_at: dt.datetime
    detail: dict[str, Any]


class AccessOut(Schema):
    who: str
    role: str
    what: str
    at: dt.datetime
    allowed: bool
    outcome: str = Field(
        description="What came of it, when allowed: read; for an action, done, "
        "refused (nothing stored: the request was not valid), repeat (the same "
        "request sent again: done once) or not_done; empty on rows from before "
        "outcomes were kept."
    )
    break_glass: bool


class PatientOut(Schema):
    """A patient's record as their clinician sees it."""

    id: int
    name: str
    protocol: str
    start: dt.date
    today: PlanOut
    recent_days: list[DayOut]
    walks: list[WalkOut]
    checkins: list[CheckInOut]
    measures: MeasuresOut
    clearances: list[ClearanceOut]
    notes: list[NoteOut]
    actions: list[ActionOut]
    audit: list[AuditOut]
    access: list[AccessOut]


class ClinicianOut(Schema):
    id: int = Field(description="The link's number, to unlink.")
    name: str
    since: dt.datetime


class JoinIn(Schema):
    code: str = Field(description="The short code from the clinician's invitation.")


class SelfClearanceIn(Schema):
    by: str = Field(description="Who cleared you (a clinician seen outside WalkWell).")


class InviteIn(Schema):
    label: str = Field("", description="A note for yourself: whom it is for.")


class InviteOut(Schema):
    """A new invitation: the link and the code are shown this once."""

    id: int
    code: str
    link: str
    expires_at: dt.datetime


class CareOut(Schema):
    """The patient's care team, what it did, and who read the record (latest 20)."""

    clinicians: list[ClinicianOut]
    notes: list[NoteOut]
    actions: list[ActionOut]
    clearances: list[ClearanceOut]
    access: list[AccessOut]


class ClearIn(Schema):
    reason: str = ""
    idempotency_key: str = _once_key("clearance")


class DecisionIn(Schema):
    kind: str = Field(description="confirm, hold, step_back or advance")
    reason: str
    until: dt.date | None = Field(
        default=None,
        description="a hold's last day (ISO 8601); without it the hold lasts the "
        "protocol's hold_days (one review period)",
    )
    idempotency_key: str = _once_key("decision")


class ThresholdIn(Schema):
    threshold: str = Field(
        description="a threshold the patient's protocol lets a clinician adjust, "
        "e.g. tolerance.flare_rise"
    )
    value: float = Field(description="within the bounds the protocol declares")
    reason: str
    idempotency_key: str = _once_key("threshold")


class ProtocolIn(Schema):
    protocol: str
    reason: str
    idempotency_key: str = _once_key("program change")


class NoteIn(Schema):
    text: str
    idempotency_key: str = _once_key("note")


class BreakGlassIn(Schema):
    reason: str


class BreakGlassOut(Schema):
    person: int
    reason: str
    started_at: dt.datetime
    expires_at: dt.datetime


class TodayOut(Schema):
    plan: PlanOut
    walks_today: list[WalkOut]
    sessions_left: int
    checked_in: bool
    needs_baseline: bool
    clinician_notes: list[NoteOut] = Field(description="The latest three notes.")
    clinician_actions: list[ActionOut] = Field(
        description="What the care team did to the plan this past week."
    )
