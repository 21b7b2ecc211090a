"""Reminders by email in real Chromium, on a phone: turning them on in Settings
(with an address, when the account has none), and the unsubscribe pages a
stranger's browser opens from an email, each passing axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.e2e.journey import check_accessibility, serve_axe
from tests.e2e.test_navigation import PHONE, _signed_in
from walkwell.web.accounts import unsubscribe
from walkwell.web.accounts.models import Preferences

pytestmark = pytest.mark.e2e


def test_reminders_are_turned_on_in_settings_and_off_from_the_email(
    browser: Any, live_server: Any, axe_source: Path, walker: User
) -> None:
    page = _signed_in(browser, live_server, axe_source, walker, PHONE)
    page.goto("/accounts/settings/")
    page.check("#id_email_walks")
    page.click("button:has-text('Save settings')")
    assert "Reminders by email need an address" in page.content()
    check_accessibility(page, live_server.url)
    page.fill("#id_reminder_email", "walker@example.org")
    page.click("button:has-text('Save settings')")
    page.wait_for_selector("text=Settings saved.")
    assert Preferences.objects.get(user=walker).email_walks
    page.context.close()

    stranger = browser.new_context(
        viewport=PHONE, base_url=live_server.url, service_workers="block"
    )
    opened = stranger.new_page()
    serve_axe(opened, axe_source)
    opened.goto(f"/accounts/unsubscribe/{unsubscribe.token_for(walker.pk, 'walks')}/")
    assert opened.locator("h1").inner_text() == "Stop walk reminders?"
    check_accessibility(opened, live_server.url)
    opened.click("button:has-text('Stop walk reminders')")
    opened.wait_for_selector("h1:has-text('Reminders stopped')")
    check_accessibility(opened, live_server.url)
    assert not Preferences.objects.get(user=walker).email_walks
    opened.goto("/accounts/unsubscribe/not-a-token/")
    assert opened.locator("h1").inner_text() == "This link does not work"
    check_accessibility(opened, live_server.url)
    stranger.close()
