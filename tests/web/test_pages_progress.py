"""Progress: charts drawn on the server, each with a summary and its data table."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.cast import START
from tests.web.pages_support import client_for, first_days
from walkwell.core.model import CheckIn, DayPlan, Decision, Prescription, Walk
from walkwell.web.program.charts import Series, time_chart
from walkwell.web.program.models import Person
from walkwell.web.program.progress import Span, build_charts, phase_markers

READ_ON = START + dt.timedelta(days=6)  # the first Sunday


@pytest.fixture
def alice(alice: Person) -> Person:
    """The cast's Alice after two walks on her first day and a check-in on the next."""
    first_days(alice, START)
    return alice


def _table(html: str, chart_id: str) -> str:
    section = html.split(f'id="{chart_id}-h"')[1].split("</section>", maxsplit=1)[0]
    return section


def test_progress_draws_every_chart_with_its_data(alice: Person) -> None:
    html = client_for(alice).get("/progress/").content.decode()
    # Four time charts, each drawn narrow and wide, and the calendar.
    assert html.count('class="chart chart-narrow"') == 4
    assert html.count('class="chart chart-wide"') == 4
    assert html.count('<svg class="chart calendar"') == 1
    minutes = _table(html, "chart-minutes")
    assert "You walked 22 minutes of" in minutes
    assert re.search(r'<th scope="row">2026-03-02</th><td>22</td><td>\d+</td>', minutes)
    pain = _table(html, "chart-pain")
    # Two walks that day: before 3 and 3, during 4 and 5, after 3 and 4; morning 3.
    assert (
        '<th scope="row">2026-03-02</th><td>3</td><td>4.5</td><td>3.5</td><td>–</td>'
        in pain
    )
    assert (
        '<th scope="row">2026-03-03</th><td>–</td><td>–</td><td>–</td><td>3</td>'
        in pain
    )
    stiffness = _table(html, "chart-stiffness")
    assert '<th scope="row">2026-03-03</th><td>25</td>' in stiffness
    sleep = _table(html, "chart-sleep")
    assert '<th scope="row">2026-03-03</th><td>5</td><td>6</td>' in sleep
    calendar = _table(html, "chart-calendar")
    assert "<td>Part done</td>" in calendar or "<td>Done</td>" in calendar
    assert "<td>Missed</td>" in calendar
    # Today is not over: nothing is missed yet.
    assert '<th scope="row">2026-03-08</th>' in calendar
    assert (
        calendar.split('<th scope="row">2026-03-08</th>')[1]
        .split("</tr>")[0]
        .endswith("<td>Still to do today</td>")
    )


def test_progress_range_switches_and_htmx_gets_only_the_charts(alice: Person) -> None:
    client = client_for(alice)
    html = client.get("/progress/?range=1y").content.decode()
    assert 'aria-current="true">1 year' in html
    fragment = client.get("/progress/?range=4w", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert text.startswith('<div id="charts">')
    assert "<html" not in text
    # An unknown range falls back to the default instead of failing.
    fallback = client.get("/progress/?range=forever")
    assert fallback.status_code == 200
    assert 'aria-current="true">12 weeks' in fallback.content.decode()


def _plan(day: dt.date, phase: int, minutes: int) -> DayPlan:
    return DayPlan(
        date=day,
        phase=phase,
        decision=Decision.CONTINUE,
        reasons=(),
        warnings=(),
        prescription=Prescription(sessions=1, minutes_per_session=minutes),
    )


def test_phase_changes_are_marked_on_the_time_charts() -> None:
    first = dt.date(2026, 1, 5)
    plans = [
        _plan(first + dt.timedelta(days=i), 1 if i < 14 else 2, 20) for i in range(20)
    ]
    assert [(m.date, m.label) for m in phase_markers(plans)] == [
        (dt.date(2026, 1, 19), "Phase 2")
    ]
    charts = build_charts(Span(first, first + dt.timedelta(days=19)), [], [], plans)
    assert "Phase 2</text>" in charts[0].svg


def test_a_year_is_shown_week_by_week() -> None:
    first = dt.date(2025, 3, 3)  # a Monday
    span = Span(first, first + dt.timedelta(days=364))
    walks = [Walk(date=first + dt.timedelta(days=i), minutes=10) for i in range(365)]
    checkins = [
        CheckIn(
            date=first + dt.timedelta(days=i),
            pain=6 if i < 180 else 3,
            morning_stiffness_min=30,
            sleep=5,
            focus=5,
        )
        for i in range(365)
    ]
    charts = build_charts(span, walks, checkins, [])
    minutes = charts[0]
    assert minutes.rows[0] == ("2025-03-03", "70", "0")
    assert len(minutes.rows) == 53
    assert "shown per week" in minutes.summary
    assert "Next-morning pain improved from about 6/10 to 3/10." in charts[1].summary


def test_chart_text_is_escaped() -> None:
    chart = time_chart(
        chart_id="c",
        title="<script>alert(1)</script>",
        summary="a & b",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 1, 10),
        series=[Series("x", "walked", [(dt.date(2026, 1, 2), 3.0)])],
        y_label="<b>",
    )
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    assert "a &amp; b" in chart.svg


def test_a_two_hour_hike_reads_as_more_than_planned_not_a_huge_percentage() -> None:
    day = dt.date(2026, 12, 4)  # a Friday
    charts = build_charts(
        Span(day, day), [Walk(date=day, minutes=120)], [], [_plan(day, 1, 18)], day
    )
    summary = charts[0].summary
    assert "%" not in summary
    assert "done, and more than planned" in summary
    assert "on Friday 4 December" in summary
    assert "You walked 120 minutes of 18 planned" in summary
    assert "done in full (1 with more than planned)" in charts[4].summary


def test_done_in_full_means_the_planned_walk_was_walked() -> None:
    first = dt.date(2026, 3, 2)
    plans = [_plan(first + dt.timedelta(days=i), 1, 20) for i in range(3)]
    walks = [
        Walk(date=first, minutes=20),
        Walk(date=first + dt.timedelta(days=1), minutes=19),
    ]
    calendar = build_charts(
        Span(first, first + dt.timedelta(days=2)), walks, [], plans
    )[4]
    assert [row[3] for row in calendar.rows] == ["Done", "Part done", "Missed"]
    assert calendar.summary == (
        "Of 3 days with walks planned, 1 was done in full and 1 in part."
    )
