"""Background work: an uploaded import runs on the task worker, not the request.

The worker is ``walkwell manage db_worker`` (django-tasks with its database
backend); a large Apple Health export can take minutes and never holds a page.
"""

from __future__ import annotations

from django_tasks import task

from walkwell.web.imports import services


@task()
def import_run_task(run_id: int) -> None:
    """Import the files of upload ``run_id`` and keep its progress counters current."""
    services.run_execute(run_id=run_id)
