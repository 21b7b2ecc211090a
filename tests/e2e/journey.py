"""Helpers for the browser journey: accessibility checks, CSP watch, screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.conftest import SCREENSHOTS
from walkwell.core.instruments import START_BACK_ITEMS
from walkwell.core.protocol import load_protocol

AXE_PATH = "/__axe__/axe.min.js"
PROTOCOL = load_protocol("seed-3-phase")


def answer_no(page: Any, ids: list[str]) -> None:
    for sign in ids:
        page.check(f"#id_sign_{sign}_0")


def screening_all_no(page: Any) -> None:
    """Onboarding's safety questions, each answered no, sent."""
    answer_no(page, list(PROTOCOL.red_flag_ids))
    page.click("button[type=submit]")


def starting_point(page: Any) -> None:
    """Onboarding's starting point (12 minutes, pain 4, a few answers), sent."""
    page.fill("#id_baseline_minutes", "12")
    page.check("#id_pain_4")
    page.select_option("#id_footwear", "supportive")
    page.fill("#id_psfs_activity_1", "Putting on socks")
    page.check("#id_psfs_rating_1_4")
    for item in START_BACK_ITEMS:
        page.check(f"#id_sb_{item.id}_0")
    page.click("button[type=submit]")


class Watch:
    """Collects console errors and Content Security Policy violations on a page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e]


def serve_axe(page: Any, axe: Path) -> None:
    """axe-core from node_modules, answered on the site's own origin so the page's
    Content Security Policy (scripts from 'self' only) stays in force."""
    page.route(
        f"**{AXE_PATH}",
        lambda route: route.fulfill(path=str(axe), content_type="text/javascript"),
    )


def axe_violations(page: Any, base_url: str) -> list[tuple[str, str]]:
    """Every axe-core violation (WCAG 2.x A and AA, best practice) on the page, as
    (impact, description) pairs."""
    page.add_script_tag(url=base_url + AXE_PATH)
    results = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values:
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    return [
        (
            str(v["impact"]),
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(n["target"][0] for n in v["nodes"][:3]),
        )
        for v in results["violations"]
    ]


def check_accessibility(page: Any, base_url: str) -> None:
    """No axe-core violations of serious or critical impact (WCAG 2.x A and AA)."""
    bad = [
        text
        for impact, text in axe_violations(page, base_url)
        if impact in {"serious", "critical"}
    ]
    assert not bad, f"{page.url}: " + "\n".join(bad)


# A full-page picture of a phone page: the tab bar, fixed to the screen's foot, is
# drawn once at the page's foot instead of over the middle of it. Set through the
# CSSOM, which the page's Content Security Policy allows (an injected <style> it
# refuses).
TAB_BAR = """on => {
    const nav = document.querySelector('nav.main');
    if (!nav || getComputedStyle(nav).position !== (on ? 'fixed' : 'absolute')) return;
    if (on && document.documentElement.scrollHeight <= innerHeight) return;
    document.body.style.position = on ? 'relative' : '';
    nav.style.position = on ? 'absolute' : '';
}"""


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if full_page:
        page.evaluate(TAB_BAR, True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
    if full_page:
        page.evaluate(TAB_BAR, False)
