"""Memory and CPU time of a process and of every process it started, sampled
while it runs.

A large Apple Health import runs in several processes (``walkwell import``, the
forkserver multiprocessing starts, and the workers it forks), so its memory is
their sum. Each is read from ``/proc`` about fifty times a second: RSS counts
pages shared between processes once in each (an upper bound); PSS shares them out
between the processes that map them (what the machine really gives them). The
CPU time is each process's user + system time as last seen (``/proc/<pid>/stat``),
summed: on a shared machine it says what the work cost, whatever the wall time.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")


def _parents() -> dict[int, int]:
    """Every process's parent, from /proc/<pid>/stat."""
    found: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the name in parentheses may hold spaces: the fields follow the last ")"
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = int(fields[1])
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def _field_kb(path: Path, name: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


TICKS = os.sysconf("SC_CLK_TCK")


class TreeMemory(threading.Thread):
    """Samples a process tree until ``stop``: the peaks of its summed memory, and
    the CPU time of all its processes."""

    def __init__(self, pid: int, every_s: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.every_s = every_s
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self.most_processes = 0
        self._cpu: dict[int, float] = {}
        self._done = threading.Event()

    @property
    def cpu_seconds(self) -> float:
        """The CPU time of every process seen, as each was last sampled."""
        return sum(self._cpu.values())

    def run(self) -> None:
        while not self._done.wait(self.every_s):
            pids = tree(self.pid)
            rss = sum(_field_kb(PROC / str(p) / "status", "VmRSS:") for p in pids)
            pss = sum(_field_kb(PROC / str(p) / "smaps_rollup", "Pss:") for p in pids)
            self.peak_rss_mb = max(self.peak_rss_mb, rss / 1024)
            self.peak_pss_mb = max(self.peak_pss_mb, pss / 1024)
            self.most_processes = max(self.most_processes, len(pids))
            for pid in pids:
                self._cpu[pid] = max(self._cpu.get(pid, 0.0), _cpu_seconds(pid))

    def stop(self) -> None:
        self._done.set()
        self.join()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))
