"""The main navigation in real Chromium: on a phone one row of tabs at the bottom,
nothing wider than the screen, nothing hidden behind the bar, "More" reaching the
plan and the measures; on a desktop a row at the top with every place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.e2e.journey import check_accessibility, serve_axe

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _signed_in(
    browser: Any, live_server: Any, axe: Path, user: User, size: dict[str, int]
) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport=size, base_url=live_server.url, service_workers="block"
    )
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    serve_axe(page, axe)
    return page


@pytest.fixture
def phone(
    browser: Any, live_server: Any, axe_source: Path, walker: User
) -> Iterator[Any]:
    page = _signed_in(browser, live_server, axe_source, walker, PHONE)
    yield page
    page.context.close()


def _tabs(page: Any) -> list[dict[str, Any]]:
    """The nav links a person can see, with their boxes."""
    found: list[dict[str, Any]] = page.eval_on_selector_all(
        "nav.main a",
        """links => links.filter(a => a.offsetParent !== null).map(a => {
            const r = a.getBoundingClientRect();
            return {label: a.textContent.trim(), href: a.getAttribute('href'),
                    top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                    clipped: a.scrollWidth > a.clientWidth};
        })""",
    )
    return found


def _no_horizontal_overflow(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_on_a_phone_the_nav_is_one_row_of_tabs_at_the_bottom(
    phone: Any, live_server: Any
) -> None:
    phone.goto("/")
    tabs = _tabs(phone)
    assert [t["label"] for t in tabs] == [
        "Today",
        "Walk",
        "Check-in",
        "Progress",
        "More",
    ]
    assert len({round(t["top"]) for t in tabs}) == 1, "the tabs wrap onto two rows"
    assert round(tabs[0]["bottom"]) == PHONE["height"]
    for tab in tabs:
        assert tab["left"] >= 0
        assert tab["right"] <= PHONE["width"]
        assert not tab["clipped"], tab["label"]
        assert tab["bottom"] - tab["top"] >= 44
    _no_horizontal_overflow(phone)
    check_accessibility(phone, live_server.url)


def test_on_a_phone_nothing_is_hidden_behind_the_tab_bar(phone: Any) -> None:
    phone.goto("/learn/")
    phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    bar_top = phone.eval_on_selector("nav.main", "n => n.getBoundingClientRect().top")
    footer_bottom = phone.eval_on_selector(
        "footer.site", "f => f.getBoundingClientRect().bottom"
    )
    assert footer_bottom <= bar_top


def test_more_reaches_the_plan_and_the_measures(phone: Any, live_server: Any) -> None:
    phone.goto("/")
    phone.click("nav.main >> text=More")
    phone.wait_for_url("**/more/")
    assert phone.get_attribute("nav.main a[href='/more/']", "aria-current") == "page"
    check_accessibility(phone, live_server.url)
    _no_horizontal_overflow(phone)
    phone.click("main >> text=Plan")
    phone.wait_for_url("**/plan/")
    assert phone.get_attribute("nav.main a[href='/more/']", "aria-current") == "true"
    check_accessibility(phone, live_server.url)
    _no_horizontal_overflow(phone)
    phone.go_back()
    phone.click("main >> text=Measures")
    phone.wait_for_url("**/measures/")
    assert phone.locator("h1").count() == 1
    _no_horizontal_overflow(phone)


def test_the_tabs_are_reached_by_keyboard_with_a_visible_focus(phone: Any) -> None:
    phone.goto("/")
    for _ in range(12):
        phone.keyboard.press("Tab")
        if phone.evaluate("!!document.activeElement.closest('nav.main')"):
            break
    else:
        pytest.fail("Tab never reached the main navigation")
    outline = phone.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert outline[0] != "none"
    assert outline[1] >= 2


def test_on_a_desktop_every_place_is_in_a_row_at_the_top(
    browser: Any, live_server: Any, axe_source: Path, walker: User
) -> None:
    page = _signed_in(browser, live_server, axe_source, walker, DESKTOP)
    page.goto("/progress/")
    tabs = _tabs(page)
    labels = [t["label"] for t in tabs]
    assert "More" not in labels
    assert labels == [
        "Today",
        "Walk",
        "Log a walk",
        "Check-in",
        "Progress",
        "Plan",
        "Measures",
        "Care team",
        "Import",
        "Learn",
        "Settings",
    ]
    assert max(t["bottom"] for t in tabs) < 200
    check_accessibility(page, live_server.url)
    page.context.close()


def test_during_onboarding_the_phone_tabs_are_onboardings_own(
    browser: Any, live_server: Any, axe_source: Path, transactional_db: None
) -> None:
    newcomer = User.objects.create_user(username="newcomer")
    page = _signed_in(browser, live_server, axe_source, newcomer, PHONE)
    page.goto("/learn/")
    tabs = _tabs(page)
    assert [t["label"] for t in tabs] == ["Getting started", "Learn", "Settings"]
    assert len({round(t["top"]) for t in tabs}) == 1
    _no_horizontal_overflow(page)
    check_accessibility(page, live_server.url)
    page.context.close()
