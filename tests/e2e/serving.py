"""``walkwell serve`` as a person starts it: its own home, its own SQLite file and the
import worker it runs beside the server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.drill_instance import free_port, stop

WALKWELL = [sys.executable, "-c", "from walkwell.cli import main; main()"]
STARTUP_S = 60.0


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return int(response.status) == 200
    except OSError:
        return False


@contextmanager
def served(home: Path) -> Iterator[str]:
    """Set up ``home`` and serve WalkWell from it; yields the site's address."""
    env = {**os.environ, "WALKWELL_HOME": str(home)}
    env.pop("DATABASE_URL", None)  # the embedded default: a SQLite file in home
    env.pop("TEST_DATABASE_NAME", None)
    subprocess.run([*WALKWELL, "setup"], env=env, check=True, capture_output=True)
    port = free_port()
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
        stop(server)  # SIGTERM as a service manager would, then nothing left
        log.close()
