"""Charts drawn on the server as inline SVG: no chart library, nothing from the internet.

Each chart comes with a plain-language summary and its data as table rows, so a
screen reader (or a printout) gets everything the picture shows. Series differ in
dash pattern and marker shape as well as colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 480
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 30, 28

Point = tuple[dt.date, float | None]


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
            return mark_safe(f'<tr><td colspan="{span}">No entries yet.</td></tr>')  # noqa: S308
        out = [
            f'<tr><th scope="row">{escape(row[0])}</th>'
            + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
            + "</tr>"
            for row in self.rows
        ]
        return mark_safe("".join(out))  # noqa: S308 - every cell escaped above


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


class _Frame:
    """Maps dates and values to SVG coordinates."""

    def __init__(self, start: dt.date, end: dt.date, y_max: float) -> None:
        self.start = start
        self.days = max((end - start).days, 1)
        self.y_max = y_max or 1.0
        self.plot_w = WIDTH - LEFT - RIGHT
        self.plot_h = HEIGHT - TOP - BOTTOM

    def x(self, day: dt.date) -> float:
        return LEFT + (day - self.start).days / self.days * self.plot_w

    def y(self, value: float) -> float:
        return TOP + self.plot_h - min(value, self.y_max) / self.y_max * self.plot_h

    def bar_width(self) -> float:
        return max(self.plot_w / (self.days + 1) * 0.7, 1.0)


def _nice_max(value: float) -> float:
    for step in (5, 10, 20, 30, 60, 90, 120, 180, 240, 300, 600, 1200):
        if value <= step:
            return float(step)
    return float(value)


def _axes(frame: _Frame, y_ticks: Sequence[float], y_label: str) -> list[str]:
    parts = []
    for tick in y_ticks:
        y = frame.y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_fmt(tick)}</text>"
        )
    parts.append(
        f'<text class="tick" x="4" y="{TOP - 14}" text-anchor="start">{escape(y_label)}</text>'
    )
    return parts


def _x_labels(frame: _Frame, end: dt.date) -> list[str]:
    span = frame.days
    step = 7 if span <= 35 else (14 if span <= 100 else 0)
    labels: list[dt.date] = []
    if step:
        day = frame.start
        while day <= end:
            labels.append(day)
            day += dt.timedelta(days=step)
    else:
        day = frame.start.replace(day=1)
        while day <= end:
            if day >= frame.start:
                labels.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    y = HEIGHT - BOTTOM + 16
    # A label would be cut off at the right edge: leave the last one out.
    labels = [d for d in labels if frame.x(d) < WIDTH - RIGHT - 18] or labels[:1]
    return [
        f'<text class="tick" x="{frame.x(d):.1f}" y="{y}" text-anchor="middle">'
        f"{d.day} {d.strftime('%b')}</text>"
        for d in labels
    ]


def _line(frame: _Frame, series: Series) -> list[str]:
    runs: list[list[str]] = [[]]
    dots = []
    for day, value in series.points:
        if value is None:
            runs.append([])
            continue
        x, y = frame.x(day), frame.y(value)
        runs[-1].append(f"{x:.1f},{y:.1f}")
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>')
    lines = [f'<polyline points="{" ".join(run)}"/>' for run in runs if len(run) > 1]
    return [f'<g class="series s-{series.css}">', *lines, *dots, "</g>"]


def _bars(frame: _Frame, series: Series) -> list[str]:
    width = frame.bar_width()
    base = frame.y(0)
    rects = []
    for day, value in series.points:
        if not value:
            continue
        x, y = frame.x(day) - width / 2, frame.y(value)
        rects.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{base - y:.1f}"/>'
        )
    return [f'<g class="series s-{series.css}">', *rects, "</g>"]


def _markers(frame: _Frame, markers: Sequence[Marker], end: dt.date) -> list[str]:
    parts = []
    for marker in markers:
        if not frame.start <= marker.date <= end:
            continue
        x = frame.x(marker.date)
        parts.append(
            f'<g class="marker"><line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" '
            f'y2="{HEIGHT - BOTTOM}"/><text x="{x + 3:.1f}" y="{TOP - 2}">'
            f"{escape(marker.label)}</text></g>"
        )
    return parts


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
    frame = _Frame(start, end, top)
    ticks = [top * i / 4 for i in range(5)]
    body = [*_axes(frame, ticks, y_label), *_x_labels(frame, end)]
    for s in series:
        body.extend(_bars(frame, s) if s.kind == "bar" else _line(frame, s))
    body.extend(_markers(frame, markers, end))
    svg = _svg(chart_id, title, summary, body)
    return Chart(
        chart_id=chart_id,
        title=title,
        summary=summary,
        svg=svg,
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


def _svg(chart_id: str, title: str, summary: str, body: Sequence[str]) -> SafeString:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every value escaped above


# --- the adherence calendar -------------------------------------------------------

CELL, GAP = 12, 3


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
        if self.walked >= self.planned * 0.9:
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
    """Weeks as columns, weekdays as rows; each status has its own shape."""
    if not days:
        return Chart(
            chart_id, title, summary, _svg(chart_id, title, summary, []), (), []
        )
    first = days[0].date - dt.timedelta(days=days[0].date.weekday())
    weeks = (days[-1].date - first).days // 7 + 1
    width = max(LEFT + weeks * (CELL + GAP) + RIGHT, 160)
    height = 7 * (CELL + GAP) + 20
    body = [
        f'<text class="tick" x="{LEFT - 6}" y="{20 + row * (CELL + GAP) + CELL - 2}" '
        f'text-anchor="end">{name}</text>'
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))
    ]
    for day in days:
        col = (day.date - first).days // 7
        x = LEFT + col * (CELL + GAP)
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
        svg=mark_safe(svg),  # noqa: S308 - every value escaped above
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
