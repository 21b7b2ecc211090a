"""The forms and the guided walk on a phone (390 x 844 CSS pixels) in real Chromium:
the check-in fits two screens, every 0-10 scale fits the width and works by keyboard
and by touch, and the guided walk's ring counts down and announces each interval."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.journey import Watch, check_accessibility, serve_axe
from tests.web.pages_support import PASSWORD, PROTOCOL, person, settled_weeks
from walkwell.web.program.models import CheckIn, Person, Walk

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# Two phone screens, header and footer included: the check-in is answered with at
# most one scroll. (It was 3,364 px before the scales were made compact.)
CHECKIN_MAX_HEIGHT = 2 * PHONE["height"]
# WCAG 2.2 target size (2.5.8) asks for 24 px; a thumb wants about 44 px of height.
MIN_SEGMENT_WIDTH = 24
MIN_SEGMENT_HEIGHT = 44


@pytest.fixture
def phone(browser: Any, live_server: Any, axe_source: Path) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        service_workers="block",
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    serve_axe(page, axe_source)
    yield page
    context.close()


def _sign_in(page: Any, base: str, who: Person) -> None:
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", who.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/")


def _enrolled(username: str, days_in: int = 7) -> Person:
    start = timezone.localdate() - dt.timedelta(days=days_in)
    return person(username, start, password=PASSWORD)


def _scales_fit(page: Any, name: str) -> None:
    """Each segment of the scale is on screen, thumb-high and wide enough."""
    boxes = [
        page.locator(f"label[for=id_{name}_{n}]").bounding_box() for n in range(11)
    ]
    assert all(b is not None for b in boxes)
    assert boxes[0]["x"] >= 0
    assert boxes[10]["x"] + boxes[10]["width"] <= PHONE["width"]
    assert len({round(b["y"]) for b in boxes}) == 1, f"{name} is one row"
    for box in boxes:
        assert box["width"] >= MIN_SEGMENT_WIDTH, (name, box)
        assert box["height"] >= MIN_SEGMENT_HEIGHT, (name, box)


def _checked(page: Any, name: str) -> str | None:
    value: str | None = page.evaluate(
        f"() => document.querySelector('input[name={name}]:checked')?.value ?? null"
    )
    return value


def _focused(page: Any) -> str:
    focused: str = page.evaluate("() => document.activeElement.id")
    return focused


def test_the_checkin_fits_two_screens_and_is_answered_by_keyboard_alone(
    phone: Any, live_server: Any
) -> None:
    base = live_server.url
    cara = _enrolled("cara")
    watch = Watch(phone)
    _sign_in(phone, base, cara)
    phone.goto("/check-in/")
    height = phone.evaluate("() => document.documentElement.scrollHeight")
    assert height <= CHECKIN_MAX_HEIGHT, f"check-in is {height}px tall"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    for name in ("pain", "sleep", "focus"):
        _scales_fit(phone, name)
    focus_scale = phone.locator("label[for=id_focus_10]").bounding_box()
    assert focus_scale["y"] + focus_scale["height"] <= PHONE["height"]  # first screen
    check_accessibility(phone, base)

    # Tab into the pain scale, arrows along it; Tab on to the next scale.
    phone.locator("#id_pain_0").focus()
    for _ in range(3):
        phone.keyboard.press("ArrowRight")
    assert _checked(phone, "pain") == "3"
    assert _focused(phone) == "id_pain_3"
    phone.keyboard.press("ArrowLeft")
    assert _checked(phone, "pain") == "2"
    phone.keyboard.press("Tab")
    assert _focused(phone) == "id_sleep_0"
    assert _checked(phone, "sleep") is None  # focus alone answers nothing
    phone.keyboard.press("Space")
    for _ in range(6):
        phone.keyboard.press("ArrowRight")
    phone.keyboard.press("Tab")
    assert _focused(phone) == "id_focus_0"
    phone.keyboard.press("ArrowLeft")  # wraps round to the far end
    assert _checked(phone, "focus") == "10"
    phone.keyboard.press("Tab")
    assert _focused(phone) == "id_stiffness"
    phone.keyboard.type("15")
    phone.keyboard.press("Tab")  # the date, behind "Checking in for an earlier day?"
    phone.keyboard.press("Tab")
    for sign in PROTOCOL.warning_sign_ids:
        assert _focused(phone) == f"id_sign_{sign}_0"
        phone.keyboard.press("Space")  # no
        phone.keyboard.press("Tab")
    assert _focused(phone) == "id_recurrence_0"  # the recurrence question
    phone.keyboard.press("Space")  # no
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")  # past the serious signs' disclosure
    phone.keyboard.press("Enter")
    phone.wait_for_url(base + "/")
    saved = CheckIn.objects.get(person=cara)
    assert (saved.pain, saved.sleep, saved.focus) == (2, 6, 10)
    assert saved.morning_stiffness_min == 15
    assert saved.warning_signs == []
    assert saved.recurrence is False
    assert not watch.errors, watch.errors


def test_an_unanswered_checkin_names_each_missing_answer_on_a_phone(
    phone: Any, live_server: Any
) -> None:
    base = live_server.url
    _sign_in(phone, base, _enrolled("dev"))
    phone.goto("/check-in/")
    phone.click("form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator("#id_pain_errors").inner_text() == (
        "Choose a number from 0 to 10 for your back pain this morning."
    )
    assert "for how well you slept" in phone.locator("#id_sleep_errors").inner_text()
    assert not CheckIn.objects.exists()
    check_accessibility(phone, base)


def test_walk_pain_is_tapped_on_the_scale_and_left_unrecorded_if_skipped(
    phone: Any, live_server: Any
) -> None:
    base = live_server.url
    eli = _enrolled("eli")
    _sign_in(phone, base, eli)
    phone.goto("/log/")
    for name in ("pain_before", "pain_during", "pain_after"):
        _scales_fit(phone, name)
        assert _checked(phone, name) == ""  # "Not recorded" until answered
    check_accessibility(phone, base)
    phone.tap("label[for=id_pain_during_4]")
    assert _checked(phone, "pain_during") == "4"
    for sign in PROTOCOL.warning_sign_ids:
        phone.tap(f"label[for=id_sign_{sign}_0]")
    phone.click("form button[type=submit]")
    phone.wait_for_url(base + "/")
    walk = Walk.objects.get(person=eli)
    assert (walk.pain_before, walk.pain_during, walk.pain_after) == (None, 4, None)


def test_the_outcome_measures_use_the_same_scale_on_a_phone(
    phone: Any, live_server: Any
) -> None:
    base = live_server.url
    _sign_in(phone, base, _enrolled("fay"))
    phone.goto("/measures/")
    _scales_fit(phone, "pain")
    _scales_fit(phone, "psfs_rating_1")
    check_accessibility(phone, base)


def _announcements(page: Any) -> list[str]:
    found: list[str] = page.evaluate("() => window.__said")
    return found


RECORD_LIVE_REGIONS = """
window.__said = [];
const regions = '[aria-live], [role=status], [role=alert]';
document.querySelectorAll(regions).forEach(el => { el.__last = el.textContent.trim(); });
new MutationObserver(() => {
  document.querySelectorAll(regions).forEach(el => {
    const text = el.textContent.trim();
    if (text && el.__last !== text) { el.__last = text; window.__said.push(text); }
  });
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""


def test_the_guided_walk_counts_down_on_a_ring_and_announces_each_interval(
    phone: Any, live_server: Any
) -> None:
    """Eight weeks in: phase 3, 3 minutes brisk then 1 slow, on a clock 60 times
    faster than real time (a second is a minute)."""
    base = live_server.url
    today = timezone.localdate()
    gus = person("gus", today - dt.timedelta(weeks=8), baseline=14, password=PASSWORD)
    settled_weeks(gus, gus.start, today)
    watch = Watch(phone)
    _sign_in(phone, base, gus)
    phone.goto("/walk/?speed=60")
    ring = phone.locator("#walk-progress")
    assert ring.get_attribute("role") == "progressbar"
    planned = int(ring.get_attribute("aria-valuemax"))
    assert planned >= 20 * 60
    box = ring.bounding_box()
    assert box["width"] >= 0.7 * PHONE["width"]  # the ring spans most of the width
    digits = phone.locator("#walk-left")
    assert (
        float(digits.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 56
    )
    check_accessibility(phone, base)

    phone.uncheck("#walk-voice")
    phone.evaluate(RECORD_LIVE_REGIONS)
    phone.click("#walk-start")
    phone.wait_for_function(
        "() => document.getElementById('walk-cue').textContent.startsWith('Slow')",
        timeout=10_000,
    )
    said = _announcements(phone)
    assert said[0] == "Let's walk. Brisk for 3 minutes.", said
    assert said[-1] == "Slow for 1 minute.", said
    # About four walk-minutes passed: the ring moved every second, but the live
    # regions spoke only at the start, at the two-minute cue and at the change of
    # interval.
    walked = int(ring.get_attribute("aria-valuenow"))
    assert walked >= 180
    cues = set(gus_cues(phone))
    assert all(s in cues for s in said[1:-1]), said
    assert len(said) <= 4, said
    text = ring.get_attribute("aria-valuetext")
    assert re.fullmatch(r"\d+ minutes( \d+ seconds?)? left of \d+ minutes", text), text
    left = _seconds(digits.inner_text())
    assert left <= planned - 180  # at least the 180 s walked, as asserted above
    offset = float(phone.locator("#walk-ring").get_attribute("stroke-dashoffset"))
    assert offset == pytest.approx(100 * walked / planned, abs=1.5)
    assert phone.locator("#walk-stretch").is_visible()
    assert phone.locator("#walk-interval").inner_text().startswith("Slow: ")
    check_accessibility(phone, base)

    # Paused: the ring stops, the screen may sleep again.
    phone.click("#walk-pause")
    paused_at = ring.get_attribute("aria-valuenow")
    assert phone.evaluate("() => document.documentElement.dataset.wakeLock") == (
        "released"
    )
    phone.wait_for_timeout(1200)
    assert ring.get_attribute("aria-valuenow") == paused_at
    assert "walk-ring" in phone.content()
    assert not watch.errors, watch.errors


def gus_cues(page: Any) -> list[str]:
    cues: list[str] = page.evaluate(
        "() => JSON.parse(document.getElementById('walk-config').textContent).cues"
    )
    return cues


def _seconds(clock: str) -> int:
    minutes, seconds = clock.split(":")
    return int(minutes) * 60 + int(seconds)


def test_the_screen_is_kept_awake_while_walking_and_let_go_at_the_end(
    phone: Any, live_server: Any
) -> None:
    base = live_server.url
    _sign_in(phone, base, _enrolled("hal"))
    phone.goto("/walk/?speed=120")
    phone.uncheck("#walk-voice")
    state = "() => document.documentElement.dataset.wakeLock"
    assert phone.evaluate(state) == "released"
    phone.click("#walk-start")
    phone.wait_for_function(f"({state})() !== 'asking'", timeout=5_000)
    # Chromium grants a screen wake lock to a visible page on localhost.
    assert phone.evaluate(state) == "held"
    assert phone.locator("#walk-awake").inner_text() == (
        "The screen stays on while you walk."
    )
    phone.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    assert phone.evaluate(state) == "held"  # asked again only when it was lost
    phone.click("#walk-pause")
    assert phone.evaluate(state) == "released"
    assert phone.locator("#walk-awake").inner_text() == ""
    phone.click("#walk-pause")  # resume
    phone.click("#walk-finish")
    assert phone.locator("#walk-cooldown").is_visible()
    bar = phone.locator("#walk-cooldown-progress")
    assert bar.get_attribute("role") == "progressbar"
    phone.wait_for_function(
        "() => Number(document.getElementById('walk-cooldown-progress')"
        ".getAttribute('aria-valuenow')) > 0"
    )
    phone.click("#walk-end-cooldown")
    phone.wait_for_url(re.compile(r"/log/\?"))


def test_leaving_the_cooldown_early_does_not_claim_it_was_done(
    phone: Any, live_server: Any
) -> None:
    """Stop, go on to the cooldown, and log the walk with most of it left: the
    log form leaves "did you do the decompression?" for the person to answer."""
    _sign_in(phone, live_server.url, _enrolled("ivy"))
    phone.goto("/walk/")
    phone.uncheck("#walk-voice")
    phone.click("#walk-start")
    phone.click("#walk-whisper")
    phone.click("#walk-why-form button[type=submit]")
    assert phone.locator("#walk-cooldown").is_visible()
    phone.click("#walk-end-cooldown")
    phone.wait_for_url(re.compile(r"/log/\?"))
    assert "cooldown=1" not in phone.url
    assert not phone.is_checked("#id_cooldown_0")
    assert not phone.is_checked("#id_cooldown_1")
