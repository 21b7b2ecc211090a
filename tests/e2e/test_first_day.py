"""A person's first day, in real Chromium against ``walkwell serve`` (its own SQLite
file and the import worker it starts): sign up, screening, baseline, the morning
check-in, a warning sign added to it, the stop on Today, a walk file uploaded on the
import page and read by the worker, and Progress showing that walk. On a desktop and
on a phone (touch, bottom tab bar), with axe-core on every page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.journey import Watch, axe_violations, screenshot, serve_axe
from tests.e2e.serving import served
from tests.imports.walks import walk_gpx
from walkwell.core.instruments import START_BACK_ITEMS
from walkwell.core.protocol import load_protocol

pytestmark = pytest.mark.e2e

PROTOCOL = load_protocol("seed-3-phase")
PASSWORD = "walk-tall-every-day-2026"  # noqa: S105 - a test account
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TABS = ("Today", "Walk", "Check-in", "Progress")
# Words that belong to a day of walking, never to a stop.
KEEP_WALKING = ("keep walking", "keep going", "step up", "habit idea", "streak")
IMPORT_WAIT_MS = 60_000
PAGES = {
    "/accounts/sign-up/",
    "/start/screening/",
    "/start/baseline/",
    "/plan/",
    "/",
    "/check-in/",
    "/imports/",
    "/imports/1/",
    "/progress/",
}


class Visit:
    """Drives one person's browser: taps on a phone, clicks on a desktop, and runs
    axe-core on every page it reaches."""

    def __init__(self, page: Any, base: str, *, phone: bool) -> None:
        self.page = page
        self.base = base
        self.phone = phone
        self.watch = Watch(page)
        self.findings: list[tuple[str, list[tuple[str, str]]]] = []

    def press(self, target: Any) -> None:
        if self.phone:
            target.tap()
        else:
            target.click()

    def submit(self) -> None:
        self.press(self.page.locator("main form button[type=submit]").last)

    def checked(self) -> None:
        """axe-core on the page as it is now."""
        path = self.page.url.removeprefix(self.base)
        self.findings.append((path, axe_violations(self.page, self.base)))

    def nav(self, label: str) -> None:
        """Reach a place the way a person would: a visible tab or link of the main
        navigation, or on a phone "More" and then the place."""
        links = self.page.locator("nav.main a:visible", has_text=re.compile(label))
        if links.count() == 0:
            assert self.phone, f"the desktop navigation has no {label!r}"
            self.press(self.page.locator("nav.main a:visible", has_text="More"))
            self.page.wait_for_url("**/more/")
            self.checked()
            links = self.page.locator("main").get_by_role("link", name=label)
        self.press(links.first)
        self.page.wait_for_load_state()

    def text(self) -> str:
        return str(self.page.locator("body").inner_text())


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    with served(tmp_path / "home") as url:
        yield url


def _visit(browser: Any, site: str, axe: Path, *, phone: bool) -> Iterator[Visit]:
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        has_touch=phone,
        is_mobile=phone,
        device_scale_factor=2 if phone else 1,
        base_url=site,
        service_workers="block",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    serve_axe(page, axe)
    yield Visit(page, site, phone=phone)
    context.close()


@pytest.fixture(params=["desktop", "phone"])
def visit(
    request: pytest.FixtureRequest, browser: Any, site: str, axe_source: Path
) -> Iterator[Visit]:
    yield from _visit(browser, site, axe_source, phone=request.param == "phone")


def _sign_up(v: Visit) -> None:
    v.page.goto("/accounts/sign-up/")
    v.checked()
    v.page.fill("#id_username", "nora")
    v.page.fill("#id_email", "nora@example.org")
    v.page.fill("#id_password1", PASSWORD)
    v.page.fill("#id_password2", PASSWORD)
    v.submit()
    v.page.wait_for_url("**/start/screening/")
    assert v.page.locator("nav.main a:visible").all_inner_texts() != []
    for tab in TABS:  # onboarding shows only what onboarding can use
        assert v.page.locator("nav.main a:visible", has_text=tab).count() == 0


def _onboard(v: Visit) -> None:
    v.checked()
    for sign in PROTOCOL.red_flag_ids:
        v.page.check(f"#id_sign_{sign}_0")
    v.submit()
    v.page.wait_for_url("**/start/baseline/")
    v.checked()
    v.page.fill("#id_baseline_minutes", "12")
    v.page.check("#id_pain_4")
    v.page.select_option("#id_footwear", "supportive")
    v.page.fill("#id_psfs_activity_1", "Putting on socks")
    v.page.check("#id_psfs_rating_1_4")
    for item in START_BACK_ITEMS:
        v.page.check(f"#id_sb_{item.id}_0")
    v.submit()
    v.page.wait_for_url("**/plan/")
    v.checked()
    v.press(v.page.get_by_role("link", name="Go to today"))
    v.page.wait_for_url(v.base + "/")
    v.checked()
    assert v.page.locator("#escalation").count() == 0
    if not v.phone:  # the wide navigation, Import included, on a first day
        screenshot(v.page, "desktop-today", full_page=False)


def _check_in(v: Visit) -> None:
    v.nav("Check-in")
    v.page.wait_for_url("**/check-in/")
    v.checked()
    v.page.check("#id_pain_3")
    v.page.fill("#id_stiffness", "20")
    v.page.check("#id_sleep_6")
    v.page.check("#id_focus_7")
    for sign in PROTOCOL.warning_sign_ids:
        v.page.check(f"#id_sign_{sign}_0")
    v.submit()
    v.page.wait_for_url(v.base + "/")
    assert "Check-in saved" in v.text()
    assert v.page.locator("#escalation").count() == 0
    v.checked()


def _amend_with_a_warning_sign(v: Visit) -> None:
    """Later the same morning pain travels down one leg: the check-in is changed."""
    v.nav("Check-in")
    v.page.wait_for_url("**/check-in/")
    assert "already checked in today" in v.text()
    assert v.page.input_value("#id_stiffness") == "20"  # today's answers shown
    v.checked()
    v.page.check("#id_sign_radiating_leg_pain_1")
    v.submit()
    v.page.wait_for_url(v.base + "/")


def _stop_on_today(v: Visit) -> None:
    stop = v.page.locator("#escalation")
    assert stop.is_visible()
    assert stop.locator("h1").inner_text().startswith("Stop and see a professional")
    assert stop.locator(".lead").inner_text().strip()  # what to do now
    assert "Did pain travel down one leg" in stop.inner_text()
    said = v.text().lower()
    for words in KEEP_WALKING:
        assert words not in said, f"a stop day says {words!r}"
    v.checked()
    if v.phone:
        screenshot(v.page, "stop")


def _walk_file(folder: Path) -> Path:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    midnight = now.replace(hour=0, minute=0, second=0)
    start = max(now - dt.timedelta(minutes=20), midnight + dt.timedelta(seconds=1))
    path = folder / "morning-walk.gpx"
    path.write_text(walk_gpx(start, minutes=12), encoding="utf-8")
    return path


def _upload(v: Visit, walk: Path) -> None:
    v.nav("Import")
    v.page.wait_for_url("**/imports/")
    v.checked()
    v.page.set_input_files("#files", str(walk))
    v.submit()
    v.page.wait_for_url(re.compile(r"/imports/\d+/$"))
    # The worker started by `walkwell serve` reads it; the page polls until done.
    v.page.get_by_text("Done: 1 new walk").wait_for(timeout=IMPORT_WAIT_MS)
    v.checked()
    if v.phone:
        screenshot(v.page, "import")


def _progress(v: Visit) -> None:
    v.nav("Progress")
    v.page.wait_for_url("**/progress/")
    assert "You walked 12 minutes" in v.text()
    assert v.page.locator("svg.chart:visible").count() >= 1
    v.checked()


def test_the_first_day_from_sign_up_to_an_imported_walk_on_progress(
    visit: Visit, tmp_path: Path
) -> None:
    _sign_up(visit)
    _onboard(visit)
    _check_in(visit)
    _amend_with_a_warning_sign(visit)
    _stop_on_today(visit)
    _upload(visit, _walk_file(tmp_path))
    _progress(visit)
    visited = {path for path, _ in visit.findings}
    assert visited >= PAGES, PAGES - visited
    # axe-core: no violation of any impact on any page visited.
    found = [(path, v) for path, violations in visit.findings for v in violations]
    assert not found, found
    assert not visit.watch.csp_violations(), visit.watch.csp_violations()
