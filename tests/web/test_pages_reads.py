"""The pages' fast history read gives exactly what the program's selector gives."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from tests.web.pages_support import person
from walkwell.web.pages import selectors_extra
from walkwell.web.program import selectors, services

START = dt.date(2026, 3, 2)


def test_the_fast_history_equals_the_programs(db: None) -> None:
    alice = person("alice", START, baseline=9)
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
    services.walk_log(person=alice, date=START + dt.timedelta(days=1), minutes=4)
    services.checkin_record(
        person=alice,
        date=START + dt.timedelta(days=1),
        pain=4,
        morning_stiffness_min=15,
        sleep=6,
        focus=5,
        warning_signs=["radiating_leg_pain"],
        red_flags=["fever"],
    )
    services.clearance_record(person=alice, date=START + dt.timedelta(days=2), by="GP")
    assert selectors_extra.history_for(alice) == selectors.history_for(alice)


def test_the_fast_history_of_someone_stopped_at_screening(db: None) -> None:
    user = User.objects.create_user(username="eve")
    eve = services.enrollment_start(
        user=user, start=START, baseline_minutes=None, red_flags=["saddle_numbness"]
    )
    assert selectors_extra.history_for(eve) == selectors.history_for(eve)
