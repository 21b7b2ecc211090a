"""Writes: each validates everything first, then stores and audits in one transaction.

After every write the engine's plan is computed again; when the phase changes or the
decision escalates, an audit row is written in the same transaction (as Zulip's
``do_*`` actions write ``RealmAuditLog``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from walkwell.core import instruments, limits
from walkwell.core import model as core
from walkwell.core.limits import ValidationProblem
from walkwell.core.protocol import (
    DEFAULT_PROTOCOL,
    Protocol,
    ProtocolError,
    load_protocol,
)
from walkwell.web.program import audit, selectors
from walkwell.web.program.models import (
    PROTOCOL_NAME_MAX,
    AuditEvent,
    CheckIn,
    Clearance,
    OutcomeResponse,
    Person,
    Screening,
    Walk,
    WalkSource,
)

MAX_WALK_MINUTES = 600.0
MAX_LOAD_KG = 20.0


def _protocol(protocol_id: str) -> Protocol:
    try:
        return load_protocol(protocol_id)
    except ProtocolError as exc:
        raise ValidationProblem("protocol", str(exc).splitlines()[0]) from None


@transaction.atomic
def enrollment_start(
    *,
    user: User,
    start: dt.date,
    baseline_minutes: float | None,
    red_flags: Iterable[str] = (),
    protocol_id: str = DEFAULT_PROTOCOL,
    footwear: str | None = None,
) -> Person:
    """Enrol a person: screening answers first, then the baseline (None when an urgent
    answer ended onboarding; ``enrollment_complete`` adds it after a clearance)."""
    protocol = _protocol(protocol_id)
    flags = limits.signs(protocol, "red_flag", red_flags, red_flags=True)
    baseline = _baseline(baseline_minutes)
    wear = limits.choice("footwear", footwear, core.Footwear) if footwear else ""
    if Person.objects.filter(user=user).exists():
        raise ValidationProblem(
            "person", "is already enrolled; use `enrollment_complete`"
        )
    person = Person.objects.create(
        user=user,
        protocol_id=_protocol_name(protocol_id),
        start=start,
        baseline_minutes=baseline,
        footwear=wear,
    )
    Screening.objects.create(person=person, date=start, red_flags=flags)
    audit.write(
        person,
        AuditEvent.ENROLLED,
        start,
        protocol=protocol.id,
        baseline_minutes=baseline,
    )
    audit.signs_reported(person, start, "screening", red_flags=flags, warning_signs=[])
    audit.plan_checked(person)
    return person


def _protocol_name(name: str) -> str:
    """The name the protocol is loaded by again: a shipped name, or a file's path."""
    if len(name) > PROTOCOL_NAME_MAX:
        raise ValidationProblem(
            "protocol", f"must be at most {PROTOCOL_NAME_MAX} characters long"
        )
    return name


def _baseline(minutes: float | None) -> float | None:
    if minutes is None:
        return None
    return limits.number(
        "baseline_minutes", minutes, low=1, high=MAX_WALK_MINUTES, unit="minutes"
    )


@transaction.atomic
def enrollment_complete(
    *,
    person: Person,
    day: dt.date,
    baseline_minutes: float,
    red_flags: Iterable[str] = (),
) -> Person:
    """Finish an onboarding that an urgent answer stopped, once a clinician has
    cleared the person: screen again, record the baseline, start the plan today."""
    protocol = selectors.protocol_for(person)
    flags = limits.signs(protocol, "red_flag", red_flags, red_flags=True)
    baseline = _baseline(baseline_minutes)
    if person.baseline_minutes is not None:
        raise ValidationProblem("person", f"is already enrolled since {person.start}")
    waiting = selectors.open_red_flags(person)
    if waiting:
        raise ValidationProblem(
            "clearance",
            f"needed first: {', '.join(waiting)} was reported; record a clinician's "
            "clearance before the plan can start",
        )
    limits.not_before("date", day, person.start)
    Person.objects.filter(pk=person.pk).update(start=day, baseline_minutes=baseline)
    person.refresh_from_db()
    Screening.objects.create(person=person, date=day, red_flags=flags)
    audit.write(
        person,
        AuditEvent.ENROLLED,
        day,
        protocol=person.protocol_id,
        baseline_minutes=baseline,
        completed=True,
    )
    audit.signs_reported(person, day, "screening", red_flags=flags, warning_signs=[])
    audit.plan_checked(person)
    return person


def _walk_fields(
    protocol: Protocol, person: Person, day: dt.date, **f: Any
) -> dict[str, Any]:
    """Every walk field checked, in the order a form shows them."""
    return {
        "date": limits.not_before("date", day, person.start),
        "minutes": limits.number(
            "minutes", f["minutes"], low=0, high=MAX_WALK_MINUTES, unit="minutes"
        ),
        "terrain": limits.choice("terrain", f["terrain"], core.Terrain).value,
        "pace": limits.choice("pace", f["pace"], core.Pace).value,
        "pain_before": limits.optional_rating("pain_before", f["pain_before"]),
        "pain_during": limits.optional_rating("pain_during", f["pain_during"]),
        "pain_after": limits.optional_rating("pain_after", f["pain_after"]),
        "warning_signs": limits.signs(
            protocol, "warning_sign", f["warning_signs"], red_flags=False
        ),
        "load_kg": limits.number(
            "load_kg", f["load_kg"], low=0, high=MAX_LOAD_KG, unit="kg"
        ),
        "footwear": (
            limits.choice("footwear", f["footwear"], core.Footwear).value
            if f["footwear"]
            else ""
        ),
    }


@transaction.atomic
def walk_log(
    *,
    person: Person,
    date: dt.date,
    minutes: float,
    terrain: str = "flat",
    pace: str = "easy",
    pain_before: int | None = None,
    pain_during: int | None = None,
    pain_after: int | None = None,
    warning_signs: Iterable[str] = (),
    cooldown: bool = True,
    load_kg: float = 0.0,
    footwear: str | None = None,
    source: str = WalkSource.TYPED,
    imported: ImportedMetrics | None = None,
    idempotency_key: str = "",
) -> Walk:
    """Record a walk (typed, timed or imported) and audit what it changed.

    A walk sent again with the same ``idempotency_key`` (a form posted twice) is
    not stored again: the walk stored the first time is returned.
    """
    key = _idempotency_key(idempotency_key)
    earlier = person.walks.filter(idempotency_key=key).first() if key else None
    if earlier is not None:
        return earlier
    protocol = selectors.protocol_for(person)
    fields = _walk_fields(
        protocol,
        person,
        date,
        minutes=minutes,
        terrain=terrain,
        pace=pace,
        pain_before=pain_before,
        pain_during=pain_during,
        pain_after=pain_after,
        warning_signs=warning_signs,
        load_kg=load_kg,
        footwear=footwear,
    )
    if source not in WalkSource.values:
        raise ValidationProblem(
            "source", f"must be one of {', '.join(WalkSource.values)} (got {source!r})"
        )
    extra = _imported_fields(person, imported) if imported else {}
    walk = Walk(person=person, cooldown=cooldown, source=source, **fields, **extra)
    walk.idempotency_key = key
    stored = _stored_once(walk)
    if stored is not walk:
        return stored
    audit.signs_reported(
        person, date, "walk", red_flags=[], warning_signs=fields["warning_signs"]
    )
    audit.plan_checked(person)
    return walk


IDEMPOTENCY_KEY = re.compile(r"[0-9a-f]{32}")


def _idempotency_key(key: str) -> str:
    if key and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationProblem(
            "idempotency_key",
            "the form's key is damaged; reload the page and send it again",
        )
    return key


def _stored_once(walk: Walk) -> Walk:
    """Save ``walk``, or return the walk another connection stored with its key at
    the same moment (PostgreSQL lets both pass the first look; SQLite's immediate
    transactions never do)."""
    try:
        with transaction.atomic():
            walk.save()
    except IntegrityError:
        other = walk.person.walks.filter(idempotency_key=walk.idempotency_key)
        if not walk.idempotency_key or not other.exists():
            raise
        return other.get()
    return walk


@dataclass(frozen=True, slots=True)
class ImportedMetrics:
    """What a device recorded about a walk; the hash and activity id dedupe imports."""

    content_hash: str
    started_at: dt.datetime | None = None
    duration_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    device: str = ""
    device_activity_id: str = ""


class DuplicateWalk(ValidationProblem):
    """The same recording was imported before; ``walk`` is the stored one."""

    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        super().__init__(
            "content_hash", f"this recording is already stored (walk of {walk.date})"
        )


def _imported_fields(person: Person, m: ImportedMetrics) -> dict[str, Any]:
    if m.started_at is not None and m.started_at.tzinfo is None:
        raise ValidationProblem("started_at", "must carry a time zone")
    same = person.walks.filter(content_hash=m.content_hash) if m.content_hash else None
    if m.device_activity_id:
        same = person.walks.filter(
            device=m.device, device_activity_id=m.device_activity_id
        )
    earlier = same.first() if same is not None else None
    if earlier is not None:
        raise DuplicateWalk(earlier)
    return {name: getattr(m, name) for name in m.__slots__}


@transaction.atomic
def walk_pain_record(
    *,
    walk: Walk,
    pain_before: int | None,
    pain_during: int | None,
    pain_after: int | None,
    warning_signs: Iterable[str] = (),
    cooldown: bool | None = None,
) -> Walk:
    """Add the pain answers to a walk stored without them (an imported one).

    ``cooldown`` None leaves what is stored; warning signs are added to any stored.
    """
    person = walk.person
    protocol = selectors.protocol_for(person)
    walk.pain_before = limits.optional_rating("pain_before", pain_before)
    walk.pain_during = limits.optional_rating("pain_during", pain_during)
    walk.pain_after = limits.optional_rating("pain_after", pain_after)
    signs = limits.signs(protocol, "warning_sign", warning_signs, red_flags=False)
    walk.warning_signs = list(dict.fromkeys([*walk.warning_signs, *signs]))
    if cooldown is not None:
        walk.cooldown = bool(cooldown)
    walk.save(
        update_fields=[
            "pain_before",
            "pain_during",
            "pain_after",
            "warning_signs",
            "cooldown",
        ]
    )
    audit.signs_reported(person, walk.date, "walk", red_flags=[], warning_signs=signs)
    audit.plan_checked(person)
    return walk


@transaction.atomic
def checkin_record(
    *,
    person: Person,
    date: dt.date,
    pain: int,
    morning_stiffness_min: int,
    sleep: int,
    focus: int,
    warning_signs: Iterable[str] = (),
    red_flags: Iterable[str] = (),
) -> CheckIn:
    """Record the morning check (one a day) and audit what it changed."""
    protocol = selectors.protocol_for(person)
    checkin = CheckIn(
        person=person,
        date=limits.not_before("date", date, person.start),
        pain=limits.rating("pain", pain),
        morning_stiffness_min=limits.whole(
            "stiffness_min", morning_stiffness_min, low=0, high=1440, unit="minutes"
        ),
        sleep=limits.rating("sleep", sleep),
        focus=limits.rating("focus", focus),
        warning_signs=limits.signs(
            protocol, "warning_sign", warning_signs, red_flags=False
        ),
        red_flags=limits.signs(protocol, "red_flag", red_flags, red_flags=True),
    )
    already = ValidationProblem("date", f"a check-in for {date} is already recorded")
    if person.checkins.filter(date=date).exists():
        raise already
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        if not person.checkins.filter(date=date).exists():
            raise
        raise already from None  # the same check-in, sent at the same moment
    audit.signs_reported(
        person,
        date,
        "checkin",
        red_flags=checkin.red_flags,
        warning_signs=checkin.warning_signs,
    )
    audit.plan_checked(person)
    return checkin


@transaction.atomic
def clearance_record(
    *, person: Person, date: dt.date, by: str = "clinician"
) -> Clearance:
    """A clinician has seen the person: the plan may move on from an escalation."""
    limits.not_before("date", date, person.start)
    who = by.strip()
    if not who or len(who) > 200:
        raise ValidationProblem("by", "must name who cleared you (1 to 200 characters)")
    clearance = Clearance.objects.create(person=person, date=date, by=who)
    audit.write(person, AuditEvent.CLEARANCE_RECORDED, date, by=who)
    audit.plan_checked(person)
    return clearance


def _score(measure_id: str, answers: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """The score of one questionnaire, and any subscales it reports."""
    if measure_id == "pain_nrs":
        return instruments.score_pain_nrs(answers.get("rating", -1)), {}
    if measure_id == "psfs":
        return instruments.score_psfs(answers), {}
    if measure_id == "start_back":
        result = instruments.score_start_back(answers)
        detail = {"psychosocial": result.psychosocial, "risk": result.risk.value}
        return result.total, detail
    raise ValidationProblem(
        "measure", f"must be one of pain_nrs, psfs, start_back (got {measure_id!r})"
    )


@transaction.atomic
def outcome_record(
    *, person: Person, measure_id: str, date: dt.date, answers: dict[str, Any]
) -> OutcomeResponse:
    """Score and store an outcome questionnaire (pain NRS, PSFS, STarT Back)."""
    limits.not_before("date", date, person.start)
    try:
        score, result = _score(measure_id, answers)
    except (instruments.InstrumentError, TypeError) as exc:
        field, _, message = str(exc).partition(": ")
        raise ValidationProblem(field, message or "cannot be scored") from None
    return OutcomeResponse.objects.create(
        person=person,
        measure_id=measure_id,
        date=date,
        answers=answers,
        score=score,
        result=result,
    )
