"""``walkwell serve`` as a real process: the app, its import worker, a clean stop."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.imports.walks import walk_gpx

WALKWELL = [sys.executable, "-c", "from walkwell.cli import main; main()"]
MINUTE = 60.0

# Queues one web upload of a walk for "alice", as the upload page does.
UPLOAD = """
import datetime as dt, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkwell.web.settings")
import django
django.setup()
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from walkwell.web.imports import services
from walkwell.web.program import selectors, services as program
user, _ = User.objects.get_or_create(username="alice")
person = selectors.person_for(user) or program.enrollment_start(
    user=user, start=dt.date(2026, 1, 1), baseline_minutes=12
)
walk = SimpleUploadedFile("walk.gpx", sys.stdin.buffer.read())
print(services.upload_start(person=person, files=[walk]).pk)
"""


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "WALKWELL_HOME": str(home)}
    env.pop("DATABASE_URL", None)  # its own SQLite file, apart from the test database
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    return int(stat.rsplit(")", 1)[-1].split()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _alive(int(entry.name)):
            try:
                if _parent(int(entry.name)) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _wait_for(what: str, check: object, timeout: float = MINUTE) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()  # type: ignore[operator]
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return int(response.status)
    except OSError:
        return 0


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """``walkwell serve`` on a free port; killed with its group if a test fails."""
    port = _free_port()
    env = _env(tmp_path)
    subprocess.run([*WALKWELL, "setup"], env=env, check=True)
    server = subprocess.Popen(
        [*WALKWELL, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Ctrl-C as in a terminal, even when the suite itself runs in the
        # background (a shell starts background jobs with SIGINT ignored, which
        # every child would inherit)
        preexec_fn=_ctrl_c_as_in_a_terminal,  # noqa: PLW1509 - only signal()
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for("the sign-in page", lambda: _status(f"{url}/accounts/sign-in/"))
        yield server, url, tmp_path
    finally:
        for child in _children(server.pid):
            os.kill(child, signal.SIGKILL)
        server.kill()
        server.wait()


def _upload(home: Path, day: dt.date) -> int:
    start = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
    queued = subprocess.run(
        [sys.executable, "-c", UPLOAD],
        input=walk_gpx(start).encode(),
        env=_env(home),
        capture_output=True,
        check=True,
    )
    return int(queued.stdout)


def _run(home: Path, run_id: int) -> tuple[str, int, int | None]:
    with sqlite3.connect(home / "walkwell.sqlite3", timeout=10) as db:
        row = db.execute(
            "select status, imported, worker_pid from imports_importrun where id = ?",
            (run_id,),
        ).fetchone()
    return str(row[0]), int(row[1]), row[2]


def _finished(home: Path, run_id: int) -> tuple[str, int, int | None]:
    return _wait_for(  # type: ignore[return-value]
        f"import {run_id} finished",
        lambda: _run(home, run_id) if _run(home, run_id)[0] == "finished" else None,
    )


def test_serve_imports_an_upload_restarts_a_dead_worker_and_stops_it_on_sigterm(
    serving: tuple[subprocess.Popen[bytes], str, Path],
) -> None:
    server, url, home = serving
    assert _status(f"{url}/accounts/sign-in/") == 200
    first = _finished(home, _upload(home, dt.date(2026, 1, 5)))
    worker = first[2]
    assert first[:2] == ("finished", 1)
    assert worker is not None
    assert _parent(worker) == server.pid  # imported by the worker serve started
    os.kill(worker, signal.SIGKILL)
    second = _finished(home, _upload(home, dt.date(2026, 1, 6)))
    assert second[:2] == ("finished", 1)
    assert second[2] not in {None, worker}
    assert _parent(int(second[2] or 0)) == server.pid
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=MINUTE) == 0
    assert not _alive(int(second[2] or 0)), "the worker outlived the server"


def test_ctrl_c_stops_the_server_and_its_worker(
    serving: tuple[subprocess.Popen[bytes], str, Path],
) -> None:
    server, _, _ = serving
    workers = _wait_for("a worker", lambda: _children(server.pid))
    assert isinstance(workers, list)
    server.send_signal(signal.SIGINT)
    assert server.wait(timeout=MINUTE) == 0
    assert not any(_alive(pid) for pid in workers)


def test_serve_without_a_worker_starts_none(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [*WALKWELL, "serve", "--port", str(port), "--no-worker"],
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/accounts/sign-in/"
        _wait_for("the sign-in page", lambda: _status(url))
        assert _children(server.pid) == []
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=MINUTE)


def test_a_port_in_use_is_refused_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*WALKWELL, "serve", "--port", str(port)],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=MINUTE,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr.startswith(f"walkwell: error: --port: {port} on 127.0.0.1")
    assert result.stderr.count("\n") == 1
