"""The nightly review on the task queue (django-tasks, database backend).

``review_all_task`` fans out: it queues one ``review_batch_task`` per ``BATCH``
people, in id order. Each batch stores the review (decision and attention reasons)
of its people for the day (``services_review.reviews_refresh``). Every task is
idempotent: a batch run twice, or a fan-out queued twice (a retry, a second
cron line), stores the same rows and skips people already reviewed for that day
at their current history version. Any number of workers on any number of
machines (``walkwell worker``) take the batches; a worker killed mid-batch loses
nothing that the next run does not redo.

``walkwell review --all`` queues the fan-out from cron or a systemd timer;
``--now`` runs it in the calling process instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django_tasks import task

from walkwell.web.program import services_review
from walkwell.web.program.models import Person

BATCH = 250  # a batch of a year's data each takes a few seconds on one core
QUEUE = "default"


def batches(size: int = BATCH) -> Iterator[list[int]]:
    """Every enrolled person's id, in batches of ``size``, in id order."""
    ids = Person.objects.order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=2000):
        batch.append(pk)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@task(queue_name=QUEUE)
def review_batch_task(person_ids: list[int], day: str) -> int:
    """Review these people for ``day`` (ISO date); returns how many were stored."""
    return services_review.reviews_refresh(
        person_ids=person_ids, today=dt.date.fromisoformat(day)
    )


def review_enqueue(*, today: dt.date, size: int = BATCH) -> int:
    """Queue one batch task per ``size`` people; returns how many were queued."""
    queued = 0
    for ids in batches(size):
        review_batch_task.enqueue(ids, today.isoformat())
        queued += 1
    return queued


@task(queue_name=QUEUE)
def review_all_task(day: str, size: int = BATCH) -> int:
    """The nightly fan-out, itself a task: queues the batches for ``day``."""
    return review_enqueue(today=dt.date.fromisoformat(day), size=size)


def review_now(*, today: dt.date, size: int = BATCH) -> int:
    """The whole review in this process, batch after batch; returns people stored."""
    return sum(
        services_review.reviews_refresh(person_ids=ids, today=today)
        for ids in batches(size)
    )
