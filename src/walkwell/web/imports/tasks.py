"""Background work: an uploaded import runs on the task worker, not the request.

The worker is ``walkwell manage db_worker`` (django-tasks with its database
backend); a large Apple Health export can take minutes and never holds a page.
The task itself is ``services.import_run_task``; this name stays importable for a
task queued under it by an earlier version.
"""

from __future__ import annotations

from walkwell.web.imports.services import import_run_task

__all__ = ["import_run_task"]
