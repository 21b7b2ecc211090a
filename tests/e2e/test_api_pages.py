"""The API's docs page and the Settings section for tokens, in the real browser."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.journey import Watch, check_accessibility, serve_axe
from tests.web.pages_support import PASSWORD, person

pytestmark = pytest.mark.e2e

SIZES = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(params=sorted(SIZES))
def page(
    request: pytest.FixtureRequest, browser: Any, live_server: Any, axe_source: Path
) -> Iterator[Any]:
    context = browser.new_context(
        viewport=SIZES[request.param],
        base_url=live_server.url,
        service_workers="block",
    )
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    serve_axe(opened, axe_source)
    yield opened
    context.close()


def test_the_docs_page_draws_every_operation_under_the_sites_csp(
    page: Any, live_server: Any
) -> None:
    watch = Watch(page)
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock", state="attached")
    text = page.locator("#swagger-ui").inner_text()
    assert "/api/v1/me/today" in text
    assert "/api/v1/patients/{person_id}" in text
    assert watch.csp_violations() == []


def test_a_token_is_made_copied_once_and_revoked_from_settings(
    page: Any, live_server: Any
) -> None:
    start = timezone.localdate() - dt.timedelta(days=3)
    who = person("tess", start, password=PASSWORD)
    watch = Watch(page)
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", who.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto("/accounts/settings/")
    page.fill("#id_name", "phone")
    page.get_by_role("button", name="Make a token").click()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("ww_")
    check_accessibility(page, live_server.url)
    page.get_by_role("button", name="Revoke “phone”").click()
    page.wait_for_url(live_server.url + "/accounts/settings/")
    assert "no longer works" in page.locator("body").inner_text()
    assert secret not in page.content()
    check_accessibility(page, live_server.url)
    assert watch.csp_violations() == []
