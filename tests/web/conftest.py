"""Shared fixtures for the web tests: a client signed in as the cast's Alice.

The people and days come from ``tests/cast.py`` and ``tests/conftest.py``; a module
that imports ``TODAY`` (or names its own ``READ_ON``) runs at 09:00 UTC on that day.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.web import smtp_support
from tests.web.pages_support import client_for
from tests.web.racing import racing_alice  # noqa: F401 - a shared fixture
from tests.web.smtp_support import Inbox
from walkwell.web.program.models import Person


@pytest.fixture
def client(alice: Person) -> Client:
    """Signed in as Alice."""
    return client_for(alice)


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on a free port, and Django's SMTP backend
    pointed at it; yields what it receives."""
    inbox = Inbox()
    controller = smtp_support.start(inbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
