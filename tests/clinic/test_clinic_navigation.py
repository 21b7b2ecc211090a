"""The header as clinic staff see it: the clinic's links, the logo leading to their
own home, and no patient action, on the clinic's pages, on the pages every account
shares (settings, the lessons) and on the error pages alike."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from tests.clinic.conftest import signed_in
from tests.web.pages_support import client_for
from walkwell.web.program import services_care
from walkwell.web.program.models import Person
from walkwell.web.program.roles import Role

CLINICIAN_LINKS = ["/clinic/", "/clinic/invites/", "/accounts/settings/"]
ADMIN_LINKS = ["/clinic/admin/", "/accounts/settings/"]
PATIENT_WORDS = ("Report a symptom", "Getting started", "Carry on getting started")


def _nav(html: str) -> list[str]:
    found = re.search(r'<nav class="main" aria-label="Main">(.*?)</nav>', html, re.S)
    assert found, "the page has no main navigation"
    return re.findall(r'<a href="([^"]+)"', found.group(1))


def _brand(html: str) -> str:
    found = re.search(r'<a class="brand" href="([^"]+)">WalkWell</a>', html)
    assert found, "the page has no logo"
    return found.group(1)


def _assert_no_patient_action(html: str) -> None:
    assert 'href="/symptom/"' not in html
    for words in PATIENT_WORDS:
        assert words not in html


@pytest.mark.parametrize(
    "url", ["/clinic/", "/clinic/invites/", "/accounts/settings/", "/learn/"]
)
def test_a_clinicians_header_has_the_clinics_links_and_no_patient_action(
    chen: User, url: str
) -> None:
    response = signed_in(chen).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert _nav(html) == CLINICIAN_LINKS
    _assert_no_patient_action(html)


def test_on_a_patients_record_the_clinician_sees_no_patient_action(
    alice: Person, chen: User
) -> None:
    html = signed_in(chen).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert _nav(html) == CLINICIAN_LINKS
    _assert_no_patient_action(html)


@pytest.mark.parametrize("url", ["/clinic/", "/accounts/settings/", "/learn/"])
def test_the_logo_leads_a_clinician_to_the_patient_list(chen: User, url: str) -> None:
    assert _brand(signed_in(chen).get(url).content.decode()) == "/clinic/"


def test_the_logo_leads_a_clinic_admin_to_the_admin_page(ada: User) -> None:
    html = signed_in(ada).get("/accounts/settings/").content.decode()
    assert _brand(html) == "/clinic/admin/"
    assert _nav(html) == ADMIN_LINKS
    _assert_no_patient_action(html)


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/clinic/invite/", 404, "We could not find that page"),  # a wrong guess
        ("/clinic/admin/", 403, "You cannot open this page"),  # an admin's page
    ],
)
def test_an_error_page_shows_a_clinician_the_clinics_nav(
    chen: User, url: str, status: int, heading: str
) -> None:
    response = signed_in(chen).get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert _nav(html) == CLINICIAN_LINKS
    assert _brand(html) == "/clinic/"
    assert '<a class="button" href="/clinic/">Go to your patients</a>' in html
    _assert_no_patient_action(html)


def test_a_wrong_address_shows_a_clinic_admin_the_admin_nav(ada: User) -> None:
    html = signed_in(ada).get("/no/such/page/").content.decode()
    assert _nav(html) == ADMIN_LINKS
    assert '<a class="button" href="/clinic/admin/">Go to clinic admin</a>' in html
    _assert_no_patient_action(html)


def test_a_refused_clinic_page_shows_a_patient_the_persons_nav(alice: Person) -> None:
    response = client_for(alice).get("/clinic/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You cannot open this page" in html
    assert "/plan/" in _nav(html)
    assert "/clinic/" not in _nav(html)
    assert _brand(html) == "/"
    assert 'href="/symptom/"' in html
    assert '<a class="button" href="/">Go to today</a>' in html


def test_a_clinician_who_follows_the_program_too_keeps_each_sides_nav(
    alice: Person,
) -> None:
    """Alice is given the clinician role: her own pages keep the person's
    navigation, the clinic's pages show the clinic's."""
    services_care.role_grant(user=alice.user, role=Role.CLINICIAN)
    client = signed_in(User.objects.get(pk=alice.user.pk))
    own = client.get("/progress/").content.decode()
    assert "/plan/" in _nav(own)
    assert 'href="/symptom/"' in own
    clinic = client.get("/clinic/").content.decode()
    assert _nav(clinic) == CLINICIAN_LINKS
    _assert_no_patient_action(clinic)
