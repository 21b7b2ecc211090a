"""The clinician's path in a real browser: a clinician invites, the patient accepts
with the code, reports a warning sign, the clinician sees them first on the list,
clears the stop after review, and the patient sees the clearance. axe-core checks
each clinic page at desktop and phone sizes."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.journey import (
    Watch,
    axe_violations,
    check_accessibility,
    screening_all_no,
    serve_axe,
    starting_point,
)
from tests.two_factor import authenticator_app, code_from_secret
from tests.web.pages_support import PASSWORD, person
from walkwell.web.program import services, services_care
from walkwell.web.program.models import LinkVia, Person
from walkwell.web.program.roles import Role

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _context(
    browser: Any, live_server: Any, axe: Path, viewport: dict[str, int]
) -> Any:
    context = browser.new_context(
        viewport=viewport, base_url=live_server.url, service_workers="block"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    serve_axe(page, axe)
    return page


@pytest.fixture
def desk(browser: Any, live_server: Any, axe_source: Path) -> Iterator[Any]:
    page = _context(browser, live_server, axe_source, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Any, live_server: Any, axe_source: Path) -> Iterator[Any]:
    page = _context(browser, live_server, axe_source, PHONE)
    yield page
    page.context.close()


def _clinician(username: str, *, with_app: bool = True) -> User:
    """A clinician, with an authenticator app set up unless ``with_app`` is False."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name="Dr", last_name="Chen"
    )
    services_care.role_grant(user=user, role=Role.CLINICIAN)
    if with_app:
        authenticator_app(user)
    return user


def _sign_in(page: Any, username: str) -> None:
    """The password, then the code of the account's authenticator app when asked."""
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    app = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if app is not None:
        assert "/accounts/two-factor/" in page.url, page.url
        page.fill("#id_code", code_from_secret(app.key))
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()


def _enrolled(username: str) -> Person:
    return person(
        username, timezone.localdate() - dt.timedelta(days=3), password=PASSWORD
    )


def test_invite_accept_report_review_clear(
    desk: Any, phone: Any, live_server: Any
) -> None:
    base = live_server.url
    clinician_watch, patient_watch = Watch(desk), Watch(phone)
    chen = _clinician("chen")
    bob = _enrolled("bob")  # on track: listed after whoever needs attention
    services_care.link_create(person=bob, clinician=chen, via=LinkVia.DEMO)
    alice = _enrolled("alice")

    # The clinician makes an invitation.
    _sign_in(desk, "chen")
    assert desk.url == base + "/clinic/"
    check_accessibility(desk, base)
    desk.goto("/clinic/invites/")
    desk.click("text=Make an invitation")
    code = desk.inner_text("#invite-code").strip()
    check_accessibility(desk, base)

    # The patient accepts it with the code.
    _sign_in(phone, "alice")
    phone.goto("/care/")
    check_accessibility(phone, base)
    phone.fill("#id_code", code)
    phone.click("form[aria-labelledby=code-h] button[type=submit]")
    phone.wait_for_url(base + "/care/")
    assert "Dr Chen, since" in phone.inner_text("#linked")

    # The patient reports a warning sign.
    phone.goto("/symptom/")
    phone.check("input[name=warning_signs][value=radiating_leg_pain]")
    phone.click("form button[type=submit]")
    phone.goto("/")
    assert "clear you from their own account" in phone.content()

    # The clinician sees her first, with the reason, and clears the stop.
    desk.goto("/clinic/")
    first = desk.locator("#patients tbody tr").first
    assert "alice" in first.inner_text()
    assert "Stopped: awaiting review" in first.inner_text()
    first.locator("a").click()
    desk.wait_for_url(f"{base}/clinic/patients/{alice.pk}/")
    check_accessibility(desk, base)
    desk.fill("#id_clear-reason", "Reviewed by phone: leg pain settling")
    desk.check("#id_clear-confirm")
    desk.click("#clear button[type=submit]")
    desk.wait_for_url(f"{base}/clinic/patients/{alice.pk}/")
    assert desk.locator("#clear").count() == 0

    # The patient sees the clearance, and who looked at her record.
    phone.goto("/")
    check_accessibility(phone, base)
    said = phone.inner_text("#from-clinician")
    assert "Dr Chen cleared a stop" in said
    assert "Reviewed by phone: leg pain settling" in said
    assert "Stop and see a professional" not in phone.content()
    phone.goto("/care/")
    assert "chen" in phone.inner_text("#who-looked")
    check_accessibility(phone, base)
    assert not clinician_watch.csp_violations(), clinician_watch.csp_violations()
    assert not patient_watch.csp_violations(), patient_watch.csp_violations()


def test_clinic_pages_pass_axe_on_a_phone(phone: Any, live_server: Any) -> None:
    base = live_server.url
    chen = _clinician("chen")
    alice = _enrolled("alice")
    services_care.link_create(person=alice, clinician=chen, via=LinkVia.DEMO)
    _sign_in(phone, "chen")
    for url in ("/clinic/", "/clinic/invites/", f"/clinic/patients/{alice.pk}/"):
        phone.goto(url)
        check_accessibility(phone, base)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)


def test_the_admin_page_passes_axe(desk: Any, live_server: Any) -> None:
    base = live_server.url
    ada = User.objects.create_user(username="ada", password=PASSWORD)
    services_care.role_grant(user=ada, role=Role.CLINIC_ADMIN)
    authenticator_app(ada)
    _sign_in(desk, "ada")
    assert desk.url == base + "/clinic/admin/"
    check_accessibility(desk, base)


def test_a_new_clinician_sets_up_an_authenticator_app_before_the_patient_list(
    desk: Any, live_server: Any
) -> None:
    base = live_server.url
    chen = _clinician("chen", with_app=False)
    alice = _enrolled("alice")
    services_care.link_create(person=alice, clinician=chen, via=LinkVia.DEMO)
    _sign_in(desk, "chen")
    assert desk.url.startswith(base + "/accounts/settings/two-factor/?next=")
    assert "alice" not in desk.content()
    check_accessibility(desk, base)
    desk.click("button[name=start]")
    desk.wait_for_load_state()
    assert desk.locator("figure.qr svg").count() == 1
    check_accessibility(desk, base)
    typed = desk.inner_text("#totp-secret").replace(" ", "")
    key = base64.b32decode(typed + "=" * (-len(typed) % 8)).hex()
    desk.fill("#id_code", code_from_secret(key))
    desk.click("form.card button[type=submit]")
    desk.wait_for_load_state()
    assert desk.locator("#backup-codes li").count() == 10
    check_accessibility(desk, base)
    desk.click("text=Continue")
    desk.wait_for_url(base + "/clinic/")
    assert "alice" in desk.inner_text("#patients")


# The time charts as drawn: how many show, their axis text size on screen.
CHARTS_SHOWN = """() => Array.from(document.querySelectorAll('svg.chart:not(.calendar)'))
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => Math.min(...Array.from(svg.querySelectorAll('.axis text'))
    .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)))"""


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_the_patient_page_shows_the_patients_charts_with_no_axe_violation(
    request: pytest.FixtureRequest, size: str, live_server: Any
) -> None:
    page = request.getfixturevalue(size)
    base = live_server.url
    watch = Watch(page)
    chen = _clinician("chen")
    alice = _enrolled("alice")
    services_care.link_create(person=alice, clinician=chen, via=LinkVia.DEMO)
    services.walk_log(person=alice, date=alice.start, minutes=12, pain_during=3)
    _sign_in(page, "chen")
    page.goto(f"/clinic/patients/{alice.pk}/")
    fonts = page.evaluate(CHARTS_SHOWN)
    assert len(fonts) == 4  # one drawing of each time chart at a time
    assert all(10 <= f <= 16 for f in fonts), fonts
    assert "You walked 12 minutes of" in page.inner_text("#patient-charts")
    assert axe_violations(page, base) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    # Another range swaps the charts in place, as on the patient's Progress page.
    page.click("#patient-charts a[href='?range=4w']")
    page.wait_for_url(f"{base}/clinic/patients/{alice.pk}/?range=4w")
    assert page.locator("#patient-charts a[aria-current=true]").inner_text() == (
        "4 weeks"
    )
    assert axe_violations(page, base) == []
    assert watch.csp_violations() == []


def test_an_invited_newcomer_signs_up_onboards_and_lands_on_the_invitation(
    phone: Any, live_server: Any
) -> None:
    base = live_server.url
    chen = _clinician("chen")
    made = services_care.invite_create(clinician=chen, now=timezone.now())
    with override_settings(WALKWELL_SIGNUP="invite"):
        phone.goto(f"/care/join/{made.token}/")
        phone.wait_for_url(base + "/accounts/sign-up/")
        assert "Dr Chen invited you to WalkWell" in phone.inner_text("main")
        check_accessibility(phone, base)
        phone.fill("#id_username", "dana")
        phone.fill("#id_password1", PASSWORD)
        phone.fill("#id_password2", PASSWORD)
        phone.click("form button[type=submit]")
        phone.wait_for_url("**/start/screening/")
        screening_all_no(phone)
        phone.wait_for_url("**/start/baseline/")
        starting_point(phone)
        phone.wait_for_url(base + "/care/join/")
        assert "Dr Chen" in phone.inner_text("main")
        check_accessibility(phone, base)
        phone.check("#id_confirm")
        phone.click("form button[type=submit]")
        phone.wait_for_url(base + "/care/")
        assert "Dr Chen, since" in phone.inner_text("#linked")
