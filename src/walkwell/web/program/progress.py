"""Progress: the person's walks, check-ins and plan turned into charts with summaries.

``build_charts`` is pure: it takes the core's value objects and returns ``Chart``s.
Ranges longer than about three months are shown week by week so a year stays
readable. ``charts_for_page`` keeps what ``build_charts`` drew in Django's cache,
keyed by a digest of everything it was given, so a page is drawn again only when
something it shows has changed.

``charts_context`` is what a page shows of them for a range: the person's own
Progress page and the clinician's patient page both call it, so a clinician sees
the same charts the patient sees.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import fmean
from typing import Any

import pygal
from django.core.cache import caches

import walkwell
from walkwell.core import words
from walkwell.core.engine import Window
from walkwell.core.model import CheckIn, DayPlan, Walk
from walkwell.web.program import selectors
from walkwell.web.program.charts import (
    CalendarDay,
    Chart,
    Marker,
    Point,
    Series,
    calendar_chart,
    time_chart,
)
from walkwell.web.program.models import Person

WEEKLY_AFTER_DAYS = 92

# The ranges a page offers: key -> (label, days).
RANGES = {"4w": ("4 weeks", 28), "12w": ("12 weeks", 84), "1y": ("1 year", 365)}
DEFAULT_RANGE = "12w"


@dataclass(frozen=True, slots=True)
class Span:
    start: dt.date
    end: dt.date

    @property
    def weekly(self) -> bool:
        return (self.end - self.start).days > WEEKLY_AFTER_DAYS

    def days(self) -> list[dt.date]:
        n = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=i) for i in range(n)]


@lru_cache(maxsize=16)
def _buckets(span: Span) -> dict[dt.date, dt.date]:
    """Each day of the span -> the day (or the Monday of the week) it is shown on."""
    if not span.weekly:
        return {day: day for day in span.days()}
    return {day: day - dt.timedelta(days=day.weekday()) for day in span.days()}


def _mean_points(
    span: Span, items: Sequence[tuple[dt.date, float | None]]
) -> list[Point]:
    bucket_of = _buckets(span)
    buckets: dict[dt.date, list[float]] = defaultdict(list)
    for day, value in items:
        bucket = bucket_of.get(day)
        if value is not None and bucket is not None:
            buckets[bucket].append(value)
    return [(day, round(fmean(vals), 1)) for day, vals in sorted(buckets.items())]


def _sum_points(span: Span, items: Sequence[tuple[dt.date, float]]) -> list[Point]:
    bucket_of = _buckets(span)
    buckets = dict.fromkeys(bucket_of.values(), 0.0)
    for day, value in items:
        bucket = bucket_of.get(day)
        if bucket is not None:
            buckets[bucket] += value
    return [(day, round(total, 1)) for day, total in sorted(buckets.items())]


def phase_markers(plans: Sequence[DayPlan]) -> list[Marker]:
    markers, last = [], None
    for plan in plans:
        if plan.phase is not None and plan.phase != last and last is not None:
            markers.append(Marker(plan.date, f"Phase {plan.phase}"))
        last = plan.phase if plan.phase is not None else last
    return markers


def phase_changes(changes: Sequence[tuple[dt.date, int]]) -> list[Marker]:
    """``phase_markers`` from the engine's list of phase changes (its first entry
    is the phase the plan started in, not a change)."""
    return [Marker(day, f"Phase {phase}") for day, phase in changes[1:]]


def _trend(points: Sequence[Point]) -> tuple[float, float] | None:
    values = [v for _, v in points if v is not None]
    if len(values) < 2:
        return None
    half = max(len(values) // 2, 1)
    return fmean(values[:half]), fmean(values[-half:])


def _change_words(
    label: str, points: Sequence[Point], unit: str, *, lower_is_better: bool
) -> str:
    trend = _trend(points)
    if trend is None:
        return f"Not enough {label} entries yet to show a trend."
    before, after = trend
    if abs(after - before) < 0.5:
        return f"{label.capitalize()} has stayed about the same (around {after:.0f}{unit})."
    better = (after < before) == lower_is_better
    word = "improved" if better else "worsened"
    return f"{label.capitalize()} {word} from about {before:.0f}{unit} to {after:.0f}{unit}."


def minutes_chart(
    span: Span,
    walks: Sequence[Walk],
    plans: Sequence[DayPlan],
    today: dt.date | None = None,
) -> Chart:
    walked = _sum_points(span, [(w.date, w.minutes) for w in walks])
    planned = _sum_points(
        span, [(p.date, float(p.prescription.total_minutes)) for p in plans]
    )
    total_walked = sum(v or 0 for _, v in walked)
    total_planned = sum(v or 0 for _, v in planned)
    share = (
        f" ({words.share_of_plan(total_walked, total_planned)})"
        if total_planned
        else ""
    )
    per = "week" if span.weekly else "day"
    when = (
        f"on {words.day_in_words(span.start, today or span.end)}"
        if span.start == span.end
        else f"between {words.day_in_words(span.start, today or span.end)} and "
        f"{words.day_in_words(span.end, today or span.end)}"
    )
    summary = (
        f"You walked {words.count(round(total_walked), 'minute')} of "
        f"{total_planned:.0f} planned{share} {when}, shown per {per}."
    )
    return _over_time(
        span,
        plans,
        chart_id="chart-minutes",
        title="Minutes walked against the plan",
        summary=summary,
        series=[
            Series("Walked (minutes)", "walked", walked, kind="bar"),
            Series("Planned (minutes)", "planned", planned),
        ],
        y_label="minutes",
    )


def pain_chart(
    span: Span,
    walks: Sequence[Walk],
    checkins: Sequence[CheckIn],
    plans: Sequence[DayPlan],
) -> Chart:
    def from_walks(get: Callable[[Walk], int | None]) -> list[Point]:
        return _mean_points(span, [(w.date, _f(get(w))) for w in walks])

    morning = _mean_points(span, [(c.date, float(c.pain)) for c in checkins])
    during = from_walks(lambda w: w.pain_during)
    summary = " ".join(
        (
            _change_words("next-morning pain", morning, "/10", lower_is_better=True),
            _change_words("pain during walks", during, "/10", lower_is_better=True),
        )
    )
    return _over_time(
        span,
        plans,
        chart_id="chart-pain",
        title="Pain before, during and after walks, and the next morning (0-10)",
        summary=summary,
        series=[
            Series("Before", "before", from_walks(lambda w: w.pain_before)),
            Series("During", "during", during),
            Series("After", "after", from_walks(lambda w: w.pain_after)),
            Series("Next morning", "morning", morning),
        ],
        y_label="pain /10",
        y_max=10,
    )


def _over_time(
    span: Span, plans: Sequence[DayPlan], *, series: Sequence[Series], **kw: Any
) -> Chart:
    """A time chart over the span, with the phase changes marked."""
    return time_chart(
        start=span.start,
        end=span.end,
        series=series,
        markers=phase_markers(plans),
        **kw,
    )


def _f(value: int | None) -> float | None:
    return None if value is None else float(value)


def stiffness_chart(
    span: Span, checkins: Sequence[CheckIn], plans: Sequence[DayPlan]
) -> Chart:
    points = _mean_points(
        span, [(c.date, float(c.morning_stiffness_min)) for c in checkins]
    )
    return _over_time(
        span,
        plans,
        chart_id="chart-stiffness",
        title="Morning stiffness (minutes)",
        summary=_change_words(
            "morning stiffness", points, " minutes", lower_is_better=True
        ),
        series=[Series("Stiffness (minutes)", "stiffness", points)],
        y_label="minutes",
    )


def sleep_focus_chart(
    span: Span, checkins: Sequence[CheckIn], plans: Sequence[DayPlan]
) -> Chart:
    sleep = _mean_points(span, [(c.date, float(c.sleep)) for c in checkins])
    focus = _mean_points(span, [(c.date, float(c.focus)) for c in checkins])
    summary = " ".join(
        (
            _change_words("sleep", sleep, "/10", lower_is_better=False),
            _change_words("focus", focus, "/10", lower_is_better=False),
        )
    )
    return _over_time(
        span,
        plans,
        chart_id="chart-sleep",
        title="Sleep and focus (0-10, higher is better)",
        summary=summary,
        series=[Series("Sleep", "sleep", sleep), Series("Focus", "focus", focus)],
        y_label="score /10",
        y_max=10,
    )


def adherence_chart(
    span: Span,
    walks: Sequence[Walk],
    plans: Sequence[DayPlan],
    today: dt.date | None = None,
) -> Chart:
    walked: dict[dt.date, float] = defaultdict(float)
    for w in walks:
        walked[w.date] += w.minutes
    planned = {p.date: float(p.prescription.total_minutes) for p in plans}
    days = [
        CalendarDay(day, planned.get(day, 0.0), walked.get(day, 0.0), day == today)
        for day in span.days()
    ]
    counted = [d for d in days if d.planned > 0 and d.status != "pending"]
    done = sum(1 for d in counted if d.status == "done")
    partial = sum(1 for d in counted if d.status == "partial")
    more = sum(1 for d in counted if d.walked > d.planned)
    extra = f" ({more} with more than planned)" if more else ""
    summary = (
        f"Of {words.count(len(counted), 'day')} with walks planned, {done} "
        f"{'was' if done == 1 else 'were'} done in full{extra} and {partial} in part."
        if counted
        else "No walks have been planned in this period yet."
    )
    return calendar_chart(
        chart_id="chart-calendar",
        title="Adherence calendar",
        summary=summary,
        days=days,
    )


def build_charts(
    span: Span,
    walks: Sequence[Walk],
    checkins: Sequence[CheckIn],
    plans: Sequence[DayPlan],
    today: dt.date | None = None,
) -> list[Chart]:
    return [
        minutes_chart(span, walks, plans, today),
        pain_chart(span, walks, checkins, plans),
        stiffness_chart(span, checkins, plans),
        sleep_focus_chart(span, checkins, plans),
        adherence_chart(span, walks, plans, today),
    ]


CACHE_SECONDS = 24 * 60 * 60  # the day is in the key: a day's charts live a day
CACHE_VERSION = f"{walkwell.__version__}-pygal{pygal.__version__}"


def charts_key(
    person_id: int,
    span: Span,
    *,
    walks: Sequence[Walk],
    checkins: Sequence[CheckIn],
    plans: Sequence[DayPlan],
    today: dt.date | None,
) -> str:
    """A cache key naming everything the charts are drawn from.

    The digest covers the whole of every value ``build_charts`` is given (their
    ``repr``: every field of every walk, check-in and day's plan, the span and
    today), not a summary of them such as counts or timestamps: any change to what
    the charts could show (a new or edited walk or check-in, a clearance or rule
    that changes the plan, a new day) gives a new key, so a stale chart is never
    served, whichever cache backend and however many app servers.
    """
    inputs = repr((span, today, walks, checkins, plans)).encode()
    digest = hashlib.blake2b(inputs, digest_size=20).hexdigest()
    return f"walkwell:progress-charts:{CACHE_VERSION}:{person_id}:{digest}"


def charts_for_page(
    person_id: int,
    span: Span,
    *,
    walks: Sequence[Walk],
    checkins: Sequence[CheckIn],
    plans: Sequence[DayPlan],
    today: dt.date | None = None,
) -> list[Chart]:
    """``build_charts``, drawn once for the same inputs and then read from the cache."""
    cache = caches["default"]
    key = charts_key(
        person_id, span, walks=walks, checkins=checkins, plans=plans, today=today
    )
    found = cache.get(key)
    if isinstance(found, list):
        return found
    charts = build_charts(span, walks, checkins, plans, today)
    cache.set(key, charts, CACHE_SECONDS)
    return charts


def range_key(asked: str) -> str:
    """The range asked for (``RANGES``), or the default for anything else."""
    return asked if asked in RANGES else DEFAULT_RANGE


def charts_context(person: Person, range_key: str, today: dt.date) -> dict[str, Any]:
    """The charts of one range (``RANGES``; anything else is the default) ending
    today, with what a page says around them: the span, the phase changes since
    the start and the number of walks."""
    return charts_and_window(person, range_key, today)[0]


def charts_and_window(
    person: Person, asked: str, today: dt.date, *, reach_days: int = 0
) -> tuple[dict[str, Any], Window]:
    """``charts_context``, and the window of explained days it drew from, which
    reaches back at least ``reach_days`` (Progress's look backs read it too)."""
    key = range_key(asked)
    end = max(today, person.start)
    start = max(person.start, end - dt.timedelta(days=RANGES[key][1] - 1))
    # The stored timeline: words only for the days shown, the phase changes since
    # the start; the walks and mornings of the span only.
    first = max(person.start, min(start, end - dt.timedelta(days=reach_days)))
    shown = selectors.window_for(person, first, end)
    span = Span(start, end)
    charts = charts_for_page(
        person.pk,
        span,
        walks=selectors.walks_between(person, start, end),
        checkins=selectors.checkins_between(person, start, end),
        plans=tuple(p for p in shown.plans if p.date >= start),
        today=today,
    )
    context = {
        "charts": charts,
        "ranges": [(k, label) for k, (label, _) in RANGES.items()],
        "range": key,
        "span": span,
        "phase_changes": phase_changes(shown.phase_changes),
        "walk_count": selectors.walk_count(person),
    }
    return context, shown
