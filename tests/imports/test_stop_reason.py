"""A run that stops on an unexpected error tells the person why in plain words; the
exception itself, which may name files, tables or code, goes to the server log only."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from walkwell.web.imports import services
from walkwell.web.imports.models import ImportRun, RunStatus
from walkwell.web.imports.services import ImportProgress, stop_reason
from walkwell.web.program.models import Person

INTERNALS = "KeyError: 'moving_s' in /srv/walkwell/src/walkwell/web/imports/storing.py"


class InternalError(Exception):
    """A bug deep in the import, as the run sees it."""


@pytest.mark.corpus
def test_the_page_shows_a_plain_reason_and_the_log_keeps_the_details(
    corpus: Path, alice: Person, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(state: ImportProgress) -> None:
        raise InternalError(INTERNALS)

    with caplog.at_level(logging.ERROR), pytest.raises(InternalError):
        services.import_paths(
            person=alice, paths=[corpus / "gpx/korita-zbevnica.gpx"], progress=fail
        )
    run = ImportRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert run.error == "an unexpected problem; the details are in the server log"
    client = Client()
    client.force_login(alice.user)
    page = client.get(f"/imports/{run.pk}/progress/").content.decode()
    assert "the details are in the server log" in page
    assert "KeyError" not in page
    assert "storing.py" not in page
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert f"import run {run.pk} stopped" in logged
    assert INTERNALS in logged


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            OperationalError("database is locked"),
            "the database could not be written to",
        ),
        (
            PermissionError(13, "Permission denied", "/srv/x"),
            "a file could not be read or written",
        ),
        (MemoryError(), "the computer ran out of memory"),
        (
            KeyboardInterrupt(),
            "the importer was stopped (its server shut down, or Ctrl-C)",
        ),
        (
            ValueError("bad /srv/secret"),
            "an unexpected problem; the details are in the server log",
        ),
    ],
)
def test_each_kind_of_stop_has_a_plain_reason(
    error: BaseException, reason: str
) -> None:
    assert stop_reason(error) == reason


@pytest.mark.corpus
@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_a_run_stopped_on_purpose_is_logged_in_a_line_without_a_traceback(
    corpus: Path,
    alice: Person,
    caplog: pytest.LogCaptureFixture,
    stop: type[BaseException],
) -> None:
    def interrupt(state: ImportProgress) -> None:
        raise stop

    with caplog.at_level(logging.INFO), pytest.raises(stop):
        services.import_paths(
            person=alice,
            paths=[corpus / "gpx/korita-zbevnica.gpx"],
            progress=interrupt,
        )
    run = ImportRun.objects.get()
    assert (run.status, run.error) == (RunStatus.FAILED, stop_reason(stop()))
    (record,) = [r for r in caplog.records if "stopped" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage() == (
        f"import run {run.pk} stopped: the importer was stopped "
        "(its server shut down, or Ctrl-C)"
    )
