"""Services store only valid data, all or nothing, and audit clinical changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from tests.cast import START
from walkwell.core import limits
from walkwell.core import model as core
from walkwell.core.instruments import START_BACK_ITEMS
from walkwell.core.limits import ValidationProblem
from walkwell.web.program import audit, selectors, services
from walkwell.web.program.models import (
    AuditEvent,
    AuditLog,
    CheckIn,
    Clearance,
    OutcomeResponse,
    Person,
    Screening,
    Walk,
)

DAY = dt.timedelta(days=1)


def events(person: Person) -> list[str]:
    return list(
        AuditLog.objects.filter(person=person)
        .order_by("id")
        .values_list("event_type", flat=True)
    )


def test_enrolment_stores_the_screening_and_audits_it(alice: Person) -> None:
    assert alice.protocol_id == "seed-3-phase"
    assert alice.baseline_minutes == 12
    assert list(alice.screenings.values_list("red_flags", flat=True)) == [[]]
    assert events(alice) == [AuditEvent.ENROLLED]
    assert alice.last_phase == 1
    assert alice.last_decision == "continue"


def test_pain_eleven_is_refused_and_nothing_is_stored(alice: Person) -> None:
    with pytest.raises(ValidationProblem) as refused:
        services.walk_log(person=alice, date=START, minutes=12, pain_during=11)
    assert refused.value.field == "pain_during"
    assert "0 to 10" in refused.value.message
    assert Walk.objects.count() == 0
    assert events(alice) == [AuditEvent.ENROLLED]


def test_negative_minutes_are_refused(alice: Person) -> None:
    with pytest.raises(ValidationProblem, match="minutes: must be from 0 to 600"):
        services.walk_log(person=alice, date=START, minutes=-1)
    assert Walk.objects.count() == 0


def test_unknown_warning_sign_is_refused_naming_the_allowed_ones(alice: Person) -> None:
    with pytest.raises(ValidationProblem) as refused:
        services.checkin_record(
            person=alice,
            date=START,
            pain=2,
            morning_stiffness_min=10,
            sleep=6,
            focus=6,
            warning_signs=["sore_toe"],
        )
    assert refused.value.field == "warning_sign"
    assert "radiating_leg_pain" in refused.value.message
    assert CheckIn.objects.count() == 0


def test_a_walk_before_the_start_is_kept_as_history_but_not_with_a_sign(
    alice: Person,
) -> None:
    """A walk before the start is stored (history, never judged); a warning sign
    on it is refused, naming the field, and nothing is stored."""
    with pytest.raises(ValidationProblem, match="kept as history") as refused:
        services.walk_log(
            person=alice,
            date=START - DAY,
            minutes=10,
            warning_signs=["radiating_leg_pain"],
        )
    assert refused.value.field == "warning_sign"
    assert Walk.objects.count() == 0
    services.walk_log(person=alice, date=START - DAY, minutes=10)
    assert Walk.objects.get().date == START - DAY


def test_a_second_checkin_on_one_day_is_refused_and_the_first_kept(
    alice: Person,
) -> None:
    services.checkin_record(
        person=alice,
        date=START + DAY,
        pain=2,
        morning_stiffness_min=10,
        sleep=6,
        focus=6,
    )
    with pytest.raises(ValidationProblem, match="already recorded"):
        services.checkin_record(
            person=alice,
            date=START + DAY,
            pain=9,
            morning_stiffness_min=90,
            sleep=1,
            focus=1,
        )
    assert list(CheckIn.objects.values_list("pain", flat=True)) == [2]


def test_the_database_refuses_pain_eleven_even_past_the_services(alice: Person) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Walk.objects.create(person=alice, date=START, minutes=10, pain_after=11)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            person=alice, date=START, pain=3, morning_stiffness_min=5, sleep=11, focus=5
        )
    assert Walk.objects.count() == 0
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "limit"),
    [("load_kg", limits.MAX_LOAD_KG), ("minutes", limits.MAX_WALK_MINUTES)],
)
def test_the_database_refuses_a_walk_past_the_input_limits(
    alice: Person, field: str, limit: float
) -> None:
    over: dict[str, Any] = {"date": START, "minutes": 10.0, field: limit + 0.5}
    with pytest.raises(ValidationProblem) as refused:
        services.walk_log(person=alice, **over)
    assert refused.value.field == field
    with pytest.raises(IntegrityError), transaction.atomic():
        Walk.objects.create(person=alice, **over)
    Walk.objects.create(person=alice, **{**over, field: limit})
    assert Walk.objects.count() == 1


def test_the_database_refuses_a_baseline_below_the_input_limits(alice: Person) -> None:
    alice.baseline_minutes = limits.MIN_BASELINE_MINUTES / 2
    with pytest.raises(IntegrityError), transaction.atomic():
        alice.save()


def test_a_red_flag_at_checkin_is_audited_with_the_escalation(alice: Person) -> None:
    services.checkin_record(
        person=alice,
        date=START + DAY,
        pain=4,
        morning_stiffness_min=30,
        sleep=5,
        focus=5,
        red_flags=["saddle_numbness"],
    )
    flagged = AuditLog.objects.get(event_type=AuditEvent.RED_FLAG_REPORTED)
    assert flagged.detail["signs"] == ["saddle_numbness"]
    assert flagged.detail["tiers"] == {"saddle_numbness": "emergency"}
    escalated = AuditLog.objects.get(event_type=AuditEvent.DECISION_ESCALATED)
    assert escalated.detail["decision"] == "seek_urgent_care"
    assert escalated.detail["previous"] == "continue"
    plan = selectors.plan_for(alice, START + 2 * DAY)
    assert plan.decision == core.Decision.SEEK_URGENT_CARE
    assert plan.prescription.sessions == 0


def test_a_clearance_is_audited_and_lets_the_plan_move_on(alice: Person) -> None:
    services.walk_log(
        person=alice,
        date=START,
        minutes=12,
        pain_before=3,
        pain_during=4,
        pain_after=4,
        warning_signs=["radiating_leg_pain"],
    )
    assert selectors.plan_for(alice, START + DAY).decision == core.Decision.STOP_CONSULT
    services.clearance_record(person=alice, date=START + 2 * DAY, by="Dr Patel")
    assert Clearance.objects.get().by == "Dr Patel"
    after = selectors.plan_for(alice, START + 2 * DAY)
    assert after.decision not in audit.ESCALATIONS
    assert events(alice) == [
        AuditEvent.ENROLLED,
        AuditEvent.WARNING_SIGN_REPORTED,
        AuditEvent.DECISION_ESCALATED,
        AuditEvent.CLEARANCE_RECORDED,
    ]


def test_an_urgent_screening_answer_stops_onboarding_until_a_clearance(
    db: None,
) -> None:
    person = services.enrollment_start(
        user=User.objects.create_user(username="alice"),
        start=START,
        baseline_minutes=None,
        red_flags=["fever"],
    )
    assert selectors.plan_for(person, START).decision == core.Decision.SEEK_URGENT_CARE
    with pytest.raises(ValidationProblem) as refused:
        services.enrollment_complete(
            person=person, day=START + DAY, baseline_minutes=10
        )
    assert refused.value.field == "clearance"
    assert Person.objects.get().baseline_minutes is None

    services.clearance_record(person=person, date=START + 2 * DAY)
    services.enrollment_complete(
        person=person, day=START + 2 * DAY, baseline_minutes=10
    )
    person.refresh_from_db()
    assert (person.start, person.baseline_minutes) == (START + 2 * DAY, 10)
    plan = selectors.plan_for(person, START + 2 * DAY)
    assert plan.decision == core.Decision.CONTINUE
    assert plan.prescription.sessions > 0
    assert Screening.objects.count() == 2


def test_enrolling_twice_is_refused(alice: Person) -> None:
    with pytest.raises(ValidationProblem, match="already enrolled"):
        services.enrollment_start(user=alice.user, start=START, baseline_minutes=20)
    assert Person.objects.get().baseline_minutes == 12


def test_an_imported_walk_is_stored_once_and_gets_its_pain_later(alice: Person) -> None:
    metrics = services.ImportedMetrics(
        content_hash="a" * 64,
        started_at=dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC),
        duration_s=780.0,
        distance_m=1100.0,
        device="Garmin Forerunner 255",
    )
    walk = services.walk_log(
        person=alice, date=START, minutes=13, source="import", imported=metrics
    )
    with pytest.raises(services.DuplicateWalk) as again:
        services.walk_log(
            person=alice, date=START, minutes=13, source="import", imported=metrics
        )
    assert again.value.walk == walk
    services.walk_pain_record(walk=walk, pain_before=2, pain_during=3, pain_after=2)
    stored = Walk.objects.get()
    assert (stored.pain_before, stored.pain_during, stored.pain_after) == (2, 3, 2)
    assert (stored.distance_m, stored.source) == (1100.0, "import")


def test_history_is_frozen_dataclasses_in_date_order(alice: Person) -> None:
    services.walk_log(person=alice, date=START + DAY, minutes=11, terrain="grass")
    services.walk_log(person=alice, date=START, minutes=12, footwear="supportive")
    history = selectors.history_for(alice)
    assert [w.date for w in history.walks] == [START, START + DAY]
    assert history.walks[0].footwear == core.Footwear.SUPPORTIVE
    assert history.walks[1].terrain == core.Terrain.GRASS
    assert history.profile == core.Profile(baseline_minutes=12)
    assert (history.screening.date, history.screening.red_flags) == (START, frozenset())
    assert history.rescreens == ()


def test_history_reads_every_field_of_every_record(alice: Person) -> None:
    services.walk_log(
        person=alice,
        date=START,
        minutes=9,
        terrain="grass",
        pace="moderate",
        pain_before=2,
        pain_during=3,
        warning_signs=["numbness_tingling"],
        cooldown=False,
        load_kg=1.5,
        footwear="worn_out",
    )
    services.walk_log(person=alice, date=START + DAY, minutes=4)
    services.checkin_record(
        person=alice,
        date=START + DAY,
        pain=4,
        morning_stiffness_min=15,
        sleep=6,
        focus=5,
        warning_signs=["radiating_leg_pain"],
        red_flags=["fever"],
    )
    services.clearance_record(person=alice, date=START + 2 * DAY, by="GP")
    assert _timeless(selectors.history_for(alice)) == core.History(
        protocol_id=alice.protocol_id,
        start=START,
        profile=core.Profile(baseline_minutes=12),
        screening=core.Screening(date=START),
        walks=(
            core.Walk(
                date=START,
                minutes=9,
                terrain=core.Terrain.GRASS,
                pace=core.Pace.MODERATE,
                pain_before=2,
                pain_during=3,
                warning_signs=frozenset({"numbness_tingling"}),
                cooldown=False,
                load_kg=1.5,
                footwear=core.Footwear.WORN_OUT,
            ),
            core.Walk(date=START + DAY, minutes=4),
        ),
        checkins=(
            core.CheckIn(
                date=START + DAY,
                pain=4,
                morning_stiffness_min=15,
                sleep=6,
                focus=5,
                warning_signs=frozenset({"radiating_leg_pain"}),
                red_flags=frozenset({"fever"}),
            ),
        ),
        clearances=(core.Clearance(date=START + 2 * DAY, by="GP"),),
    )


def _timeless(history: core.History) -> core.History:
    """The history without the rows' recording times (each row has its own)."""
    times = [
        *(w.at for w in history.walks),
        *(c.at for c in history.checkins),
        *(c.at for c in history.clearances),
        *(r.at for r in history.symptoms),
        *(r.at for r in history.rescreens),
    ]
    assert None not in times
    return replace(
        history,
        screening=replace(history.screening, at=None),
        walks=tuple(replace(w, at=None) for w in history.walks),
        checkins=tuple(replace(c, at=None) for c in history.checkins),
        clearances=tuple(replace(c, at=None) for c in history.clearances),
        symptoms=tuple(replace(r, at=None) for r in history.symptoms),
        rescreens=tuple(replace(r, at=None) for r in history.rescreens),
    )


def test_history_of_someone_stopped_at_screening(db: None) -> None:
    user = User.objects.create_user(username="eve")
    eve = services.enrollment_start(
        user=user, start=START, baseline_minutes=None, red_flags=["saddle_numbness"]
    )
    minimum = selectors.protocol_for(eve).start.min_minutes
    assert _timeless(selectors.history_for(eve)) == core.History(
        protocol_id=eve.protocol_id,
        start=START,
        profile=core.Profile(baseline_minutes=float(minimum)),
        screening=core.Screening(date=START, red_flags=frozenset({"saddle_numbness"})),
    )


def test_following_the_plan_for_two_weeks_audits_the_move_to_phase_two(
    alice: Person,
) -> None:
    day = START
    while alice.last_phase == 1 and day < START + 40 * DAY:
        follow_the_plan(alice, day)
        day += DAY
        alice.refresh_from_db()
    changed = AuditLog.objects.get(event_type=AuditEvent.PHASE_CHANGED)
    assert changed.detail == {"previous": 1, "phase": 2}
    assert changed.day is not None
    assert changed.day >= START + 14 * DAY


def follow_the_plan(person: Person, day: dt.date) -> None:
    """Walk what is prescribed with low, settling pain, and check in the next day."""
    plan = selectors.plan_for(person, day)
    services.checkin_record(
        person=person, date=day, pain=2, morning_stiffness_min=10, sleep=7, focus=7
    )
    for _ in range(plan.prescription.sessions):
        services.walk_log(
            person=person,
            date=day,
            minutes=plan.prescription.minutes_per_session,
            pain_before=2,
            pain_during=2,
            pain_after=2,
        )


def test_a_data_export_leaves_an_audit_row(alice: Person) -> None:
    audit.export_record(person=alice, what="csv", day=START)
    exported = AuditLog.objects.get(event_type=AuditEvent.DATA_EXPORTED)
    assert exported.detail == {"what": "csv"}


def test_outcome_questionnaires_are_scored_when_stored(alice: Person) -> None:
    all_scored = {item.id: sorted(item.scored)[0] for item in START_BACK_ITEMS}
    start_back, psfs = services.outcomes_record(
        person=alice,
        day=START,
        answers={
            "start_back": all_scored,
            "psfs": {"putting on socks": 4, "walking to the shop": 7},
        },
    )
    assert (start_back.score, start_back.result["risk"]) == (9, "high")
    assert psfs.score == 5.5
    assert [o.measure_id for o in selectors.outcome_list(alice)] == [
        "psfs",
        "start_back",
    ]


def test_an_unscorable_questionnaire_is_refused_naming_the_item(alice: Person) -> None:
    with pytest.raises(ValidationProblem) as refused:
        services.outcomes_record(
            person=alice,
            day=START,
            answers={"pain_nrs": {"rating": 3}, "psfs": {"stairs": 12}},
        )
    assert refused.value.field == "psfs"
    assert "psfs.stairs" in refused.value.message
    assert OutcomeResponse.objects.count() == 0  # the pain rating is not kept either
