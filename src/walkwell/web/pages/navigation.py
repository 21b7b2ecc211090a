"""The main navigation: what a person can reach depends on where they are.

During onboarding only the pages onboarding can use are offered (no link that would
bounce the person back to it). Once enrolled, the everyday places are tabs (a bottom
bar on a phone) and the rest sit under "More", which on a wide screen are shown
inline as well. Everything here is plain links: no script is needed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from walkwell.web.program import selectors
from walkwell.web.program.navigation import Nav, NavLink, NavState, Show, nav_link

# url names (or namespaces) -> the nav key they belong to
_SECTIONS = {
    "today": "today",
    "walk": "walk",
    "log_walk": "log",
    "checkin": "checkin",
    "progress": "progress",
    "plan": "plan",
    "measures": "measures",
    "learn": "learn",
    "lesson": "learn",
    "settings": "settings",
    "password": "settings",
    "email": "settings",
    "more": "more",
    "care": "care",
    "care_join": "care",
    "care_unlink": "care",
    "start": "start",
    "screening": "start",
    "baseline": "start",
    "seek_care": "start",
    "clearance": "start",
    "rescreen": "start",
    "readiness": "settings",
    "go_ahead": "settings",
}

# (key, label, url name, where it shows)
_ONBOARDING = (
    ("start", "Getting started", "pages:start", Show.ALWAYS),
    ("learn", "Learn", "pages:learn", Show.ALWAYS),
    ("settings", "Settings", "accounts:settings", Show.ALWAYS),
)
_TABS = (
    ("today", "Today", "pages:today", Show.ALWAYS),
    ("walk", "Walk", "pages:walk", Show.ALWAYS),
    ("checkin", "Check-in", "pages:checkin", Show.ALWAYS),
    ("progress", "Progress", "pages:progress", Show.ALWAYS),
)
_UNDER_MORE = (
    ("log", "Log a walk", "pages:log_walk"),
    ("plan", "Plan", "pages:plan"),
    ("measures", "Measures", "pages:measures"),
    ("care", "Care team", "pages:care"),
    ("import", "Import", "imports:upload"),
    ("learn", "Learn", "pages:learn"),
    ("settings", "Settings", "accounts:settings"),
)


def section_of(request: HttpRequest) -> str:
    """The nav key of the page being shown ("" when it has none)."""
    match = request.resolver_match
    if match is None:
        return ""
    if match.namespace == "imports":
        return "import"
    return _SECTIONS.get(match.url_name or "", "")


def state_of(request: HttpRequest) -> NavState:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return NavState.GUEST
    person = selectors.person_for(user)
    if person is None or person.baseline_minutes is None:
        return NavState.ONBOARDING
    return NavState.ENROLLED


def nav_for(request: HttpRequest) -> Nav:
    state = state_of(request)
    here = section_of(request)
    if state is NavState.GUEST:
        return Nav(state)
    if state is NavState.ONBOARDING:
        links = tuple(nav_link(*item, here) for item in _ONBOARDING)
        return Nav(state, links, links[1:])
    more = tuple(
        nav_link(key, label, name, Show.WIDE, here) for key, label, name in _UNDER_MORE
    )
    below_more = any(link.current for link in more)
    more_tab = NavLink(
        "more",
        "More",
        reverse("pages:more"),
        Show.NARROW,
        "page" if here == "more" else ("true" if below_more else ""),
    )
    today, walk, *rest = (nav_link(*item, here) for item in _TABS)
    log, *others = more
    return Nav(state, (today, walk, log, *rest, *others, more_tab), more)


@login_required
def more(request: HttpRequest) -> HttpResponse:
    """Everything that is not a tab, and signing out (a page: no script needed)."""
    return render(request, "pages/more.html")
