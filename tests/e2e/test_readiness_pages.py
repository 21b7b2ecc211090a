"""The re-screen and readiness pages in real Chromium, at desktop and phone sizes:
no sideways scrolling on a phone, no serious axe violations, and the stop screen
leading to the re-screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.e2e.journey import check_accessibility
from tests.e2e.test_navigation import DESKTOP, PHONE, _signed_in
from walkwell.web.program import services

pytestmark = pytest.mark.e2e


@pytest.fixture
def stopped(transactional_db: None) -> User:
    """Someone whose check-in this morning reported saddle numbness."""
    user = User.objects.create_user(username="stopped")
    today = timezone.localdate()
    person = services.enrollment_start(
        user=user, start=today - dt.timedelta(days=3), baseline_minutes=12
    )
    services.checkin_record(
        person=person,
        date=today,
        pain=3,
        morning_stiffness_min=10,
        sleep=6,
        focus=6,
        red_flags=["saddle_numbness"],
    )
    return user


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_rescreen_and_readiness_pages_pass_axe_and_fit_the_screen(
    browser: Any,
    live_server: Any,
    axe_source: Path,
    stopped: User,
    size: dict[str, int],
) -> None:
    page = _signed_in(browser, live_server, axe_source, stopped, size)
    page.goto("/")
    page.click("a[href='/rescreen/']")
    page.wait_for_url("**/rescreen/")
    assert page.locator("h1").inner_text() == "The safety questions again"
    check_accessibility(page, live_server.url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"]
    for address in ("/readiness/", "/accounts/settings/", "/more/"):
        page.goto(address)
        check_accessibility(page, live_server.url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{address} is {width}px wide"
    page.goto("/readiness/")
    page.check("input[value='pregnancy']")
    page.click("button:has-text('Save my answers')")
    page.wait_for_url("**/readiness/")
    assert "no daypack" in page.content()
    page.context.close()
