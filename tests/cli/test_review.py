"""``walkwell review --all`` and ``walkwell worker``: the nightly review, queued or now."""

from __future__ import annotations

import json

from tests.cli.conftest import Walkwell
from walkwell.web.program.models import PersonReview
from walkwell.web.program.tasks import review_batch_task

DAY = "2026-02-02"


def test_the_review_now_stores_each_person_once_a_day(enrolled: Walkwell) -> None:
    first = enrolled("review", "--all", "--now", "--date", DAY, "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["reviewed"] == 1
    review = PersonReview.objects.get()
    assert review.day.isoformat() == DAY
    assert review.reason == "no_data"  # nothing recorded since the start
    again = enrolled("review", "--all", "--now", "--date", DAY, "--json")
    assert json.loads(again.stdout)["reviewed"] == 0


def test_queued_batches_are_run_by_a_worker(
    transactional_db: None, enrolled: Walkwell
) -> None:
    """The worker runs in this process and closes its database connection when it
    is done, as a real worker does: only a test that commits survives that."""
    queued = enrolled("review", "--all", "--date", DAY)
    assert queued.exit_code == 0, queued.output
    assert "Queued 1 review batch for 2026-02-02" in queued.stdout
    ran = enrolled("worker", "--batch")
    assert ran.exit_code == 0, ran.output
    assert PersonReview.objects.get().day.isoformat() == DAY


def test_a_batch_run_twice_stores_the_same_review(enrolled: Walkwell) -> None:
    ids = list(PersonReview.objects.values_list("person_id", flat=True))
    assert review_batch_task.call(ids, DAY) == 1
    stored = list(PersonReview.objects.values("day", "reason", "history_version"))
    assert review_batch_task.call(ids, DAY) == 0
    assert (
        list(PersonReview.objects.values("day", "reason", "history_version")) == stored
    )


def test_the_review_asks_for_all(enrolled: Walkwell) -> None:
    result = enrolled("review")
    assert result.exit_code != 0
    assert "--all" in result.stderr
