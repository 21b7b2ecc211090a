"""Run the real ``walkwell`` command in-process against the test database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from walkwell.cli import app

Walkwell = Callable[..., Result]


@pytest.fixture
def walkwell(db: None) -> Walkwell:
    """``walkwell(*args, input=...)``: the command's result, stdout and stderr apart."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    return run


@pytest.fixture
def enrolled(walkwell: Walkwell) -> Walkwell:
    """A person who started the seed program on Monday 5 January 2026."""
    result = walkwell(
        "init", "--baseline-minutes", "12", "--start", "2026-01-05", "--yes"
    )
    assert result.exit_code == 0, result.output
    return walkwell
