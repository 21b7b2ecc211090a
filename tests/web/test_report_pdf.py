"""The clinician's report: a 2-4 page PDF from the Progress charts, read back with
pdftotext (so its text is selectable) and checked for what the issue asks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.web.data_support import pdf_text, rich_person
from tests.web.pages_support import client_for
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import report
from walkwell.web.program.models import Person

READ_ON = dt.date(2026, 2, 13)
NOW = dt.datetime(2026, 2, 13, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def ann(db: None) -> Person:
    return rich_person("ann", days=40)


def test_report_has_the_person_plan_charts_tables_signs_and_page_numbers(
    ann: Person, tmp_path: Path
) -> None:
    span = report.report_span(ann, None, READ_ON, READ_ON)
    text, pages = pdf_text(
        report.report_pdf(ann, span, today=READ_ON, now=NOW), tmp_path
    )
    assert 2 <= pages <= 4
    for expected in (
        "progress report",
        "ann",
        "5 Jan 2026 to 13 Feb 2026",  # the date range, on every page
        "protocol seed-3-phase",
        "version 1.0",
        "WalkWell 0.1.0",
        "Minutes walked against the plan",
        "Pain before, during and after walks",
        "Morning stiffness",
        "Adherence calendar",
        "The numbers behind",  # a table of the numbers behind each chart
        "Outcome measures against the start",
        "Numbness or tingling",  # the warning sign, with who recorded it
        "ann (self-reported)",
        "Dr Patel, GP",  # the clearance and who gave it
        "Decisions and their reasons",
        "Clinician notes",
        f"Page 1 of {pages}",
    ):
        assert expected in text, expected
    assert "Sleep" in text
    assert "Focus" in text


def test_every_answer_in_the_report_names_its_questionnaire(
    ann: Person, tmp_path: Path
) -> None:
    span = report.report_span(ann, None, READ_ON, READ_ON)
    text, _ = pdf_text(report.report_pdf(ann, span, today=READ_ON, now=NOW), tmp_path)
    answers = text.split("Every answer")[1].split("Warning signs")[0]
    assert "pain rating" in answers
    assert "pain_nrs" not in answers


def test_report_range_is_the_one_asked_for(ann: Person, tmp_path: Path) -> None:
    span = report.report_span(ann, dt.date(2026, 1, 12), dt.date(2026, 1, 25), READ_ON)
    text, pages = pdf_text(
        report.report_pdf(ann, span, today=READ_ON, now=NOW), tmp_path
    )
    assert "12 Jan 2026 to 25 Jan 2026" in text
    assert "2026-01-12" in text  # two weeks: a row a day in the tables
    assert "2026-02-02" not in text
    assert pages <= 4


def test_progress_page_offers_the_report_and_it_downloads_as_pdf(
    ann: Person, tmp_path: Path
) -> None:
    client = client_for(ann)
    page = client.get("/progress/").content.decode()
    assert "Download a report for your clinician (PDF)" in page
    response = client.get("/progress/report.pdf?from=2026-01-05&to=2026-02-01")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, _ = pdf_text(response.content, tmp_path)
    assert "5 Jan 2026 to 1 Feb 2026" in text
    wrong = client.get("/progress/report.pdf?from=2026-13-01")
    assert wrong.status_code == 400
    assert "from:" in wrong.content.decode()


def test_report_says_when_it_was_made_on_the_persons_clock_and_names_the_zone(
    ann: Person, tmp_path: Path
) -> None:
    """09:00 UTC is 10:00 in Berlin: the report says 10:00 and that it is CET."""
    Preferences.objects.filter(user=ann.user).update(time_zone="Europe/Berlin")
    response = client_for(ann).get("/progress/report.pdf")
    text, _ = pdf_text(response.content, tmp_path)
    assert "13 February 2026, 10:00 CET (UTC+01:00) by WalkWell" in text
    assert " UTC by WalkWell" not in text
