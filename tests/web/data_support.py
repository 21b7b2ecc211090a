"""A rich history for the export, restore and deletion tests: every kind of
record a person can own, with imported walks, signs, a clearance and measures."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from django.contrib.auth.models import User

from walkwell.web.accounts import services as account_services
from walkwell.web.imports.models import DailySteps, ImportRun
from walkwell.web.program import services, services_symptoms
from walkwell.web.program.models import Person

RICH_START = dt.date(
    2026, 1, 5
)  # a rich record's first Monday; its report names these dates
HIGH = {
    "leg_pain": "Agree", "shoulder_neck": "Disagree", "walked_short": "Agree",
    "dressed_slowly": "Agree", "not_safe": "Agree", "worrying": "Agree",
    "terrible": "Agree", "not_enjoyed": "Agree", "bothersome": "Very much",
}  # fmt: skip


def rich_person(username: str, days: int = 24) -> Person:
    """Someone a few weeks in: walks typed and imported, check-ins, a warning
    sign, a clearance, measures, steps and their own preferences."""
    user = User.objects.create_user(username=username, email=f"{username}@example.org")
    prefs = account_services.preferences_create(user=user)
    prefs.distance_unit = "mi"
    prefs.habit_slots = ["morning_light"]
    prefs.save()
    person = services.enrollment_start(
        user=user, start=RICH_START, baseline_minutes=12, footwear="supportive"
    )
    services.screening_record(person=person, day=RICH_START, red_flags=[])
    services.outcomes_record(
        person=person,
        day=RICH_START,
        answers={
            "pain_nrs": {"rating": 6},
            "psfs": {"walking 20 minutes": 3, "gardening": 4},
            "start_back": HIGH,
        },
    )
    run = ImportRun.objects.create(person=person)
    for n in range(days):
        day = RICH_START + dt.timedelta(days=n)
        services.checkin_record(
            person=person,
            date=day,
            pain=3 + n % 3,
            morning_stiffness_min=10 + n,
            sleep=6,
            focus=7,
        )
        if n % 2 == 0:
            services.walk_log(
                person=person,
                date=day,
                minutes=12.5 + n / 4,
                pain_before=3,
                pain_during=4,
                pain_after=3,
                terrain="flat",
            )
        else:
            services.walk_log(
                person=person,
                date=day,
                minutes=14.0,
                source="import",
                imported=services.ImportedMetrics(
                    content_hash=f"{n:064x}",
                    started_at=dt.datetime.combine(day, dt.time(8, 15), tzinfo=dt.UTC),
                    duration_s=14 * 60.0,
                    moving_s=13.5 * 60,
                    distance_m=1234.5,
                    elevation_gain_m=12.25,
                    device="Garmin Forerunner",
                    device_activity_id=f"act-{n}",
                ),
            )
        DailySteps.objects.create(
            person=person, date=day, source="phone", steps=4000 + n, run=run
        )
    services_symptoms.symptom_report(
        person=person, date=RICH_START + dt.timedelta(days=days - 3),
        warning_signs=["numbness_tingling"],
    )  # fmt: skip
    services.clearance_record(
        person=person, date=RICH_START + dt.timedelta(days=days - 2), by="Dr Patel, GP"
    )
    services.outcomes_record(
        person=person,
        day=RICH_START + dt.timedelta(days=days - 1),
        answers={
            "pain_nrs": {"rating": 3},
            "psfs": {"walking 20 minutes": 6, "gardening": 6},
        },
    )
    return person


def pdf_text(pdf: bytes, tmp_path: Path) -> tuple[str, int]:
    """A PDF's text as pdftotext reads it (so it is selectable), and its pages."""
    file = tmp_path / "report.pdf"
    file.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(file), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    info = subprocess.run(
        ["pdfinfo", str(file)], check=True, capture_output=True, text=True
    ).stdout
    pages = int(
        next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
    )
    return text, pages
