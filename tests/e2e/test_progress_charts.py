"""Progress charts in real Chromium, on a phone and a desktop: readable axis text,
bars clear of the day labels, the planned dot in sight, axe content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.journey import Watch, check_accessibility, serve_axe
from tests.web.pages_support import person
from walkwell.web.program import services
from walkwell.web.program.models import WalkSource

pytestmark = pytest.mark.e2e

PASSWORD = "walk-tall-every-day-2026"  # noqa: S105 - a test account
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}

# For every visible time chart: its axis text as rendered, the boxes of its bars
# and day labels, and whether each planned dot is the topmost thing where it sits.
MEASURE = """() => Array.from(document.querySelectorAll('svg.chart:not(.calendar)'))
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const box = el => { const r = el.getBoundingClientRect();
      return [r.left, r.top, r.right, r.bottom]; };
    const px = el => parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a;
    return {
      id: svg.getAttribute('aria-labelledby'),
      fonts: Array.from(svg.querySelectorAll('.axis text')).map(px),
      dayLabels: Array.from(svg.querySelectorAll('.axis.x text')).map(box),
      bars: Array.from(svg.querySelectorAll('.s-walked path')).map(box),
      dotsOnTop: Array.from(svg.querySelectorAll('.s-planned circle')).map(dot => {
        const [l, t, r, b] = box(dot);
        return document.elementFromPoint((l + r) / 2, (t + b) / 2) === dot;
      }),
    };
  })"""


def _overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture
def first_day(db: None) -> None:
    """Someone on their first day who imported a three-hour hike."""
    today = timezone.localdate()
    pia = person("pia", today, baseline=12, password=PASSWORD)
    services.walk_log(person=pia, date=today, minutes=180, source=WalkSource.IMPORT)


@pytest.fixture(params=list(SIZES))
def page(
    request: Any, browser: Any, live_server: Any, axe_source: Path
) -> Iterator[Any]:
    width, height = SIZES[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=live_server.url,
        service_workers="block",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    serve_axe(page, axe_source)
    yield page
    context.close()


def test_first_day_charts_are_readable_and_nothing_is_covered(
    first_day: None, page: Any, live_server: Any
) -> None:
    watch = Watch(page)
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", "pia")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    for query in ("", "?range=1y"):
        page.goto(f"/progress/{query}")
        charts = page.evaluate(MEASURE)
        assert len(charts) == 4  # one drawing of each time chart shows at a time
        for chart in charts:
            assert chart["fonts"], chart["id"]
            assert all(10 <= size <= 16 for size in chart["fonts"]), chart
            for bar in chart["bars"]:
                for label in chart["dayLabels"]:
                    assert not _overlaps(bar, label), chart
        minutes = charts[0]
        assert len(minutes["bars"]) == 1
        assert minutes["dotsOnTop"] == [True]
        check_accessibility(page, live_server.url)
    assert watch.csp_violations() == []
