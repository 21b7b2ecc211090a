"""The whole journey in a real browser: sign up, screen, baseline, today, a guided
walk on a fast clock, the log, the check-in and the progress charts, with axe-core
checking every page and no Content Security Policy violation anywhere."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.journey import (
    Watch,
    answer_no,
    check_accessibility,
    screening_all_no,
    screenshot,
    serve_axe,
    starting_point,
)
from tests.web.pages_support import person, settled_weeks
from walkwell.core.protocol import load_protocol
from walkwell.web.program import services
from walkwell.web.program.models import WalkSource

pytestmark = pytest.mark.e2e

PROTOCOL = load_protocol("seed-3-phase")
PASSWORD = "walk-tall-every-day-2026"  # noqa: S105 - a test account


@pytest.fixture
def page(browser: Any, live_server: Any, axe_source: Path) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 412, "height": 900},
        base_url=live_server.url,
        service_workers="block",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    serve_axe(page, axe_source)
    yield page
    context.close()


def _sign_up(page: Any, base: str, username: str) -> None:
    page.goto("/accounts/sign-up/")
    check_accessibility(page, base)
    page.fill("#id_username", username)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/start/screening/")


def _onboard(page: Any, base: str) -> None:
    check_accessibility(page, base)
    screening_all_no(page)
    page.wait_for_url("**/start/baseline/")
    check_accessibility(page, base)
    starting_point(page)
    page.wait_for_url("**/plan/")
    check_accessibility(page, base)
    assert page.locator(".timeline li").count() == len(PROTOCOL.phases)


def _seconds(clock: str) -> int:
    minutes, seconds = clock.split(":")
    return int(minutes) * 60 + int(seconds)


def _guided_walk(page: Any, base: str) -> None:
    page.goto("/walk/?speed=120")
    check_accessibility(page, base)
    page.uncheck("#walk-voice")
    page.click("#walk-start")
    page.wait_for_timeout(1500)  # three minutes of walk time
    assert page.locator("#walk-running").is_visible()
    assert "ears over your shoulders" in page.locator("#walk-cue").inner_text() or (
        "arms swing" in page.locator("#walk-cue").inner_text()
    )
    elapsed = _seconds(page.locator("#walk-clock").inner_text())
    assert elapsed >= 120
    page.reload()  # the walk carries on across a reload
    assert page.locator("#walk-running").is_visible()
    assert _seconds(page.locator("#walk-clock").inner_text()) >= elapsed
    assert "carried on" in page.locator("#walk-status").inner_text()
    # 12 minutes at 120x is 6 s; then the 2-minute cooldown, then the log form.
    page.locator("#walk-cooldown").wait_for(state="visible", timeout=15_000)
    assert "arms overhead" in page.locator("#walk-cooldown").inner_text()
    page.wait_for_url(re.compile(r"/log/\?"), timeout=15_000)


def _log_the_walk(page: Any, base: str) -> None:
    assert page.input_value("#id_minutes") == "12"
    assert page.is_checked("#id_cooldown_1")  # cooldown done: yes
    check_accessibility(page, base)
    page.check("#id_pain_before_3")
    page.check("#id_pain_during_4")
    page.check("#id_pain_after_3")
    answer_no(page, list(PROTOCOL.warning_sign_ids))
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator(".errorlist").evaluate_all(
        "els => els.map(e => e.id + e.textContent)"
    )
    assert not errors, errors
    page.wait_for_url(base + "/")
    assert "Walk of 12 minutes saved." in page.content()
    assert "(1 done)" in page.content()


def _check_in(page: Any, base: str) -> None:
    page.goto("/check-in/")
    check_accessibility(page, base)
    page.click("form button[type=submit]")  # empty: errors beside the fields
    assert page.locator("#id_pain_errors").is_visible()
    assert page.locator("#id_sign_numbness_tingling_errors").is_visible()
    page.check("#id_pain_3")
    page.fill("#id_stiffness", "20")
    page.check("#id_sleep_6")
    page.check("#id_focus_7")
    answer_no(page, list(PROTOCOL.warning_sign_ids))
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/")
    assert "Check-in saved" in page.content()


def _progress(page: Any, base: str) -> None:
    page.goto("/progress/")
    assert page.locator("svg.chart:visible").count() == 5
    for chart in page.locator("svg.chart:not(.calendar):visible").all():
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 300
    assert "You walked 12 minutes" in page.content()
    check_accessibility(page, base)
    page.click("text=1 year")  # htmx swaps the charts in place
    page.wait_for_url("**range=1y")
    assert page.locator("svg.chart:visible").count() == 5


def test_the_whole_journey(page: Any, live_server: Any) -> None:
    base = live_server.url
    watch = Watch(page)
    _sign_up(page, base, "alice")
    _onboard(page, base)
    page.click("text=Go to today")
    page.wait_for_url(base + "/")
    check_accessibility(page, base)
    assert "Your plan starts today" in page.content()
    _guided_walk(page, base)
    _log_the_walk(page, base)
    _check_in(page, base)
    _progress(page, base)
    for url in ("/imports/", "/learn/", "/learn/when-to-stop/", "/accounts/settings/"):
        page.goto(url)
        check_accessibility(page, base)
    assert not watch.csp_violations(), watch.csp_violations()


def test_stop_at_the_whisper_asks_why_and_prefills_the_log(
    page: Any, live_server: Any
) -> None:
    base = live_server.url
    _sign_up(page, base, "wes")
    _onboard(page, base)
    page.goto("/walk/?speed=60")
    page.uncheck("#walk-voice")
    page.click("#walk-start")
    page.wait_for_timeout(1200)
    page.click("#walk-whisper")
    assert page.locator("#walk-why").is_visible()
    check_accessibility(page, base)
    page.check("#why-radiating_leg_pain")
    page.click("#walk-why-form button[type=submit]")
    assert page.locator("#walk-cooldown").is_visible()
    page.click("#walk-skip-cooldown")
    page.wait_for_url(re.compile(r"/log/\?"))
    assert page.input_value("#id_minutes") == "1"
    assert page.is_checked("#id_sign_radiating_leg_pain_1")  # yes
    assert page.is_checked("#id_cooldown_0")  # cooldown: no
    assert "You stopped early" in page.content()


def test_an_emergency_answer_ends_onboarding_in_the_browser(
    page: Any, live_server: Any
) -> None:
    base = live_server.url
    _sign_up(page, base, "eve")
    page.check("#id_sign_saddle_numbness_1")
    answer_no(page, [s for s in PROTOCOL.red_flag_ids if s != "saddle_numbness"])
    page.click("button[type=submit]")
    page.wait_for_url("**/start/seek-care/")
    assert page.locator("[role=alert] h1").inner_text() == (
        "Go to an emergency department now"
    )
    check_accessibility(page, base)
    page.goto("/")
    assert page.locator("#escalation").is_visible()
    assert page.locator("text=Start a guided walk").count() == 0
    check_accessibility(page, base)


def test_eight_weeks_in_for_the_screenshots(page: Any, live_server: Any) -> None:
    """Someone eight weeks into the program: Today, a phase-3 guided walk with its
    brisk and slow stretches, and Progress with phase changes marked."""
    base = live_server.url
    today = timezone.localdate()
    vera = person("vera", today - dt.timedelta(weeks=8), baseline=14, password=PASSWORD)
    settled_weeks(vera, vera.start, today)
    page.goto("/accounts/sign-in/")
    check_accessibility(page, base)
    page.fill("#id_username", "vera")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/")
    assert "Phase 3: Strengthen" in page.content()
    check_accessibility(page, base)
    screenshot(page, "today")
    page.goto("/walk/?speed=60")
    page.uncheck("#walk-voice")
    page.click("#walk-start")
    page.wait_for_timeout(1500)
    assert "Brisk" in page.locator("#walk-interval").inner_text()
    check_accessibility(page, base)
    screenshot(page, "guided-walk")
    page.goto("/progress/")
    assert "Phase 2</text>" in page.content()
    assert "Phase 3</text>" in page.content()
    check_accessibility(page, base)
    screenshot(page, "progress")


def test_an_imported_walk_is_answered_on_today(page: Any, live_server: Any) -> None:
    """A watch's walk waits on Today for how it felt; a warning sign escalates."""
    base = live_server.url
    today = timezone.localdate()
    ida = person("ida", today - dt.timedelta(days=7), password=PASSWORD)
    walk = services.walk_log(
        person=ida,
        date=today,
        minutes=14,
        source=WalkSource.IMPORT,
        imported=services.ImportedMetrics(content_hash="ida-watch-1", distance_m=1200),
    )
    watch = Watch(page)
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", "ida")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/")
    form = page.locator(f"form[action='/imports/walks/{walk.pk}/answers/']")
    assert not form.is_visible()  # one tap away, so Today stays short
    page.click(f"#imported-{walk.pk}-h + details > summary")
    assert form.is_visible()
    check_accessibility(page, base)
    prefix = f"#id_walk{walk.pk}-"
    page.check(f"{prefix}pain_before_3")
    page.check(f"{prefix}pain_during_4")
    form.locator("button[type=submit]").click()  # unanswered questions: errors
    page.wait_for_url(f"**/imports/walks/{walk.pk}/answers/")
    assert page.locator(f"{prefix}pain_after_errors").is_visible()
    assert page.locator(f"{prefix}cooldown_errors").is_visible()
    check_accessibility(page, base)
    page.check(f"{prefix}pain_after_3")
    for sign in PROTOCOL.warning_sign_ids:
        answer = 1 if sign == "numbness_tingling" else 0
        page.check(f"{prefix}sign_{sign}_{answer}")
    page.check(f"{prefix}cooldown_1")
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/")
    assert page.locator("#escalation").is_visible()
    assert "Answers saved for your walk" in page.content()
    assert (
        page.locator(f"form[action='/imports/walks/{walk.pk}/answers/']").count() == 0
    )
    check_accessibility(page, base)
    assert not watch.csp_violations(), watch.csp_violations()
