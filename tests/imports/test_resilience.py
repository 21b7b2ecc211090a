"""A crash keeps what was committed; a file failing half-way keeps nothing of itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from walkwell.core.limits import ValidationProblem
from walkwell.web.imports import services
from walkwell.web.imports.models import DailySteps, ImportRun, RunStatus
from walkwell.web.imports.services import ImportProgress
from walkwell.web.program.models import Person, Walk
from walkwell.web.program.selectors import protocol_for

from .conftest import run_import

pytestmark = pytest.mark.corpus
WALKS = (
    "gpx/korita-zbevnica.gpx",
    "fit/garmin-fenix-5-walk.fit",
    "gpx/track-with-empty-segment.gpx",
)


class CrashError(Exception):
    """The process dying, as far as the import can tell."""


def test_a_run_stopped_midway_keeps_its_walks_and_a_rerun_completes_the_rest(
    corpus: Path, alice: Person
) -> None:
    paths = [corpus / name for name in WALKS]

    def crash_after_first_walk(state: ImportProgress) -> None:
        if state.imported == 1:
            raise CrashError

    with pytest.raises(CrashError):
        services.import_paths(
            person=alice, paths=paths, progress=crash_after_first_walk
        )
    assert Walk.objects.count() == 1
    stopped = ImportRun.objects.get()
    assert (stopped.status, stopped.imported) == (RunStatus.FAILED, 1)
    again = run_import(alice, *paths)
    assert (len(again.duplicates), len(again.imported)) == (1, 2)
    assert Walk.objects.count() == 3


def test_an_export_cut_short_after_its_first_walk_stores_nothing_of_itself(
    corpus: Path, alice: Person, tmp_path: Path
) -> None:
    data = (corpus / "apple-health/synthetic-ios16-broken-dtd.xml").read_bytes()
    second = data.index(b"<Workout ", data.index(b"<Workout ") + 1)
    cut = tmp_path / "export.xml"
    cut.write_bytes(data[: second + 200])
    report = run_import(alice, cut)
    assert report.imported == []
    assert len(report.refused) == 1
    assert "nothing from it was stored (it had 1 walk before that)" in (
        report.refused[0].reason
    )
    assert Walk.objects.count() == 0
    assert DailySteps.objects.count() == 0


def test_a_path_that_does_not_exist_is_refused_before_anything_is_stored(
    alice: Person, tmp_path: Path
) -> None:
    with pytest.raises(ValidationProblem, match="no such file or folder"):
        run_import(alice, tmp_path / "nowhere.gpx")
    assert ImportRun.objects.count() == 0


def test_pain_answers_are_added_to_an_imported_walk_by_its_owner_only(
    corpus: Path, alice: Person, mallory: Person
) -> None:
    walk_id = run_import(alice, corpus / WALKS[1]).imported[0].walk_id
    assert walk_id is not None
    url = f"/imports/walks/{walk_id}/answers/"
    signs = protocol_for(alice).warning_signs
    answers = {
        "pain_before": "3",
        "pain_during": "4",
        "pain_after": "3",
        "cooldown": "yes",
        **{f"sign_{s.id}": "no" for s in signs},
    }
    data = {f"walk{walk_id}-{name}": value for name, value in answers.items()}
    intruder, owner = Client(), Client()
    intruder.force_login(mallory.user)
    owner.force_login(alice.user)
    assert intruder.post(url, data).status_code == 404
    stored = Walk.objects.get(pk=walk_id)
    assert (stored.pain_before, stored.pain_during, stored.pain_after) == (None,) * 3
    response = owner.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == "/"
    stored.refresh_from_db()
    assert (stored.pain_before, stored.pain_during, stored.pain_after) == (3, 4, 3)
