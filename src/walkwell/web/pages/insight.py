"""Progress, Learn, the private calendar feed, and the installable-app files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from walkwell.core.engine import Window
from walkwell.core.limits import ValidationProblem
from walkwell.core.lookback import Course, LookBack
from walkwell.core.protocol import Protocol
from walkwell.core.recovery import days_since_recurrence
from walkwell.web.accounts import selectors as account_selectors
from walkwell.web.accounts.zones import clock_of, zone_of
from walkwell.web.pages.calendar_feed import feed_bytes
from walkwell.web.pages.lessons import BY_SLUG, LESSONS
from walkwell.web.program import downloads, selectors, selectors_measures
from walkwell.web.program.access import enrolled
from walkwell.web.program.models import Person
from walkwell.web.program.presenters import (
    LESSON_PICTURES,
    LOOK_BACKS_SHOWN,
    earlier_walks,
    look_backs,
    look_backs_within,
    recurrence_words,
)
from walkwell.web.program.progress import charts_and_window, range_key

# Progress explains at least this many days back, so that its window holds the
# look backs' reviews and the week before each (reviews are weekly).
LOOK_BACK_DAYS = 7 * (LOOK_BACKS_SHOWN + 4)


@enrolled
def progress(request: HttpRequest, person: Person) -> HttpResponse:
    today = timezone.localdate()
    key = range_key(request.GET.get("range", ""))
    end = max(today, person.start)
    # Everything the page shows follows from the person's history, the range and
    # the day: worked out once per write and stored under the history version
    # (``selectors.stored``), so a later view reads one entry.
    figures = selectors.stored(
        person,
        "progress",
        (key, end.isoformat(), today.isoformat()),
        dict,
        lambda: _progress_figures(person, key, today),
    )
    context = {**figures, "report_url": reverse("pages:progress_report")}
    template = (
        "pages/partials/charts.html"
        if request.headers.get("HX-Request")
        else "pages/progress.html"
    )
    return render(request, template, context)


def _progress_figures(person: Person, key: str, today: dt.date) -> dict[str, object]:
    context, shown = charts_and_window(person, key, today, reach_days=LOOK_BACK_DAYS)
    end = context["span"].end
    return context | {
        "measure_changes": selectors_measures.measure_changes(person),
        "recurrence": recurrence_words(
            days_since_recurrence(selectors.recurrence_checkins(person), today)
        ),
        "earlier": earlier_walks(selectors.walks_before_start(person)),
        "start_back_advice": selectors_measures.start_back_advice(person),
        "look_backs": _look_backs(person, end, shown),
    }


def _look_backs(person: Person, end: dt.date, shown: Window) -> list[LookBack]:
    """The latest reviews' look backs, from the window's plans when it holds
    them (weekly reviews: it does), else from the whole timeline."""
    walks, checkins = selectors.look_back_rows(person, end, weeks=LOOK_BACKS_SHOWN)
    protocol = selectors.protocol_for(person)
    course = Course(person.start, shown.phase_changes)
    found = look_backs_within(protocol, shown.plans, walks, checkins, course=course)
    if found is None:  # reviews further apart than weekly: read them all
        plans = selectors.timeline_for(person, end)
        found = look_backs(protocol, plans, walks, checkins)
    return found


@enrolled
def progress_report(request: HttpRequest, person: Person) -> HttpResponse:
    """The clinician's report as a PDF download, for ?from=...&to=... (default:
    the last twelve weeks)."""
    try:
        first, last = downloads.report_days(request.GET)
        return downloads.report_response(
            person,
            first,
            last,
            today=timezone.localdate(),
            now=clock_of(person.user_id),
        )
    except ValidationProblem as problem:
        return HttpResponse(
            f"{problem.field}: {problem.message}", status=400, content_type="text/plain"
        )


def _source_titles(protocol: Protocol, slugs: tuple[str, ...]) -> list[str]:
    sources = protocol.sources
    return [sources[s].title for s in slugs if s in sources]


@require_GET
def learn(request: HttpRequest) -> HttpResponse:
    lessons = [(lesson, LESSON_PICTURES.get(lesson.slug, ())) for lesson in LESSONS]
    return render(request, "pages/learn.html", {"lessons": lessons})


@require_GET
def lesson(request: HttpRequest, slug: str) -> HttpResponse:
    found = BY_SLUG.get(slug)
    if found is None:
        raise Http404("No such lesson")
    protocol = selectors.protocol_for_user(request.user)
    context = {
        "lesson": found,
        "sources": _source_titles(protocol, found.sources),
        "pictures": LESSON_PICTURES.get(slug, ()),
    }
    return render(request, "pages/lesson.html", context)


@require_GET
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: the secret in the address is the only key, so no sign-in."""
    prefs = account_selectors.preferences_by_token(token)
    person = selectors.person_for(prefs.user) if prefs else None
    if prefs is None or person is None:
        raise Http404("No such calendar")
    today = timezone.localdate(timezone=zone_of(prefs))  # the person's own day
    body = feed_bytes(person, prefs, today, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "WalkWell",
        "short_name": "WalkWell",
        "description": "A walking program for chronic low back pain.",
        "start_url": reverse("pages:today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fdfcf8",
        "theme_color": "#1d5c4d",
        "icons": [
            {
                "src": static("walkwell/icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any maskable",
            },
            {
                "src": static("walkwell/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
            {
                "src": static("walkwell/icons/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            },
        ],
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")


SHELL = (
    "walkwell/walkwell.css",
    "walkwell/app.js",
    "walkwell/walk.js",
    "walkwell/vendor/htmx.min.js",
    "walkwell/icons/icon.svg",
    "walkwell/icons/icon-192.png",
)
SW_SOURCE = Path(__file__).parent / "static" / "walkwell" / "sw.js"


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root so it may cover every page."""
    shell = [static(p) for p in SHELL] + [reverse("pages:offline")]
    head = (
        f"self.WALKWELL_SHELL = {json.dumps(shell)};\n"
        f"self.WALKWELL_OFFLINE = {json.dumps(reverse('pages:offline'))};\n"
    )
    body = head + SW_SOURCE.read_text(encoding="utf-8")
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/offline.html")
