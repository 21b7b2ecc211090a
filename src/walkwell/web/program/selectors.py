"""Reads: rows become the core's frozen dataclasses once, here, at the boundary."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import caches
from django.db.models import Case, DateTimeField, F, Q, TextField, Value, When
from django.db.models.functions import Cast

import walkwell
from walkwell.core import engine, safety
from walkwell.core import model as core
from walkwell.core.baseline import BaselineSuggestion, before_start, suggest_baseline
from walkwell.core.limits import ValidationProblem
from walkwell.core.lookback import Course
from walkwell.core.protocol import (
    DEFAULT_PROTOCOL,
    Protocol,
    load_protocol,
    protocol_stamp,
)
from walkwell.web.program import models


def person_for(user: User) -> models.Person | None:
    return models.Person.objects.filter(user=user).first()


def person_for_username(username: str) -> models.Person | None:
    return models.Person.objects.filter(user__username=username).first()


def protocol_for(person: models.Person) -> Protocol:
    return load_protocol(person.protocol_id)


def protocol_for_user(user: User | AnonymousUser) -> Protocol:
    """The person's own protocol; the default one for someone not enrolled yet."""
    person = person_for(user) if user.is_authenticated else None
    return protocol_for(person) if person else load_protocol(DEFAULT_PROTOCOL)


def _footwear(value: str | None) -> core.Footwear | None:
    return core.Footwear(value) if value else None


# Walks and check-ins are read as plain row tuples, not model instances: a year of
# data loads in a fraction of the time.
_CHECKIN_FIELDS = (
    "date",
    "pain",
    "morning_stiffness_min",
    "sleep",
    "focus",
    "warning_signs",
    "red_flags",
    "recurrence",
    "created_at",
)


_WALK_ROW = (
    *("signs_text" if f == "warning_signs" else f for f in core.WALK_FIELDS),
    "created_at",
)
_CHECKIN_ROW = tuple(
    {"warning_signs": "signs_text", "red_flags": "flags_text"}.get(f, f)
    for f in _CHECKIN_FIELDS
)
_SIGNS_AT = core.WALK_FIELDS.index("warning_signs")
_NO_SIGNS: frozenset[str] = frozenset()


def _signs(text: str | None) -> frozenset[str]:
    if not text or text == "[]":
        return _NO_SIGNS
    return frozenset(json.loads(text))


_TERRAIN_AT = core.WALK_FIELDS.index("terrain")
_PACE_AT = core.WALK_FIELDS.index("pace")
_FOOTWEAR_AT = core.WALK_FIELDS.index("footwear")
_TERRAINS = {t.value: t for t in core.Terrain}
_PACES = {p.value: p for p in core.Pace}
_FOOTWEARS = {f.value: f for f in core.Footwear}


def _walk_row(r: tuple[Any, ...]) -> core.Walk:
    """A walk row (``core.WALK_FIELDS``, then ``at``, when it was recorded, which
    orders its signs against a clearance recorded the same day).

    What ``Walk.from_plain`` makes of the same values, built by position: a
    year's walks are read for every person of a nightly batch, and the plain
    dictionary and enum calls were most of that reading
    (``test_services`` checks every field read back)."""
    values = list(r)
    values[_TERRAIN_AT] = _TERRAINS[values[_TERRAIN_AT]]
    values[_PACE_AT] = _PACES[values[_PACE_AT]]
    values[_SIGNS_AT] = _signs(values[_SIGNS_AT])
    wear = values[_FOOTWEAR_AT]
    values[_FOOTWEAR_AT] = _FOOTWEARS[wear] if wear else None
    return core.Walk(*values)


def _checkin_row(r: tuple[Any, ...]) -> core.CheckIn:
    return core.CheckIn(
        date=r[0],
        pain=r[1],
        morning_stiffness_min=r[2],
        sleep=r[3],
        focus=r[4],
        warning_signs=_signs(r[5]),
        red_flags=_signs(r[6]),
        recurrence=r[7],
        at=r[8],
    )


def _walks(person: models.Person) -> tuple[core.Walk, ...]:
    """Every walk, those before the start included, in date order."""
    rows = (
        person.walks.annotate(signs_text=Cast("warning_signs", TextField()))
        .order_by("date", "id")
        .values_list(*_WALK_ROW)
    )
    return tuple(_walk_row(r) for r in rows)


def walks_before_start(
    person: models.Person, start: dt.date | None = None
) -> tuple[core.Walk, ...]:
    """The walks dated before the program's start (or ``start``): history, never
    judged."""
    rows = (
        person.walks.filter(date__lt=start or person.start)
        .order_by("date", "id")
        .values_list(*core.WALK_FIELDS)
    )
    return tuple(
        core.Walk.from_plain(dict(zip(core.WALK_FIELDS, r, strict=True))) for r in rows
    )


def baseline_suggestion(
    person: models.Person, start: dt.date | None = None
) -> BaselineSuggestion | None:
    """The starting baseline the walks before the start suggest (None: too few).
    ``start``: the day the plan will start, when onboarding finishes later than
    the enrolment (after a clearance the start moves to that day)."""
    first = start or person.start
    return suggest_baseline(
        protocol_for(person), walks_before_start(person, first), first
    )


def usual_morning(person: models.Person) -> core.Morning | None:
    """The usual morning given at onboarding, when all four answers were given."""
    values = (
        person.usual_pain,
        person.usual_stiffness_min,
        person.usual_sleep,
        person.usual_focus,
    )
    if any(v is None for v in values):
        return None
    pain, stiffness, sleep, focus = (float(v or 0) for v in values)
    return core.Morning(
        pain=pain, morning_stiffness_min=stiffness, sleep=sleep, focus=focus
    )


def _checkins(
    person: models.Person,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[core.CheckIn, ...]:
    found = person.checkins.annotate(
        signs_text=Cast("warning_signs", TextField()),
        flags_text=Cast("red_flags", TextField()),
    )
    if start is not None:
        found = found.filter(date__gte=start)
    if end is not None:
        found = found.filter(date__lte=end)
    rows = found.order_by("date").values_list(*_CHECKIN_ROW)
    return tuple(_checkin_row(r) for r in rows)


def _screenings_of(
    person: models.Person, rows: list[tuple[Any, ...]]
) -> tuple[core.Screening, tuple[core.Screening, ...]]:
    """The screening the plan starts from, and the re-screens after it.

    ``rows``: (date, red_flags, created_at) in date and id order. The first is the
    first one on the start day: onboarding's, or the one that completed it after a
    clearance (which also moved the start). Every later one on or after the start
    is a re-screen, ordered by when it was recorded.
    """
    found = [
        core.Screening(date=d, red_flags=frozenset(flags), at=at)
        for d, flags, at in rows
        if d >= person.start
    ]
    if not found or found[0].date != person.start:
        return core.Screening(date=person.start), tuple(found)
    return found[0], tuple(found[1:])


def _screenings(
    person: models.Person,
) -> tuple[core.Screening, tuple[core.Screening, ...]]:
    rows = list(
        person.screenings.order_by("date", "id").values_list(
            "date", "red_flags", "created_at"
        )
    )
    return _screenings_of(person, rows)


def open_red_flags(person: models.Person) -> list[str]:
    """Red flags answered at the latest screening that reported any, when no
    clearance was recorded after it (a clean screening alone does not count)."""
    row = (
        person.screenings.exclude(red_flags=[])
        .order_by("-date", "-created_at", "-id")
        .first()
    )
    if row is None:
        return []
    later = person.clearances.filter(date__gte=row.date, created_at__gte=row.created_at)
    if later.exists():
        return []
    return list(row.red_flags)


def history_for(person: models.Person) -> core.History:
    """Everything the engine needs about this person, in date order."""
    return histories_for([person])[person.pk]


def _engine_history(person: models.Person) -> core.History:
    """``history_for`` with the recording times only where the engine reads
    them (``histories_for``'s ``every_time=False``): what a fold is given."""
    return histories_for([person], every_time=False)[person.pk]


def _by_person(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows whose first value is a person's id, grouped by it (order kept)."""
    return {
        pk: [r[1:] for r in group] for pk, group in groupby(rows, key=itemgetter(0))
    }


def _when_signs(*texts: str) -> Case:
    """A row's recording time only when it reported a sign or flag (else NULL)."""
    quiet = Q(**dict.fromkeys(texts, "[]"))
    return Case(
        When(quiet, then=Value(None)),
        default=F("created_at"),
        output_field=DateTimeField(),
    )


def histories_for(
    people: Sequence[models.Person], *, every_time: bool = True
) -> dict[int, core.History]:
    """``history_for`` of many people at once: six queries, whatever their number
    (the nightly review reads its batches this way).

    ``every_time=False`` (the nightly review): a walk's or check-in's recording
    time (``at``) is read only for a row that reported a sign or flag, the one
    case the engine orders by it (``daystate.safety_by_day``); the others get
    None. Converting a year's ~730 timestamps was a third of a batch's reading,
    and the plans are the same (``tests/web/test_review_reading.py``).
    """
    ids = [p.pk for p in people]
    # The signs are read as text and parsed only when there are any: most rows
    # hold "[]", and a year of rows is 730 JSON parses a person otherwise.
    walk_at = F("created_at") if every_time else _when_signs("signs_text")
    walks = _by_person(
        models.Walk.objects.filter(person_id__in=ids)
        .annotate(signs_text=Cast("warning_signs", TextField()), row_at=walk_at)
        .order_by("person_id", "date", "id")
        .values_list("person_id", *_WALK_ROW[:-1], "row_at")
    )
    checkin_at = (
        F("created_at") if every_time else _when_signs("signs_text", "flags_text")
    )
    checkins = _by_person(
        models.CheckIn.objects.filter(person_id__in=ids)
        .annotate(
            signs_text=Cast("warning_signs", TextField()),
            flags_text=Cast("red_flags", TextField()),
        )
        .annotate(row_at=checkin_at)
        .order_by("person_id", "date")
        .values_list("person_id", *_CHECKIN_ROW[:-1], "row_at")
    )
    clearances = _by_person(
        models.Clearance.objects.filter(person_id__in=ids)
        .order_by("person_id", "date", "id")
        .values_list("person_id", "date", "by", "created_at", "self_reported")
    )
    symptoms = _by_person(
        models.SymptomReport.objects.filter(person_id__in=ids)
        .order_by("person_id", "date", "id")
        .values_list("person_id", "date", "warning_signs", "red_flags", "created_at")
    )
    screenings = _by_person(
        models.Screening.objects.filter(person_id__in=ids)
        .order_by("person_id", "date", "id")
        .values_list("person_id", "date", "red_flags", "created_at")
    )
    directives = _by_person(
        models.ClinicianAction.objects.filter(
            person_id__in=ids, kind__in=DIRECTIVE_KINDS
        )
        .order_by("person_id", "day", "created_at", "id")
        .values_list("person_id", *_DIRECTIVE_ROW)
    )
    return {
        p.pk: _history(
            p,
            walks=walks.get(p.pk, []),
            checkins=checkins.get(p.pk, []),
            clearances=clearances.get(p.pk, []),
            symptoms=symptoms.get(p.pk, []),
            screenings=screenings.get(p.pk, []),
            directives=directives.get(p.pk, []),
        )
        for p in people
    }


def _history(
    person: models.Person,
    *,
    walks: list[tuple[Any, ...]],
    checkins: list[tuple[Any, ...]],
    clearances: list[tuple[Any, ...]],
    symptoms: list[tuple[Any, ...]],
    screenings: list[tuple[Any, ...]],
    directives: list[tuple[Any, ...]],
) -> core.History:
    baseline = person.baseline_minutes
    first, rescreens = _screenings_of(person, screenings)
    if baseline is None:
        # Onboarding stopped at an urgent answer: no walk is prescribed until a
        # clearance, and `init --baseline-minutes` completes it then.
        baseline = float(protocol_for(person).start.min_minutes)
    every_walk = tuple(_walk_row(r) for r in walks)
    return core.History(
        protocol_id=person.protocol_id,
        start=person.start,
        profile=core.Profile(
            baseline_minutes=baseline,
            footwear=_footwear(person.footwear),
            readiness=frozenset(person.readiness),
            go_ahead=person.go_ahead,
            baseline_morning=usual_morning(person),
        ),
        screening=first,
        # a walk before the start is history: kept apart, so no figure counts it
        walks=tuple(w for w in every_walk if w.date >= person.start),
        earlier=before_start(every_walk, person.start),
        checkins=tuple(_checkin_row(r) for r in checkins),
        clearances=tuple(
            core.Clearance(date=d, by=by, at=at, self_reported=self_reported)
            for d, by, at, self_reported in clearances
        ),
        symptoms=tuple(
            core.SymptomReport(
                date=r[0],
                warning_signs=frozenset(r[1]),
                red_flags=frozenset(r[2]),
                at=r[3],
            )
            for r in symptoms
        ),
        rescreens=rescreens,
        directives=tuple(_directive_row(r) for r in directives),
    )


# A clinician's actions the engine folds (hold, step back, advance, a threshold):
# read with the acting account's names, as the clearance names its clinician.
DIRECTIVE_KINDS = tuple(k.value for k in core.DirectiveKind)
_DIRECTIVE_ROW = (
    "day",
    "kind",
    "reason",
    "detail",
    "created_at",
    "actor__first_name",
    "actor__last_name",
    "actor__username",
)


def _directive_row(row: tuple[Any, ...]) -> core.Directive:
    day, kind, reason, detail, at, first, last, username = row
    detail = detail if isinstance(detail, dict) else {}
    until = detail.get("until")
    value = detail.get("value")
    return core.Directive(
        date=day,
        kind=core.DirectiveKind(kind),
        by=f"{first} {last}".strip() or username,
        reason=reason,
        until=dt.date.fromisoformat(until) if until else None,
        threshold=str(detail.get("threshold", "")),
        value=float(value) if value is not None else None,
        at=at,
    )


def signs_reported_on(person: models.Person, day: dt.date) -> set[str]:
    """Every warning sign and red flag already reported for this day, anywhere."""
    found: set[str] = set()
    for signs in person.walks.filter(date=day).values_list("warning_signs", flat=True):
        found.update(signs)
    for row in person.checkins.filter(date=day).values_list(
        "warning_signs", "red_flags"
    ):
        found.update(row[0], row[1])
    for row in person.symptoms.filter(date=day).values_list(
        "warning_signs", "red_flags"
    ):
        found.update(row[0], row[1])
    return found


# --- the stored timeline -----------------------------------------------------------
#
# The engine folds every day since the start; its answers are stored in Django's
# cache (Redis when CACHE_URL names one: shared by every app server and worker)
# under the person's history version, which every write changes
# (``versions.bump``). A read after a write folds once; every later read of the same
# day, range or end, until the next write, is one cache lookup. The key names the
# code's version and the protocol too, so a new release never reads an old answer.

T = TypeVar("T")
TIMELINE_SECONDS = 2 * 24 * 60 * 60  # the day is in every key: two days are plenty


def history_version(person: models.Person) -> str:
    """The person's history version as stored now (an instance read before a
    write elsewhere holds an older one)."""
    found = (
        models.Person.objects.filter(pk=person.pk)
        .values_list("history_version", flat=True)
        .first()
    )
    return str(found if found is not None else person.history_version)


def _key(person: models.Person, what: str, *parts: str) -> str:
    return ":".join(
        (
            "walkwell",
            what,
            walkwell.__version__,
            person.protocol_id,
            protocol_stamp(person.protocol_id),
            str(person.pk),
            history_version(person),
            *parts,
        )
    )


def _stored(key: str, kind: type[T], compute: Callable[[], T]) -> T:
    cache = caches["default"]
    found = cache.get(key)
    if isinstance(found, kind):
        return found
    value = compute()
    cache.set(key, value, TIMELINE_SECONDS)
    return value


def stored(
    person: models.Person,
    what: str,
    parts: Sequence[str],
    kind: type[T],
    compute: Callable[[], T],
) -> T:
    """Anything worked out from the person's history (a page's figures), stored
    like the timeline under the history version: computed once per write.
    ``parts`` name whatever else it depends on (the day, the range shown)."""
    return _stored(_key(person, what, *parts), kind, compute)


def plan_fresh(
    person: models.Person,
    day: dt.date,
    history: core.History | None = None,
    *,
    recent: Sequence[core.DayPlan] = (),
) -> core.DayPlan:
    """What the engine says about this person on this day, replayed now.

    ``recent``, when the caller folded the days up to ``day`` already
    (``recent_plans``), gives the day's plan without a second fold."""
    protocol = protocol_for(person)
    if recent and recent[-1].date == day:
        plan = recent[-1]
    else:
        plan = engine.plan_day(protocol, history or _engine_history(person), day)
    if person.baseline_minutes is None and (
        not plan.decision.is_escalation or safety.awaits_only_rescreen(plan)
    ):
        return engine.waiting_for_baseline(protocol, day)
    return plan


def recent_plans(
    person: models.Person, day: dt.date, days: int, history: core.History
) -> tuple[core.DayPlan, ...]:
    """The engine's explained plans for the ``days`` days up to ``day``, in one
    fold (none before the program's start): the nightly review counts their
    warnings. The last is not waited on a baseline as ``plan_fresh``'s is."""
    start = day - dt.timedelta(days=days - 1)
    return engine.window(protocol_for(person), history, start, day).plans


def plan_for(
    person: models.Person, day: dt.date, *, history: core.History | None = None
) -> core.DayPlan:
    """What the engine says about this person on this day (stored per version).

    ``history``, when the caller has it, saves reading it again on a miss."""
    key = _key(person, "plan", day.isoformat())
    return _stored(key, core.DayPlan, lambda: plan_fresh(person, day, history))


def _check_end(person: models.Person, end: dt.date) -> None:
    if end < person.start:
        raise ValidationProblem(
            "date",
            f"must be on or after the program's start, {person.start.isoformat()}",
        )


def timeline_for(person: models.Person, end: dt.date) -> list[core.DayPlan]:
    """One plan a day, from the program's start to ``end`` (stored per version)."""
    _check_end(person, end)
    key = _key(person, "timeline", end.isoformat())
    return list(
        _stored(
            key,
            tuple,
            lambda: tuple(
                engine.timeline(protocol_for(person), _engine_history(person), end)
            ),
        )
    )


def window_for(person: models.Person, start: dt.date, end: dt.date) -> engine.Window:
    """The plans from ``start`` to ``end``, explained, and every phase change since
    the program's start (stored per version): what Progress shows."""
    _check_end(person, end)
    key = _key(person, "window", start.isoformat(), end.isoformat())
    return _stored(
        key,
        engine.Window,
        lambda: engine.window(
            protocol_for(person), _engine_history(person), start, end
        ),
    )


def course_for(person: models.Person, day: dt.date) -> Course:
    """The plan's first day and the first day of each phase run up to ``day``."""
    if person.baseline_minutes is None:
        return Course(person.start, ())
    changes = window_for(person, day, day).phase_changes
    return Course(changes[0][0] if changes else person.start, changes)


def start_minutes_for(person: models.Person, protocol: Protocol) -> int:
    """The plan's first dose (before a baseline: the first phase's own start)."""
    if person.baseline_minutes is None:
        return protocol.phase(1).minutes_min
    return engine.start_minutes(protocol, person.baseline_minutes)


def walks_between(
    person: models.Person, start: dt.date, end: dt.date
) -> tuple[core.Walk, ...]:
    """The person's walks from ``start`` to ``end``, as the core's values."""
    rows = (
        person.walks.filter(date__gte=start, date__lte=end)
        .order_by("date", "id")
        .values_list(*core.WALK_FIELDS)
    )
    return tuple(
        core.Walk.from_plain(dict(zip(core.WALK_FIELDS, r, strict=True))) for r in rows
    )


def checkins_between(
    person: models.Person, start: dt.date, end: dt.date
) -> tuple[core.CheckIn, ...]:
    return _checkins(person, start, end)


def recurrence_checkins(person: models.Person) -> tuple[core.CheckIn, ...]:
    """The check-ins that reported a recurrence (for the days since the last)."""
    rows = (
        person.checkins.filter(recurrence=True)
        .annotate(
            signs_text=Cast("warning_signs", TextField()),
            flags_text=Cast("red_flags", TextField()),
        )
        .order_by("date")
        .values_list(*_CHECKIN_ROW)
    )
    return tuple(_checkin_row(r) for r in rows)


def look_back_rows(
    person: models.Person, end: dt.date, *, weeks: int
) -> tuple[tuple[core.Walk, ...], tuple[core.CheckIn, ...]]:
    """The walks and check-ins the last ``weeks`` weekly look backs read: those of
    the weeks themselves, and the first check-ins (the person's own start)."""
    since = end - dt.timedelta(weeks=weeks + 1)
    first = _checkins(person, person.start, person.start + dt.timedelta(days=13))
    recent = _checkins(person, since, end)
    checkins = tuple({c.date: c for c in (*first, *recent)}.values())
    return walks_between(person, since, end), checkins


def walk_count(person: models.Person) -> int:
    """Walks since the program's start (those before it are history, not counted)."""
    return person.walks.filter(date__gte=person.start).count()


def walk_list(person: models.Person) -> list[models.Walk]:
    """Walks, newest first."""
    return list(person.walks.order_by("-date", "-id"))


def checkin_list(person: models.Person) -> list[models.CheckIn]:
    return list(person.checkins.order_by("-date"))


def outcome_list(person: models.Person) -> list[models.OutcomeResponse]:
    return list(person.outcomes.order_by("-date", "-id"))


def last_activity_day(person: models.Person) -> dt.date:
    """The latest day any record speaks of (a walk counts for the morning after)."""
    days = [person.start]
    days += [
        w + dt.timedelta(days=1) for w in person.walks.values_list("date", flat=True)
    ]
    days += list(person.checkins.values_list("date", flat=True))
    days += list(person.clearances.values_list("date", flat=True))
    days += list(person.symptoms.values_list("date", flat=True))
    # a clinician's hold, step back, advance or threshold speaks of its day too
    days += list(
        person.clinician_actions.filter(kind__in=DIRECTIVE_KINDS).values_list(
            "day", flat=True
        )
    )
    return max(days)


@dataclass(frozen=True, slots=True)
class Status:
    """Where a person stands on a day: the plan and the week behind it."""

    person: models.Person
    plan: core.DayPlan
    walks: int
    minutes_last_7_days: float
    last_walk: models.Walk | None
    last_checkin: models.CheckIn | None


def status_for(person: models.Person, day: dt.date) -> Status:
    """Walks before the start are history: none of these figures counts them."""
    planned = person.walks.filter(date__gte=person.start)
    week = planned.filter(date__gt=day - dt.timedelta(days=7), date__lte=day)
    return Status(
        person=person,
        plan=plan_for(person, day),
        walks=planned.count(),
        minutes_last_7_days=sum(w.minutes for w in week),
        last_walk=planned.order_by("-date", "-id").first(),
        last_checkin=person.checkins.order_by("-date").first(),
    )


ANSWER_DAYS = 3  # imported walks this many days back (today included) ask for answers


def walks_awaiting_answers(
    person: models.Person, day: dt.date, *, days: int = ANSWER_DAYS
) -> list[models.Walk]:
    """The person's imported walks of the last ``days`` days with no pain answer yet."""
    return list(
        person.walks.filter(
            source=models.WalkSource.IMPORT,
            date__gte=person.start,  # a walk before the start is not judged
            date__gt=day - dt.timedelta(days=days),
            date__lte=day,
            pain_before__isnull=True,
            pain_during__isnull=True,
            pain_after__isnull=True,
        ).order_by("date", "started_at", "id")
    )


def imported_walk_for(person: models.Person, walk_id: int) -> models.Walk | None:
    """One of the person's own imported walks; None for anyone else's."""
    return person.walks.filter(pk=walk_id, source=models.WalkSource.IMPORT).first()


def walk_with_key(person: models.Person, key: str) -> models.Walk | None:
    """The walk stored earlier under this idempotency key, if any ("" has none)."""
    if not key:
        return None
    return person.walks.filter(idempotency_key=key).first()


def walks_on(person: models.Person, day: dt.date) -> list[models.Walk]:
    """The person's walks of one day, in the order they were stored."""
    return list(person.walks.filter(date=day).order_by("id"))


def last_walk(person: models.Person) -> models.Walk | None:
    """The person's latest walk (the latest stored, on the latest day)."""
    return person.walks.order_by("-date", "-id").first()


def checkin_on(person: models.Person, day: dt.date) -> models.CheckIn | None:
    """The person's check-in of one day, if they made one."""
    return person.checkins.filter(date=day).first()


def measures_done_on(person: models.Person, day: dt.date) -> set[str]:
    """The outcome measures the person answered on one day."""
    return set(person.outcomes.filter(date=day).values_list("measure_id", flat=True))


def walk_shapes(walks: list[models.Walk]) -> dict[int, models.WalkShape]:
    """The stored shapes of these walks, by walk id (one query)."""
    ids = [w.pk for w in walks]
    return {s.walk_id: s for s in models.WalkShape.objects.filter(walk_id__in=ids)}


def walk_shape_of(person: models.Person, walk_id: int) -> models.WalkShape | None:
    """One of the person's walks' shape (None for another person's walk)."""
    return (
        models.WalkShape.objects.select_related("walk")
        .filter(walk_id=walk_id, walk__person=person)
        .first()
    )
