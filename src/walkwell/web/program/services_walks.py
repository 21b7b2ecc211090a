"""Walks: one write path for typed, timed and imported walks.

Pages, the CLI and the importer all store a walk through ``walk_log``, so one rule
keeps a walk from being stored twice: a form sent again carries the same
idempotency key and gets the walk stored the first time; a recording imported
again has the same content hash (or the same device's activity id) and is refused
as a ``DuplicateWalk`` naming the stored walk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from walkwell.core import limits
from walkwell.core.limits import ValidationProblem
from walkwell.core.protocol import Protocol
from walkwell.core.shape import SHAPE_POINTS, RouteShape
from walkwell.web.program import audit, days, selectors, versions
from walkwell.web.program.models import Person, Walk, WalkShape, WalkSource


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
    # The route's shape for drawing it (bounded: ``core.shape.SHAPE_POINTS`` points).
    shape: RouteShape | None = None


class DuplicateWalk(ValidationProblem):
    """The same recording was imported before; ``walk`` is the stored one."""

    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        super().__init__(
            "content_hash", f"this recording is already stored (walk of {walk.date})"
        )


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
    check_plan: bool = True,
    today: dt.date | None = None,
) -> Walk:
    """Record a walk (typed, timed or imported) and audit what it changed.

    A walk sent again with the same ``idempotency_key`` (a form posted twice) is
    not stored again: the walk stored the first time is returned. An ``imported``
    recording stored before raises ``DuplicateWalk``. ``check_plan=False`` leaves
    the engine's check (``audit.plan_checked``) to a caller storing many walks at
    once, which checks once when it is done. ``today`` is the person's day
    (``days.come``): a walk dated after it is refused.
    """
    days.come("date", date, today)
    key = limits.idempotency_key(idempotency_key, what="walk")
    earlier = person.walks.filter(idempotency_key=key).first() if key else None
    if earlier is not None:
        return earlier
    fields = _walk_fields(
        selectors.protocol_for(person),
        person,
        date=date,
        minutes=limits.walk_minutes(
            minutes, unit="minutes of moving time" if imported else "minutes"
        ),
        terrain=terrain,
        pace=pace,
        pain_before=pain_before,
        pain_during=pain_during,
        pain_after=pain_after,
        warning_signs=warning_signs,
        cooldown=cooldown,
        load_kg=load_kg,
        footwear=footwear,
    )
    walk = Walk(person=person, source=_source(source), idempotency_key=key, **fields)
    if imported is not None:
        _take_imported(walk, imported)
    stored = _stored_once(walk, imported)
    if stored is not walk:
        return stored
    if imported is not None and imported.shape is not None:
        _shape_store(walk, imported.shape)
    audit.signs_reported(
        person, date, "walk", red_flags=[], warning_signs=fields["warning_signs"]
    )
    if check_plan:
        audit.plan_checked(person)
    else:
        versions.bump(person)  # the caller's own check comes later
    return walk


def _walk_fields(protocol: Protocol, person: Person, **f: Any) -> dict[str, Any]:
    """Every field of ``core.Walk`` checked, as it is stored.

    A walk dated before the program's start is stored as history: never judged,
    never counted in the plan's figures. So it may not carry a warning sign (a
    sign belongs to a day of the plan, where it stops it).
    """
    signs = limits.signs(protocol, "warning_sign", f["warning_signs"], red_flags=False)
    if f["date"] < person.start and signs:
        raise ValidationProblem(
            "warning_sign",
            f"a walk before your program's start ({person.start}) is kept as history "
            "and is not judged; report a sign you have now with today's check-in or "
            "as a symptom",
        )
    checked: dict[str, Any] = {}
    for spec in limits.WALK_SPEC:  # in core.Walk's order: the first problem is named
        if spec.kind == "signs":
            checked[spec.name] = signs
        elif spec.kind == "yes_no":
            checked[spec.name] = bool(f[spec.name])
        else:
            checked[spec.name] = limits.walk_value(spec, f[spec.name])
    return checked


def _source(source: str) -> str:
    if source not in WalkSource.values:
        raise ValidationProblem(
            "source", f"must be one of {', '.join(WalkSource.values)} (got {source!r})"
        )
    return source


def _take_imported(walk: Walk, m: ImportedMetrics) -> None:
    """Copy what the device recorded; refuse a recording stored before."""
    if m.started_at is not None and m.started_at.tzinfo is None:
        raise ValidationProblem("started_at", "must carry a time zone")
    earlier = recorded_before(walk.person, m)
    if earlier is not None:
        raise DuplicateWalk(earlier)
    for f in dataclasses.fields(m):
        if f.name != "shape":
            setattr(walk, f.name, getattr(m, f.name))


def _shape_store(walk: Walk, shape: RouteShape) -> WalkShape:
    if len(shape.points) > SHAPE_POINTS:
        raise ValidationProblem(
            "shape", f"may keep at most {SHAPE_POINTS} points (got {len(shape.points)})"
        )
    return WalkShape.objects.create(
        walk=walk,
        points=[p.row() for p in shape.points],
        south=shape.south,
        west=shape.west,
        north=shape.north,
        east=shape.east,
        intervals=shape.intervals,
    )


def recorded_before(person: Person, m: ImportedMetrics) -> Walk | None:
    """The walk already stored from the same recording: the same content hash, or
    the same device's activity id (an export and a single file of one walk)."""
    same = Q()
    # Each side repeats its unique index's condition, and the query is unordered,
    # so that the database looks each one up in its index instead of reading
    # every walk of the person (a partial index is used only when the query
    # implies its condition; an ORDER BY made SQLite scan by date).
    if m.content_hash:
        same |= Q(content_hash=m.content_hash) & ~Q(content_hash="")
    if m.device_activity_id:
        same |= Q(device=m.device, device_activity_id=m.device_activity_id) & ~Q(
            device_activity_id=""
        )
    if not same:
        return None
    found = list(person.walks.filter(same).order_by()[:2])  # one per index at most
    return min(found, key=lambda walk: walk.pk, default=None)


def _stored_once(walk: Walk, imported: ImportedMetrics | None) -> Walk:
    """Save ``walk``, or find the walk another connection stored at the same moment
    (PostgreSQL lets both pass the first look; SQLite's immediate transactions
    never do): the same form's walk is returned, the same recording refused."""
    try:
        with transaction.atomic():
            walk.save()
    except IntegrityError:
        earlier = recorded_before(walk.person, imported) if imported else None
        if earlier is not None:
            raise DuplicateWalk(earlier) from None
        other = walk.person.walks.filter(idempotency_key=walk.idempotency_key)
        if not walk.idempotency_key or not other.exists():
            raise
        return other.get()
    return walk


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
