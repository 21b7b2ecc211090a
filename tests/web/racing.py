"""Races between database connections: threads released together, and Alice on
a database they can share (PostgreSQL: SQLite's in-memory test database cannot be
shared between connections; the SQLite file is raced by processes instead)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection, connections

from tests.cast import START
from tests.web.pages_support import person
from walkwell.web.program.models import Person

T = TypeVar("T")


def at_once(count: int, action: Callable[[], T]) -> list[T | Exception]:
    """Run ``action`` in ``count`` threads released together; results or errors."""
    barrier = threading.Barrier(count)
    results: list[T | Exception] = [ValueError("not run")] * count

    def one(index: int) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def racing_alice(transactional_db: None) -> Person:
    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory test database cannot be shared between threads; "
            "the SQLite file is raced by processes instead"
        )
    return person("alice", START)
