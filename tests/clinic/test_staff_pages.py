"""The pages every account shares, as clinic staff without a record of their own see
them: Settings offers only what applies to a clinician or admin, and the patient's
"More" page sends them to the clinic, as the patient's other pages do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.clinic.conftest import signed_in
from tests.web.pages_support import client_for
from walkwell.web.accounts.models import Preferences
from walkwell.web.program import services_care
from walkwell.web.program.models import Person
from walkwell.web.program.roles import Role

# What only a person following the program has a use for.
PATIENT_ONLY = (
    'name="first_walk_time"',
    'name="second_walk_time"',
    'name="checkin_time"',
    'name="habit_slots"',
    'name="email_walks"',
    'name="email_checkin"',
    'name="distance_unit"',
    "Calendar reminders",
    'href="/readiness/"',
    "Review my answers",
    'href="/accounts/settings/data/"',
    "Your data: export, restore, delete",
)
# What every account keeps.
FOR_EVERY_ACCOUNT = (
    'name="time_zone"',
    'href="/accounts/password/"',
    'id="two-factor"',
    'id="tokens"',
    'name="email"',
)
# Staff have no data page to pass through: deleting the account is offered here.
DELETE_ACCOUNT = 'href="/accounts/settings/delete/"'


@pytest.mark.parametrize("who", ["chen", "ada"])
def test_staff_settings_offer_only_what_applies_to_staff(
    who: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(who)
    response = signed_in(user).get("/accounts/settings/")
    html = response.content.decode()
    assert response.status_code == 200
    for part in PATIENT_ONLY:
        assert part not in html, part
    for part in (*FOR_EVERY_ACCOUNT, DELETE_ACCOUNT):
        assert part in html, part


def test_a_patients_settings_keep_every_part(alice: Person) -> None:
    html = client_for(alice).get("/accounts/settings/").content.decode()
    for part in (*PATIENT_ONLY, *FOR_EVERY_ACCOUNT):
        assert part in html, part


def test_a_clinician_saves_their_time_zone(chen: User) -> None:
    response = signed_in(chen).post(
        "/accounts/settings/", {"time_zone": "Europe/London"}
    )
    assert response["Location"] == "/accounts/settings/"
    assert Preferences.objects.get(user=chen).time_zone == "Europe/London"


def test_a_clinicians_unknown_time_zone_is_shown_by_its_field(chen: User) -> None:
    response = signed_in(chen).post("/accounts/settings/", {"time_zone": "Mars/Base"})
    html = response.content.decode()
    assert 'id="id_time_zone_errors"' in html
    assert "not a time zone WalkWell knows" in html
    assert not Preferences.objects.filter(user=chen, time_zone="Mars/Base").exists()


def test_a_clinician_who_follows_the_program_keeps_the_patients_settings(
    bob: Person,
) -> None:
    services_care.role_grant(user=bob.user, role=Role.CLINICIAN)
    html = (
        signed_in(User.objects.get(pk=bob.user.pk))
        .get("/accounts/settings/")
        .content.decode()
    )
    for part in PATIENT_ONLY:
        assert part in html, part


@pytest.mark.parametrize(
    ("who", "home"), [("chen", "/clinic/"), ("ada", "/clinic/admin/")]
)
def test_the_more_page_sends_staff_to_the_clinic(
    who: str, home: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(who)
    response = signed_in(user).get("/more/")
    assert response.status_code == 302
    assert response["Location"] == home


def test_a_patient_still_sees_the_more_page(alice: Person) -> None:
    response = client_for(alice).get("/more/")
    assert response.status_code == 200
    assert "<h1>More</h1>" in response.content.decode()


def test_a_clinician_who_follows_the_program_sees_the_more_page(bob: Person) -> None:
    services_care.role_grant(user=bob.user, role=Role.CLINICIAN)
    response = signed_in(User.objects.get(pk=bob.user.pk)).get("/more/")
    assert response.status_code == 200
