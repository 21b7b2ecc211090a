"""Charts drawn on the server as SVG with pygal: nothing from the internet, no script.

pygal lays out the axes, scales, labels and series; this module feeds it the data,
then trims what a page under a strict Content Security Policy may not carry (its
`<style>`, its tooltip script and the inline style of its tooltip box) and adds the
title, description and per-series classes the site's stylesheet colours.

Text inside an SVG scales with its viewBox, so each time chart is drawn twice: a
narrow layout for phones and a wide one for larger screens, each shown at (nearly)
its own size, so axis text stays between about 11 and 13 CSS pixels everywhere.
The same drawing, with pygal's own style kept (``for_page=False``), is plain SVG that
WeasyPrint can put into a PDF report.

Each chart comes with a plain-language summary and its data as table rows, so a
screen reader (or a printout) gets everything the picture shows. Series differ in
dash pattern and marker shape as well as colour.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import pygal
from django.utils.safestring import SafeString, mark_safe
from lxml import etree
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
FONT_PX = 13
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"

Point = tuple[dt.date, float | None]


@dataclass(frozen=True, slots=True)
class Layout:
    """One drawing size; the page shows the one that fits the screen."""

    name: str
    width: int
    height: int
    max_x_labels: int


NARROW = Layout("narrow", 340, 230, 4)
WIDE = Layout("wide", 760, 300, 9)
PAGE_LAYOUTS = (NARROW, WIDE)


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    css: str  # class suffix: colour, dash and marker come from the stylesheet
    points: Sequence[Point]
    kind: str = "line"  # "line" or "bar"


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical line on the time axis, such as the start of a new phase."""

    date: dt.date
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    chart_id: str
    title: str
    summary: str
    svg: SafeString
    head: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    legend: tuple[tuple[str, str], ...] = field(default=())

    def table_body(self) -> SafeString:
        """The rows as HTML, built here: a year of cells is slow in a template loop."""
        if not self.rows:
            span = max(len(self.head), 1)
            return mark_safe(f'<tr><td colspan="{span}">No entries yet.</td></tr>')  # noqa: S308  # nosec B308 B703
        out = [
            f'<tr><th scope="row">{escape(row[0])}</th>'
            + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
            + "</tr>"
            for row in self.rows
        ]
        return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703 - every cell escaped above


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _nice_max(value: float) -> float:
    for step in (5, 10, 20, 30, 60, 90, 120, 180, 240, 300, 600, 1200):
        if value <= step:
            return float(step)
    return float(math.ceil(value / 600) * 600)


@dataclass(frozen=True, slots=True)
class TimeSpec:
    """Everything a time chart shows, independent of its drawing size."""

    chart_id: str
    title: str
    summary: str
    start: dt.date
    end: dt.date
    series: Sequence[Series]
    y_label: str
    top: float
    markers: Sequence[Marker] = ()

    def x(self, day: dt.date) -> int:
        return (day - self.start).days

    def x_range(self) -> tuple[float, float]:
        xs = [self.x(d) for s in self.series for d, _ in s.points]
        low = min([0, *xs]) - 0.5
        high = max([self.x(self.end), *xs]) + 0.5
        return low, high

    def step(self) -> int:
        """Days between neighbouring points: 7 when the span is shown by week."""
        xs = sorted({self.x(d) for s in self.series for d, _ in s.points})
        gaps = [b - a for a, b in itertools.pairwise(xs)]
        return min(gaps, default=1)


def _style() -> Style:
    return Style(
        font_family=FONT_FAMILY,
        label_font_size=FONT_PX,
        major_label_font_size=FONT_PX,
        title_font_size=FONT_PX,
        value_label_font_size=FONT_PX,
        value_font_size=FONT_PX,
        no_data_font_size=FONT_PX + 2,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1b1f23",
        foreground_strong="#1b1f23",
        foreground_subtle="#3d444b",
        colors=("#2f7d6a", "#1b1f23", "#1f5fa8", "#b3261e", "#7a4ea3", "#8a4b00"),
    )


def _label_days(spec: TimeSpec, limit: int) -> list[dt.date]:
    """Evenly spaced days to name on the time axis, at most ``limit`` of them."""
    days = spec.x(spec.end)
    for step in (1, 2, 7, 14):
        if days // step + 1 <= limit:
            return [spec.start + dt.timedelta(days=i) for i in range(0, days + 1, step)]
    months = []
    day = spec.start.replace(day=1)
    while day <= spec.end:
        if day >= spec.start:
            months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    every = math.ceil(len(months) / limit) if months else 1
    return months[::every] or [spec.start]


def _day_label(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _bar_points(spec: TimeSpec, series: Series) -> list[Any]:
    out: list[Any] = []
    for day, value in series.points:
        if value:
            out.extend(((spec.x(day), 0.0), (spec.x(day), min(value, spec.top)), None))
    return out


def _line_points(spec: TimeSpec, series: Series) -> list[Any]:
    return [
        None if value is None else (spec.x(day), min(value, spec.top))
        for day, value in series.points
    ]


class _XY(pygal.XY):  # type: ignore[misc]
    """pygal's XY chart, its dots drawn as plain circles.

    pygal gives each dot a tooltip (a group, three text nodes and two formatted
    values) that the page then removes; that was most of the drawing time. Here a
    series drawn with ``show_dots=False`` gets its circles, at the points pygal
    itself projected, in the overlay group pygal made for it (above every line and
    bar), and nothing else.
    """

    dotted: frozenset[int] = frozenset()  # the indexes of series with dots

    def __getattribute__(self, name: str) -> Any:
        """pygal's own look-up (the render state first, then the chart), shorter.

        pygal reads every setting through this method, several times for each
        value it prepares, and its version looks the state up again through
        itself each time; this one reads it straight from the instance.
        """
        if name[:2] != "__" and name != "state":
            state = object.__getattribute__(self, "__dict__").get("state")
            if state is not None:
                values = state.__dict__
                if name in values:
                    return values[name]
        return object.__getattribute__(self, name)

    def line(self, serie: Any, rescale: bool = False) -> None:
        super().line(serie, rescale)
        if serie.index not in self.dotted:
            return
        overlay = self.nodes["overlay"][-1]  # the series' own, made just now
        radius = str(serie.dots_size)
        project = self.view
        for point in serie.points:
            x, y = project(point)
            if x is not None and y is not None:
                etree.SubElement(
                    overlay,
                    "circle",
                    {"cx": f"{x:.2f}", "cy": f"{y:.2f}", "r": radius, "class": "dot"},
                )


def _render(spec: TimeSpec, layout: Layout) -> tuple[bytes, list[str]]:
    """pygal's drawing and the class of each of its series, in order."""
    chart, classes = _chart(spec, layout, _XY)
    rendered: bytes = chart.render()
    return rendered, classes


def _chart(spec: TimeSpec, layout: Layout, kind: type[Any]) -> tuple[Any, list[str]]:
    """The chart of ``kind`` (``_XY``; a test compares it with ``pygal.XY``)."""
    labels = _label_days(spec, layout.max_x_labels)
    names = {spec.x(d): _day_label(d) for d in labels}
    ticks = [spec.top * i / 4 for i in range(5)]
    chart = kind(
        js=[],
        css=[],
        style=_style(),
        width=layout.width,
        height=layout.height,
        show_legend=False,
        disable_xml_declaration=True,
        no_prefix=True,
        allow_interruptions=True,
        xrange=spec.x_range(),
        range=(0, spec.top),
        y_labels=ticks,
        x_labels=sorted(names),
        x_value_formatter=lambda x: names.get(round(x), ""),
        value_formatter=_fmt,
        y_title=spec.y_label,
        show_x_guides=False,
        margin=8,
        margin_right=28,  # room for half of the last day's name
        spacing=8,
        no_data_text="No entries yet",
        truncate_label=-1,
        truncate_legend=-1,
        strict=True,  # the values are plain numbers already: no adapting each one
        show_dots=False,
        dots_size=3,
    )
    classes: list[str] = []
    dotted: set[int] = set()
    for series in spec.series:
        if series.kind == "bar":
            chart.add(series.name, _bar_points(spec, series))
        else:
            dotted.add(len(classes))
            chart.add(series.name, _line_points(spec, series))
        classes.append(f"s-{series.css}")
    chart.dotted = frozenset(dotted)
    for marker in spec.markers:
        if spec.start <= marker.date <= spec.end:
            x = spec.x(marker.date)
            chart.add(marker.label, [(x, 0.0), (x, spec.top)], show_dots=False)
            classes.append("marker")
    return chart, classes


def _klass(node: Any) -> set[str]:
    return set((node.get("class") or "").split())


def _tidy(
    raw: bytes, classes: Sequence[str], ids: tuple[str, str], title: str, summary: str
) -> Any:
    """pygal's SVG with what a strict page may not carry removed, and ours added."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(raw, parser)
    for node in list(root.iter(etree.Comment)):
        node.getparent().remove(node)
    for node in list(root):
        if etree.QName(node).localname in {"defs", "title", "script"}:
            root.remove(node)
    for node in list(root.iter(f"{{{SVG_NS}}}g")):
        if "tooltip-overlay" in _klass(node):
            node.getparent().remove(node)
    for tag in ("title", "desc"):  # tooltips, without their script
        for node in list(root.iter(f"{{{SVG_NS}}}{tag}")):
            node.getparent().remove(node)
    for node in root.iter(f"{{{SVG_NS}}}g"):
        found = [c for c in _klass(node) if c.startswith("serie-")]
        if found:
            index = int(found[0].removeprefix("serie-"))
            node.set("class", f"{node.get('class')} {classes[index]}")
    for name in ("id", "class"):
        if name in root.attrib:
            del root.attrib[name]
    title_el = etree.Element(f"{{{SVG_NS}}}title", id=ids[0])
    title_el.text = title
    desc_el = etree.Element(f"{{{SVG_NS}}}desc", id=ids[1])
    desc_el.text = summary
    root.insert(0, desc_el)
    root.insert(0, title_el)
    root.set("role", "img")
    root.set("aria-labelledby", f"{ids[0]} {ids[1]}")
    root.set("focusable", "false")
    return root


def time_chart_svg(spec: TimeSpec, layout: Layout, *, for_page: bool = True) -> str:
    """One drawing of a time chart. ``for_page=False`` keeps pygal's own style."""
    raw, classes = _render(spec, layout)
    if not for_page:
        return raw.decode("utf-8")
    prefix = f"{spec.chart_id}-{layout.name}"
    root = _tidy(raw, classes, (f"{prefix}-t", f"{prefix}-d"), spec.title, spec.summary)
    root.set("class", f"chart chart-{layout.name}")
    _bar_widths(root, spec, layout)
    _marker_labels(
        root, [m.label for m in spec.markers if spec.start <= m.date <= spec.end]
    )
    return str(etree.tostring(root, encoding="unicode"))


def _bar_widths(root: Any, spec: TimeSpec, layout: Layout) -> None:
    """Bars are thick vertical strokes: as wide as 70% of a day (or week), no more."""
    days = spec.x_range()[1] - spec.x_range()[0]
    plot_w = layout.width - 70
    width = max(min(plot_w / days * spec.step() * 0.7, 28.0), 1.5)
    for series in spec.series:
        if series.kind != "bar":
            continue
        for node in root.iter(f"{{{SVG_NS}}}g"):
            if f"s-{series.css}" in _klass(node):
                node.set("stroke-width", f"{width:.1f}")


def _marker_labels(root: Any, labels: Sequence[str]) -> None:
    """Name each phase line at its top, just right of it (left of it near the edge)."""
    lines = [
        g.find(f"{{{SVG_NS}}}path")
        for g in root.iter(f"{{{SVG_NS}}}g")
        if "marker" in _klass(g) and g.find(f"{{{SVG_NS}}}path") is not None
    ]
    plot_w = float(
        root.find(f".//{{{SVG_NS}}}g[@class='plot']/{{{SVG_NS}}}rect").get("width")
    )
    for line, label in zip(lines, labels, strict=False):
        x, y_top = (float(n) for n in line.get("d").split(" L")[1].split())
        text = etree.SubElement(line.getparent(), f"{{{SVG_NS}}}text")
        room = plot_w - x > len(label) * FONT_PX * 0.6 + 4
        text.set("x", f"{x + 4:.1f}" if room else f"{x - 4:.1f}")
        text.set("y", f"{y_top + FONT_PX:.1f}")
        text.set("class", "marker-label" if room else "marker-label backwards")
        text.text = label


def time_chart(
    *,
    chart_id: str,
    title: str,
    summary: str,
    start: dt.date,
    end: dt.date,
    series: Sequence[Series],
    y_label: str,
    y_max: float | None = None,
    markers: Sequence[Marker] = (),
) -> Chart:
    """A chart of values over days: bars and lines sharing one time axis."""
    values = [v for s in series for _, v in s.points if v is not None]
    top = y_max if y_max is not None else _nice_max(max(values, default=0.0))
    spec = TimeSpec(chart_id, title, summary, start, end, series, y_label, top, markers)
    svg = "".join(time_chart_svg(spec, layout) for layout in PAGE_LAYOUTS)
    return Chart(
        chart_id=chart_id,
        title=title,
        summary=summary,
        svg=mark_safe(svg),  # noqa: S308  # nosec B308 B703 - serialised by lxml, every text escaped
        head=("Date", *(s.name for s in series)),
        rows=_rows(series),
        legend=tuple((s.name, s.css) for s in series),
    )


def _rows(series: Sequence[Series]) -> list[tuple[str, ...]]:
    by_day: dict[dt.date, list[str]] = {}
    for i, s in enumerate(series):
        for day, value in s.points:
            row = by_day.setdefault(day, ["–"] * len(series))
            row[i] = _fmt(value)
    return [
        (day.isoformat(), *cells)
        for day, cells in sorted(by_day.items())
        if any(c != "–" for c in cells)
    ]


# --- the adherence calendar -------------------------------------------------------

CELL, GAP = 14, 3
CAL_LEFT, CAL_RIGHT = 40, 10


@dataclass(frozen=True, slots=True)
class CalendarDay:
    date: dt.date
    planned: float  # minutes prescribed (0: a rest day or no walking prescribed)
    walked: float
    today: bool = False  # the day is not over: nothing is missed yet

    @property
    def status(self) -> str:
        if self.planned <= 0:
            return "walked" if self.walked > 0 else "rest"
        if self.walked >= self.planned:  # the plan's walk was done (or more)
            return "done"
        if self.walked > 0:
            return "partial"
        return "pending" if self.today else "missed"


STATUS_TEXT = {
    "done": "Done",
    "partial": "Part done",
    "missed": "Missed",
    "pending": "Still to do today",
    "rest": "Rest day",
    "walked": "Walked on a rest day",
}


def calendar_chart(
    *, chart_id: str, title: str, summary: str, days: Sequence[CalendarDay]
) -> Chart:
    """Weeks as columns, weekdays as rows; each status has its own shape.

    A grid of cells with no scale to lay out, so it stays a few lines of SVG here.
    It is drawn at its own size (never scaled, so its text stays at 13 px) and
    scrolls sideways on a narrow screen when it holds many weeks.
    """
    if not days:
        return Chart(chart_id, title, summary, mark_safe(""), (), [])  # nosec B308 - empty markup
    first = days[0].date - dt.timedelta(days=days[0].date.weekday())
    weeks = (days[-1].date - first).days // 7 + 1
    width = max(CAL_LEFT + weeks * (CELL + GAP) + CAL_RIGHT, 160)
    height = 7 * (CELL + GAP) + 20
    body = [
        f'<text class="tick" font-size="13" font-family="sans-serif" x="{CAL_LEFT - 6}" y="{20 + row * (CELL + GAP) + CELL - 2}" '
        f'text-anchor="end">{name}</text>'
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))
    ]
    for day in days:
        col = (day.date - first).days // 7
        x = CAL_LEFT + col * (CELL + GAP)
        y = 20 + day.date.weekday() * (CELL + GAP)
        body.append(_cell(day.status, x, y))
    svg = (
        f'<svg class="chart calendar" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-t">'
        f'{escape(title)}</title><desc id="{chart_id}-d">{escape(summary)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    rows = [
        (d.date.isoformat(), _fmt(d.planned), _fmt(d.walked), STATUS_TEXT[d.status])
        for d in days
    ]
    return Chart(
        chart_id=chart_id,
        title=title,
        summary=summary,
        svg=mark_safe(svg),  # noqa: S308  # nosec B308 B703 - every value escaped above
        head=("Date", "Planned minutes", "Walked minutes", "Status"),
        rows=rows,
        legend=tuple((text, status) for status, text in STATUS_TEXT.items()),
    )


def _cell(status: str, x: int, y: int) -> str:
    outline = (
        f'<rect class="cal-{status}" x="{x}" y="{y}" width="{CELL}" height="{CELL}"/>'
    )
    if status == "partial":
        half = CELL // 2
        return (
            outline
            + f'<rect class="cal-fill" x="{x}" y="{y + half}" width="{CELL}" height="{half}"/>'
        )
    if status == "rest":
        c = CELL / 2
        return f'<circle class="cal-rest" cx="{x + c}" cy="{y + c}" r="2"/>'
    return outline
