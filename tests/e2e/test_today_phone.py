"""Today at a glance on a phone (390 x 844 CSS pixels) in real Chromium: the whole
page is at most two screens tall, and the first screen holds the decision, today's
walk and its start button (on a stop day: the stop and what to do now first), for a
new person, a person in Strengthen and a stop day. axe-core finds nothing at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from benchmarks import trackgen
from tests.e2e.journey import Watch, axe_violations, screenshot, serve_axe
from tests.web.pages_support import PASSWORD, person, settled_weeks
from walkwell.core.shape import unpack
from walkwell.importers.base import Activity
from walkwell.importers.dispatch import iter_path
from walkwell.web.imports import judging
from walkwell.web.program import services
from walkwell.web.program.models import Person, WalkSource

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
MAX_HEIGHT = 2 * PHONE["height"]


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


def _today(page: Any, base: str, who: Person) -> Watch:
    watch = Watch(page)
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", who.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/")
    return watch


def _first_screen_bottom(page: Any) -> float:
    """The foot of what a phone shows without scrolling: above the fixed tab bar."""
    bar = page.locator("nav.main").bounding_box()
    return min(float(PHONE["height"]), bar["y"] if bar else PHONE["height"])


def _in_first_screen(page: Any, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    bottom = _first_screen_bottom(page)
    assert box["y"] + box["height"] <= bottom, (
        f"{selector} ends at {box['y'] + box['height']:.0f}px, below the first "
        f"screen ({bottom:.0f}px)"
    )


def _at_a_glance(
    page: Any, base: str, watch: Watch, *, walk_first: bool = True
) -> None:
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= MAX_HEIGHT, f"Today is {height}px tall"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    _in_first_screen(page, "#plan-h")
    if walk_first:
        _in_first_screen(page, "#today-walk .walk-facts")
        _in_first_screen(page, "#start-walk")
    assert axe_violations(page, base) == []
    assert not watch.errors, watch.errors


def test_a_new_persons_today_reads_at_a_glance(phone: Any, live_server: Any) -> None:
    nina = person("nina", timezone.localdate(), password=PASSWORD)
    watch = _today(phone, live_server.url, nina)
    _at_a_glance(phone, live_server.url, watch)
    # the details are one tap away, by keyboard too
    why = phone.locator("#why > summary")
    why.focus()
    phone.keyboard.press("Enter")
    assert phone.locator("#why li").first.is_visible()


def test_today_in_strengthen_reads_at_a_glance(phone: Any, live_server: Any) -> None:
    today = timezone.localdate()
    vera = person("vera", today - dt.timedelta(weeks=8), baseline=14, password=PASSWORD)
    settled_weeks(vera, vera.start, today)
    watch = _today(phone, live_server.url, vera)
    assert "Phase 3: Strengthen" in phone.content()
    _at_a_glance(phone, live_server.url, watch)
    screenshot(phone, "today-phone", full_page=False)


def test_a_stop_day_puts_the_stop_first(phone: Any, live_server: Any) -> None:
    today = timezone.localdate()
    sam = person("sam", today - dt.timedelta(days=10), password=PASSWORD)
    services.checkin_record(
        person=sam,
        date=today,
        pain=4,
        morning_stiffness_min=20,
        sleep=5,
        focus=5,
        warning_signs=["numbness_tingling"],
    )
    services.walk_log(
        person=sam,
        date=today - dt.timedelta(days=1),
        minutes=14,
        source=WalkSource.IMPORT,
        imported=services.ImportedMetrics(content_hash="sam-watch-1", distance_m=1200),
    )
    watch = _today(phone, live_server.url, sam)
    escalation = phone.locator("#escalation")
    assert escalation.evaluate(
        "e => e === document.querySelector('main h1').closest('#escalation')"
    )
    _in_first_screen(phone, "#escalation h1")
    _in_first_screen(phone, "#escalation .actions")  # what to do now
    # the gentle walk starts in the first screen, below the stop; its facts and
    # start button follow it (nothing competes with the stop)
    _at_a_glance(phone, live_server.url, watch, walk_first=False)
    assert phone.locator("#start-walk").is_visible()
    screenshot(phone, "stop-phone", full_page=False)


def _interval_speed(second: int) -> float:
    return 1.8 if second % 240 < 180 else 0.9  # 3 minutes brisk, 1 minute slow


def _walk_with_a_shape(who: Person, day: dt.date, tmp_path: Path) -> int:
    (tmp_path / "intervals.gpx").write_text(trackgen.gpx_text(40 * 60, _interval_speed))
    (item,) = [i for i in iter_path(tmp_path) if isinstance(i, Activity)]
    found = judging.judge(item)
    assert isinstance(found, judging.FoundWalk)
    assert found.shape is not None
    walk = services.walk_log(
        person=who,
        date=day,
        minutes=found.minutes,
        source=WalkSource.IMPORT,
        imported=services.ImportedMetrics(
            content_hash=found.content_hash,
            distance_m=found.distance_m,
            shape=unpack(found.shape),
        ),
    )
    return int(walk.pk)


def test_the_pictures_follow_the_cues_and_a_walk_shows_its_shape(
    phone: Any, live_server: Any, tmp_path: Path
) -> None:
    base = live_server.url
    today = timezone.localdate()
    pia = person("pia", today - dt.timedelta(days=3), password=PASSWORD)
    walk_id = _walk_with_a_shape(pia, today - dt.timedelta(days=1), tmp_path)
    watch = _today(phone, base, pia)

    # Today: the shape one tap away, drawn here, nothing fetched from elsewhere
    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    phone.reload()
    phone.click(f"#imported-{walk_id}-h ~ details:nth-of-type(2) > summary")
    route = phone.locator(".walk-shape svg").first
    assert route.is_visible()
    assert phone.locator(".walk-shape .route.brisk").count() >= 3
    assert phone.locator(".walk-shape .route.slow").count() >= 3
    assert axe_violations(phone, base) == []
    screenshot(phone, "walk-shape")
    assert all(u.startswith(base) for u in requests), requests

    phone.goto(f"/imports/walks/{walk_id}/answers/")
    assert phone.locator(".walk-shape .profile").is_visible()
    assert axe_violations(phone, base) == []

    # the guided walk: each cue's drawing at the moment it is spoken
    phone.goto("/walk/?speed=60")
    posture = phone.locator("#walk-picture [data-picture=posture]")
    swing = phone.locator("#walk-picture [data-picture=arm-swing]")
    assert posture.is_visible()
    assert axe_violations(phone, base) == []
    phone.uncheck("#walk-voice")
    phone.click("#walk-start")
    assert posture.is_visible()
    phone.wait_for_function(
        "() => !document.querySelector('#walk-picture [data-picture=arm-swing]').hidden",
        timeout=10_000,
    )
    assert swing.is_visible()
    assert not posture.is_visible()
    assert "arms swing" in phone.locator("#walk-cue").inner_text()

    for url in ("/learn/", "/learn/posture/", "/learn/recovery/", "/progress/"):
        phone.goto(url)
        assert axe_violations(phone, base) == [], url
    phone.goto("/learn/posture/")
    assert phone.locator("figure.move svg[role=img]").count() == 4
    screenshot(phone, "learn-posture")
    assert not watch.csp_violations(), watch.csp_violations()


def test_reduced_motion_stills_the_drawings(browser: Any, live_server: Any) -> None:
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, reduced_motion="reduce"
    )
    page = context.new_page()
    today = timezone.localdate()
    rae = person("rae", today - dt.timedelta(days=3), password=PASSWORD)
    _today(page, live_server.url, rae)
    page.goto("/walk/")
    still = page.evaluate(
        "() => getComputedStyle(document.querySelector('#walk-picture .swing-front')).animationName"
    )
    assert still == "none"
    context.close()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    _today(page, live_server.url, rae)
    page.goto("/walk/")
    moving = page.evaluate(
        "() => getComputedStyle(document.querySelector('#walk-picture .swing-front')).animationName"
    )
    assert moving == "ww-swing"
    context.close()
