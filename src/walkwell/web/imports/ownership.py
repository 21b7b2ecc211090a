"""What the imports keep for a person, for the exports and the account deletion.

Daily steps travel in every export; the import runs are this server's log of
reading files, so they stay behind (the walks they found are exported). When an
account is deleted, its uploaded files waiting on disk and its queued import
tasks go with it.
"""

from __future__ import annotations

import shutil

from django.contrib.auth.models import User
from django_tasks_db.models import DBTaskResult

from walkwell.web.imports.models import DailySteps, ImportRun
from walkwell.web.program import records
from walkwell.web.program.models import Person


def _forget_uploads(user: User, person: Person | None) -> None:
    if person is None:
        return
    # here, not at the top: this module is imported when Django starts, and the
    # import services bring every file reader with them
    from walkwell.web.imports.services import (  # noqa: PLC0415
        import_run_task,
        upload_folder,
    )

    path = f"{import_run_task.func.__module__}.{import_run_task.func.__qualname__}"
    runs = list(ImportRun.objects.filter(person=person).values_list("pk", flat=True))
    for run in ImportRun.objects.filter(pk__in=runs):
        shutil.rmtree(upload_folder(run), ignore_errors=True)
    queued = DBTaskResult.objects.filter(task_path=path)
    for result in queued.iterator(chunk_size=500):
        if any(arg in runs for arg in result.args_kwargs.get("args", [])):
            result.delete()


def register() -> None:
    records.register(
        records.RecordType(
            "daily_steps",
            DailySteps,
            "person",
            "Daily step counts, one a day per device or app that counted them.",
        )
    )
    records.register_cleanup(_forget_uploads)
