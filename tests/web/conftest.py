"""Shared fixtures for the web tests: a client signed in as the cast's Alice.

The people and days come from ``tests/cast.py`` and ``tests/conftest.py``; a module
that imports ``TODAY`` (or names its own ``READ_ON``) runs at 09:00 UTC on that day.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.pages_support import client_for
from walkwell.web.program.models import Person


@pytest.fixture
def client(alice: Person) -> Client:
    """Signed in as Alice."""
    return client_for(alice)
