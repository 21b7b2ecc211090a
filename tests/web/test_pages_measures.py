"""Progress shows the questionnaires' start against now, and the advice for high risk."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.cast import START
from tests.web.pages_support import client_for
from walkwell.web.program import services
from walkwell.web.program.models import Person

HIGH = {
    "leg_pain": "Agree", "shoulder_neck": "Disagree", "walked_short": "Agree",
    "dressed_slowly": "Agree", "not_safe": "Agree", "worrying": "Agree",
    "terrible": "Agree", "not_enjoyed": "Agree", "bothersome": "Very much",
}  # fmt: skip


@pytest.fixture
def alice(alice: Person) -> Person:
    """The cast's Alice with her outcome measures at the start and at 12 weeks."""
    services.outcomes_record(
        person=alice,
        day=START,
        answers={"psfs": {"walking 20 minutes": 3, "gardening": 4}, "start_back": HIGH},
    )
    services.outcomes_record(
        person=alice,
        day=START + dt.timedelta(days=84),
        answers={"psfs": {"walking 20 minutes": 6, "gardening": 6}},
    )
    return alice


def test_progress_shows_the_change_with_its_meaning(alice: Person) -> None:
    with time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC)):
        page = client_for(alice).get("/progress/").content.decode()
    assert (
        "Your activities score rose from 3.5 to 6.0: a meaningful improvement." in page
    )
    assert "psychologically informed" in page
    assert 'href="/learn/fear-of-movement/"' in page
    assert 'href="/learn/pacing/"' in page


def test_the_lessons_for_high_risk_exist(alice: Person) -> None:
    client = client_for(alice)
    for slug in ("fear-of-movement", "pacing"):
        assert client.get(f"/learn/{slug}/").status_code == 200


def test_psfs_with_other_activities_is_refused_and_nothing_is_stored(
    alice: Person,
) -> None:
    before = alice.outcomes.count()
    with pytest.raises(ValueError, match="walking 20 minutes"):
        services.outcomes_record(
            person=alice,
            day=START + dt.timedelta(days=90),
            answers={"pain_nrs": {"rating": 3}, "psfs": {"cycling": 7}},
        )
    assert alice.outcomes.count() == before
