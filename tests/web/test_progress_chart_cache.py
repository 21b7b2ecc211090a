"""Progress keeps its drawn charts in Django's cache: never a stale chart.

Each test reads the page through the real view and the real (local-memory) cache,
then changes the person's history through the services a person's forms use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import pytest
from django.core.cache import caches

from tests.cast import START
from tests.web.pages_support import client_for, person
from walkwell.core.model import Walk
from walkwell.web.program import selectors, services
from walkwell.web.program.models import Person
from walkwell.web.program.progress import Span, charts_key

READ_ON = START + dt.timedelta(days=6)  # the page is read at 09:00 on the first Sunday


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def bea(db: None) -> Person:
    bea = person("bea", START, baseline=12)
    services.walk_log(person=bea, date=START, minutes=12, pain_during=4)
    return bea


def _section(html: str, chart_id: str) -> str:
    return html.split(f'id="{chart_id}-h"')[1].split("</section>", maxsplit=1)[0]


def _drawings() -> int:
    """The drawn charts in the cache (the stored timeline lives there too)."""
    keys = caches["default"]._cache  # type: ignore[attr-defined]
    return sum("progress-charts" in key for key in keys)


def test_the_same_history_is_drawn_once_and_read_back_the_same(bea: Person) -> None:
    client = client_for(bea)
    first = client.get("/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert first.count("<svg") == 9
    assert _drawings() == 1
    second = client.get("/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert second == first
    assert _drawings() == 1
    # Six days in, every range starts on the first day: the same drawing serves.
    client.get("/progress/?range=1y")
    assert _drawings() == 1
    # A new walk is a new drawing, kept beside the old one until it expires.
    services.walk_log(person=bea, date=START + dt.timedelta(days=1), minutes=5)
    third = client.get("/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert third != first
    assert _drawings() == 2


def test_a_new_walk_changes_the_charts_at_once(bea: Person) -> None:
    client = client_for(bea)
    before = client.get("/progress/").content.decode()
    assert "You walked 12 minutes of" in _section(before, "chart-minutes")
    services.walk_log(
        person=bea, date=START + dt.timedelta(days=2), minutes=15, pain_during=6
    )
    after = client.get("/progress/").content.decode()
    minutes = _section(after, "chart-minutes")
    assert "You walked 27 minutes of" in minutes
    assert '<th scope="row">2026-03-04</th><td>15</td>' in minutes
    assert '<th scope="row">2026-03-04</th><td>–</td><td>6</td>' in _section(
        after, "chart-pain"
    )
    # The drawing itself moved too, not only the words: one more bar in each.
    assert minutes.count("<path") > _section(before, "chart-minutes").count("<path")


def test_a_new_check_in_changes_the_charts_at_once(bea: Person) -> None:
    client = client_for(bea)
    before = client.get("/progress/").content.decode()
    assert '<th scope="row">2026-03-03</th>' not in _section(before, "chart-stiffness")
    services.checkin_record(
        person=bea,
        date=START + dt.timedelta(days=1),
        pain=2,
        morning_stiffness_min=25,
        sleep=7,
        focus=6,
    )
    after = client.get("/progress/").content.decode()
    assert '<th scope="row">2026-03-03</th><td>25</td>' in _section(
        after, "chart-stiffness"
    )
    assert '<th scope="row">2026-03-03</th><td>7</td><td>6</td>' in _section(
        after, "chart-sleep"
    )
    assert after.count('class="dot"') > before.count('class="dot"')


def test_an_edit_that_keeps_every_count_still_changes_the_key(bea: Person) -> None:
    """Counts and dates alone would miss this: the same number of walks, one longer."""
    history = selectors.history_for(bea)
    span = Span(START, START + dt.timedelta(days=6))

    def key(
        who: int = bea.pk, walks: Sequence[Walk] = history.walks, today: dt.date = START
    ) -> str:
        return charts_key(
            who, span, walks=walks, checkins=history.checkins, plans=[], today=today
        )

    assert key() == key()
    longer = [Walk(date=w.date, minutes=w.minutes + 1) for w in history.walks]
    assert len(longer) == len(history.walks)
    assert key(walks=longer) != key()
    # A new day (the calendar's "still to do today" moves) is a new key too.
    assert key(today=START + dt.timedelta(days=1)) != key()
    # And one person's drawing is never another's, even with the same data.
    assert key(who=bea.pk + 1) != key()
