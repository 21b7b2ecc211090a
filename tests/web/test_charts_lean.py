"""The page's lean pygal chart draws what pygal itself draws, point for point.

``charts._XY`` reads pygal's settings through a shorter look-up and puts the dots
in as plain circles; everything else is pygal's. This compares the two drawings of
the same chart, so a pygal upgrade that changes either trick fails here.
"""

from __future__ import annotations

import datetime as dt
import re

import pygal
import pytest
from lxml import etree

from tests.cast import START
from walkwell.web.program import charts
from walkwell.web.program.charts import NARROW, WIDE, Marker, Series, TimeSpec

NS = "{http://www.w3.org/2000/svg}"


def _spec(days: int) -> TimeSpec:
    walked = [(START + dt.timedelta(days=i), 10.0 + i % 7) for i in range(days)]
    planned = [(START + dt.timedelta(days=i), 15.0) for i in range(days)]
    pain = [
        (START + dt.timedelta(days=i), None if i % 4 == 1 else float(i % 6))
        for i in range(days)
    ]
    return TimeSpec(
        chart_id="c",
        title="t",
        summary="s",
        start=START,
        end=START + dt.timedelta(days=max(days - 1, 0)),
        series=[
            Series("Walked", "walked", walked, kind="bar"),
            Series("Planned", "planned", planned),
            Series("Pain", "during", pain),
        ],
        y_label="minutes",
        top=20.0,
        markers=[Marker(START + dt.timedelta(days=days // 2), "Phase 2")],
    )


def _drawn(chart: object) -> tuple[list[str], list[str | None], list[tuple[str, str]]]:
    root = etree.fromstring(chart.render())  # type: ignore[attr-defined]
    paths = [str(p.get("d")) for p in root.iter(f"{NS}path")]
    texts = [t.text for t in root.iter(f"{NS}text")]
    dots = [
        (f"{float(c.get('cx', 'nan')):.2f}", f"{float(c.get('cy', 'nan')):.2f}")
        for c in root.iter(f"{NS}circle")
    ]
    return paths, texts, dots


@pytest.mark.parametrize("days", [1, 2, 7, 84])
@pytest.mark.parametrize("layout", [NARROW, WIDE])
def test_the_lean_chart_draws_pygals_own_lines_labels_and_dots(
    days: int, layout: charts.Layout
) -> None:
    ours, _ = charts._chart(_spec(days), layout, charts._XY)
    theirs, _ = charts._chart(_spec(days), layout, pygal.XY)
    # pygal's own dots, on the same series that get ours.
    theirs.raw_series = [
        (values, {**options, "show_dots": index in ours.dotted})
        for index, (values, options) in enumerate(theirs.raw_series)
    ]
    our_paths, our_texts, our_dots = _drawn(ours)
    their_paths, their_texts, their_dots = _drawn(theirs)
    assert our_paths == their_paths
    assert our_texts == their_texts
    assert our_dots, days
    assert sorted(our_dots) == sorted(their_dots)
    assert all(re.fullmatch(r"-?[\d.]+", x) for x, _ in our_dots)
