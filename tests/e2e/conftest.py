"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

They skip with a clear message only when no Chromium can be found and WALKWELL_CI is
unset; in CI a missing browser is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import sync_playwright

from walkwell.web.program import services

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The README's screenshots are refreshed only on request
# (`WALKWELL_SCREENSHOTS=1 make test`), so a test run leaves the work tree clean.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("WALKWELL_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "walkwell-screenshots"
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _missing(what: str) -> None:
    if os.environ.get("WALKWELL_CI"):
        pytest.fail(f"{what} (browser tests must run in CI)")
    pytest.skip(f"{what}; install it with `apt-get install -y chromium` to run these")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        _missing("no Chromium found at /usr/bin/chromium or on PATH")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    return AXE


@pytest.fixture
def walker(transactional_db: None) -> User:
    """Enrolled three days ago, with no email address."""
    user = User.objects.create_user(username="walker")
    services.enrollment_start(
        user=user,
        start=timezone.localdate() - dt.timedelta(days=3),
        baseline_minutes=12,
    )
    return user
