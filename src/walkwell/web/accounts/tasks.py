"""Reminder emails as a recurring task on the task workers (django-tasks, the
database backend).

``remind_task`` runs one pass (``reminders.remind_pass``) and queues the next
one ``WALKWELL_REMIND_EVERY_MINUTES`` later, unless one is already waiting: the
chain keeps itself going on whichever worker is free, and a second chain started
by mistake folds into the first at its next turn. ``walkwell remind --schedule``
starts the chain (it, too, queues nothing when a pass is already waiting). Passes
run twice or at once on two workers send each reminder once: the ``ReminderSent``
table's unique constraint decides.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from walkwell.web.accounts import reminders

QUEUE = "default"


def _waiting() -> bool:
    """A reminder pass is already queued (not yet started)."""
    func = remind_task.func
    return DBTaskResult.objects.filter(
        task_path=f"{func.__module__}.{func.__qualname__}", status="READY"
    ).exists()


def schedule(*, now: dt.datetime) -> bool:
    """Queue the next pass; False (and nothing queued) when one already waits."""
    if _waiting():
        return False
    every = dt.timedelta(minutes=settings.WALKWELL_REMIND_EVERY_MINUTES)
    remind_task.using(run_after=now + every).enqueue()
    return True


@task(queue_name=QUEUE)
def remind_task() -> int:
    """One reminder pass, then the next one queued (even when this one failed,
    so one bad pass does not end the chain); returns how many were sent."""
    now = timezone.now()
    try:
        return reminders.remind_pass(now=now).sent
    finally:
        schedule(now=now)
