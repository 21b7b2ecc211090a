"""The nightly review reads less and decides the same.

Its batches read each history without the recording times of the walks and
check-ins that reported nothing (``histories_for(..., every_time=False)``; walks
are built by position, which ``test_services`` holds to every field). After any
sequence of writes, the plan folded from that reading equals the plan folded
from the full history, and the review a batch stores holds the engine's plan for
the day (its decision and phase) and the same attention reasons as a review of
the fully read history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cast import START
from tests.web.test_stored_timeline import DAYS, play, writes
from walkwell.web.program import selectors, services, services_review
from walkwell.web.program.models import Person, PersonReview

REVIEWED = START + dt.timedelta(days=DAYS)


def test_the_review_reads_times_only_for_rows_with_signs(alice: Person) -> None:
    services.walk_log(person=alice, date=START, minutes=10)
    services.walk_log(
        person=alice, date=START, minutes=5, warning_signs=["radiating_leg_pain"]
    )
    services.checkin_record(
        person=alice,
        date=START + dt.timedelta(days=1),
        pain=3,
        morning_stiffness_min=10,
        sleep=6,
        focus=6,
    )
    lean = selectors.histories_for([alice], every_time=False)[alice.pk]
    full = selectors.history_for(alice)
    assert [w.at is None for w in lean.walks] == [True, False]
    assert [c.at for c in lean.checkins] == [None]
    assert lean.walks[1].at == full.walks[1].at
    assert all(w.at is not None for w in full.walks)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(writes, min_size=1, max_size=12))
def test_the_stored_review_holds_the_engines_plan_after_any_writes(
    db: None, steps: list[dict[str, Any]]
) -> None:
    with transaction.atomic():
        person = play("reviewed", steps)
        lean = selectors.histories_for([person], every_time=False)[person.pk]
        full = selectors.history_for(person)
        for day in (START + dt.timedelta(days=n) for n in range(0, DAYS + 1, 3)):
            assert selectors.plan_fresh(person, day, lean) == selectors.plan_fresh(
                person, day, full
            )
        PersonReview.objects.filter(person=person).delete()
        assert services_review.reviews_refresh(person_ids=[person.pk], today=REVIEWED)
        stored = PersonReview.objects.get(person=person)
        plan = selectors.plan_fresh(person, REVIEWED, full)
        assert (stored.decision, stored.phase) == (plan.decision.value, plan.phase)
        read_fully = services_review.review_of(person, REVIEWED)
        assert (stored.rank, stored.reason, stored.codes, stored.since) == (
            read_fully.rank,
            read_fully.reason,
            read_fully.codes,
            read_fully.since,
        )
        assert stored.reasons == read_fully.reasons
        transaction.set_rollback(True)
