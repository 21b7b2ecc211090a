"""A child process kept running beside ``walkwell serve``: the import worker.

Started with the server, started again if it dies, stopped with the server. It
runs in its own session so that Ctrl-C reaches the server alone and the worker is
stopped in order: asked once (it finishes the task in hand), asked again after a
grace period (it stops the task, which is marked failed and can be tried again),
then killed. On Linux the worker is also told to stop when the server itself is
killed (``PR_SET_PDEATHSIG``), so no worker is left behind.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

FIRST_RESTART_S = 1.0
LONGEST_RESTART_S = 30.0
STEADY_S = 60.0  # a worker that lived this long is not crash-looping
PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:
    """In the child, before it runs: SIGTERM when the process that started it ends."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    """Runs ``command``, restarts it when it exits, stops it on ``stop()``."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        say: Callable[[str], None],
        grace_s: float = 10.0,
    ) -> None:
        self.command = list(command)
        self.say = say
        self.grace_s = grace_s
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.watcher = threading.Thread(
            target=self._watch, name="worker-supervisor", daemon=True
        )

    def start(self) -> None:
        self._spawn()
        self.watcher.start()

    def _spawn(self) -> None:
        with self.lock:
            if self.stopping.is_set():
                return
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
                self.command,
                start_new_session=True,
                preexec_fn=_stop_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509 - only prctl, async-signal-safe
            )
            self.started_at = time.monotonic()
        self.say(f"Import worker started (process {self.process.pid}).")

    def _watch(self) -> None:
        delay = FIRST_RESTART_S
        while not self.stopping.wait(0.5):
            process = self.process
            if process is None or process.poll() is None:
                continue
            lived = time.monotonic() - self.started_at
            delay = FIRST_RESTART_S if lived > STEADY_S else delay
            self.say(
                f"Import worker stopped (exit code {process.returncode}); "
                f"starting it again in {delay:.0f} s."
            )
            if self.stopping.wait(delay):
                return
            self._spawn()
            delay = min(delay * 2, LONGEST_RESTART_S)

    def stop(self) -> None:
        """Stop the worker and wait for it: no process is left behind."""
        with self.lock:
            self.stopping.set()
            process = self.process
        if self.watcher.is_alive():
            self.watcher.join()
        if process is None or process.poll() is not None:
            return
        for ask in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
            process.send_signal(ask)
            try:
                process.wait(self.grace_s)
            except subprocess.TimeoutExpired:
                continue
            return
