"""Is the process reading a run still alive? A killed import must not look busy.

A run records the host and process id of whoever reads its files (a
``walkwell import`` or a task worker). On the same host the process is looked
up; a run read on another machine is judged by its heartbeat (``updated_at``,
written about once a second while files are read).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path

from walkwell.web.imports.models import STALLED_AFTER, ImportRun, RunStatus


def this_process() -> tuple[str, int]:
    """Where this process runs: its host name and process id."""
    return socket.gethostname()[:255], os.getpid()


def process_alive(pid: int) -> bool:
    """True while process ``pid`` exists on this host and has not ended (a zombie
    has ended: it only waits for its parent to collect its exit status)."""
    if Path("/proc/self/stat").exists():  # Linux: a zombie still answers kill()
        try:
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        except OSError:
            return False
        return stat.rsplit(")", 1)[-1].split()[:1] not in (["Z"], ["X"])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def death_reason(run: ImportRun, now: dt.datetime) -> str | None:
    """Why a running run will never finish, or None while it may."""
    if run.status != RunStatus.RUNNING:
        return None
    host, _ = this_process()
    if run.worker_pid and run.worker_host == host:
        if process_alive(run.worker_pid):
            return None
        return (
            f"the process reading the files (process {run.worker_pid}) ended "
            "before it finished: it was stopped or killed"
        )
    quiet = now - run.updated_at
    if quiet <= STALLED_AFTER:
        return None
    minutes = int(quiet.total_seconds() // 60)
    where = f" on {run.worker_host}" if run.worker_host else ""
    return (
        f"no progress for {minutes} minutes: the process reading the files{where} "
        "was probably stopped or killed"
    )
