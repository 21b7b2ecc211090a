"""The progress report for a clinician: a short PDF drawn by WeasyPrint from the
same charts (``progress.build_charts``) and partial templates as the Progress
page, with the numbers behind each chart as tables.

``walkwell report --pdf FILE``, the button on Progress and the clinician's patient
page (and the API's ``/patients/{id}/report``) all call ``report_pdf``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe

import walkwell
from walkwell.core import engine
from walkwell.core.words import zone_in_words
from walkwell.web.program import (
    selectors,
    selectors_care,
    selectors_measures,
    selectors_report,
)
from walkwell.web.program.charts import Chart
from walkwell.web.program.models import Person
from walkwell.web.program.progress import Span, build_charts, phase_markers

# The report's default range, and the length after which its tables go week by
# week (so that the report stays within four pages).
DEFAULT_DAYS = 84
DAILY_UP_TO_DAYS = 14


@dataclass(frozen=True, slots=True)
class WeeklySpan(Span):
    """A span whose charts and tables are drawn week by week."""

    @property
    def weekly(self) -> bool:
        return True


def report_span(
    person: Person, start: dt.date | None, end: dt.date | None, today: dt.date
) -> Span:
    last = end or max(today, person.start)
    first = max(person.start, start or last - dt.timedelta(days=DEFAULT_DAYS - 1))
    first = min(first, last)
    if (last - first).days >= DAILY_UP_TO_DAYS:
        return WeeklySpan(first, last)
    return Span(first, last)


@lru_cache(maxsize=1)
def chart_css() -> str:
    """The site's own chart rules (series colours, calendar marks), so the PDF's
    charts look as they do on the Progress page."""
    found = finders.find("walkwell/walkwell.css")
    text = Path(str(found)).read_text(encoding="utf-8") if found else ""
    rules = [
        line
        for line in text.splitlines()
        if line.startswith((".chart ", ".chart.", ".cal-")) and line.endswith("}")
    ]
    return "\n".join(rules)


@dataclass(frozen=True, slots=True)
class PrintedChart:
    """A Progress chart with its drawing carrying its own styles: WeasyPrint
    styles an inline SVG from the SVG's own stylesheet only."""

    chart: Chart
    svg: SafeString

    def __getattr__(self, name: str) -> Any:
        return getattr(self.chart, name)


def _printed(chart: Chart) -> PrintedChart:
    style = f"<style>{chart_css()}</style>"
    svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + style, str(chart.svg))
    return PrintedChart(chart, mark_safe(svg))  # noqa: S308  # nosec B308 B703 - our own escaped drawing and stylesheet


def report_context(
    person: Person, span: Span, *, today: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """What the report shows; it says it was made at ``now`` on ``now``'s own
    clock, with that zone named (callers pass the person's: ``zones.clock_of``)."""
    protocol = selectors.protocol_for(person)
    history = selectors.history_for(person)
    plans = engine.timeline(protocol, history, span.end)
    in_span = [p for p in plans if p.date >= span.start]
    charts = build_charts(
        span, history.walks, history.checkins, in_span, min(today, span.end)
    )
    return {
        "person": person,
        "username": person.user.get_username(),
        "protocol": protocol,
        "span": span,
        "charts": [_printed(c) for c in charts],
        "phase_changes": phase_markers(plans),
        "phase_now": in_span[-1].phase if in_span else None,
        "walk_count": len(history.walks),
        "measure_answers": selectors_measures.measure_answers(person),
        "measure_changes": selectors_measures.measure_changes(person),
        "start_back_advice": selectors_measures.start_back_advice(person),
        "safety": selectors_report.safety_events(person, span.start, span.end),
        "decisions": selectors_report.decisions(person, span.start, span.end),
        "notes": selectors_care.notes_between(person, span.start, span.end),
        "version": walkwell.__version__,
        "made": f"{dateformat.format(now, 'j F Y, H:i')} {zone_in_words(now)}",
    }


def report_html(person: Person, span: Span, *, today: dt.date, now: dt.datetime) -> str:
    context = report_context(person, span, today=today, now=now)
    return render_to_string("pages/report.html", context)


def report_pdf(
    person: Person, span: Span, *, today: dt.date, now: dt.datetime
) -> bytes:
    """The report as PDF bytes (text selectable, pages numbered)."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy; loaded only for a report

    html = report_html(person, span, today=today, now=now)
    pdf: bytes = HTML(string=html, base_url=".").write_pdf()
    return pdf
