"""The drills run on the database the suite runs on: PostgreSQL when
``DATABASE_URL`` names it (the suite's second pass in CI), SQLite otherwise."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgres" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
