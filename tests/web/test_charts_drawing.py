"""The Progress charts as drawn: read back as SVG and checked for what a person sees.

Each time chart is drawn twice (narrow and wide); both drawings are checked for
0, 1, 2, 7 and 365 days of data and for an outlier (a three-hour walk).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from lxml import etree

from tests.cast import START
from walkwell.core.model import DayPlan, Decision, Prescription, Walk
from walkwell.web.program.charts import NARROW, WIDE, Chart
from walkwell.web.program.progress import Span, build_charts

NS = "{http://www.w3.org/2000/svg}"
PLANNED = 20


def _plan(day: dt.date, phase: int = 1) -> DayPlan:
    return DayPlan(
        date=day,
        phase=phase,
        decision=Decision.CONTINUE,
        reasons=(),
        warnings=(),
        prescription=Prescription(sessions=1, minutes_per_session=PLANNED),
    )


@dataclass(frozen=True)
class Drawn:
    """One SVG drawing, with every element's position in the drawing's own units."""

    root: Any
    width: float
    height: float

    def offset(self, node: Any) -> tuple[float, float]:
        dx = dy = 0.0
        for parent in node.iterancestors():
            found = re.match(
                r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", parent.get("transform") or ""
            )
            if found:
                dx += float(found[1])
                dy += float(found[2])
        return dx, dy

    def nodes(self, tag: str, klass: str = "") -> list[Any]:
        return [
            n
            for n in self.root.iter(f"{NS}{tag}")
            if not klass or klass in (n.get("class") or "").split()
        ]

    def inside(self, group_class: str, tag: str) -> list[Any]:
        return [n for g in self.nodes("g", group_class) for n in g.iter(f"{NS}{tag}")]

    def point(self, node: Any, x: str, y: str) -> tuple[float, float]:
        dx, dy = self.offset(node)
        return float(node.get(x)) + dx, float(node.get(y)) + dy

    def segments(self, node: Any) -> list[tuple[float, float]]:
        """The points a path visits (pygal writes M, L, h and v commands)."""
        dx, dy = self.offset(node)
        out: list[tuple[float, float]] = []
        x = y = 0.0
        for command, args in re.findall(r"([MLhv])([^MLhv]*)", node.get("d")):
            numbers = [float(n) for n in args.split()]
            if command in "ML":
                x, y = numbers[0], numbers[1]
            elif command == "h":
                x += numbers[0]
            else:
                y += numbers[0]
            out.append((x + dx, y + dy))
        return out


def drawings(chart: Chart) -> list[Drawn]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(f"<div>{chart.svg}</div>".encode(), parser)
    out = []
    for svg in root.iter(f"{NS}svg"):
        _, _, width, height = (float(v) for v in str(svg.get("viewBox")).split())
        out.append(Drawn(svg, width, height))
    return out


def _data(days: int, *, outlier: bool = False) -> list[Chart]:
    end = START + dt.timedelta(days=max(days - 1, 0))
    walks = [Walk(date=START + dt.timedelta(days=i), minutes=18) for i in range(days)]
    if outlier:
        walks.append(Walk(date=end, minutes=180))
    plans = [_plan(START + dt.timedelta(days=i)) for i in range(days)]
    return build_charts(Span(START, end), walks, [], plans, end)


CASES = {
    "0 days": _data(0),
    "1 day": _data(1),
    "2 days": _data(2),
    "7 days": _data(7),
    "365 days": _data(365),
    "a 3-hour walk": _data(7, outlier=True),
}


def _every_time_drawing() -> Iterator[tuple[str, Chart, Drawn]]:
    for case, charts in CASES.items():
        for chart in charts[:4]:  # the calendar has its own test
            for drawn in drawings(chart):
                yield case, chart, drawn


@pytest.mark.parametrize("case", list(CASES))
def test_each_time_chart_is_drawn_narrow_and_wide_with_its_title(case: str) -> None:
    for chart in CASES[case][:4]:
        drawn = drawings(chart)
        assert [(d.width, d.height) for d in drawn] == [
            (NARROW.width, NARROW.height),
            (WIDE.width, WIDE.height),
        ]
        for d in drawn:
            assert d.root.get("role") == "img"
            title_id, desc_id = d.root.get("aria-labelledby").split()
            assert d.root.find(f"{NS}title").get("id") == title_id
            assert d.root.find(f"{NS}title").text == chart.title
            assert d.root.find(f"{NS}desc").get("id") == desc_id


def test_no_drawing_carries_what_the_content_security_policy_blocks() -> None:
    for _, chart, drawn in _every_time_drawing():
        text = etree.tostring(drawn.root, encoding="unicode")
        assert "<script" not in text
        assert "<style" not in text
        assert " style=" not in text
        assert "http://pygal" not in text
        assert not re.search(r"\b(nan|inf)\b", text, re.IGNORECASE), chart.chart_id


def test_every_mark_and_label_lies_inside_the_drawing() -> None:
    for case, chart, d in _every_time_drawing():
        for circle in d.nodes("circle"):
            x, y = d.point(circle, "cx", "cy")
            assert 0 <= x <= d.width, (case, chart.chart_id)
            assert 0 <= y <= d.height, (case, chart.chart_id)
        for path in d.nodes("path"):
            for x, y in d.segments(path):
                assert -0.5 <= x <= d.width + 0.5, (case, chart.chart_id, path.get("d"))
                assert -0.5 <= y <= d.height + 0.5, (case, chart.chart_id)
        for text in d.nodes("text"):
            if text.get("transform"):  # the rotated unit label
                continue
            x, y = d.point(text, "x", "y")
            half = len(text.text or "") * 13 * 0.3
            anchor_end = "y" in (text.getparent().getparent().get("class") or "")
            left, right = (x - 2 * half, x) if anchor_end else (x - half, x + half)
            assert left >= 0, (case, chart.chart_id, text.text)
            assert right <= d.width, (case, chart.chart_id, text.text)
            assert 10 <= y <= d.height, (case, chart.chart_id, text.text)


def test_axes_are_labelled_with_days_and_values() -> None:
    for case, chart, d in _every_time_drawing():
        y_labels = [t.text for t in d.inside("y", "text")]
        x_labels = [t.text for t in d.inside("x", "text")]
        assert y_labels[0] == "0", (case, chart.chart_id)
        assert len(y_labels) == 5, (case, chart.chart_id)
        if case == "0 days":
            continue
        # Days from the first; a year is named by the first day of each month.
        first = "1 Apr" if case == "365 days" else "2 Mar"
        assert x_labels, (case, chart.chart_id)
        assert x_labels[0] == first, (case, chart.chart_id)
        limit = NARROW.max_x_labels if d.width == NARROW.width else WIDE.max_x_labels
        assert len(x_labels) <= limit
        assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t) for t in x_labels)


def _baseline(d: Drawn) -> float:
    """The y of the value axis' 0: every bar stands on it."""
    zero = next(t for t in d.inside("y", "text") if t.text == "0")
    guide = zero.getparent().find(f"{NS}path")
    return d.segments(guide)[0][1]


@pytest.mark.parametrize("case", [c for c in CASES if c != "0 days"])
def test_bars_stay_above_the_day_labels_and_the_planned_dot_is_on_top(
    case: str,
) -> None:
    minutes = CASES[case][0]
    for d in drawings(minutes):
        base = _baseline(d)
        bars = d.inside("s-walked", "path")
        assert bars, case
        for bar in bars:
            ys = [y for _, y in d.segments(bar)]
            assert max(ys) <= base + 0.01
            assert min(ys) >= 0
        day_labels = d.inside("x", "text")
        assert all(d.point(t, "x", "y")[1] - 13 >= base for t in day_labels)
        width = float(bars[0].getparent().get("stroke-width"))
        plot_width = d.width - 60
        assert 1.5 <= width <= 28
        assert width * len(bars) <= plot_width
        dots = d.inside("s-planned", "circle")
        assert dots, case
        order = list(d.root.iter())
        # Drawn later means drawn on top: every planned dot comes after every bar.
        assert min(order.index(c) for c in dots) > max(order.index(b) for b in bars)
        for dot in dots:
            assert d.point(dot, "cx", "cy")[1] < base - 1  # above the axis, visible


def test_a_three_hour_walk_fits_the_scale_and_the_plan_stays_readable() -> None:
    minutes = CASES["a 3-hour walk"][0]
    for d in drawings(minutes):
        # 18 + 180 minutes that day: the scale's next step above 198 minutes.
        assert [t.text for t in d.inside("y", "text")][-1] == "240"
        tallest = min(
            y for bar in d.inside("s-walked", "path") for _, y in d.segments(bar)
        )
        assert tallest >= 0
    assert "2026-03-08" in {row[0] for row in minutes.rows}


def test_no_data_says_so_in_words() -> None:
    for chart in CASES["0 days"][:4]:
        assert "No entries yet" in chart.svg or chart.chart_id == "chart-minutes"
        assert chart.rows == [] or chart.chart_id == "chart-minutes"


def test_the_calendar_is_drawn_at_its_own_size_with_its_weekdays() -> None:
    calendar = CASES["365 days"][4]
    (d,) = drawings(calendar)
    assert d.root.get("width") == str(int(d.width))
    assert [t.text for t in d.nodes("text")] == ["Mon", "Wed", "Fri", "Sun"]
    assert len(d.nodes("rect")) >= 365
