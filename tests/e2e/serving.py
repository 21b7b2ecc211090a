"""``walkwell serve`` as a person starts it: its own home, its own SQLite file and the
import worker it runs beside the server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

WALKWELL = [sys.executable, "-c", "from walkwell.cli import main; main()"]
STARTUP_S = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return int(response.status) == 200
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (the worker runs in a session of its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[-1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM as a service manager would (the server stops its worker), then make
    sure nothing is left running."""
    children = _children(server.pid)
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    for child in children:
        with suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)


@contextmanager
def served(home: Path) -> Iterator[str]:
    """Set up ``home`` and serve WalkWell from it; yields the site's address."""
    env = {**os.environ, "WALKWELL_HOME": str(home)}
    env.pop("DATABASE_URL", None)  # the embedded default: a SQLite file in home
    env.pop("TEST_DATABASE_NAME", None)
    subprocess.run([*WALKWELL, "setup"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = (home / "serve.log").open("wb")
    server = subprocess.Popen(
        [*WALKWELL, "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while not _answers(f"{url}/accounts/sign-in/"):
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise AssertionError(
                    "walkwell serve did not answer: "
                    + (home / "serve.log").read_text(encoding="utf-8", errors="replace")
                )
            time.sleep(0.2)
        yield url
    finally:
        _stop(server)
        log.close()
