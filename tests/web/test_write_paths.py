"""One write path per record: walks, screenings, enrolment and input limits.

Where two paths used to disagree, the one production used is what these tests pin.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cast import START
from walkwell.core import limits
from walkwell.core import model as core
from walkwell.core.simulate import ScenarioError, _Walk, parse_scenario
from walkwell.web.pages.forms import WalkForm
from walkwell.web.program import selectors, services
from walkwell.web.program.models import AuditEvent, AuditLog, Person, Screening, Walk
from walkwell.web.program.services_walks import _walk_fields, recorded_before

STARTED = dt.datetime.combine(START, dt.time(8, 0), tzinfo=dt.UTC)


def _import(person: Person, content_hash: str, device: str, activity: str) -> Walk:
    return services.walk_log(
        person=person,
        date=START,
        minutes=13,
        source="import",
        imported=services.ImportedMetrics(
            content_hash=content_hash,
            started_at=STARTED,
            device=device,
            device_activity_id=activity,
        ),
    )


def test_a_recording_with_the_same_content_is_a_duplicate_whatever_its_activity_id(
    alice: Person,
) -> None:
    """The importer's rule: the same content hash is the same walk, even when the
    device's activity id differs (an export and a single file of one walk)."""
    first = _import(alice, "a" * 64, "Garmin", "1")
    with pytest.raises(services.DuplicateWalk) as again:
        _import(alice, "a" * 64, "Garmin", "2")
    assert again.value.walk == first
    assert alice.walks.count() == 1


def test_the_same_activity_of_the_same_device_is_a_duplicate_whatever_its_content(
    alice: Person,
) -> None:
    first = _import(alice, "a" * 64, "Garmin", "7")
    with pytest.raises(services.DuplicateWalk) as again:
        _import(alice, "b" * 64, "Garmin", "7")
    assert again.value.walk == first
    other_device = _import(alice, "c" * 64, "Polar", "7")
    assert alice.walks.count() == 2
    assert other_device.device == "Polar"


def test_an_imported_walk_can_leave_the_plan_check_to_its_caller(
    alice: Person,
) -> None:
    """The importer checks the plan once per file, not once per walk."""
    Person.objects.filter(pk=alice.pk).update(last_decision="")
    alice.refresh_from_db()
    for n, check_plan in enumerate([False, True]):
        services.walk_log(
            person=alice,
            date=START,
            minutes=13,
            source="import",
            imported=services.ImportedMetrics(content_hash=f"{n}" * 64),
            check_plan=check_plan,
        )
        alice.refresh_from_db()
        assert alice.last_decision == ("continue" if check_plan else "")


def _waiting(db: None) -> Person:
    user = User.objects.create_user(username="eve")
    return services.enrollment_record(
        user=user, day=START, baseline_minutes=None, red_flags=["fever"]
    )


def test_a_fresh_screening_is_audited_and_the_plan_checked(db: None) -> None:
    eve = _waiting(db)
    AuditLog.objects.all().delete()
    eve.last_decision = ""
    eve.save(update_fields=["last_decision"])
    services.screening_record(
        person=eve, day=START + dt.timedelta(days=1), red_flags=["fever"]
    )
    reported = AuditLog.objects.get(event_type=AuditEvent.RED_FLAG_REPORTED)
    assert reported.detail == {
        "where": "screening",
        "signs": ["fever"],
        "tiers": {"fever": "urgent"},
    }
    eve.refresh_from_db()
    assert eve.last_decision == core.Decision.SEEK_URGENT_CARE
    assert AuditLog.objects.filter(event_type=AuditEvent.DECISION_ESCALATED).exists()


def test_enrolment_starts_screens_again_or_completes_by_where_the_person_is(
    db: None,
) -> None:
    eve = _waiting(db)
    assert eve.baseline_minutes is None
    again = services.enrollment_record(
        user=eve.user, day=START, baseline_minutes=None, red_flags=["fever"]
    )
    assert again == eve
    assert Screening.objects.filter(person=eve).count() == 2
    services.clearance_record(person=eve, date=START + dt.timedelta(days=2))
    done = services.enrollment_record(
        user=eve.user, day=START + dt.timedelta(days=2), baseline_minutes=10
    )
    assert (done.baseline_minutes, done.start) == (10, START + dt.timedelta(days=2))
    with pytest.raises(limits.ValidationProblem, match="already started on"):
        services.enrollment_record(user=eve.user, day=START, baseline_minutes=20)
    assert Person.objects.get().baseline_minutes == 10


def _scenario(**walk: object) -> dict[str, object]:
    return {
        "start": START.isoformat(),
        "profile": {"baseline_minutes": 12},
        "events": [{"type": "walk", "date": START.isoformat(), "minutes": 10, **walk}],
    }


def test_the_simulator_refuses_a_daypack_the_services_refuse(alice: Person) -> None:
    """The services' 20 kg cap is the one limit; the simulator used to allow 50."""
    heavy = limits.MAX_LOAD_KG + 1
    with pytest.raises(ScenarioError, match=r"events\[0\]\.load_kg"):
        parse_scenario(_scenario(load_kg=heavy))
    with pytest.raises(limits.ValidationProblem, match="load_kg"):
        services.walk_log(person=alice, date=START, minutes=10, load_kg=heavy)
    _, history = parse_scenario(_scenario(load_kg=limits.MAX_LOAD_KG))
    assert history.walks[0].load_kg == limits.MAX_LOAD_KG


@pytest.mark.parametrize(("unit", "most"), [("kg", "20"), ("lb", "44.1")])
def test_the_walk_form_offers_the_same_daypack_limit(
    alice: Person, unit: str, most: str
) -> None:
    protocol = selectors.protocol_for(alice)
    answers = {"date": START.isoformat(), "minutes": "10", "terrain": "flat"}
    answers |= {"pace": "easy", "cooldown": "yes"}
    answers |= {f"sign_{s.id}": "no" for s in protocol.warning_signs}
    fits = WalkForm(protocol, unit, {**answers, "load": most})
    assert fits.is_valid(), fits.errors
    assert fits.load_kg() == pytest.approx(limits.MAX_LOAD_KG, abs=0.01)
    too_heavy = WalkForm(protocol, unit, {**answers, "load": str(float(most) + 1)})
    assert not too_heavy.is_valid()
    assert "load" in too_heavy.errors


def test_every_store_of_a_walk_has_the_core_walks_fields(alice: Person) -> None:
    """The core dataclass is the one definition: the service checks each field,
    the table stores each, and the simulator's JSON has each."""
    checked = _walk_fields(
        selectors.protocol_for(alice),
        alice,
        **{f.name: f.default for f in dataclasses.fields(core.Walk)}
        | {"date": START, "minutes": 10.0, "footwear": None},
    )
    assert tuple(checked) == core.WALK_FIELDS
    stored = {f.name for f in Walk._meta.get_fields()}
    assert set(core.WALK_FIELDS) <= stored
    # "at": the time of day an event was recorded, which orders a day's events
    assert set(_Walk.model_fields) == {*core.WALK_FIELDS, "type", "at"}


def test_a_recording_stored_before_is_looked_up_in_its_unique_indexes(
    alice: Person,
) -> None:
    """Each imported walk asks whether it was stored before: that must be an index
    lookup, not a read of every walk the person has (years of daily walks)."""
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's query plan (PostgreSQL plans tiny tables apart)")
    stored = _import(alice, "b" * 64, "Garmin", "7")
    metrics = services.ImportedMetrics(
        content_hash="b" * 64, device="Garmin", device_activity_id="7"
    )
    with CaptureQueriesContext(connection) as queries:
        assert recorded_before(alice, metrics) == stored
    (query,) = [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {query}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "walk_unique_content_per_person" in plan
    assert "walk_unique_device_activity_per_person" in plan
    assert "walk_person_date" not in plan
