"""Secrets that travel in addresses never reach the logs, the access log included."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.cli.test_serve import WALKWELL, _children, _env, _free_port, _status
from walkwell.web.accounts.logs import RedactSecrets, redact

RENEW_CALENDAR_ADDRESS = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='walkwell.web.settings'; "
    "django.setup(); from walkwell.web.accounts.services import calendar_link_renew; "
    "from walkwell.web.program.models import Person; "
    "print(calendar_link_renew(user=Person.objects.get().user).calendar_token)"
)


def test_the_served_access_log_never_holds_a_calendar_or_reset_secret(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    subprocess.run([*WALKWELL, "setup"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*WALKWELL, "init", "--baseline-minutes", "12", "--yes"],
        env=env,
        check=True,
        capture_output=True,
    )
    token = subprocess.run(
        [sys.executable, "-c", RENEW_CALENDAR_ADDRESS],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert len(token) > 20
    port, log = _free_port(), tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*WALKWELL, "serve", "--no-worker", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180  # a loaded machine starts slowly
            while not _status(f"{url}/accounts/sign-in/"):
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
            assert _status(f"{url}/calendar/{token}.ics") == 200
            reset = f"{url}/accounts/password-reset/MQ/canary-reset-token-4711/"
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(reset, timeout=5)  # noqa: S310
            time.sleep(0.5)  # the access log line is written after the response
        finally:
            for child in _children(server.pid):
                subprocess.run(["kill", str(child)], check=False)
            server.terminate()
            server.wait(timeout=30)
    written = log.read_text(encoding="utf-8", errors="replace")
    assert "/calendar/[secret].ics" in written  # the request was logged...
    assert token not in written  # ...without its secret
    assert "canary-reset-token-4711" not in written


def test_the_filter_rewrites_a_record_that_carries_a_secret_in_its_arguments() -> None:
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/calendar/abcDEF123_-x.ics",),
        None,
    )
    assert RedactSecrets().filter(record)
    assert record.getMessage() == "Not Found: /calendar/[secret].ics"
    assert redact("GET /imports/3/ HTTP/1.1") == "GET /imports/3/ HTTP/1.1"
